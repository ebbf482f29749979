/**
 * A forward-only view of memory and globals that moves through time cheaply: it applies only
 * the detail events and import calls between where it is and where it is asked to go. The
 * replay engine's interpreter host keeps one per re-executed activation, so a callee skipped
 * over costs the events that callee logged, not a rebuild of memory.
 */
import type { DetailEvent } from '../../instrument/index.js';
import type { ChunkStore } from './chunkStore.js';
import type { MemoryImage } from './memoryState.js';
import { valuesOf } from './callStack.js';
import type { ActivationEnd, ImportCallRecord } from './types.js';

export class StateCursor {
  private chunk: number;
  private event = 0;
  private call: number;

  /**
   * `memory` and `globals` (set values by index) must be the state after `time` instructions;
   * the cursor owns them from now on.
   */
  constructor(
    private readonly chunks: ChunkStore,
    private readonly calls: readonly ImportCallRecord[],
    readonly memory: MemoryImage,
    readonly globals: Map<number, Uint8Array>,
    private at: bigint,
  ) {
    this.chunk = chunks.firstEndingAtOrAfter(at + 1n);
    if (this.chunk < chunks.chunks.length) {
      const events = chunks.events(this.chunk);
      while (this.event < events.length && events[this.event].time <= at) this.event++;
    }
    this.call = firstCallAfter(calls, at);
  }

  /** The time whose state the cursor holds (effects of every instruction up to it applied). */
  get time(): bigint {
    return this.at;
  }

  /** Applies every effect with a time in (time, t]: at one time, events first, then the import call. Never moves back. */
  advanceTo(t: bigint): void {
    if (t <= this.at) return;
    const { chunks, calls } = this;
    for (; this.chunk < chunks.chunks.length; this.chunk++, this.event = 0) {
      if (chunks.chunks[this.chunk].firstTime > t) break;
      const events = chunks.events(this.chunk);
      for (; this.event < events.length; this.event++) {
        const e = events[this.event];
        if (e.time > t) {
          this.callsBefore(t + 1n);
          this.at = t;
          return;
        }
        this.callsBefore(e.time);
        this.applyEvent(e);
      }
    }
    this.callsBefore(t + 1n);
    this.at = t;
  }

  /**
   * Looks ahead, without moving, for the activation entered at `entryTime` (at or after the
   * cursor's time): its function and how it ended. `end` is null when it never returned in the
   * recording (a trap, `proc_exit`, or an exception unwound it); the whole value is null when
   * no function is entered at `entryTime`.
   */
  peekActivation(entryTime: bigint): { readonly func: number; readonly end: ActivationEnd | null } | null {
    const { chunks } = this;
    let depth = -1;
    let func = -1;
    for (let c = this.chunk, first = true; c < chunks.chunks.length; c++, first = false) {
      const events = chunks.events(c);
      for (let i = first ? this.event : 0; i < events.length; i++) {
        const e = events[i];
        if (depth < 0) {
          if (e.time > entryTime) return null;
          if (e.kind === 'enter' && e.time === entryTime) {
            depth = 0;
            func = e.func;
          }
          continue;
        }
        if (e.kind === 'enter') depth++;
        else if (e.kind === 'exit') {
          if (depth === 0) return { func, end: { time: e.time, pc: e.pc, results: valuesOf(e, 'results') } };
          depth--;
        } else if (e.kind === 'catch') {
          if (e.frameTime < entryTime) return { func, end: null };
          // Caught inside the activation: frames entered after the catching one are gone.
          depth = countDepthAfterCatch(depth, e.frameTime, entryTime);
        }
      }
    }
    return depth < 0 ? null : { func, end: null };
  }

  private applyEvent(e: DetailEvent): void {
    if (e.kind === 'globalSet') this.globals.set(e.global, e.newBytes);
    else this.memory.apply(e);
  }

  private callsBefore(t: bigint): void {
    for (; this.call < this.calls.length && this.calls[this.call].time < t; this.call++) this.memory.applyCall(this.calls[this.call]);
  }
}

/** Index of the first call with a time after `t`. */
export function firstCallAfter(calls: readonly ImportCallRecord[], t: bigint): number {
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (calls[mid].time <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Depth (frames above the watched activation) after a catch inside it. Without the frames'
 * enter times we cannot tell how many frames the exception unwound, so this is only exact when
 * the catching frame is the activation itself; deeper catches keep the depth and are rare in
 * the programs wtrace replays (C has no exceptions). Documented in docs/replay.md.
 */
function countDepthAfterCatch(depth: number, frameTime: bigint, entryTime: bigint): number {
  return frameTime === entryTime ? 0 : depth;
}
