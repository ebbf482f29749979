/**
 * The timeline of a `--detail full` recording: the program's memory, call stack and globals at
 * any instruction time in [0, end], and the queries a time-travel debugger answers instantly.
 * "At t" means after the instruction whose time is t has executed (and, for t at an import call,
 * after the host's writes of that call); time 0 is before the first instruction. See
 * docs/replay.md for the definitions, the cost of the index and what is not known.
 *
 * Must not: re-execute the program (traces without detail are refused), or read SQL itself.
 */
import { TraceReader } from '../../src/trace/index.js';
import { framesOf, stepStack, valuesOf } from './callStack.js';
import { TimeOutOfRangeError } from './errors.js';
import { globalStates } from './globalState.js';
import { MemoryImage } from './memoryState.js';
import { buildIndex, type SnapshotPoint, type TimelineIndex } from './timelineIndex.js';
import type { ActivationEnd, CallRecord, Frame, GlobalState, ImportCallRecord, WriteRecord } from './types.js';
import { lastWrite, nextWrite } from './writeSearch.js';
import { firstCallAfter, StateCursor } from './stateCursor.js';

/** How many recent memory states `memoryAt` keeps as starting points. */
const CACHED_STATES = 4;

export class Timeline {
  /**
   * The last memory states computed (most recent last), the cheapest starts for nearby queries:
   * stepping, and the engine asking about a frame and its callers, whose times differ widely.
   */
  private cached: { time: bigint; memory: MemoryImage }[] = [];

  private constructor(
    private readonly reader: TraceReader,
    private readonly index: TimelineIndex,
  ) {}

  /**
   * Opens `file` and builds the index (one pass over all detail events). Throws
   * `DetailNeededError` for an inputs-only trace, `TimelineCoverageError` for a windowed,
   * incomplete or inconsistent one, and the trace layer's errors for a bad file.
   */
  static open(file: string): Timeline {
    const reader = TraceReader.open(file);
    try {
      return new Timeline(reader, buildIndex(reader, file));
    } catch (e) {
      reader.close();
      throw e;
    }
  }

  /** The time of the last instruction of the recording (the history's end; 0 is its start). */
  get end(): bigint {
    return this.index.end;
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
   * `to` from the best starting point (a keyframe or the last state computed), in decoded
   * events: the replay engine's cursors use it to decide whether to jump.
   */
  costs(from: bigint, to: bigint): { advance: number; rebuild: number } {
    const advance = from < to ? this.index.chunks.eventsBetween(from, to) : Infinity;
    const rebuild = Math.min(...this.startsFor(to).map((s) => s.cost));
    return { advance, rebuild };
  }

  /** Linear memory at `t` (a copy: its length is the memory size then, grows included). */
  memoryAt(t: bigint): Uint8Array {
    this.checkTime(t);
    const starts = this.startsFor(t);
    const best = starts.reduce((a, b) => (b.cost < a.cost ? b : a));
    const memory = best.load();
    if (best.time <= t) this.forward(memory, best.time, t);
    else this.backward(memory, best.time, t);
    this.cached = [...this.cached.filter((c) => c.time !== t && c.memory !== memory), { time: t, memory }].slice(-CACHED_STATES);
    return memory.bytes.slice();
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
      for (const e of this.index.chunks.events(c.index)) {
        stack = stepStack(stack, e, this.index.names, (frame, exit) => {
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
    return list[lo - 1] ?? null;
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
   * StateCursor). Its memory is a private copy.
   */
  cursorAt(t: bigint): StateCursor {
    const bytes = this.memoryAt(t);
    const memory = Object.assign(new MemoryImage(bytes), { segments: this.index.segments });
    return new StateCursor(this.index.chunks, this.index.calls, memory, new Map(this.walk(t).globals), t);
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
    const { chunks } = this.index.chunks;
    const onStack = (top: Frame | null): boolean => {
      let f = top;
      while (f !== null && f.depth > frame.depth) f = f.caller;
      return f !== null && f.depth === frame.depth && f.entryTime === frame.entryTime;
    };
    if (onStack(this.index.finalStack)) return null;
    // Chunks that start with the frame on the stack form a run after the one that enters it.
    let lo = Math.max(0, this.index.chunks.lastStartingAtOrBefore(frame.entryTime));
    while (lo > 0 && chunks[lo].firstTime === frame.entryTime) lo--;
    let hi = chunks.length;
    let start = lo;
    while (lo + 1 < hi) {
      const mid = (lo + hi) >>> 1;
      if (onStack(chunks[mid].stackAtStart)) {
        start = mid;
        lo = mid;
      } else {
        hi = mid;
      }
    }
    let seen = false;
    for (let i = start; i < chunks.length; i++) {
      let stack = chunks[i].stackAtStart;
      let found: ActivationEnd | null = null;
      for (const e of this.index.chunks.events(i)) {
        stack = stepStack(stack, e, this.index.names, (f, exit) => {
          if (f.depth === frame.depth && f.entryTime === frame.entryTime) found = { time: exit.time, pc: exit.pc, results: valuesOf(exit, 'results') };
        });
        if (found !== null) return found;
        if (onStack(stack)) seen = true;
        else if (seen) return null; // unwound by an exception
      }
    }
    return null;
  }

  close(): void {
    this.reader.close();
  }

  private checkTime(t: bigint): void {
    if (t < 0n || t > this.index.end) throw new TimeOutOfRangeError(`time ${t} is outside the recording (0..${this.index.end})`);
  }

  /** Candidate starting states for `t`, each with a cost in events to replay (plus copying). */
  private startsFor(t: bigint): { time: bigint; cost: number; load: () => MemoryImage }[] {
    const { keyframes, chunks } = this.index;
    const between = (a: bigint, b: bigint) => (a < b ? chunks.eventsBetween(a, b) : chunks.eventsBetween(b, a));
    const image = (bytes: Uint8Array) => Object.assign(new MemoryImage(bytes), { segments: this.index.segments });
    const before = keyframes.findLast((k) => k.time <= t)!;
    const after = keyframes.find((k) => k.time >= t)!;
    const starts = [before, after].map((k) => ({
      time: k.time,
      cost: between(k.time, t) + k.info.memorySize / 8,
      load: () => image(this.reader.keyframeMemory(k.info)),
    }));
    for (const cached of this.cached) {
      starts.push({ time: cached.time, cost: between(cached.time, t) + cached.memory.bytes.length / 64, load: () => image(cached.memory.bytes.slice()) });
    }
    return starts;
  }

  /** Applies every effect with a time in (from, to]: events at T first, then a call at T. */
  private forward(memory: MemoryImage, from: bigint, to: bigint): void {
    const { calls, chunks } = this.index;
    let k = firstCallAfter(calls, from);
    for (let i = chunks.firstEndingAtOrAfter(from + 1n); i < chunks.chunks.length && chunks.chunks[i].firstTime <= to; i++) {
      if (!chunks.chunks[i].touchesMemory) continue;
      for (const e of chunks.events(i)) {
        if (e.time <= from) continue;
        if (e.time > to) break;
        for (; k < calls.length && calls[k].time < e.time; k++) memory.applyCall(calls[k]);
        memory.apply(e);
      }
    }
    for (; k < calls.length && calls[k].time <= to; k++) memory.applyCall(calls[k]);
  }

  /** Undoes every effect with a time in (to, from], last first. */
  private backward(memory: MemoryImage, from: bigint, to: bigint): void {
    const { calls, chunks } = this.index;
    let k = firstCallAfter(calls, from) - 1;
    for (let i = chunks.lastStartingAtOrBefore(from); i >= 0 && chunks.chunks[i].lastTime > to; i--) {
      if (!chunks.chunks[i].touchesMemory) continue;
      const events = chunks.events(i);
      for (let j = events.length - 1; j >= 0; j--) {
        const e = events[j];
        if (e.time > from) continue;
        if (e.time <= to) break;
        for (; k >= 0 && calls[k].time >= e.time; k--) memory.undoCall(calls[k]);
        memory.undo(e);
      }
    }
    for (; k >= 0 && calls[k].time > to; k--) memory.undoCall(calls[k]);
  }

  /** Stack and set globals at `t`: from the summary of the chunk holding `t`, walking its events. */
  private walk(t: bigint): { stack: Frame | null; globals: Map<number, Uint8Array> } {
    const { chunks } = this.index;
    const i = chunks.lastStartingAtOrBefore(t);
    if (i < 0) return { stack: null, globals: new Map() };
    const c = chunks.chunks[i];
    let stack = c.stackAtStart;
    const globals = new Map(c.globalsAtStart);
    for (const e of chunks.events(i)) {
      if (e.time > t) break;
      if (e.kind === 'globalSet') globals.set(e.global, e.newBytes);
      else stack = stepStack(stack, e, this.index.names);
    }
    return { stack, globals };
  }
}
