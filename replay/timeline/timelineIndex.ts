/**
 * Builds the timeline's index in one forward pass over a `--detail full` trace: every chunk is
 * scanned once (streamed, one at a time; events are read in place, only calls, global sets and
 * snapshots become objects), applied to a copy of the time-0 keyframe, and summarised
 * (ChunkSummary). Every import call's host writes are applied at the call's time and the bytes
 * they overwrite are kept. Along the way it leaves state checkpoints (memory as copy-on-write
 * page tables, call stack, globals, and where the event stream stands) every few thousand
 * events, so any state is at most that many events from one, and the end of every long
 * activation, so skipping a long callee needs no search. The pass checks itself against the
 * keyframes: the final one must match exactly, intermediate ones must match where they are placed.
 */
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import type { KeyframeInfo, TraceReader } from '../../src/trace/index.js';
import { CallShapes, DetailEventDecodeError, DetailScanner, EventKind, type ScanPosition } from '../../instrument/index.js';
import { popExit, stepStack, valuesOf } from './callStack.js';
import { ChunkStore, RAW_CACHE_BYTES, SUMMARY_PAGE_BITS, type ChunkSummary } from './chunkStore.js';
import { readDataSegments } from './dataSegments.js';
import { DetailNeededError, TimelineCoverageError } from './errors.js';
import { readGlobals, type GlobalDecl } from './globalTypes.js';
import { MemoryImage } from './memoryState.js';
import { PageTracker, type PageTable } from './pagedMemory.js';
import { callsByGranule, readCalls } from './importCalls.js';
import type { LazyPages } from './storedIndex.js';
import type { ActivationEnd, EventValue, Frame, ImportCallRecord } from './types.js';

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
  /** The calls' times as numbers (exact below 2^53), for the scanning loops' comparisons. */
  readonly callTimes: Float64Array;
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
  /**
   * `snapshot` events (locals at a loop body's start) by the enter time of their activation, in
   * time order: where each is in the stream (its locals are decoded when asked for, so that
   * thousands of snapshots do not weigh on the garbage collector).
   */
  readonly snapshots: ReadonlyMap<bigint, readonly SnapshotRef[]>;
  /** State checkpoints in time order; the first is the state at time 0. */
  readonly checkpoints: readonly StateCheckpoint[];
  /** Activations that ran at least LONG_ACTIVATION instructions and returned, by enter time. */
  readonly longActivations: ReadonlyMap<bigint, { readonly func: number; readonly end: ActivationEnd }>;
  /** For an index read from the trace: where the checkpoints' pages come from (read on demand). */
  readonly pages?: LazyPages;
}

/** Events between two state checkpoints, at least (more when memory is large: see `checkpointGap`). */
export const CHECKPOINT_EVENTS = 16384;
/** Activations at least this long (in instructions) have their end recorded in the index. */
export const LONG_ACTIVATION = 1 << 16;

/**
 * The full state after `time` instructions, and where the event stream stands then: replaying
 * from `position` in chunk `chunk` (and from import call `call`) reaches any later time.
 */
export interface StateCheckpoint {
  readonly time: bigint;
  readonly chunk: number;
  readonly position: ScanPosition;
  /** Index of the first import call whose host writes are not in `memory`. */
  readonly call: number;
  readonly memory: PageTable;
  readonly stack: Frame | null;
  readonly globals: ReadonlyMap<number, Uint8Array>;
}

/** Where a `snapshot` event is: its time, and its chunk and position there. */
export interface SnapshotRef {
  readonly time: bigint;
  readonly chunk: number;
  readonly position: ScanPosition;
}

/** Locals of one activation at one time, as a `snapshot` event logged them (docs/instrumentation.md). */
export interface SnapshotPoint {
  readonly time: bigint;
  readonly pc: number;
  readonly func: number;
  readonly locals: readonly EventValue[];
}

/** Copied checkpoint pages beyond this make checkpoints sparser (4x), bounding the index's memory. */
const CHECKPOINT_BUDGET_BYTES = 512 * 2 ** 20;

/** Events between checkpoints: more when a table (one entry per 4 KiB page) or the copies grow large. */
function checkpointGap(memoryBytes: number, copiedBytes: number, events: number): number {
  const gap = Math.max(events, memoryBytes >>> 12);
  return copiedBytes > CHECKPOINT_BUDGET_BYTES ? gap * 4 : gap;
}

/** How the index is built (for tests: denser checkpoints than memory size alone would give). */
export interface IndexOptions {
  /** Events between checkpoints at least (default CHECKPOINT_EVENTS; large memories space them further). */
  readonly checkpointEvents?: number;
  /** Called after each chunk of the pass with the events read so far and in all (for a progress line). */
  readonly onProgress?: (eventsDone: number, eventsTotal: number) => void;
}

/** Builds the index; throws `DetailNeededError` or `TimelineCoverageError` for traces it cannot serve. */
export function buildIndex(reader: TraceReader, file: string, options: IndexOptions = {}): TimelineIndex {
  const minGap = options.checkpointEvents ?? CHECKPOINT_EVENTS;
  const totalEvents = options.onProgress === undefined ? 0 : reader.detailSummary().events;
  let eventsDone = 0;
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
  const calls = readCalls(reader, file);
  const callTimes = Float64Array.from(calls, (c) => Number(c.time));
  const memory = new MemoryImage(reader.keyframeMemory(kfs[0]));
  memory.segments = readDataSegments(bytes);
  const tracker = new PageTracker(memory.bytes);
  let nextCall = 0;
  /** Applies the host writes of calls before time `t` (a call at T counts after the events at T). */
  const applyCallsBefore = (t: number) => {
    for (; nextCall < calls.length && callTimes[nextCall] < t; nextCall++) {
      const call = calls[nextCall];
      for (const w of call.writes) {
        w.oldBytes = memory.bytes.slice(w.address, w.address + w.bytes.length);
        memory.bytes.set(w.bytes, w.address);
        if (w.bytes.length > 0) tracker.mark(w.address, w.bytes.length);
      }
    }
  };

  const middle = kfs.slice(1, -1);
  const points: KeyframePoint[] = [{ info: kfs[0], time: 0n }];
  const summaries: ChunkSummary[] = [];
  /** The last chunks' decompressed bytes (as many as the chunk cache keeps), handed to the ChunkStore. */
  const recentChunks = new RecentChunks();
  let stack: Frame | null = null;
  const globals = new Map<number, Uint8Array>();
  const firstSet = new Map<number, { time: bigint; oldBytes: Uint8Array }>();
  const snapshots = new Map<bigint, SnapshotRef[]>();
  const longActivations = new Map<bigint, { func: number; end: ActivationEnd }>();
  const checkpoints: StateCheckpoint[] = [];
  const checkpoint = (time: bigint, chunk: number, position: ScanPosition) => {
    checkpoints.push({ time, chunk, position, call: nextCall, memory: tracker.take(memory.bytes), stack, globals: new Map(globals) });
  };
  checkpoint(0n, 0, { offset: 0, prevTime: 0 });
  const onExit = (frame: Frame, exit: { time: bigint; pc: number }) => {
    if (exit.time - frame.entryTime >= LONG_ACTIVATION) {
      longActivations.set(frame.entryTime, { func: frame.funcIndex, end: { time: exit.time, pc: exit.pc, results: valuesOf(exit as never, 'results') } });
    }
  };
  /** The scanner standing on the exit being applied (for `onExitScanned`). */
  let exiting: DetailScanner | null = null;
  const onExitScanned = (frame: Frame) => {
    if (BigInt(exiting!.time) - frame.entryTime >= LONG_ACTIVATION) onExit(frame, exiting!.decode());
  };
  let prevEnd = 0n;
  let lastEventTime = -1;
  let unmatched = 0;
  let sinceCheckpoint = 0;
  let gap = minGap;
  let granules = new Uint8Array(0);
  /**
   * Keyframes are taken at import calls, as the state after instruction k (the call's time - 1):
   * before applying anything later than k, memory must equal the keyframe; it then becomes a
   * starting point. One that does not match is left unused (and counted), never trusted.
   */
  const matchKeyframesBefore = (t: number) => {
    while (middle.length > 0 && Number(middle[0].time) < t) {
      const k = middle.shift()!;
      applyCallsBefore(Number(k.time) + 1);
      if (sameBytes(memory.bytes, reader.keyframeMemory(k))) points.push({ info: k, time: k.time });
      else unmatched++;
    }
  };
  const nextKeyframeTime = () => (middle.length > 0 ? Number(middle[0].time) : Infinity);
  let keyframeAt = nextKeyframeTime();
  let damagedAt = 0;
  const shapes = CallShapes.of(bytes);
  try {
    for (const chunk of reader.detailChunks()) {
      damagedAt = chunk.index;
      const s = new DetailScanner(chunk.events, undefined, shapes);
      if (!s.next()) continue;
      const index = summaries.length;
      if (chunk.firstTime < prevEnd) throw new TimelineCoverageError(file, `detail chunk ${index} overlaps the previous one`);
      const pages: number[] = [];
      if (granules.length < (memory.bytes.length >>> SUMMARY_PAGE_BITS) + 1) granules = new Uint8Array((memory.bytes.length >>> SUMMARY_PAGE_BITS) + 1);
      const funcs = new Set<number>();
      const stackAtStart = stack;
      const firstTime = s.time;
      let count = 0;
      let previous = lastEventTime;
      do {
        const t = s.time;
        if (t >= keyframeAt) {
          matchKeyframesBefore(t);
          keyframeAt = nextKeyframeTime();
        }
        if (nextCall < calls.length && callTimes[nextCall] < t) applyCallsBefore(t);
        if (t > previous && t > 0 && (count === 0 || sinceCheckpoint >= gap)) {
          checkpoint(BigInt(t - 1), index, s.position());
          sinceCheckpoint = 0;
          gap = minGap < CHECKPOINT_EVENTS ? minGap : checkpointGap(memory.bytes.length, tracker.copiedBytes, minGap);
        }
        const kind = s.kind;
        if (kind <= EventKind.init) {
          const size = memory.applyScanned(s);
          if (kind === EventKind.grow) {
            tracker.resize(memory.bytes.length);
            if (granules.length < (memory.bytes.length >>> SUMMARY_PAGE_BITS) + 1) {
              const larger = new Uint8Array((memory.bytes.length >>> SUMMARY_PAGE_BITS) + 1);
              larger.set(granules);
              granules = larger;
            }
          } else if (size > 0) {
            const address = memory.lastAddress;
            tracker.mark(address, size);
            const last = (address + size - 1) >>> SUMMARY_PAGE_BITS;
            for (let g = address >>> SUMMARY_PAGE_BITS; g <= last; g++) {
              if (granules[g] === 0) {
                granules[g] = 1;
                pages.push(g);
              }
            }
          }
        } else if (kind === EventKind.exit) {
          // Most events of a call-heavy run: no object unless the activation was long.
          const func = s.func;
          funcs.add(func);
          exiting = s;
          stack = popExit(stack, func, onExitScanned);
        } else if (kind === EventKind.enter || kind === EventKind.catch) {
          const e = s.decode();
          funcs.add(s.func);
          stack = stepStack(stack, e, names, onExit);
        } else if (kind === EventKind.globalSet) {
          // The stack pointer's, in every function with a frame: read in place, decoded only the first time.
          const global = s.global;
          if (!firstSet.has(global)) {
            const e = s.decode() as { time: bigint; oldBytes: Uint8Array };
            firstSet.set(global, { time: e.time, oldBytes: e.oldBytes });
          }
          globals.set(global, s.newGlobalBytes());
        } else if (kind === EventKind.snapshot) {
          const frameTime = BigInt(s.frameTime);
          const point: SnapshotRef = { time: BigInt(t), chunk: index, position: s.position() };
          const list = snapshots.get(frameTime);
          if (list === undefined) snapshots.set(frameTime, [point]);
          else list.push(point);
        }
        previous = t;
        count++;
        sinceCheckpoint++;
      } while (s.next());
      for (const g of pages) granules[g] = 0;
      lastEventTime = previous;
      summaries.push({
        index, storedIndex: chunk.index, firstTime: BigInt(firstTime), lastTime: BigInt(previous),
        eventCount: count, pages: Uint32Array.from(pages.sort((a, b) => a - b)), funcs, stackAtStart,
      });
      recentChunks.push(index, chunk.events);
      eventsDone += count;
      options.onProgress?.(eventsDone, totalEvents);
      prevEnd = chunk.endTime;
    }
  } catch (e) {
    // A chunk that decompressed but does not hold well-formed events (or writes outside memory).
    if (e instanceof DetailEventDecodeError || e instanceof RangeError) throw new TimelineCoverageError(file, `its detail chunk ${damagedAt} is damaged: ${e.message}`);
    throw e;
  }
  matchKeyframesBefore(Infinity);
  applyCallsBefore(Infinity);
  const last = kfs.at(-1)!;
  if (!sameBytes(memory.bytes, reader.keyframeMemory(last))) {
    throw new TimelineCoverageError(file, 'its detail events and host writes do not rebuild the final memory (recorded with --window or --last, or damaged)');
  }
  const times = [summary.instructionCount ?? 0n, BigInt(Math.max(0, lastEventTime)), calls.at(-1)?.time ?? 0n];
  const end = times.reduce((a, b) => (a > b ? a : b));
  points.push({ info: last, time: end });
  return {
    end, names, globals: readGlobals(bytes), segments: memory.segments, calls, callTimes, callsByPage: callsByGranule(calls),
    chunks: ChunkStore.withBytes(reader, summaries, recentChunks.list, shapes), keyframes: points, finalStack: stack, firstSet,
    unusedKeyframes: unmatched, snapshots, checkpoints, longActivations,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

/** The latest chunks up to the chunk cache's budget, oldest first. */
class RecentChunks {
  readonly list: { index: number; bytes: Uint8Array }[] = [];
  private total = 0;

  push(index: number, bytes: Uint8Array): void {
    this.list.push({ index, bytes });
    this.total += bytes.length;
    while (this.total > RAW_CACHE_BYTES && this.list.length > 1) this.total -= this.list.shift()!.bytes.length;
  }
}
