/**
 * Copy-on-write page tables of linear memory: the index pass keeps one table per state
 * checkpoint, where a table shares every page that did not change since the previous
 * checkpoint and holds a fresh copy of each page written since. A checkpoint then costs the
 * pages written in its interval, not the whole memory, and any of them becomes a full memory
 * image again with `materialize`.
 */

/** Pages of 4 KiB: the unit a checkpoint copies (small enough that scattered stores stay cheap). */
export const PAGE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_BITS;

const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

/** One memory state as pages (`pages[i]` holds bytes i*PAGE_SIZE..; all pages but the last are whole). */
export interface PageTable {
  readonly pages: readonly Uint8Array[];
  /** Memory size in bytes. */
  readonly size: number;
}

/** Tracks which pages of a memory being rebuilt forward were written since the last table. */
export class PageTracker {
  private table: Uint8Array[] = [];
  private dirty = new Uint8Array(0);
  private readonly dirtyList: number[] = [];
  private size = 0;
  /** Bytes copied into tables so far (the checkpoints' memory cost). */
  copiedBytes = 0;

  constructor(memory: Uint8Array) {
    this.resize(memory.length);
    for (let p = 0; p * PAGE_SIZE < memory.length; p++) this.mark(p * PAGE_SIZE, 1);
  }

  /** Notes a write of `size` bytes at `address` (`size` > 0). */
  mark(address: number, size: number): void {
    const last = (address + size - 1) >>> PAGE_BITS;
    for (let p = address >>> PAGE_BITS; p <= last; p++) {
      if (this.dirty[p] === 0) {
        this.dirty[p] = 1;
        this.dirtyList.push(p);
      }
    }
  }

  /** Follows a grow: new pages start as zeros (shared until written). Memory never shrinks forward. */
  resize(bytes: number): void {
    if (bytes <= this.size) return;
    const pages = Math.ceil(bytes / PAGE_SIZE);
    while (this.table.length < pages) this.table.push(ZERO_PAGE);
    const dirty = new Uint8Array(pages);
    dirty.set(this.dirty);
    this.dirty = dirty;
    this.size = bytes;
  }

  /** A table of `memory` now: written pages copied, the others shared with the previous table. */
  take(memory: Uint8Array): PageTable {
    for (const p of this.dirtyList) {
      const page = memory.slice(p * PAGE_SIZE, Math.min(memory.length, (p + 1) * PAGE_SIZE));
      this.table[p] = page;
      this.dirty[p] = 0;
      this.copiedBytes += page.length;
    }
    this.dirtyList.length = 0;
    return { pages: this.table.slice(), size: this.size };
  }
}

/** A fresh memory image of `table`. */
export function materialize(table: PageTable): Uint8Array {
  return materializeInto(table, new Uint8Array(table.size));
}

/** `table`'s memory written into `out` (when it has the table's size, else a new array); returns it. */
export function materializeInto(table: PageTable, out: Uint8Array): Uint8Array {
  if (out.length !== table.size) out = new Uint8Array(table.size);
  const { pages } = table;
  for (let i = 0; i < pages.length; i++) {
    if (pages[i] === ZERO_PAGE) out.fill(0, i * PAGE_SIZE, Math.min(table.size, (i + 1) * PAGE_SIZE));
    else out.set(pages[i], i * PAGE_SIZE);
  }
  return out;
}

/**
 * Turns `out`, which holds `base`'s memory changed only in the pages `dirty` marks (non-zero),
 * into `table`'s memory by copying only the pages that differ; false (nothing done) when the
 * sizes differ. Cheap between nearby checkpoints, which share most pages.
 */
export function rematerialize(table: PageTable, out: Uint8Array, base: PageTable, dirty: Uint8Array): boolean {
  if (out.length !== table.size || base.size !== table.size) return false;
  const { pages } = table;
  for (let i = 0; i < pages.length; i++) {
    if (pages[i] === base.pages[i] && dirty[i] === 0) continue;
    if (pages[i] === ZERO_PAGE) out.fill(0, i * PAGE_SIZE, Math.min(table.size, (i + 1) * PAGE_SIZE));
    else out.set(pages[i], i * PAGE_SIZE);
  }
  return true;
}

/** Marks the pages of `size` bytes at `address` in a page bitmap (bits past its end are ignored). */
export function markPages(dirty: Uint8Array, address: number, size: number): void {
  const last = (address + size - 1) >>> PAGE_BITS;
  for (let p = address >>> PAGE_BITS; p <= last; p++) dirty[p] = 1;
}
