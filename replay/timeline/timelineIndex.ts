/**
 * Builds the timeline's index in one forward pass over a `--detail full` trace: every chunk is
 * decoded once (streamed, one at a time), applied to a copy of the time-0 keyframe, and
 * summarised (ChunkSummary); every import call's host writes are applied at the call's time and
 * the bytes they overwrite are kept, so memory can also be rebuilt backward across calls. The
 * pass checks itself against the keyframes: the final one must match exactly, intermediate ones
 * are placed at the chunk boundary where they match (their stored times can lag).
 */
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import type { KeyframeInfo, TraceReader } from '../../src/trace/index.js';
import { decodeDetailEvents } from '../../instrument/index.js';
import { stepStack } from './callStack.js';
import { ChunkStore, SUMMARY_PAGE_BITS, writtenRange, type ChunkSummary } from './chunkStore.js';
import { readDataSegments } from './dataSegments.js';
import { DetailNeededError, TimelineCoverageError } from './errors.js';
import { readGlobals, type GlobalDecl } from './globalTypes.js';
import { MemoryImage } from './memoryState.js';
import type { EventValue, Frame, ImportCallRecord } from './types.js';

/** A keyframe and the time whose state it holds (effects of every instruction up to it). */
export interface KeyframePoint {
  readonly info: KeyframeInfo;
  readonly time: bigint;
}

export interface TimelineIndex {
  readonly end: bigint;
  readonly names: ReadonlyMap<number, string>;
  readonly globals: readonly GlobalDecl[];
  readonly segments: readonly Uint8Array[];
  readonly calls: readonly ImportCallRecord[];
  /** 256-byte granule to the indices of the calls whose host writes touch it, in order. */
  readonly callsByPage: ReadonlyMap<number, readonly number[]>;
  readonly chunks: ChunkStore;
  readonly keyframes: readonly KeyframePoint[];
  /** Stack after the last event (frames still open: a trap or proc_exit). */
  readonly finalStack: Frame | null;
  /** Per global: the old value of its first `global.set` (its value until then). */
  readonly firstSet: ReadonlyMap<number, { readonly time: bigint; readonly oldBytes: Uint8Array }>;
  /** Intermediate keyframes that matched no chunk boundary and are not used. */
  readonly unusedKeyframes: number;
  /** `snapshot` events (locals at a loop body's start) by the enter time of their activation, in time order. */
  readonly snapshots: ReadonlyMap<bigint, readonly SnapshotPoint[]>;
}

/** Locals of one activation at one time, as a `snapshot` event logged them (docs/instrumentation.md). */
export interface SnapshotPoint {
  readonly time: bigint;
  readonly pc: number;
  readonly func: number;
  readonly locals: readonly EventValue[];
}

/** Builds the index; throws `DetailNeededError` or `TimelineCoverageError` for traces it cannot serve. */
export function buildIndex(reader: TraceReader, file: string): TimelineIndex {
  const summary = reader.summary();
  if (summary.detail !== 'full') throw new DetailNeededError(file);
  if (!summary.complete) throw new TimelineCoverageError(file, 'is incomplete (the recorder stopped before the end): it has no final keyframe');
  if (summary.detailBounds.window !== null || summary.detailBounds.last !== null) {
    throw new TimelineCoverageError(file, 'was recorded with --window or --last: some detail events were left out, and the timeline needs the whole run');
  }
  const kfs = reader.keyframes();
  if (kfs.length < 2 || kfs[0].time !== 0n) {
    throw new TimelineCoverageError(file, 'its detail events do not start at time 0 (recorded with --window or --last); the timeline needs the whole run');
  }
  const bytes = reader.moduleBytes();
  const names = readModuleInfo(bytes).functionNames;
  const importNames = new Map(reader.imports().map((i) => [i.functionIndex, `${i.module}.${i.name}`]));
  const calls = [...reader.importCalls()].map((c): ImportCallRecord => {
    if (c.time === null) throw new TimelineCoverageError(file, `import call ${c.index} has no time`);
    const writes = c.writes.map((w) => ({ address: w.address, bytes: w.bytes, oldBytes: new Uint8Array(0) }));
    return { index: c.index, time: c.time, functionIndex: c.functionIndex, name: importNames.get(c.functionIndex) ?? '?', args: c.args, result: c.result, output: c.output, writes };
  });
  const callsByPage = new Map<number, number[]>();
  const memory = new MemoryImage(reader.keyframeMemory(kfs[0]));
  memory.segments = readDataSegments(bytes);
  let nextCall = 0;
  const applyCallsBefore = (t: bigint) => {
    for (; nextCall < calls.length && calls[nextCall].time < t; nextCall++) {
      const call = calls[nextCall];
      for (const w of call.writes as { address: number; bytes: Uint8Array; oldBytes: Uint8Array }[]) {
        w.oldBytes = memory.bytes.slice(w.address, w.address + w.bytes.length);
        memory.bytes.set(w.bytes, w.address);
        forPages(w.address, w.bytes.length, (p) => push(callsByPage, p, call.index));
      }
    }
  };

  const middle = kfs.slice(1, -1);
  const points: KeyframePoint[] = [{ info: kfs[0], time: 0n }];
  const summaries: ChunkSummary[] = [];
  let stack: Frame | null = null;
  const globals = new Map<number, Uint8Array>();
  const firstSet = new Map<number, { time: bigint; oldBytes: Uint8Array }>();
  const snapshots = new Map<bigint, SnapshotPoint[]>();
  let prevEnd = 0n;
  let skip = 0;
  let lastEventTime = 0n;
  let unmatched = 0;
  /**
   * Keyframes are taken at import calls, as the state after instruction k (the call's time - 1):
   * before applying anything later than k, memory must equal the keyframe; it then becomes a
   * starting point. One that does not match is left unused (and counted), never trusted.
   */
  const matchKeyframesBefore = (t: bigint) => {
    while (middle.length > 0 && middle[0].time < t) {
      const k = middle.shift()!;
      applyCallsBefore(k.time + 1n);
      if (sameBytes(memory.bytes, reader.keyframeMemory(k))) points.push({ info: k, time: k.time });
      else unmatched++;
    }
  };
  for (const chunk of reader.detailChunks()) {
    const events = decodeDetailEvents(chunk.events);
    if (events.length === 0) continue;
    if (chunk.firstTime < prevEnd) throw new TimelineCoverageError(file, `detail chunk ${summaries.length} overlaps the previous one`);
    applyCallsBefore(events[0].time);
    skip = summaries.length > 0 && chunk.endTime === prevEnd ? skip + 1 : 0;
    const pages = new Set<number>();
    const funcs = new Set<number>();
    let grows = false;
    const stackAtStart = stack;
    const globalsAtStart = new Map(globals);
    for (const e of events) {
      matchKeyframesBefore(e.time);
      applyCallsBefore(e.time);
      memory.apply(e);
      const range = writtenRange(e);
      if (range !== null) forPages(range.address, range.size, (p) => pages.add(p));
      grows ||= e.kind === 'grow';
      if (e.kind === 'enter' || e.kind === 'exit' || e.kind === 'catch') {
        funcs.add(e.func);
        stack = stepStack(stack, e, names);
      } else if (e.kind === 'globalSet') {
        if (!firstSet.has(e.global)) firstSet.set(e.global, { time: e.time, oldBytes: e.oldBytes });
        globals.set(e.global, e.newBytes);
      } else if (e.kind === 'snapshot') {
        const point: SnapshotPoint = { time: e.time, pc: e.pc, func: e.func, locals: e.locals };
        const list = snapshots.get(e.frameTime);
        if (list === undefined) snapshots.set(e.frameTime, [point]);
        else list.push(point);
      }
    }
    lastEventTime = events.at(-1)!.time;
    summaries.push({
      index: summaries.length, storedEnd: chunk.endTime, skip, firstTime: events[0].time, lastTime: lastEventTime,
      eventCount: events.length, pages: Uint32Array.from([...pages].sort((a, b) => a - b)), touchesMemory: pages.size > 0 || grows, funcs, stackAtStart, globalsAtStart,
    });
    prevEnd = chunk.endTime;
  }
  matchKeyframesBefore(2n ** 64n);
  applyCallsBefore(2n ** 64n);
  const last = kfs.at(-1)!;
  if (!sameBytes(memory.bytes, reader.keyframeMemory(last))) {
    throw new TimelineCoverageError(file, 'its detail events and host writes do not rebuild the final memory (recorded with --window or --last, or damaged)');
  }
  const times = [summary.instructionCount ?? 0n, lastEventTime, calls.at(-1)?.time ?? 0n];
  const end = times.reduce((a, b) => (a > b ? a : b));
  points.push({ info: last, time: end });
  return {
    end, names, globals: readGlobals(bytes), segments: memory.segments, calls, callsByPage,
    chunks: new ChunkStore(reader, summaries), keyframes: points, finalStack: stack, firstSet,
    unusedKeyframes: unmatched, snapshots,
  };
}

function forPages(address: number, size: number, fn: (page: number) => void): void {
  if (size === 0) return;
  for (let p = address >>> SUMMARY_PAGE_BITS; p <= (address + size - 1) >>> SUMMARY_PAGE_BITS; p++) fn(p);
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list.at(-1) !== value) list.push(value);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}
