/**
 * Linear memory as one client reads it at one stop. Memory cannot change while the replay stands
 * still (history never changes; only motions move `now`), and asking the engine for memory at a
 * late time can cost milliseconds per call (it rebuilds the memory at that time), while LLDB
 * reads memory in many small packets after each stop. So the first read at a position takes one
 * copy of the whole memory, and every later read there is a view into it. Memories larger than
 * {@link SNAPSHOT_LIMIT} are read from the engine each time instead.
 */
import type { Debuggee } from '../../replay/engine/types.js';

/** Largest memory copied whole at a stop (bytes). */
export const SNAPSHOT_LIMIT = 64 << 20;

export class MemoryCache {
  private now = -1n;
  private size = 0;
  private snapshot: Uint8Array | null = null;

  constructor(private readonly debuggee: Debuggee) {}

  /** The size of linear memory at the debuggee's current time. */
  memorySize(): number {
    this.follow();
    return this.size;
  }

  /**
   * Up to `length` bytes at `offset`, short at the end of memory; null when `offset` is outside.
   * The result may be a view into the cache: read it before the next motion, never write it.
   */
  read(offset: number, length: number): Uint8Array | null {
    this.follow();
    if (offset >= this.size) return null;
    const end = Math.min(offset + length, this.size);
    if (this.snapshot === null && this.size <= SNAPSHOT_LIMIT) this.snapshot = this.debuggee.readMemory(0, this.size);
    return this.snapshot ? this.snapshot.subarray(offset, end) : this.debuggee.readMemory(offset, end - offset);
  }

  /** Drops what belongs to another time. */
  private follow(): void {
    const now = this.debuggee.now;
    if (now === this.now) return;
    this.now = now;
    this.size = this.debuggee.memorySize();
    this.snapshot = null;
  }
}
