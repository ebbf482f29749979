/**
 * `wtrace diff` at levels 2 (the call tree by function name) and 3 (every event and stored
 * value): real `--detail full` recordings of the diff_calc fixture family (a one-line change,
 * a rebuild with other function indices) and of a hand-made module whose control flow depends
 * on its input, compared by the library and by the command line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffHere, diffTraces } from '../../replay/diff.js';
import { formatDiff } from '../../replay/diffText.js';
import type { DiffResult, EventDivergence } from '../../replay/diffTypes.js';
import { CallShapes, decodeDetailEvents } from '../../instrument/index.js';
import { TraceReader } from '../../src/trace/index.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';
import { buildModule, I32, sleb, uleb } from '../helpers/wasmBuilder.js';

/** Records `args` (as `wtrace record` takes them) with `--detail full` unless `detail` says otherwise. */
function record(args: string[], options: { input?: string; cwd?: string; detail?: 'inputs' | 'full' } = {}): string {
  const trace = path.join(tempDir('wtrace-diff2-'), 't.wtrace');
  const r = wtrace(['record', '--detail', options.detail ?? 'full', '-o', trace, ...args], options);
  if (!fs.existsSync(trace)) throw new Error(`recording failed: ${r.stderr}`);
  return trace;
}

/** The diff_calc family module `name` recorded as `calc.wasm` (argv[0] alike) with `seed`. */
function calc(name: string, seed: string): string {
  const dir = tempDir();
  fs.copyFileSync(path.join(root, fixture(name)), path.join(dir, 'calc.wasm'));
  return record(['calc.wasm', '--', seed], { cwd: dir });
}

/** 1-based line of the `@marker` comment in a fixture's C source. */
function lineOf(source: string, marker: string): number {
  const lines = fs.readFileSync(path.join(root, 'test/fixtures/c', source), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`// @${marker}`));
  if (i < 0) throw new Error(`${source} has no @${marker}`);
  return i + 1;
}

function eventDivergence(r: DiffResult): EventDivergence {
  expect(r.divergence?.kind, formatDiff(r)).toBe('event');
  return r.divergence as EventDivergence;
}

/**
 * A command that reads one byte from stdin and, when it is `a`, runs three `nop`s more before
 * the same store: two runs with different input take different paths to one instruction.
 */
function branching(): string {
  const store = (address: number, value: number) => [0x41, ...sleb(address), 0x41, ...sleb(value), 0x36, 2, 0];
  const bytes = buildModule({
    types: [[[I32, I32, I32, I32], [I32]], [[], []]],
    funcImports: [['wasi_snapshot_preview1', 'fd_read', 0]],
    memories: [[0x00, ...uleb(1)]],
    funcs: [{
      type: 1,
      body: [
        ...store(0, 16), ...store(4, 1), // one iovec: 1 byte at 16
        0x41, 0, 0x41, 0, 0x41, 1, 0x41, 8, 0x10, 0, 0x1a, // fd_read(0, iovs=0, 1, nread=8)
        0x41, 16, 0x2d, 0, 0, 0x41, ...sleb(97), 0x46, 0x04, 0x40, 0x01, 0x01, 0x01, 0x0b, // if (byte == 'a') nop nop nop
        ...store(32, 7),
      ],
    }],
    exports: [['memory', 2, 0], ['_start', 0, 1]],
  });
  const file = path.join(tempDir(), 'branching.wasm');
  fs.writeFileSync(file, bytes);
  return file;
}

describe('diff, level 2 (the call tree by function name)', () => {
  it('finds identical reruns equal, and the same at level 3', () => {
    for (const args of [['calc.wasm', '--', '5']]) {
      const dir = tempDir();
      fs.copyFileSync(path.join(root, fixture('diff_calc')), path.join(dir, 'calc.wasm'));
      const a = record(args, { cwd: dir });
      const b = record(args, { cwd: dir });
      for (const level of [2, 3]) {
        const r = diffHere(a, b, { level });
        expect(r.equal, formatDiff(r)).toBe(true);
        expect([r.level, r.divergence]).toEqual([level, null]);
        // Every enter, exit and call (level 2) or event (level 3) was compared.
        expect(r.eventsCompared).toBeGreaterThan(level === 2 ? 100 : 250);
      }
    }
    const a = record([fixture('recursion'), '--', '500']);
    const b = record([fixture('recursion'), '--', '500']);
    expect(diffHere(a, b, { level: 2 }).equal).toBe(true);
    expect(diffHere(a, b, { level: 3 }).equal).toBe(true);
  });

  it('reports a one-line change at the function and line that compute the new value', () => {
    const r = diffHere(calc('diff_calc', '5'), calc('diff_calc_changed', '5'), { level: 2 });
    expect(r.equal).toBe(false);
    const d = eventDivergence(r);
    expect(d.fields).toEqual(['results']);
    // scale(5 + 0): 3 * 5 + 1 = 16 against 3 * 5 + 2 = 17, returned on the changed line.
    expect([d.a?.kind, d.a?.name, d.a?.value, d.b?.value]).toEqual(['exit', 'scale', 'i32 16', 'i32 17']);
    expect(d.a?.location).toMatchObject({ file: './test/fixtures/c/diff_calc.c', line: lineOf('diff_calc.c', 'scale') });
    expect(d.b?.location).toMatchObject({ file: './test/fixtures/c/diff_calc_changed.c', line: lineOf('diff_calc_changed.c', 'scale') });
    expect(d.a?.stack?.slice(0, 3)).toEqual(['scale', 'fill', 'main']);
    expect(d.a?.time).toMatch(/^\d+$/);
    expect(d.contextA.at(-1)?.text).toBe('enter scale(i32 5)');
    expect(d.contextA.map((v) => v.name)).toEqual(['main', 'fill', 'scale']);
    // Level 1 saw only the consequence: the printed sum.
    expect(r.outputs.stdout.equal).toBe(false);
    const text = formatDiff(r);
    expect(text).toMatch(/^first divergence at item \d+ of the call tree: different results\n {2}A: exit scale -> i32 16\n {5}time \d+ in scale < fill < main < .*diff_calc\.c:21:\d+\n {2}B: exit scale -> i32 17\n/);
    expect(text).toMatch(/^ {2}result {2}DIFFERENT at level 2$/m);
  });

  it('finds a rebuild with other function indices but the same behaviour equal at levels 1 and 2', () => {
    const indexOf = (name: string, f: string) => [...readModuleInfo(fs.readFileSync(path.join(root, fixture(f)))).functionNames].find(([, n]) => n === name)?.[0];
    for (const f of ['scale', 'main', '__original_main']) expect(indexOf(f, 'diff_calc_reordered')).not.toBe(indexOf(f, 'diff_calc'));
    const a = calc('diff_calc', '5');
    const b = calc('diff_calc_reordered', '5');
    for (const level of [1, 2]) {
      const r = diffHere(a, b, { level });
      expect(r.equal, formatDiff(r)).toBe(true);
    }
    expect(diffHere(a, b, { level: 2 }).eventsCompared).toBeGreaterThan(100);
  });

  it('reports an import call that differs by meaning at its place in the tree', () => {
    const r = diffHere(calc('diff_calc', '5'), calc('diff_calc', '6'), { level: 2 });
    const d = eventDivergence(r);
    expect(d.fields).toEqual(['returned.argv']);
    expect([d.a?.kind, d.a?.name, d.a?.function]).toEqual(['import', 'args_get', '__wasi_args_get']);
    expect(d.textA).toBe('args_get() = 0 -> argv=["calc.wasm", "5"]');
    expect(d.textB).toBe('args_get() = 0 -> argv=["calc.wasm", "6"]');
    expect(d.call?.fields).toEqual(['returned.argv']);
    expect(d.a?.callSite?.location?.file).toMatch(/__wasilibc_real\.c$/);
    expect(d.contextA.at(-1)?.text).toMatch(/^enter __wasi_args_get\(/);
  });

  it('refuses an inputs-only trace, naming `wtrace index`, and compares it once indexed', () => {
    const inputs = record([fixture('diff_calc'), '--', '5'], { detail: 'inputs' });
    const full = record([fixture('diff_calc'), '--', '5']);
    for (const level of [2, 3]) {
      expect(() => diffHere(full, inputs, { level })).toThrow(
        expect.objectContaining({ code: 'detail-needed', exitCode: 3, message: expect.stringContaining(`build them with \`wtrace index ${inputs}\``) }),
      );
    }
    const cli = wtrace(['diff', '--level', '2', inputs, full]);
    expect(cli.status).toBe(3);
    expect(cli.stderr).toMatch(/recorded with --detail inputs; diff --level 2 compares detail events.*wtrace index/);
    expect(wtrace(['index', inputs]).status).toBe(0);
    // A detail index built by re-execution holds the same events as a live --detail full recording.
    expect(diffHere(full, inputs, { level: 3 }).equal).toBe(true);
  });
  it('refuses a trace whose detail events leave part of the run out', () => {
    const full = record([fixture('diff_calc'), '--', '5']);
    const windowed = record(['--window', '0..100', fixture('diff_calc'), '--', '5']);
    for (const level of [2, 3]) {
      expect(() => diffHere(full, windowed, { level })).toThrow(
        expect.objectContaining({ code: 'detail-coverage', exitCode: 3, message: expect.stringContaining(`${windowed}: recorded with --window or --last`) }),
      );
    }
    // Level 1 needs only the input log, which a windowed recording has whole.
    expect(diffHere(full, windowed).equal).toBe(true);
  });
});

describe('diff, level 3 (every event and stored value)', () => {
  it('reports a different input, and its first effect at the store of the value on its line', () => {
    const r = diffHere(calc('diff_calc', '5'), calc('diff_calc', '6'), { level: 3 });
    expect(r.equal).toBe(false);
    const d = eventDivergence(r);
    expect([d.a?.kind, d.a?.name, d.fields]).toEqual(['import', 'args_get', ['writes']]);
    expect(d.textB).toBe('args_get() = 0 -> argv=["calc.wasm", "6"]');
    const e = d.effect!;
    expect(e.fields).toEqual(['value']);
    expect([e.a?.kind, e.a?.function, e.a?.value, e.b?.value]).toEqual(['store', 'main', '5 = 0x00000005', '6 = 0x00000006']);
    expect(e.a?.location).toMatchObject({ file: './test/fixtures/c/diff_calc.c', line: lineOf('diff_calc.c', 'seed') });
    expect(e.a?.pc).toBe(e.b?.pc);
    expect(e.a?.time).toBe(e.b?.time);
    expect(formatDiff(r)).toMatch(/\nits first effect, at item \d+: different value\n {2}A: store 4 bytes at 0x[0-9a-f]{8}: 5 = 0x00000005\n/);
  });

  it('reports where control flow parts: the same store reached at another time', () => {
    const wasm = branching();
    const a = record([wasm], { input: 'a' });
    const other = record([wasm], { input: 'b' });
    expect(diffHere(a, record([wasm], { input: 'a' }), { level: 3 }).equal).toBe(true);
    const before = [fs.readFileSync(a), fs.readFileSync(other)];
    const d = eventDivergence(diffHere(a, other, { level: 3 }));
    // Finding the branch opened both timelines: a comparison stores no index in the traces.
    expect([Buffer.compare(fs.readFileSync(a), before[0]), Buffer.compare(fs.readFileSync(other), before[1])]).toEqual([0, 0]);
    expect([d.a?.name, d.fields]).toEqual(['fd_read', ['writes']]);
    const e = d.effect!;
    expect(e.fields).toEqual(['time']);
    expect(e.a?.kind).toBe('store');
    expect(e.a?.pc).toBe(e.b?.pc);
    // Three nops and the `end` more on A's path.
    expect(BigInt(e.a!.time) - BigInt(e.b!.time)).toBe(4n);
    expect(e.note).toMatch(/^control flow differs/);
    // The `if` at time 17 (drop, const, load8_u, const, eq, if after the call at 11): A goes into
    // its then-arm (the first nop, after `if` and its block type), B past its `end` to the store's operands.
    const b = e.branch!;
    expect(b.time).toBe('17');
    expect([b.nextA.pc, b.nextB.pc]).toEqual([b.pc + 2, e.b!.pc! - 4]);
    expect(formatDiff(diffHere(a, other, { level: 3 }))).toMatch(/\n {2}they part after the instruction at time 17 in func\[1\], pc 0x[0-9a-f]+:\n {4}A goes on at pc 0x[0-9a-f]+\n {4}B goes on at pc 0x[0-9a-f]+\n/);
  });

  it('refuses traces of different modules', () => {
    const a = calc('diff_calc', '5');
    const b = calc('diff_calc_reordered', '5');
    expect(() => diffHere(a, b, { level: 3 })).toThrow(
      expect.objectContaining({ code: 'different-modules', exitCode: 3, message: expect.stringMatching(/recordings of different modules .*use --level 2/) }),
    );
    const cli = wtrace(['diff', '--level', '3', a, b]);
    expect(cli.status).toBe(3);
    expect(cli.stderr).toMatch(/^wtrace: .* are recordings of different modules/);
  });

  it('marks a difference in volatile inputs as such', () => {
    const a = record([fixture('clocks')]);
    const b = record([fixture('clocks')]);
    expect(diffHere(a, b, { level: 1 }).equal).toBe(true);
    const d = eventDivergence(diffHere(a, b, { level: 3 }));
    expect(d.a?.name).toMatch(/^clock_/);
    expect(d.note).toMatch(/^only values that differ between any two runs differ here/);
    // Level 2 lets the reads pass, as level 1 does, but not the values computed from them.
    const r1 = record([fixture('random')]);
    const r2 = record([fixture('random')]);
    expect(diffHere(r1, r2).equal).toBe(true);
    const tree = eventDivergence(diffHere(r1, r2, { level: 2 }));
    expect(tree.fields).toEqual(['results']);
    expect(tree.note).toMatch(/^the runs read different volatile values before this point \(import call \d+ is the first/);
  });
});

/** Every item a level-3 walk compares, by a plain decode of the whole trace: kind and time, in stream order. */
function referenceItems(trace: string): { kind: string; time: bigint }[] {
  const reader = TraceReader.open(trace);
  try {
    const shapes = CallShapes.of(reader.moduleBytes());
    const events = [...reader.detailChunks()].flatMap((c) => decodeDetailEvents(c.events, shapes)).filter((e) => e.kind !== 'snapshot');
    const calls = [...reader.importCalls()];
    const out: { kind: string; time: bigint }[] = [];
    let k = 0;
    for (const e of events) {
      for (; k < calls.length && calls[k].time! < e.time; k++) out.push({ kind: 'import', time: calls[k].time! });
      out.push({ kind: e.kind, time: e.time });
    }
    for (; k < calls.length; k++) out.push({ kind: 'import', time: calls[k].time! });
    return out;
  } finally {
    reader.close();
  }
}

describe('diff of traces of many chunks', () => {
  // About 230 KB through stdin_upper: at least four detail chunks and 60,000 import calls.
  const text = Array.from({ length: 7500 }, (_, i) => `line ${i} of the input: ${(i * 7919) % 10007}\n`).join('');
  const changed = text.slice(0, -3) + 'X' + text.slice(-2);

  it('counts every event and call of identical runs, and finds a late difference with its real context', () => {
    const a = record([fixture('stdin_upper')], { input: text });
    const a2 = record([fixture('stdin_upper')], { input: text });
    const b = record([fixture('stdin_upper')], { input: changed });
    const reader = TraceReader.open(a);
    expect(reader.detailSummary().chunks).toBeGreaterThanOrEqual(4);
    reader.close();
    const items = referenceItems(a);
    const same = diffHere(a, a2, { level: 3 });
    expect(same.equal).toBe(true);
    expect(same.eventsCompared).toBe(items.length);
    expect(diffHere(a, a2, { level: 2 }).eventsCompared).toBe(items.filter((i) => ['enter', 'exit', 'catch', 'import'].includes(i.kind)).length);

    const r = diffHere(a, b, { level: 3, context: 4 });
    const d = eventDivergence(r);
    expect([d.a?.kind, d.a?.name, d.fields]).toEqual(['import', 'fd_read', ['writes']]);
    // The last read: the input's last four bytes.
    expect([d.textA, d.textB]).toEqual([text, changed].map((t) => `fd_read(fd=0, asked=7) = 0 -> nread=4, ${JSON.stringify(t.slice(-4))}`));
    // The diverging call is near the end, and its context is what really came before it.
    expect(d.indexA).toBeGreaterThan(items.length * 0.95);
    expect(items[d.indexA]).toEqual({ kind: 'import', time: BigInt(d.a!.time) });
    expect(d.contextA.map((v) => ({ kind: v.kind, time: BigInt(v.time) }))).toEqual(items.slice(d.indexA - 4, d.indexA));
    expect(d.contextB.map((v) => v.text)).toEqual(d.contextA.map((v) => v.text));
    // Its first effect: the changed byte passed to a function (upper-casing it).
    expect([d.effect?.a?.kind, d.effect?.a?.name, d.effect?.fields]).toEqual(['enter', 'toupper', ['args']]);
    // Named at its call site in main's loop (the only direct call of toupper there).
    const line = fs.readFileSync(path.join(root, 'test/fixtures/c/stdin_upper.c'), 'utf8').split('\n').findIndex((l) => l.includes('toupper(')) + 1;
    expect(d.effect?.a?.callSite?.location).toMatchObject({ file: './test/fixtures/c/stdin_upper.c', line });
  });
});

describe('wtrace diff --level 2|3', () => {
  it('exits 0 when equal and 1 when different, with text and JSON reports', async () => {
    const a = calc('diff_calc', '5');
    const b = calc('diff_calc_changed', '5');
    expect(wtrace(['diff', '--level', '3', a, a])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^equal at level 3 \(every event and stored value\)\n/) });
    const text = wtrace(['diff', '--level', '2', '--context', '1', a, b]);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^first divergence at item \d+ of the call tree: different results\n/);
    expect(text.stdout).toMatch(/ {2}before it in A:\n +\d+ +t=\d+ +enter scale\(i32 5\) +\(.*diff_calc\.c:\d+\)\n {2}before it in B:/);
    const json = wtrace(['diff', '--level', '2', '--json', a, b]);
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as DiffResult;
    expect(parsed).toMatchObject({ level: 2, equal: false, divergence: { kind: 'event', level: 2, fields: ['results'] } });
    // The worker returns the same, JSON-ready.
    expect(await diffTraces(a, b, { level: 2 })).toEqual(parsed);
  });
});
