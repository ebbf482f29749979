/**
 * `buildDetailIndex`: a trace recorded with `--detail inputs`, once indexed, reads through the
 * Timeline exactly as a `--detail full` recording of the same run does.
 *
 * Same run, two ways: for programs that behave the same on every run (no clocks, randomness or
 * file times), a separate `--detail full` recording is the same run, and everything must match:
 * the detail event stream byte for byte, keyframes, and the Timeline's answers. For programs
 * that read clocks, random bytes or file times, two recordings are two different runs, so:
 * (1) the same run: a `--detail full` recording is stripped to what an inputs recording of that
 * run holds (no detail, no times), indexed, and compared with itself; (2) a real inputs
 * recording, indexed, is checked against an independent re-execution of its input log on the
 * uninstrumented module (memory before and after import calls, final memory) and by `wtrace
 * replay --verify` (which checks every call's new time with the other instrumentation).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDetailIndex } from '../../replay/detailIndex/index.js';
import { Timeline } from '../../replay/timeline/index.js';
import { ByteWriter } from '../../src/trace/byteBuffer.js';
import { decodeImportCalls, encodeImportCall } from '../../src/trace/inputLog.js';
import { FORMAT_VERSION, TraceReader } from '../../src/trace/index.js';
import { fixture, tempDir, wtrace } from '../helpers/run.js';
import { buildModule, I32, uleb } from '../helpers/wasmBuilder.js';

interface Run {
  /** Arguments of `wtrace record` after its options (module, `--`, program arguments). */
  readonly args: string[];
  readonly options?: string[];
  readonly input?: string;
  /** Gives the program a fresh copy of test/fixtures/data/fileio as /data. */
  readonly data?: boolean;
  /** Exit status of `wtrace record`. */
  readonly status?: number;
}

function record(run: Run, detail: string[]): string {
  const dir = tempDir();
  const trace = path.join(dir, 'run.wtrace');
  const dirs: string[] = [];
  if (run.data) {
    fs.cpSync('test/fixtures/data/fileio', path.join(dir, 'data'), { recursive: true });
    dirs.push('--dir', `${path.join(dir, 'data')}::/data`);
  }
  const r = wtrace(['record', ...detail, ...dirs, ...(run.options ?? []), '-o', trace, ...run.args], { input: run.input });
  expect(r.status, r.stderr).toBe(run.status ?? 0);
  return trace;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The whole detail event stream and the keyframes, as stored. */
function storedDetail(trace: string): { events: string; eventCount: number; keyframes: unknown[] } {
  const reader = TraceReader.open(trace);
  const hash = createHash('sha256');
  let eventCount = 0;
  for (const c of reader.detailChunks()) {
    hash.update(c.events);
    eventCount += c.eventCount;
  }
  const keyframes = reader.keyframes().map((k) => ({ time: k.time, size: k.memorySize, pages: k.pageHashes, globals: k.globals }));
  reader.close();
  return { events: hash.digest('hex'), eventCount, keyframes };
}

/** Times to compare at: 0, the end, around import calls (all, or a sample of 60), and `spread` more over the run. */
function sampleTimes(tl: Timeline, spread: bigint): bigint[] {
  const times = new Set<bigint>([0n, tl.end, tl.end - 1n]);
  const n = tl.importCallCount;
  for (let k = 0; k < n; k += Math.max(1, Math.floor(n / 60))) {
    const t = tl.importCallAt(k).time;
    times.add(t);
    if (t > 0n) times.add(t - 1n);
  }
  for (let i = 1n; i < spread; i++) {
    const t = (tl.end * i) / spread + (i % 7n); // off any round number
    times.add(t < tl.end ? t : tl.end);
  }
  return [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Compares two timelines of the same run through every query, at `spread` times over the run and
 * around import calls; returns how many times were compared.
 */
function expectSameTimeline(indexed: string, full: string, spread = 40n): number {
  const a = Timeline.open(indexed);
  const b = Timeline.open(full);
  try {
    expect(a.end).toBe(b.end);
    expect(a.keyframeCount).toBe(b.keyframeCount);
    expect(a.unusedKeyframes).toBe(0);
    expect(a.importCallCount).toBe(b.importCallCount);
    for (let k = 0; k < a.importCallCount; k++) expect(a.importCallAt(k)).toEqual(b.importCallAt(k));
    const times = sampleTimes(a, spread);
    const functions = new Set<number>();
    for (const t of times) {
      expect(sha(a.memoryAt(t)), `memory at ${t}`).toBe(sha(b.memoryAt(t)));
      const stack = a.callStackAt(t);
      expect(stack, `stack at ${t}`).toEqual(b.callStackAt(t));
      expect(a.globalsAt(t), `globals at ${t}`).toEqual(b.globalsAt(t));
      for (const f of stack.slice(0, 3)) functions.add(f.funcIndex);
    }
    for (const f of [...functions].slice(0, 6)) {
      const [ca, cb] = [a.callsOf(f), b.callsOf(f)];
      expect(ca.length).toBe(cb.length);
      // Millions of activations (recursion): every one's times and pc, and the last 100 in full.
      const digest = (calls: typeof ca) => sha(Buffer.from(calls.map((c) => `${c.frame.entryTime}:${c.exitTime}:${c.exitPc}`).join(',')));
      expect(digest(ca)).toBe(digest(cb));
      expect(ca.slice(-100)).toEqual(cb.slice(-100));
    }
    return times.length;
  } finally {
    a.close();
    b.close();
  }
}

/** What `wtrace info` would show besides detail: outcome, count, calls. */
function outline(trace: string) {
  const reader = TraceReader.open(trace);
  const s = reader.summary();
  const out = { complete: s.complete, detail: s.detail, outcome: s.outcome, instructions: s.instructionCount, bounds: s.detailBounds, argv: s.argv, env: s.env, invoke: s.invoke, calls: reader.importCallCounts() };
  reader.close();
  return out;
}

/** Runs that do the same on every run: a separate full recording is the same run. */
const deterministic: [string, Run, bigint?][] = [
  ['args_env', { options: ['--env', 'A=1'], args: [fixture('args_env'), '--', 'x', 'A', 'y z'] }],
  ['stdin_upper', { args: [fixture('stdin_upper')], input: 'time travel\n'.repeat(50) }],
  ['trap', { args: [fixture('trap'), '--', 'divide'], status: 134 }],
  ['trap (unreachable)', { args: [fixture('trap'), '--', 'unreachable'], status: 134 }],
  ['exit_code', { args: [fixture('exit_code'), '--', '5'], status: 5 }],
  // 4 M events: the timeline needs seconds per query here (docs/replay.md), so fewer times.
  ['recursion', { args: [fixture('recursion'), '--', '40'] }, 6n],
  ['reactor', { options: ['--invoke', 'greet', '--env', 'GREETING=hi'], args: [fixture('reactor')] }],
  ['close_stdout', { args: [fixture('close_stdout')] }],
];

describe.each(deterministic)('an indexed inputs trace of %s', (_name, run, spread) => {
  let indexed: string;
  let full: string;
  let original: ReturnType<typeof outline>;
  beforeAll(async () => {
    indexed = record(run, []);
    original = outline(indexed);
    const result = await buildDetailIndex(indexed);
    expect(result).toMatchObject({ status: 'indexed', replaced: 'inputs' });
    full = record(run, ['--detail', 'full']);
  });

  it('holds what the full recording holds: events byte for byte, keyframes, outcome, count, calls', () => {
    expect(storedDetail(indexed)).toEqual(storedDetail(full));
    const a = outline(indexed);
    expect(a).toEqual(outline(full));
    expect({ ...a, detail: 'inputs', instructions: null }).toEqual(original);
  });

  it('answers every Timeline query as the full recording does', () => {
    expect(expectSameTimeline(indexed, full, spread)).toBeGreaterThanOrEqual(Number(spread ?? 40n));
  }, 240_000);
});

/** Programs whose runs differ (clocks, random bytes, file times and inodes). */
const varying: [string, Run][] = [
  ['many_calls', { args: [fixture('many_calls')] }],
  ['clocks', { args: [fixture('clocks')] }],
  ['random', { args: [fixture('random')] }],
  ['fileio', { args: [fixture('fileio')], data: true }],
];

/**
 * What an inputs recording of the same run would hold: a copy of a full trace without detail
 * events, keyframes and instruction count, its input log re-encoded without times.
 */
function stripToInputs(full: string): string {
  const trace = path.join(tempDir(), 'stripped.wtrace');
  fs.copyFileSync(full, trace);
  const db = new Database(trace);
  const params = new Map(
    (db.prepare('SELECT function_index AS f, params AS p FROM imports').all() as { f: number; p: string }[]).map((r) => [r.f, r.p === '' ? [] : r.p.split(' ')]),
  );
  db.transaction(() => {
    db.exec('DELETE FROM detail_chunks; DELETE FROM keyframes; DELETE FROM memory_pages');
    db.exec(`UPDATE recording SET detail = 'inputs', instruction_count = NULL`);
    const rows = db.prepare('SELECT chunk_index, first_call, data FROM input_chunks').all() as { chunk_index: number; first_call: number; data: Buffer }[];
    const update = db.prepare('UPDATE input_chunks SET data = ?, raw_size = ?, first_time = NULL, last_time = NULL WHERE chunk_index = ?');
    for (const row of rows) {
      const w = new ByteWriter();
      for (const c of decodeImportCalls(zlib.zstdDecompressSync(row.data), row.first_call, (f) => params.get(f) as never)) {
        encodeImportCall(w, c.functionIndex, null, c.args, c.result, c.writes, c.output, params.get(c.functionIndex) as never);
      }
      const raw = w.finish();
      update.run(zlib.zstdCompressSync(raw), raw.length, row.chunk_index);
    }
  })();
  db.exec('VACUUM');
  db.close();
  return trace;
}

/**
 * Re-executes `trace`'s input log on the original, uninstrumented module and hands each import
 * call's index with memory right before the call and right after its logged writes (when
 * `wanted(index)`), and the final memory.
 */
function reexecuteLog(trace: string, wanted: (k: number) => boolean): { around: Map<number, [string, string]>; final: string } {
  const reader = TraceReader.open(trace);
  const imports = reader.imports();
  const calls = [...reader.importCalls()];
  const invoke = reader.summary().invoke;
  const module = new WebAssembly.Module(reader.moduleBytes() as Uint8Array<ArrayBuffer>);
  reader.close();
  let memory: WebAssembly.Memory;
  let next = 0;
  const around = new Map<number, [string, string]>();
  class Stop extends Error {}
  const object: Record<string, Record<string, Function>> = {};
  for (const imp of imports) {
    (object[imp.module] ??= {})[imp.name] = () => {
      const k = next++;
      const c = calls[k];
      expect(c.functionIndex).toBe(imp.functionIndex);
      const bytes = () => new Uint8Array(memory.buffer);
      const before = wanted(k) ? sha(bytes()) : '';
      for (const w of c.writes) bytes().set(w.bytes, w.address);
      if (wanted(k)) around.set(k, [before, sha(bytes())]);
      if (c.result === null) throw new Stop();
      return c.result | 0;
    };
  }
  const instance = new WebAssembly.Instance(module, object as WebAssembly.Imports);
  memory = instance.exports.memory as WebAssembly.Memory;
  const exports = instance.exports as Record<string, Function>;
  try {
    if (invoke === null) exports._start();
    else {
      exports._initialize?.();
      exports[invoke]();
    }
  } catch (e) {
    if (!(e instanceof Stop) && !(e instanceof WebAssembly.RuntimeError)) throw e;
  }
  expect(next).toBe(calls.length);
  return { around, final: sha(new Uint8Array(memory.buffer)) };
}

describe.each(varying)('an indexed trace of %s (differs from run to run)', (_name, run) => {
  it('equals the full recording of the same run, stripped to its input log and indexed', async () => {
    const full = record(run, ['--detail', 'full']);
    const stripped = stripToInputs(full);
    expect(() => Timeline.open(stripped)).toThrow(/--detail inputs/);
    await buildDetailIndex(stripped);
    expect(storedDetail(stripped)).toEqual(storedDetail(full));
    expect(outline(stripped)).toEqual(outline(full));
    expectSameTimeline(stripped, full);
  });

  it('of a real inputs recording agrees with an independent re-execution of its log, and verifies', async () => {
    const trace = record(run, []);
    const copy = path.join(tempDir(), 'original.wtrace');
    fs.copyFileSync(trace, copy);
    await buildDetailIndex(trace);
    const tl = Timeline.open(trace);
    const n = tl.importCallCount;
    const step = Math.max(1, Math.floor(n / 50));
    const wanted = (k: number) => k % step === 0 || k === n - 1;
    const reference = reexecuteLog(copy, wanted);
    expect(sha(tl.memoryAt(tl.end))).toBe(reference.final);
    for (const [k, [before, after]] of reference.around) {
      const t = tl.importCallAt(k).time;
      expect(sha(tl.memoryAt(t - 1n)), `before call ${k}`).toBe(before);
      expect(sha(tl.memoryAt(t)), `after call ${k}`).toBe(after);
    }
    tl.close();
    const verify = wtrace(['replay', '--verify', trace]);
    expect(verify.stdout, verify.stderr).toMatch(/^reproduced: /);
  });
});

describe('an indexed trace, other cases', () => {
  it('replaces windowed detail (--last) with the whole run, as a full recording has it', async () => {
    const run: Run = { args: [fixture('stdin_upper')], input: 'windowed\n'.repeat(40) };
    const windowed = record(run, ['--detail', 'full', '--last', '1000']);
    expect(() => Timeline.open(windowed)).toThrow(/--window or --last/);
    const result = await buildDetailIndex(windowed);
    expect(result).toMatchObject({ status: 'indexed', replaced: 'windowed' });
    const full = record(run, ['--detail', 'full']);
    expect(storedDetail(windowed)).toEqual(storedDetail(full));
    expect(outline(windowed).bounds).toEqual({ window: null, last: null });
    expectSameTimeline(windowed, full);
  });

  it('ends in the same trap when the program calls an import stubbed by --allow-unknown-imports', async () => {
    const dir = tempDir();
    const wasm = path.join(dir, 'calling.wasm');
    // _start calls env.host_add(1, 2), which the recorder stubs with a trapping function.
    fs.writeFileSync(wasm, buildModule({
      types: [[[I32, I32], [I32]], [[], []]],
      funcImports: [['env', 'host_add', 0]],
      memories: [[0x00, ...uleb(1)]],
      funcs: [{ type: 1, body: [0x41, 1, 0x41, 2, 0x10, 0, 0x1a] }],
      exports: [['memory', 2, 0], ['_start', 0, 1]],
    }));
    const run: Run = { options: ['--allow-unknown-imports'], args: [wasm], status: 134 };
    const indexed = record(run, []);
    await buildDetailIndex(indexed);
    const full = record(run, ['--detail', 'full']);
    expect(outline(indexed)).toEqual(outline(full));
    expect(outline(indexed).outcome).toMatchObject({ kind: 'trap', message: expect.stringMatching(/env\.host_add/) });
    expectSameTimeline(indexed, full);
  });

  it('keeps the recording\'s provenance and says how its detail was made', async () => {
    const trace = record({ args: [fixture('exit_code'), '--', '0'] }, []);
    const before = TraceReader.open(trace);
    const { startedAt, finishedAt, recordedWith } = before.summary();
    before.close();
    await buildDetailIndex(trace);
    const after = TraceReader.open(trace);
    expect(after.summary()).toMatchObject({ startedAt, finishedAt, recordedWith, detail: 'full', complete: true });
    after.close();
    const db = new Database(trace, { readonly: true });
    const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    db.close();
    expect(meta).toMatchObject({ format_version: String(FORMAT_VERSION), detail_source: 'index', created_by: expect.stringMatching(/^wtrace /) });
    expect(meta.indexed_by).toMatch(/^wtrace .*, node v\d+/);
    expect(Date.parse(meta.indexed_at)).toBeGreaterThan(Date.parse(startedAt));
  });

  it('reports progress in instructions, with import calls, ending at the run\'s total', async () => {
    // Many import calls (stdin_upper reads and writes line by line), and no throttle: a report at
    // every 256th call and every chunk, whatever the machine's speed.
    const input = Array.from({ length: 400 }, (_, i) => `progress line ${i}\n`).join('');
    const trace = record({ args: [fixture('stdin_upper')], input }, []);
    const seen: [bigint, bigint | null, number, number][] = [];
    const onProgress = (done: bigint, total: bigint | null, calls: { done: number; total: number }) => seen.push([done, total, calls.done, calls.total]);
    const result = await buildDetailIndex(trace, { onProgress, progressEveryMs: 0 });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toEqual([result.instructions, null, result.importCalls, result.importCalls]); // an inputs trace does not know its length
    expect(result.importCalls).toBeGreaterThan(512);
    for (let i = 1; i < seen.length; i++) expect(seen[i][0] >= seen[i - 1][0]).toBe(true);
  });
});
