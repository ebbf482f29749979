/**
 * Copy-on-write page tables of linear memory: the index pass keeps one table per state
 * checkpoint, where a table shares every page that did not change since the previous
 * checkpoint and holds a fresh copy of each page written since. A checkpoint then costs the
 * pages written in its interval, not the whole memory, and any of them becomes a full memory
 * image again with `materialize`.
 *
 * Tables are arrays of page ids (typed arrays, which the garbage collector does not trace) into
 * one store of pages shared by all tables of a tracker; pages are carved from large slabs.
 */

/** Pages of 4 KiB: the unit a checkpoint copies (small enough that scattered stores stay cheap). */
export const PAGE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_BITS;

/** Page id 0 is the all-zero page (memory a grow added and nothing wrote yet). */
const ZERO_ID = 0;
const SLAB_PAGES = 256;

/** One memory state as pages: page i holds bytes i*PAGE_SIZE.. (all but the last are whole). */
export interface PageTable {
  /** Page ids, one per page of memory. */
  readonly ids: Uint32Array;
  /** The pages by id (shared by every table of one tracker; id 0 is all zeros). */
  readonly store: readonly Uint8Array[];
  /** Memory size in bytes. */
  readonly size: number;
}

/** Tracks which pages of a memory being rebuilt forward were written since the last table. */
export class PageTracker {
  private ids = new Uint32Array(0);
  private readonly store: Uint8Array[] = [new Uint8Array(PAGE_SIZE)];
  private dirty = new Uint8Array(0);
  private readonly dirtyList: number[] = [];
  private size = 0;
  private slab = new ArrayBuffer(0);
  private slabUsed = 0;
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
    const ids = new Uint32Array(pages); // new pages: ZERO_ID
    ids.set(this.ids);
    this.ids = ids;
    const dirty = new Uint8Array(pages);
    dirty.set(this.dirty);
    this.dirty = dirty;
    this.size = bytes;
  }

  /** A table of `memory` now: written pages copied, the others shared with the previous table. */
  take(memory: Uint8Array): PageTable {
    for (const p of this.dirtyList) {
      const page = this.newPage(Math.min(memory.length, (p + 1) * PAGE_SIZE) - p * PAGE_SIZE);
      page.set(memory.subarray(p * PAGE_SIZE, p * PAGE_SIZE + page.length));
      this.ids[p] = this.store.length;
      this.store.push(page);
      this.dirty[p] = 0;
      this.copiedBytes += page.length;
    }
    this.dirtyList.length = 0;
    return { ids: this.ids.slice(), store: this.store, size: this.size };
  }

  /** A page carved from a slab: one backing store per SLAB_PAGES pages, not one per page. */
  private newPage(size: number): Uint8Array {
    if (this.slabUsed + size > this.slab.byteLength) {
      this.slab = new ArrayBuffer(SLAB_PAGES * PAGE_SIZE);
      this.slabUsed = 0;
    }
    const page = new Uint8Array(this.slab, this.slabUsed, size);
    this.slabUsed += size;
    return page;
  }
}

/** A fresh memory image of `table`. */
export function materialize(table: PageTable): Uint8Array {
  return materializeInto(table, new Uint8Array(table.size));
}

/** `table`'s memory written into `out` (when it has the table's size, else a new array); returns it. */
export function materializeInto(table: PageTable, out: Uint8Array): Uint8Array {
  if (out.length !== table.size) out = new Uint8Array(table.size);
  const { ids, store } = table;
  for (let i = 0; i < ids.length; i++) copyPage(out, i, ids[i], store, table.size);
  return out;
}

/**
 * Turns `out`, which holds `base`'s memory changed only in the pages `dirty` marks (non-zero),
 * into `table`'s memory by copying only the pages that differ; false (nothing done) when the
 * sizes differ or the tables come from different trackers. Cheap between nearby checkpoints,
 * which share most pages.
 */
export function rematerialize(table: PageTable, out: Uint8Array, base: PageTable, dirty: Uint8Array): boolean {
  if (out.length !== table.size || base.size !== table.size || base.store !== table.store) return false;
  const { ids, store } = table;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== base.ids[i] || dirty[i] !== 0) copyPage(out, i, ids[i], store, table.size);
  }
  return true;
}

function copyPage(out: Uint8Array, page: number, id: number, store: readonly Uint8Array[], size: number): void {
  if (id === ZERO_ID) out.fill(0, page * PAGE_SIZE, Math.min(size, (page + 1) * PAGE_SIZE));
  else out.set(store[id], page * PAGE_SIZE);
}

/** Marks the pages of `size` bytes at `address` in a page bitmap (bits past its end are ignored). */
export function markPages(dirty: Uint8Array, address: number, size: number): void {
  const last = (address + size - 1) >>> PAGE_BITS;
  for (let p = address >>> PAGE_BITS; p <= last; p++) dirty[p] = 1;
}
