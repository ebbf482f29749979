/**
 * The timeline of a `--detail full` recording: the program's memory, call stack and globals at
 * any instruction time in [0, end], and the queries a time-travel debugger answers instantly.
 * "At t" means after the instruction whose time is t has executed (and, for t at an import call,
 * after the host's writes of that call); time 0 is before the first instruction. See
 * docs/replay.md for the definitions, the cost of the index and what is not known.
 *
 * Must not: re-execute the program (traces without detail are refused), or read SQL itself.
 */
import { DetailScanner, EventKind } from '../../instrument/index.js';
import { TraceReader } from '../../src/trace/index.js';
import { findActivation } from './activationSearch.js';
import { framesOf, stepStack, valuesOf } from './callStack.js';
import { TimeOutOfRangeError } from './errors.js';
import { globalStates } from './globalState.js';
import { MemoryImage } from './memoryState.js';
import { materialize, materializeInto, rematerialize } from './pagedMemory.js';
import { HeldIndex, type IndexOrigin, type TimelineOptions } from './indexCache.js';

export type { TimelineOptions } from './indexCache.js';
import { CHECKPOINT_EVENTS, type SnapshotPoint, type StateCheckpoint, type TimelineIndex } from './timelineIndex.js';
import type { ActivationEnd, CallRecord, Frame, GlobalState, ImportCallRecord, WriteRecord } from './types.js';
import { lastWrite, nextWrite } from './writeSearch.js';
import { firstCallAfter, StateCursor } from './stateCursor.js';

export class Timeline {
  /** The cursor of the last memory query: the cheapest start for the next one when it is a little later. */
  private recent: StateCursor | null = null;

  private constructor(
    private readonly reader: TraceReader,
    private readonly held: HeldIndex,
  ) {}

  /** The index now (a damaged stored index is replaced by a rebuilt one: see HeldIndex). */
  private get index(): TimelineIndex {
    return this.held.index;
  }

  /**
   * Opens `file` with its index: the one stored in the trace when it can be trusted, else built
   * by one pass over all detail events and (by default) stored in the trace for the next open
   * (`options.stored`; docs/replay.md, "The stored index"). Throws `DetailNeededError` for an
   * inputs-only trace, `TimelineCoverageError` for a windowed, incomplete or inconsistent one,
   * and the trace layer's errors for a bad file. A trace that cannot be written is not an error
   * (see `indexOrigin`).
   */
  static open(file: string, options: TimelineOptions = {}): Timeline {
    const reader = TraceReader.open(file);
    try {
      return new Timeline(reader, new HeldIndex(reader, file, options));
    } catch (e) {
      reader.close();
      throw e;
    }
  }

  /** Where this timeline's index came from (stored or built) and whether it was stored. */
  get indexOrigin(): IndexOrigin {
    return this.held.origin;
  }

  /**
   * Stores a built index in the trace now, for a timeline opened with `stored: 'read'` (to write
   * after the first state is shown rather than before). Does nothing when the index came from the
   * trace or was stored already; returns the new origin (`notWritten` says why it could not be).
   */
  storeIndex(): IndexOrigin {
    return this.held.store();
  }

  /** Settles when a stored index's reading ahead has finished (at once when there is none). */
  prefetched(): Promise<void> {
    return this.index.pages?.prefetcher?.whenDone() ?? Promise.resolve();
  }

  /** Page groups of a stored index read so far (0 for a built index): how lazily the pages load. */
  get storedPageGroupsRead(): number {
    return this.index.pages?.groupsRead ?? 0;
  }

  /** The time of the last instruction of the recording (the history's end; 0 is its start). */
  get end(): bigint {
    return this.index.end;
  }

  /** State checkpoints the index holds (the first is time 0). */
  get checkpointCount(): number {
    return this.index.checkpoints.length;
  }

  /** Keyframes the timeline starts from (time 0, intermediate ones placed by the index, the end). */
  get keyframeCount(): number {
    return this.index.keyframes.length;
  }

  /** Intermediate keyframes whose memory matched no chunk boundary; they are not used (see docs/replay.md). */
  get unusedKeyframes(): number {
    return this.index.unusedKeyframes;
  }

  /** The module's file name as recorded. */
  get moduleFileName(): string {
    return this.reader.summary().module.fileName;
  }

  /** How the recorded run ended: exit code, or trap with its message and pc (null: incomplete). */
  get outcome(): ReturnType<TraceReader['summary']>['outcome'] {
    return this.reader.summary().outcome;
  }

  /** The trace's original module bytes, checked against their recorded hash (`TraceFormatError` if they differ). */
  moduleBytes(): Uint8Array {
    return this.reader.verifiedModuleBytes();
  }

  /** Number of import calls in the log. */
  get importCallCount(): number {
    return this.index.calls.length;
  }

  /**
   * What moving a state from time `from` forward to `to` costs, against rebuilding the state at
   * `to` from the nearest checkpoint, in events to scan (a rebuild also copies memory, counted
   * as events): the replay engine's cursors use it to decide whether to jump.
   */
  costs(from: bigint, to: bigint): { advance: number; rebuild: number } {
    const target = this.checkpointIndex(to);
    const advance = from > to ? Infinity : (target - this.checkpointIndex(from)) * CHECKPOINT_EVENTS;
    const cp = this.index.checkpoints[target];
    return { advance, rebuild: CHECKPOINT_EVENTS / 2 + cp.memory.size / 256 };
  }

  /** Linear memory at `t` (a copy: its length is the memory size then, grows included). */
  memoryAt(t: bigint): Uint8Array {
    return this.memoryView(t).slice();
  }

  /**
   * Linear memory at `t` without a copy: valid until the next call on this timeline, and not to
   * be written (it is the timeline's own state).
   */
  memoryView(t: bigint): Uint8Array {
    this.checkTime(t);
    const recent = this.recent;
    if (recent !== null && recent.time <= t && this.index.checkpoints[this.checkpointIndex(t)].time <= recent.time) {
      recent.advanceTo(t);
      return recent.memory.bytes;
    }
    this.recent = this.cursorAt(t, recent ?? undefined);
    return this.recent.memory.bytes;
  }

  /** The call stack at `t`, innermost frame first (empty before `_start` is entered). */
  callStackAt(t: bigint): Frame[] {
    this.checkTime(t);
    return framesOf(this.walk(t).stack);
  }

  /**
   * Every global of the module at `t`. Values are known for globals set by `global.set` before
   * `t`, and before their first set from that set's old value or the module's constant
   * initializer; imported globals never set are `unknown`.
   */
  globalsAt(t: bigint): GlobalState[] {
    this.checkTime(t);
    return globalStates(this.index, this.walk(t).globals);
  }

  /** The last write covering the byte at `address` at or before `t` (null if none since time 0). */
  lastWriteBefore(address: number, t: bigint): WriteRecord | null {
    this.checkTime(t);
    return lastWrite(this.index, address, t, (a, time) => this.memoryAt(time)[a]);
  }

  /** The first write covering the byte at `address` after `t` (null if none up to the end). */
  nextWriteAfter(address: number, t: bigint): WriteRecord | null {
    this.checkTime(t);
    return nextWrite(this.index, address, t, (a, time) => this.memoryAt(time)[a]);
  }

  /** Every activation of function `funcIndex` in entry order, with exit times (null: never returned). */
  callsOf(funcIndex: number): CallRecord[] {
    const out: CallRecord[] = [];
    const { chunks } = this.index.chunks;
    for (const c of chunks) {
      if (!c.funcs.has(funcIndex)) continue;
      let stack = c.stackAtStart;
      const s = this.index.chunks.scanner(c.index);
      while (s.next()) {
        if (s.kind !== EventKind.enter && s.kind !== EventKind.exit && s.kind !== EventKind.catch) continue;
        stack = stepStack(stack, s.decode(), this.index.names, (frame, exit) => {
          if (frame.funcIndex === funcIndex) out.push({ frame, exitTime: exit.time, exitPc: exit.pc, results: valuesOf(exit, 'results') });
        });
      }
    }
    for (const frame of framesOf(this.index.finalStack)) {
      if (frame.funcIndex === funcIndex) out.push({ frame, exitTime: null, exitPc: null, results: null });
    }
    return out.sort((a, b) => (a.frame.entryTime < b.frame.entryTime ? -1 : a.frame.entryTime > b.frame.entryTime ? 1 : 0));
  }

  /** The `n`-th import call (from 0) with its time and host writes. */
  importCallAt(n: number): ImportCallRecord {
    const call = this.index.calls[n];
    if (call === undefined) throw new TimeOutOfRangeError(`import call ${n} does not exist: the log has ${this.index.calls.length} (0..${this.index.calls.length - 1})`);
    return call;
  }

  /**
   * The latest `snapshot` (locals logged at a loop body's start) of the activation entered at
   * `entryTime`, at or before `t`; null if none (traces recorded before snapshots existed, or an
   * activation that never reached a snapshot point).
   */
  snapshotBefore(entryTime: bigint, t: bigint): SnapshotPoint | null {
    const list = this.index.snapshots.get(entryTime);
    if (list === undefined) return null;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].time <= t) lo = mid + 1;
      else hi = mid;
    }
    const ref = list[lo - 1];
    if (ref === undefined) return null;
    const s = this.index.chunks.scanner(ref.chunk, ref.position);
    s.next();
    const e = s.decode();
    if (e.kind !== 'snapshot') throw new Error(`index points at a ${e.kind} event, not a snapshot, at time ${ref.time}`);
    return { time: e.time, pc: e.pc, func: e.func, locals: e.locals };
  }

  /** The import calls of the log in order (with times, results, host writes and output). */
  get importCalls(): readonly ImportCallRecord[] {
    return this.index.calls;
  }

  /** The import call made by the instruction at time `t`, or null. */
  importCallAtTime(t: bigint): ImportCallRecord | null {
    const k = firstCallAfter(this.index.calls, t) - 1;
    return k >= 0 && this.index.calls[k].time === t ? this.index.calls[k] : null;
  }

  /** Bytes written to stdout and stderr by import calls at or before `t`. */
  outputAt(t: bigint): { stdout: Uint8Array; stderr: Uint8Array } {
    this.checkTime(t);
    const parts: Uint8Array[][] = [[], []];
    const calls = this.index.calls;
    for (let k = 0; k < calls.length && calls[k].time <= t; k++) {
      for (const o of calls[k].output) parts[o.stream - 1].push(o.bytes);
    }
    return { stdout: Buffer.concat(parts[0]), stderr: Buffer.concat(parts[1]) };
  }

  /**
   * A cursor holding memory and set globals at `t` that moves forward cheaply (see
   * StateCursor), started from the nearest checkpoint. Its memory is a private copy; with
   * `reuse`, a cursor the caller no longer needs, it is written into that cursor's memory when
   * the size fits (saving a fresh allocation), and `reuse` must not be used again.
   */
  cursorAt(t: bigint, reuse?: StateCursor): StateCursor {
    this.checkTime(t);
    const cp = this.held.checkpointWithPages(() => this.checkpointIndex(t), reuse);
    let bytes: Uint8Array;
    if (reuse === undefined) bytes = materialize(cp.memory);
    else if (reuse.base !== null && rematerialize(cp.memory, reuse.memory.bytes, reuse.base, reuse.dirty)) bytes = reuse.memory.bytes;
    else bytes = materializeInto(cp.memory, reuse.memory.bytes);
    const memory = Object.assign(new MemoryImage(bytes), { segments: this.index.segments });
    const cursor = new StateCursor(this.index, memory, new Map(cp.globals), cp.chunk, cp.position, cp.call, cp.time);
    cursor.base = cp.memory;
    cursor.advanceTo(t);
    return cursor;
  }

  /** Every global's value given the set values a cursor holds (`globalsAt` for a cursor's time). */
  globalsFrom(set: ReadonlyMap<number, Uint8Array>): GlobalState[] {
    return globalStates(this.index, set);
  }

  /**
   * How the activation `frame` (from `callStackAt`) ended: the time, pc and results of its
   * exit; null when it never returned (a trap, `proc_exit`, or an exception unwound it).
   */
  activationEnd(frame: Frame): ActivationEnd | null {
    const cp = this.index.checkpoints[this.checkpointIndex(frame.entryTime > 0n ? frame.entryTime - 1n : 0n)];
    return findActivation(this.index, cp.chunk, cp.position, frame.entryTime)?.end ?? null;
  }

  close(): void {
    this.held.close();
    this.reader.close();
  }

  private checkTime(t: bigint): void {
    if (t < 0n || t > this.index.end) throw new TimeOutOfRangeError(`time ${t} is outside the recording (0..${this.index.end})`);
  }

  /** Index of the last checkpoint at or before `t` (the first is at time 0). */
  private checkpointIndex(t: bigint): number {
    const cps = this.index.checkpoints;
    let lo = 0;
    let hi = cps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cps[mid].time <= t) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  /** Stack and set globals at `t`: from the nearest checkpoint, scanning the events after it. */
  private walk(t: bigint): { stack: Frame | null; globals: Map<number, Uint8Array> } {
    const cp: StateCheckpoint = this.index.checkpoints[this.checkpointIndex(t)];
    const { chunks } = this.index;
    const until = Number(t);
    let stack = cp.stack;
    const globals = new Map(cp.globals);
    for (let c = cp.chunk, start = cp.position; c < chunks.chunks.length; c++, start = { offset: 0, prevTime: 0 }) {
      const s = chunks.scanner(c, start);
      while (s.next()) {
        if (s.time > until) return { stack, globals };
        const kind = s.kind;
        if (kind === EventKind.globalSet) {
          const e = s.decode() as { global: number; newBytes: Uint8Array };
          globals.set(e.global, e.newBytes);
        } else if (kind === EventKind.enter || kind === EventKind.exit || kind === EventKind.catch) {
          stack = stepStack(stack, s.decode(), this.index.names);
        }
      }
    }
    return { stack, globals };
  }
}
