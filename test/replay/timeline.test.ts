/**
 * The timeline over real `--detail full` recordings of the C fixtures: memory at any time
 * equals a fresh forward replay from time 0 (whichever keyframe or cached state it started
 * from, forward or backward), call stacks agree with the C sources, and the write queries agree
 * with a brute-force scan.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import Database from 'better-sqlite3';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DetailNeededError, Timeline, TimelineCoverageError, TimeOutOfRangeError } from '../../replay/timeline/index.js';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';
import { forwardMemory, readHistory, scanLast, scanNext, writtenAddresses, type History } from './timelineReference.js';

function record(name: string, args: string[], extra: string[] = [], input?: string): string {
  const trace = path.join(tempDir(), `${name}.wtrace`);
  const r = wtrace(['record', ...extra, '-o', trace, fixture(name), '--', ...args], { input });
  expect(r.status === 0 || (name === 'trap' && r.status === 134), r.stderr).toBe(true);
  return trace;
}

/** many_calls recorded in a child process with a keyframe every 64 KB of events (the CLI has no flag for it). */
function recordWithKeyframes(): string {
  const trace = path.join(tempDir(), 'keyframes.wtrace');
  const script = `const { recordHere } = await import(${JSON.stringify(path.join(root, 'dist/src/record/recordSession.js'))});
    await recordHere({ wasmPath: ${JSON.stringify(fixture('many_calls'))}, args: [], env: [], dirs: [], output: ${JSON.stringify(trace)},
      detail: 'full', bounds: { keyframeEveryBytes: 65536 } });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return trace;
}

const traces: Record<string, string> = {};
beforeAll(() => {
  traces.many_calls = record('many_calls', [], ['--detail', 'full']);
  traces.stdin_upper = record('stdin_upper', [], ['--detail', 'full'], 'time travel\n'.repeat(50));
  traces.trap = record('trap', ['divide'], ['--detail', 'full']);
  traces.recursion = record('recursion', ['40'], ['--detail', 'full']);
  traces.keyframes = recordWithKeyframes();
});

const timeIn = (end: bigint) => fc.bigInt({ min: 0n, max: end });

describe.each(['many_calls', 'stdin_upper', 'trap', 'keyframes'])('Timeline memory over %s', (name) => {
  let tl: Timeline;
  let h: History;
  beforeAll(() => {
    tl = Timeline.open(traces[name]);
    h = readHistory(traces[name]);
  });

  it('has memory at the end equal to the final keyframe, and at 0 equal to the first', () => {
    expect(tl.unusedKeyframes).toBe(0);
    if (name === 'keyframes') expect(tl.keyframeCount).toBeGreaterThan(5);
    expect(Buffer.from(tl.memoryAt(tl.end)).equals(Buffer.from(h.final))).toBe(true);
    expect(Buffer.from(tl.memoryAt(0n)).equals(Buffer.from(h.initial))).toBe(true);
  });

  it('rebuilds memory at any time as a fresh forward replay from time 0 does', () => {
    fc.assert(
      fc.property(fc.array(timeIn(tl.end), { minLength: 1, maxLength: 6 }), (times) => {
        const expected = forwardMemory(h, times);
        for (const t of times) expect(Buffer.from(tl.memoryAt(t)).equals(Buffer.from(expected.get(t)!))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('gives the same memory going forward then back as directly', () => {
    const fresh = Timeline.open(traces[name]);
    fc.assert(
      fc.property(timeIn(tl.end), timeIn(tl.end), (a, b) => {
        const [t1, t2] = a < b ? [a, b] : [b, a];
        tl.memoryAt(t2);
        const back = tl.memoryAt(t1);
        expect(Buffer.from(back).equals(Buffer.from(fresh.memoryAt(t1)))).toBe(true);
        expect(Buffer.from(tl.memoryAt(t1 + (t2 > t1 ? 1n : 0n))).equals(Buffer.from(fresh.memoryAt(t1 + (t2 > t1 ? 1n : 0n))))).toBe(true);
      }),
      { numRuns: 25 },
    );
    fresh.close();
  });

  it('finds the last and next write of a byte as a brute-force scan does', () => {
    const addresses = writtenAddresses(h);
    fc.assert(
      fc.property(fc.constantFrom(...addresses), timeIn(tl.end), (address, t) => {
        for (const [got, want] of [[tl.lastWriteBefore(address, t), scanLast(h, address, t)], [tl.nextWriteAfter(address, t), scanNext(h, address, t)]] as const) {
          expect(got === null).toBe(want === null);
          if (got === null || want === null) continue;
          expect(got.time).toBe(want.time);
          expect(got.kind === 'host').toBe(want.call !== undefined);
          if (want.event) expect(got.pc).toBe(want.event.pc);
          else expect(got.importCall).toBe(want.call.index);
          expect(got.newValue).toBe(forwardMemory(h, [got.time]).get(got.time)![address]);
          expect(got.oldValue).toBe(tl.memoryAt(got.time - 1n)[address]);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('with a checkpoint every 7 events, agrees at any time on memory (also in a reused cursor), stacks and globals', () => {
    const dense = Timeline.open(traces[name], { checkpointEvents: 7 });
    expect(dense.checkpointCount).toBeGreaterThan(Math.min(20, h.events.length / 8));
    fc.assert(
      fc.property(timeIn(tl.end), timeIn(tl.end), (t1, t2) => {
        const expected = forwardMemory(h, [t1, t2]);
        expect(Buffer.from(dense.memoryAt(t1)).equals(Buffer.from(expected.get(t1)!))).toBe(true);
        // A cursor rebuilt into another's memory copies only the pages that differ.
        const first = dense.cursorAt(t1);
        const second = dense.cursorAt(t2, first);
        expect(Buffer.from(second.memory.bytes).equals(Buffer.from(expected.get(t2)!))).toBe(true);
        expect(dense.callStackAt(t2)).toEqual(tl.callStackAt(t2));
        expect(dense.globalsAt(t2)).toEqual(tl.globalsAt(t2));
      }),
      { numRuns: 25 },
    );
    dense.close();
  });

  it('reports the pass\'s progress per chunk, ending at every event of the trace', () => {
    const seen: [number, number][] = [];
    Timeline.open(traces[name], { onProgress: (done, total) => seen.push([done, total]) }).close();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(([done, total], k) => total === h.events.length && done <= total && (k === 0 || done > seen[k - 1][0]))).toBe(true);
    expect(seen.at(-1)![0]).toBe(h.events.length);
  });

  it('numbers import calls with their logged times', () => {
    h.calls.forEach((c, n) => expect(tl.importCallAt(n).time).toBe(c.time));
    expect(() => tl.importCallAt(h.calls.length)).toThrow(TimeOutOfRangeError);
  });
});

describe('Timeline call stacks', () => {
  it('holds depth+1 frames of descend at the bottom of the recursion in recursion.c', () => {
    const tl = Timeline.open(traces.recursion);
    expect(tl.callStackAt(tl.end)).toEqual([]); // returned from _start: nothing open
    const calls = tl.callsOf(tl.callStackAt(firstDescendTime(tl)).find((f) => f.name === 'descend')!.funcIndex);
    expect(calls).toHaveLength(20000 * 101 + 41);
    const deepest = calls.at(-1)!; // descend(0) of the final descend(40)
    const stack = tl.callStackAt(deepest.frame.entryTime);
    expect(stack.slice(0, 41).every((f) => f.name === 'descend')).toBe(true);
    expect(stack[41].name).toBe('main');
    expect(stack[0].depth).toBe(stack.length);
    // Between entry and exit the frame is on top or below callees; after its exit it is gone.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: calls.length - 1 }), (i) => {
        const c = calls[i];
        expect(tl.callStackAt(c.frame.entryTime)[0].entryTime).toBe(c.frame.entryTime);
        const after = tl.callStackAt(c.exitTime!);
        expect(after[0].entryTime).toBe(c.frame.caller!.entryTime);
        expect(after.length).toBe(c.frame.depth - 1);
      }),
      { numRuns: 50 },
    );
    tl.close();
  });

  it('has divide on top, called from main, when trap.c traps', () => {
    const tl = Timeline.open(traces.trap);
    const stack = tl.callStackAt(tl.end);
    expect(stack.map((f) => f.name).slice(0, 2)).toEqual(['divide', 'main']);
    expect(stack.at(-1)!.caller).toBeNull();
    // divide(sum, zero): the arguments, when the trace's enter events carry them.
    if (stack[0].args !== null) expect(stack[0].args).toEqual([{ type: 'i32', value: 4950 }, { type: 'i32', value: 0 }]);
    const [divide] = tl.callsOf(stack[0].funcIndex);
    expect(divide.exitTime).toBeNull();
    expect(divide.frame.entryTime).toBe(stack[0].entryTime);
    tl.close();
  });
});

describe('Timeline globals', () => {
  it('knows __stack_pointer at every time: initializer, then the latest global.set', () => {
    const tl = Timeline.open(traces.many_calls);
    const h = readHistory(traces.many_calls);
    const sets = h.events.filter((e) => e.kind === 'globalSet' && e.global === 0);
    expect(sets.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(timeIn(tl.end), (t) => {
        const g = tl.globalsAt(t)[0];
        const last = sets.findLast((e) => e.time <= t);
        const want = last && last.kind === 'globalSet' ? last.newBytes : sets[0].kind === 'globalSet' ? sets[0].oldBytes : null;
        expect(g.type).toBe('i32');
        expect(g.known).toBe(last ? 'set' : 'initial');
        expect(g.bytes).toEqual(want);
      }),
      { numRuns: 50 },
    );
    tl.close();
  });
});

describe('Timeline refuses what it cannot answer', () => {
  it('an inputs-only trace, naming the option that records detail', () => {
    const trace = record('exit_code', ['0']);
    expect(() => Timeline.open(trace)).toThrow(DetailNeededError);
    expect(() => Timeline.open(trace)).toThrow(/build them with `wtrace index .*` \(or record with `--detail full`\)/);
  });

  it('a flight-recorder trace (no history from time 0)', () => {
    const trace = record('many_calls', [], ['--detail', 'full', '--last', '1000']);
    expect(() => Timeline.open(trace)).toThrow(TimelineCoverageError);
  });

  it('a detail chunk that decompresses but holds damaged events, naming the chunk (and the CLI exits 4)', () => {
    const trace = path.join(tempDir(), 'damaged.wtrace');
    fs.copyFileSync(traces.many_calls, trace);
    const db = new Database(trace);
    const row = db.prepare('SELECT chunk_index, data FROM detail_chunks ORDER BY chunk_index LIMIT 1').get() as { chunk_index: number; data: Buffer };
    const events = zlib.zstdDecompressSync(row.data);
    events[9] = 200; // the first event after the chunk's leading time sync: an unknown kind
    db.prepare('UPDATE detail_chunks SET data = ? WHERE chunk_index = ?').run(zlib.zstdCompressSync(events), row.chunk_index);
    db.close();
    expect(() => Timeline.open(trace)).toThrow(TimelineCoverageError);
    expect(() => Timeline.open(trace)).toThrow(new RegExp(`detail chunk ${row.chunk_index} is damaged: unknown event kind 200`));
    const r = wtrace(['replay', '--gdb', '127.0.0.1:0', trace]);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/is damaged: unknown event kind 200/);
  });

  it('a time outside the recording', () => {
    const tl = Timeline.open(traces.stdin_upper);
    expect(() => tl.memoryAt(tl.end + 1n)).toThrow(TimeOutOfRangeError);
    expect(() => tl.callStackAt(-1n)).toThrow(TimeOutOfRangeError);
    tl.close();
  });
});

function firstDescendTime(tl: Timeline): bigint {
  // The warm-up loop calls descend early: sample times until it is on top.
  for (let t = 0n; t < tl.end; t += 97n) {
    const top = tl.callStackAt(t)[0];
    if (top?.name === 'descend') return t;
  }
  throw new Error('descend never ran');
}
