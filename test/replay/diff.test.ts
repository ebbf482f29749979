/**
 * `wtrace diff` at level 1 (observable behaviour): real recordings of the C fixtures compared
 * by the library (`diffHere`), the describer that makes calls comparable across builds, and the
 * command line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffHere, diffTraces } from '../../replay/diff.js';
import { formatDiff } from '../../replay/diffText.js';
import { callKeys } from '../../replay/callKey.js';
import { TraceReader } from '../../src/trace/index.js';
import { DESCRIBED_FUNCTIONS, describeCall } from '../../src/wasi/callDescriber.js';
import { WASI_SIGNATURES } from '../../src/wasi/signatures.js';
import { fixture, root, skipWithout, tempDir, wtrace } from '../helpers/run.js';
import { buildModule, I32, uleb } from '../helpers/wasmBuilder.js';
// @ts-expect-error: a plain .mjs build script without types
import { compileWasi } from '../fixtures/wasiClang.mjs';

/** Records `args` (as `wtrace record` takes them) into a fresh trace; `cwd` for relative module paths. */
function record(args: string[], options: { input?: string; cwd?: string } = {}): string {
  const trace = path.join(tempDir('wtrace-diff-'), 't.wtrace');
  const r = wtrace(['record', '-o', trace, ...args], options);
  if (!fs.existsSync(trace)) throw new Error(`recording failed: ${r.stderr}`);
  return trace;
}

/** A command module whose `_start` calls sched_yield `n` times, then returns (exit 0) or hits `unreachable`. */
function yielding(n: number, trap = false): string {
  const bytes = buildModule({
    types: [[[], [I32]], [[], []]],
    funcImports: [['wasi_snapshot_preview1', 'sched_yield', 0]],
    memories: [[0x00, ...uleb(1)]],
    funcs: [{ type: 1, locals: [], body: [...Array(n).fill([0x10, 0, 0x1a]).flat(), ...(trap ? [0x00] : [])] }],
    exports: [['memory', 2, 0], ['_start', 0, 1]],
  });
  const file = path.join(tempDir(), 'yield.wasm');
  fs.writeFileSync(file, bytes);
  return file;
}

describe('diff, level 1', () => {
  it('finds identical reruns equal although clocks and random bytes differ', () => {
    for (const name of ['clocks', 'random']) {
      const r = diffHere(record([fixture(name)]), record([fixture(name)]));
      expect(r.equal, formatDiff(r)).toBe(true);
      expect(r.divergence).toBeNull();
      expect(r.callsCompared).toBe(r.a.calls);
      expect(r.volatileDifferences).toBeGreaterThan(0);
    }
  });

  it('counts volatile values with strict', () => {
    const r = diffHere(record([fixture('clocks')]), record([fixture('clocks')]), { strict: true });
    expect(r.equal).toBe(false);
    expect(r.divergence?.a?.name).toBe('clock_time_get');
    expect(r.divergence?.fields).toEqual(['returned.time']);
    expect(r.divergence?.textA).toMatch(/^clock_time_get\(id=monotonic, precision=\d+\) = 0 -> time=~\d+$/);
  });

  it('reports a change in input data at the fd_read that read it', () => {
    // stdin_upper reads 7 bytes a call: fd_read, fd_write, fd_read, fd_write, then the third read.
    const a = record([fixture('stdin_upper')], { input: 'abcdefghijklmnopq' });
    const b = record([fixture('stdin_upper')], { input: 'abcdefghijklmnoPq' });
    const r = diffHere(a, b);
    expect(r.equal).toBe(false);
    const d = r.divergence!;
    expect([d.kind, d.callA, d.callB, d.fields]).toEqual(['call', 4, 4, ['data']]);
    expect(d.textA).toBe('fd_read(fd=0, asked=7) = 0 -> nread=3, "opq"');
    expect(d.textB).toBe('fd_read(fd=0, asked=7) = 0 -> nread=3, "oPq"');
    expect(d.contextA.map((c) => c.text)).toEqual([
      'fd_write(fd=1, "ABCDEFG") = 0 -> nwritten=7',
      'fd_read(fd=0, asked=7) = 0 -> nread=7, "hijklmn"',
      'fd_write(fd=1, "HIJKLMN") = 0 -> nwritten=7',
    ]);
    expect(d.contextB.map((c) => c.text)).toEqual(d.contextA.map((c) => c.text));
    // Upper-casing hides the change in the output: only the call stream shows it.
    expect(r.outputs.stdout.equal).toBe(true);
    expect(r.endsEqual).toBe(true);
  });

  it('reports different arguments at args_get, and in the output', () => {
    const r = diffHere(
      record(['--env', 'A=1', fixture('args_env'), '--', 'x', 'A']),
      record(['--env', 'A=1', fixture('args_env'), '--', 'y', 'A']),
    );
    const d = r.divergence!;
    expect(d.a?.name).toBe('args_get');
    expect(d.fields).toEqual(['returned.argv']);
    expect(d.textA).toMatch(/^args_get\(\) = 0 -> argv=\[".*args_env\.wasm", "x", "A"\]$/);
    expect(d.textB).toMatch(/"y", "A"\]$/);
    expect(d.contextA.map((c) => c.name)).toEqual(['args_sizes_get']);
    expect(r.outputs.stdout).toMatchObject({ equal: false, a: expect.stringMatching(/^"x\\n/), b: expect.stringMatching(/^"y\\n/) });
  });

  it('reports a different exit code', () => {
    const r = diffHere(record([fixture('exit_code'), '--', '3']), record([fixture('exit_code'), '--', '4']));
    expect(r.equal).toBe(false);
    expect(r.endsEqual).toBe(false);
    expect([r.a.end, r.b.end]).toEqual([{ kind: 'exit', exitCode: 3 }, { kind: 'exit', exitCode: 4 }]);
    expect(r.divergence?.a?.name).toBe('args_get');
    expect(formatDiff(r)).toMatch(/^ {2}end {5}A exit code 3 \/ B exit code 4$/m);
  });

  it('reports runs whose calls agree but whose ends differ at the end', () => {
    const r = diffHere(record([yielding(1)]), record([yielding(1, true)]));
    const d = r.divergence!;
    expect([d.kind, d.callA, d.textA]).toEqual(['end', 1, 'exit code 0']);
    expect(d.textB).toMatch(/^trap: wasm `unreachable` instruction executed/);
    expect(d.contextA.map((c) => c.text)).toEqual(['sched_yield() = 0']);
    expect(r.equal).toBe(false);
  });

  it("reports the end of the shorter run against the longer one's next call", () => {
    const one = record([yielding(1)]);
    const two = record([yielding(2)]);
    const r = diffHere(one, two, { context: 5 });
    expect(r.divergence).toMatchObject({ kind: 'call', callA: 1, a: null, textA: 'end: exit code 0', textB: 'sched_yield() = 0' });
    expect(r.divergence?.contextA.map((c) => c.index)).toEqual([0]);
    const s = diffHere(two, one);
    expect(s.divergence).toMatchObject({ kind: 'call', callB: 1, b: null, textA: 'sched_yield() = 0', textB: 'end: exit code 0' });
    expect(s.divergence?.a?.index).toBe(1);
    expect(s.divergence?.contextA.map((c) => c.index)).toEqual([0]);
    // Different argc already shows at args_sizes_get (call 0).
    const argc = diffHere(record([fixture('args_env'), '--', 'x']), record([fixture('args_env')]));
    expect(argc.divergence?.fields).toEqual(['returned.count', 'returned.size']);
  });

  it.skipIf(skipWithout('clang-16'))('finds a rebuild with another function layout equal to the original', () => {
    // argv[0] is the module path as given, so both are recorded as `args_env.wasm` from their own directory.
    const o2 = tempDir();
    const o0 = tempDir();
    fs.copyFileSync(path.join(root, fixture('args_env')), path.join(o2, 'args_env.wasm'));
    // -O0 changes the code; a higher global base moves every static buffer, so pointers change too.
    compileWasi(path.join(root, 'test/fixtures/c/args_env.c'), path.join(o0, 'args_env.wasm'), {
      cflags: ['-O0'],
      ldflags: ['-Wl,--global-base=65536'],
    });
    const args = ['--env', 'GREETING=hello', 'args_env.wasm', '--', 'GREETING', 'MISSING'];
    const a = record(args, { cwd: o2 });
    const b = record(args, { cwd: o0 });
    const r = diffHere(a, b);
    expect(r.equal, formatDiff(r)).toBe(true);
    expect(r.a.module.sha256).not.toBe(r.b.module.sha256);
    // The raw pointers differ between the builds; the calls' meaning does not.
    const rawArgs = (t: string) => {
      const reader = TraceReader.open(t);
      try {
        return [...reader.importCalls()].map((c) => c.args.join(','));
      } finally {
        reader.close();
      }
    };
    expect(rawArgs(a)).not.toEqual(rawArgs(b));
  });

  it('runs on a worker and returns JSON-ready data', async () => {
    const t = record([fixture('recursion'), '--', '300000']);
    const r = await diffTraces(t, t);
    expect(r.equal).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('refuses bad input with typed errors', () => {
    const t = record([fixture('exit_code'), '--', '0']);
    expect(() => diffHere(t, 'no-such.wtrace')).toThrow(expect.objectContaining({ exitCode: 3, message: 'no-such.wtrace: no such file' }));
    expect(() => diffHere(t, fixture('exit_code'))).toThrow(expect.objectContaining({ exitCode: 4 }));
    // Levels 2 and 3 need detail events (test/replay/diffLevels.test.ts); a level outside 1-3 is a usage error.
    expect(() => diffHere(t, t, { level: 2 })).toThrow(expect.objectContaining({ code: 'detail-needed', exitCode: 3, message: expect.stringMatching(/wtrace index/) }));
    expect(() => diffHere(t, t, { level: 4 })).toThrow(expect.objectContaining({ code: 'usage', message: 'diff --level must be 1, 2 or 3, not 4' }));
  });
});

describe('describeCall', () => {
  const memory = new Uint8Array(256);
  const put = (at: number, bytes: number[] | string) => memory.set(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, at);
  const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];

  it('describes every preview1 function by name', () => {
    expect([...DESCRIBED_FUNCTIONS].sort()).toEqual(WASI_SIGNATURES.map((s) => s.name).sort());
    for (const s of WASI_SIGNATURES) {
      const args = s.params.map((p) => (p === 'i64' ? 0n : 0));
      expect(describeCall({ name: s.name, args, memory, writes: [], result: 0 }).text).toMatch(new RegExp(`^${s.name}\\(`));
    }
  });

  it('reads strings, bytes and flags from memory, and results from the writes', () => {
    put(0, 'out.txt');
    const open = describeCall({
      name: 'path_open',
      args: [3, 1, 0, 7, 1 | 8, 0x42n, 0n, 1, 100],
      memory,
      writes: [{ address: 100, bytes: Uint8Array.from(u32(4)) }],
      result: 0,
    });
    expect(open.text).toBe('path_open(dirfd=3, lookupflags=symlinkFollow, path="out.txt", oflags=creat|trunc, rights_base=0x42, rights_inheriting=0x0, fdflags=append) = 0 -> fd=4');
    put(16, [...u32(0), ...u32(3), ...u32(3), ...u32(4)]); // iovecs: "out" then ".txt"
    const write = describeCall({ name: 'fd_write', args: [1, 16, 2, 120], memory, writes: [{ address: 120, bytes: Uint8Array.from(u32(7)) }], result: 0 });
    expect(write.text).toBe('fd_write(fd=1, "out.txt") = 0 -> nwritten=7');
    const failed = describeCall({ name: 'path_unlink_file', args: [3, 0, 3], memory, writes: [], result: 44 });
    expect(failed.text).toBe('path_unlink_file(dirfd=3, path="out") = 44 (noent)');
  });

  it('flags values that differ between runs as volatile', () => {
    const clock = describeCall({ name: 'clock_time_get', args: [0, 1000n, 200], memory, writes: [{ address: 200, bytes: new Uint8Array(8).fill(1) }], result: 0 });
    expect(clock.volatile).toEqual(['returned.time']);
    expect(clock.text).toMatch(/^clock_time_get\(id=realtime, precision=1000\) = 0 -> time=~\d+$/);
    const random = describeCall({ name: 'random_get', args: [40, 16], memory, writes: [{ address: 40, bytes: new Uint8Array(16).fill(7) }], result: 0 });
    expect(random.volatile).toEqual(['data']);
    expect(random.text).toBe('random_get(len=16) = 0 -> ~(16 bytes)');
  });

  it('keys calls by meaning: volatile values change only the strict key', () => {
    const clock = (fill: number, id = 0) =>
      describeCall({ name: 'clock_time_get', args: [id, 1000n, 200], memory, writes: [{ address: 200, bytes: new Uint8Array(8).fill(fill) }], result: 0 });
    const [lenientA, strictA] = callKeys(clock(1));
    const [lenientB, strictB] = callKeys(clock(2));
    expect(lenientA).toBe(lenientB);
    expect(strictA).not.toBe(strictB);
    expect(callKeys(clock(1))).toEqual([lenientA, strictA]);
    expect(callKeys(clock(1, 1))[0]).not.toBe(lenientA);
    const write = (text: string) => {
      put(64, text);
      put(16, [...u32(64), ...u32(text.length)]);
      return describeCall({ name: 'fd_write', args: [1, 16, 1, 120], memory, writes: [{ address: 120, bytes: Uint8Array.from(u32(text.length)) }], result: 0 });
    };
    const [k1, s1] = callKeys(write('abc'));
    expect(k1).toBe(s1);
    expect(callKeys(write('abd'))[0]).not.toBe(k1);
    // The description reads as a plain object in JSON, its text and preview built on demand.
    const w = write('abc');
    expect(JSON.parse(JSON.stringify(w))).toMatchObject({ name: 'fd_write', data: '"abc"', text: 'fd_write(fd=1, "abc") = 0 -> nwritten=3' });
  });

  it('shows memory it cannot read as <fault> and unknown imports by their scalars', () => {
    expect(describeCall({ name: 'path_unlink_file', args: [3, 250, 100], memory, writes: [], result: 21 }).text).toBe('path_unlink_file(dirfd=3, path=<fault>) = 21 (fault)');
    expect(describeCall({ name: 'host_log', args: [5, 7n], memory, writes: [], result: null }).text).toBe('host_log(a0=5, a1=7) (did not return)');
  });
});

describe('wtrace diff', () => {
  it('exits 0 for equal runs and 1 for different ones, with a text report', () => {
    const a = record([fixture('exit_code'), '--', '3']);
    const b = record([fixture('exit_code'), '--', '4']);
    expect(wtrace(['diff', a, a])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^equal at level 1/) });
    const r = wtrace(['diff', '--context', '1', a, b]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^first divergence at call 1 \(A\) \/ call 1 \(B\): returned\.argv differ\n {2}A: args_get\(\) = 0 -> argv=\[.*"3"\]\n {2}B: args_get/);
    expect(r.stdout).toMatch(/^ {2}result {2}DIFFERENT at level 1$/m);
  });

  it('prints JSON with --json', () => {
    const a = record([fixture('exit_code'), '--', '3']);
    const r = wtrace(['diff', '--json', a, a]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ level: 1, equal: true, divergence: null });
  });

  it('refuses bad input with the usual exit codes', () => {
    const a = record([fixture('exit_code'), '--', '3']);
    expect(wtrace(['diff', a, 'missing.wtrace'])).toMatchObject({ status: 3, stderr: 'wtrace: missing.wtrace: no such file\n' });
    expect(wtrace(['diff', a, fixture('exit_code')]).status).toBe(4);
    const level = wtrace(['diff', '--level', '2', a, a]);
    expect(level.status).toBe(3);
    expect(level.stderr).toMatch(/recorded with --detail inputs; diff --level 2 compares detail events.*`wtrace index /);
    expect(wtrace(['diff', '--level', '7', a, a]).status).toBe(2);
  });
});
