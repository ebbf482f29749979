/**
 * A forward-only view of memory and globals that moves through time cheaply: it applies only
 * the detail events (read in place from the chunk bytes) and import calls between where it is
 * and where it is asked to go. The replay engine's interpreter host keeps one per re-executed
 * activation; for a long jump, the timeline's `costs` says when a fresh cursor from the nearest
 * checkpoint is cheaper than moving this one.
 */
import { DetailScanner, EventKind, type ScanPosition } from '../../instrument/index.js';
import { findActivation, type ActivationLookup } from './activationSearch.js';
import type { MemoryImage } from './memoryState.js';
import { markPages, PAGE_SIZE, type PageTable } from './pagedMemory.js';
import type { TimelineIndex } from './timelineIndex.js';
import type { ImportCallRecord } from './types.js';

export class StateCursor {
  private scanner: DetailScanner | null;
  /** True when the scanner stands on an event not applied yet. */
  private pending = false;

  /**
   * `memory` and `globals` (set values by index) must be the state after `time` instructions,
   * with the event stream standing at `position` of chunk `chunk` and `call` the first import
   * call not applied; the cursor owns them from now on.
   */
  /**
   * The checkpoint table the memory was built from, and the pages written since (a bitmap):
   * what lets a later cursor reuse this one's memory by copying only the pages that differ.
   */
  base: PageTable | null = null;
  readonly dirty: Uint8Array;

  constructor(
    private readonly index: TimelineIndex,
    readonly memory: MemoryImage,
    readonly globals: Map<number, Uint8Array>,
    private chunk: number,
    position: ScanPosition,
    private call: number,
    private at: bigint,
  ) {
    const { chunks } = index;
    this.dirty = new Uint8Array(Math.ceil(memory.bytes.length / PAGE_SIZE));
    this.scanner = chunk < chunks.chunks.length ? chunks.scanner(chunk, position) : null;
  }

  /** The time whose state the cursor holds (effects of every instruction up to it applied). */
  get time(): bigint {
    return this.at;
  }

  /** Applies every effect with a time in (time, t]: at one time, events first, then the import call. Never moves back. */
  advanceTo(t: bigint): void {
    if (t <= this.at) return;
    const until = Number(t);
    const memory = this.memory;
    while (this.pending || this.load()) {
      const s = this.scanner!;
      if (s.time > until) break;
      this.callsBefore(s.time);
      if (s.kind <= EventKind.init) {
        const size = memory.applyScanned(s);
        if (size > 0) markPages(this.dirty, memory.lastAddress, size);
      } else if (s.kind === EventKind.globalSet) {
        const e = s.decode() as { global: number; newBytes: Uint8Array };
        this.globals.set(e.global, e.newBytes);
      }
      this.pending = false;
    }
    this.callsBefore(until + 1);
    this.at = t;
  }

  /**
   * Looks ahead, without moving, for the activation entered at `entryTime` (at or after the
   * cursor's time): its function and how it ended. `end` is null when it never returned in the
   * recording (a trap, `proc_exit`, or an exception unwound it); the whole value is null when
   * no function is entered at `entryTime`.
   */
  peekActivation(entryTime: bigint): ActivationLookup {
    if (this.scanner === null) return findActivation(this.index, this.index.chunks.chunks.length, { offset: 0, prevTime: 0 }, entryTime);
    const position = this.pending ? this.scanner.position() : { offset: this.scanner.end, prevTime: this.scanner.time };
    return findActivation(this.index, this.chunk, position, entryTime);
  }

  /** Moves the scanner onto the next event, across chunks; false at the end of the stream. */
  private load(): boolean {
    const { chunks } = this.index;
    while (this.scanner !== null) {
      if (this.scanner.next()) return (this.pending = true);
      this.chunk++;
      this.scanner = this.chunk < chunks.chunks.length ? chunks.scanner(this.chunk) : null;
    }
    return false;
  }

  private callsBefore(t: number): void {
    const { calls, callTimes } = this.index;
    for (; this.call < calls.length && callTimes[this.call] < t; this.call++) {
      this.memory.applyCall(calls[this.call]);
      for (const w of calls[this.call].writes) if (w.bytes.length > 0) markPages(this.dirty, w.address, w.bytes.length);
    }
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
