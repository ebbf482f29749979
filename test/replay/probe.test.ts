/**
 * Probe runs over real recordings of the C fixtures, checked against what a `--detail full`
 * recording of the same run logged, which is computed by other code (the `full` rewriter and
 * the timeline): a function's first instruction is hit exactly at the entry times of its
 * activations (`Timeline.callsOf`), and a store, memory.fill/copy/grow or global.set is hit
 * exactly one instruction before each of its events (an event's time counts its instruction).
 * Also: the worker and the same-thread variant agree, a trace recorded with `--detail inputs`
 * gives the same hits, deep recursion, a trapping run, a tampered log diverges with verify's
 * report, and the typed errors survive the worker.
 */
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CallShapes, decodeDetailEvents, decodePositions, type DetailEvent } from '../../instrument/index.js';
import { Timeline } from '../../replay/timeline/index.js';
import { probeHits, probeHitsHere, ProbeDivergenceError, ProbeHitLimitError, ProbePcError } from '../../replay/probe/index.js';
import { ByteWriter } from '../../src/trace/byteBuffer.js';
import { decodeImportCalls, encodeImportCall } from '../../src/trace/inputLog.js';
import { TraceReader } from '../../src/trace/index.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

function record(name: string, args: string[], detail: 'inputs' | 'full', input?: string): string {
  const trace = path.join(tempDir(), `${name}.${detail}.wtrace`);
  const r = wtrace(['record', '--detail', detail, '-o', trace, fixture(name), '--', ...args], { input });
  // wtrace passes the program's exit code through: trap exits 134, exit_code its argument.
  const status = name === 'trap' ? 134 : name === 'exit_code' ? Number(args[0]) : 0;
  expect(r.status, r.stderr).toBe(status);
  return trace;
}

function readTrace(file: string): { bytes: Uint8Array; events: DetailEvent[] } {
  const reader = TraceReader.open(file);
  try {
    const bytes = reader.verifiedModuleBytes().slice();
    const shapes = CallShapes.of(bytes);
    const events = [...reader.detailChunks()].flatMap((c) => decodeDetailEvents(c.events, shapes));
    return { bytes, events };
  } finally {
    reader.close();
  }
}

const MEMORY_KINDS = new Set(['store', 'fill', 'copy', 'grow', 'globalSet']);

const FIXTURES: [string, string[], string?][] = [
  ['many_calls', []],
  ['stdin_upper', [], 'time travel\n'.repeat(40)],
  ['trap', ['divide']],
  ['clocks', []],
  ['random', []],
  ['exit_code', ['7']],
];

describe.each(FIXTURES)('probe runs over %s', (name, args, input) => {
  let trace: string;
  beforeAll(() => {
    trace = record(name, args, 'full', input);
  });

  it('hits each function entry at its activations\' entry times, and each memory-writing instruction one before its events', async () => {
    const { bytes, events } = readTrace(trace);
    const functions = decodePositions(bytes).functions;
    const entries = functions.map((f) => f.instructions[0].offset);
    const before = new Map<number, bigint[]>();
    for (const e of events) if (MEMORY_KINDS.has(e.kind)) (before.get(e.pc) ?? before.set(e.pc, []).get(e.pc)!).push(e.time - 1n);
    const hits = await probeHits(trace, [...entries, ...before.keys()]);

    const tl = Timeline.open(trace);
    try {
      let activations = 0;
      functions.forEach((f, i) => {
        const entryTimes = tl.callsOf(f.funcIndex).map((c) => c.frame.entryTime);
        expect(hits.get(entries[i]), `function ${f.funcIndex}`).toEqual(entryTimes);
        activations += entryTimes.length;
      });
      expect(activations).toBe(events.filter((e) => e.kind === 'enter').length);
    } finally {
      tl.close();
    }
    expect(before.size).toBeGreaterThan(10);
    for (const [pc, times] of before) expect(hits.get(pc), `pc 0x${pc.toString(16)}`).toEqual(times);
  });
});

describe('probe runs', () => {
  const traces: Record<string, string> = {};
  /** descend's first instruction and the entry times of its activations in the full recording. */
  let descend: { pc: number; times: bigint[] };
  beforeAll(() => {
    traces.recursionFull = record('recursion', ['40'], 'full');
    traces.recursionInputs = record('recursion', ['40'], 'inputs');
    traces.deep = record('recursion', ['300000'], 'inputs');
    traces.trap = record('trap', [], 'inputs');
    const { bytes } = readTrace(traces.recursionInputs);
    const index = [...readModuleInfo(bytes).functionNames].find(([, n]) => n === 'descend')![0];
    const tl = Timeline.open(traces.recursionFull);
    try {
      const times = tl.callsOf(index).map((c) => c.frame.entryTime);
      expect(times).toHaveLength(20_000 * 101 + 41); // 20,000 warm-ups of depth 100, then depth 40
      descend = { pc: decodePositions(bytes).functions.find((f) => f.funcIndex === index)!.instructions[0].offset, times };
    } finally {
      tl.close();
    }
  });

  it('gives the same hits on the worker, on this thread, and from a --detail inputs recording of the same run', async () => {
    const { pc, times } = descend;
    expectSameTimes((await probeHits(traces.recursionFull, [pc])).get(pc)!, times);
    expectSameTimes(probeHitsHere(traces.recursionFull, [pc]).get(pc)!, times);
    expectSameTimes((await probeHits(traces.recursionInputs, [pc])).get(pc)!, times);
  });

  it('re-executes deep recursion on the worker\'s large stack', async () => {
    const { pc } = descend;
    const hits = (await probeHits(traces.deep, [pc])).get(pc)!;
    expect(hits).toHaveLength(20_000 * 101 + 300_001);
    expect(hits.every((t, i) => i === 0 || t > hits[i - 1])).toBe(true);
  });

  it('hits the trapping instruction last in a run that trapped', async () => {
    const reader = TraceReader.open(traces.trap);
    const outcome = reader.summary().outcome;
    const bytes = reader.verifiedModuleBytes().slice();
    reader.close();
    expect(outcome?.kind).toBe('trap');
    const trapPc = (outcome as { pc: number }).pc;
    const entries = decodePositions(bytes).functions.map((f) => f.instructions[0].offset);
    const hits = await probeHits(traces.trap, [trapPc, ...entries]);
    const last = hits.get(trapPc)!;
    expect(last).toHaveLength(1);
    const all = [...hits.values()].flat();
    expect(all.every((t) => t <= last[0])).toBe(true);
  });

  it('refuses a pc that is not an instruction start with ProbePcError, across the worker', async () => {
    const { pc } = descend;
    const error = await probeHits(traces.recursionInputs, [pc, pc + 1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbePcError);
    expect((error as ProbePcError).problems.map((p) => [p.pc, p.before?.offset])).toEqual([[pc + 1, pc]]);
    expect((error as ProbePcError).message).toMatch(/recursion\.inputs\.wtrace: pc 0x[0-9a-f]+ is not an instruction start \(nearest: /);
  });

  it('stops past maxHits with ProbeHitLimitError', async () => {
    const { pc } = descend;
    await expect(probeHits(traces.recursionInputs, [pc], { maxHits: 1000 })).rejects.toBeInstanceOf(ProbeHitLimitError);
    expect(() => probeHitsHere(traces.recursionInputs, [pc], { maxHits: 1000 })).toThrow(ProbeHitLimitError);
  });

  it('reports a log that does not match the program as verify does (ProbeDivergenceError)', async () => {
    const trace = record('exit_code', ['3'], 'full');
    tamperExitCode(trace);
    const error = await probeHits(trace, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeDivergenceError);
    const d = (error as ProbeDivergenceError).divergence;
    expect(d.expected).toMatch(/^proc_exit\(3\) at time \d+$/);
    expect(d.actual).toMatch(/^proc_exit\(4\) at time \d+$/);
    expect(d.callIndex).toBeGreaterThan(0);
    expect(d.pc).not.toBeNull();
    expect((error as ProbeDivergenceError).exitCode).toBe(6);
    expect((error as ProbeDivergenceError).message).toMatch(/diverged at import call \d+ \(time \d+\) in \S+ \(#\d+\) at pc 0x[0-9a-f]+: recorded proc_exit\(3\)/);
    expect(() => probeHitsHere(trace, [])).toThrow(ProbeDivergenceError);
  });
});

/** `toEqual` for long lists of times, without diffing millions of elements: the first difference. */
function expectSameTimes(actual: readonly bigint[], expected: readonly bigint[]): void {
  expect(actual.length).toBe(expected.length);
  const i = actual.findIndex((t, k) => t !== expected[k]);
  expect(i === -1 ? null : { index: i, actual: actual[i], expected: expected[i] }).toBeNull();
}

/** Makes the log claim the argument was "4" (as verify.test.ts does): the program then exits with 4, not 3. */
function tamperExitCode(trace: string): void {
  const reader = TraceReader.open(trace);
  const imports = reader.imports();
  reader.close();
  const params = new Map(imports.map((i) => [i.functionIndex, i.params]));
  const argsGet = imports.find((i) => i.name === 'args_get')!.functionIndex;
  const db = new Database(trace);
  const row = db.prepare('SELECT chunk_index, first_call, data FROM input_chunks ORDER BY chunk_index LIMIT 1').get() as { chunk_index: number; first_call: number; data: Buffer };
  const calls = decodeImportCalls(zlib.zstdDecompressSync(row.data), row.first_call, (f) => params.get(f));
  const w = new ByteWriter();
  for (const c of calls) {
    const writes = c.functionIndex !== argsGet ? c.writes : c.writes.map((wr) => ({ address: wr.address, bytes: Buffer.from(Buffer.from(wr.bytes).toString('latin1').replace('\u00003\u0000', '\u00004\u0000'), 'latin1') }));
    encodeImportCall(w, c.functionIndex, c.time, c.args, c.result, writes, c.output, params.get(c.functionIndex)!);
  }
  const raw = w.finish();
  db.prepare('UPDATE input_chunks SET data = ?, raw_size = ? WHERE chunk_index = ?').run(zlib.zstdCompressSync(raw), raw.length, row.chunk_index);
  db.close();
}
