/**
 * Detail chunks by index: per-chunk summaries built once while indexing, and the decompressed
 * event bytes of a chunk on demand (for a `DetailScanner`), the most recently used kept up to
 * RAW_CACHE_BYTES. A query uses the summaries to decide which chunks it must read at all.
 */
import { CallShapes, DetailScanner, type DetailEvent, type ScanPosition } from '../../instrument/index.js';
import type { TraceReader } from '../../src/trace/index.js';
import type { Frame } from './types.js';

/** Granule of the per-chunk written-address summary: 256 bytes (fine enough to skip chunks that write only nearby stack slots). */
export const SUMMARY_PAGE_BITS = 8;

/** What a query needs to know about one chunk without decoding it. */
export interface ChunkSummary {
  readonly index: number;
  /** The chunk's `chunk_index` in the trace file. */
  readonly storedIndex: number;
  /** Times of its first and last event (decoded, exact). */
  readonly firstTime: bigint;
  readonly lastTime: bigint;
  readonly eventCount: number;
  /** Sorted 256-byte granules its store/fill/copy/init events write. */
  readonly pages: Uint32Array;
  /** Functions it enters or exits. */
  readonly funcs: ReadonlySet<number>;
  /** The call stack before its first event. */
  readonly stackAtStart: Frame | null;
}

/** The address range an event writes in linear memory, or null. */
export function writtenRange(e: DetailEvent): { address: number; size: number } | null {
  if (e.kind === 'store') return { address: e.address, size: e.width };
  if (e.kind === 'fill' || e.kind === 'copy' || e.kind === 'init') return { address: e.dest, size: e.size };
  return null;
}

/** True when `pages` (sorted) holds the page of `address`. */
export function mayWrite(summary: ChunkSummary, address: number): boolean {
  const page = address >>> SUMMARY_PAGE_BITS;
  const p = summary.pages;
  let lo = 0;
  let hi = p.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p[mid] < page) lo = mid + 1;
    else hi = mid;
  }
  return lo < p.length && p[lo] === page;
}

/** Decompressed chunk bytes kept for scanning (least recently used go first; at least one stays). */
export const RAW_CACHE_BYTES = 128 * 2 ** 20;

export class ChunkStore {
  private readonly rawCache = new Map<number, Uint8Array>();
  private rawCached = 0;

  /** `shapesOf` gives the module's call shapes; called once, when a scanner first needs them. */
  constructor(
    private readonly reader: TraceReader,
    readonly chunks: readonly ChunkSummary[],
    private readonly shapesOf: () => CallShapes,
  ) {}

  /** A store for `chunks` whose decompressed bytes (by index) are already at hand: the latest that fit the cache are kept. */
  static withBytes(reader: TraceReader, chunks: readonly ChunkSummary[], bytes: readonly { index: number; bytes: Uint8Array }[], shapes: CallShapes): ChunkStore {
    const store = new ChunkStore(reader, chunks, () => shapes);
    for (const b of bytes) store.offer(b.index, b.bytes);
    return store;
  }

  /** Offers the decompressed bytes of chunk `index` (read anyway while indexing) to the cache. */
  offer(index: number, bytes: Uint8Array): void {
    if (this.rawCache.has(index)) return;
    this.rawCache.set(index, bytes);
    this.rawCached += bytes.length;
    this.evict();
  }

  /** Called before a chunk is read from the trace: a prefetcher hands over what it has read meanwhile. */
  beforeRead: (() => void) | null = null;

  /** Offers chunk `index`'s bytes read elsewhere; ignored unless they hold the chunk's event count. */
  offerRead(index: number, eventCount: number, bytes: Uint8Array): void {
    if (this.chunks[index]?.eventCount === eventCount) this.offer(index, bytes);
  }

  private shapes$: CallShapes | undefined;

  /** The module's call shapes, for decoding compact call events. */
  get shapes(): CallShapes {
    return (this.shapes$ ??= this.shapesOf());
  }

  /** A scanner over chunk `index` from `start` (its first event by default). */
  scanner(index: number, start?: ScanPosition): DetailScanner {
    return new DetailScanner(this.raw(index), start, this.shapes);
  }

  /** The event stream of chunk `index`, decompressed, for a `DetailScanner`. */
  raw(index: number): Uint8Array {
    if (!this.rawCache.has(index)) this.beforeRead?.();
    const hit = this.rawCache.get(index);
    if (hit !== undefined) {
      this.rawCache.delete(index);
      this.rawCache.set(index, hit);
      return hit;
    }
    const s = this.chunks[index];
    const chunk = this.reader.detailChunk(s.storedIndex);
    if (chunk.eventCount !== s.eventCount) throw new Error(`detail chunk ${index} changed since indexing`);
    const bytes = chunk.events;
    this.offer(index, bytes);
    return bytes;
  }

  private evict(): void {
    while (this.rawCached > RAW_CACHE_BYTES && this.rawCache.size > 1) {
      const [oldest, old] = this.rawCache.entries().next().value!;
      this.rawCache.delete(oldest);
      this.rawCached -= old.length;
    }
  }

  /** Index of the first chunk whose last event is at or after `t` (chunks.length if none). */
  firstEndingAtOrAfter(t: bigint): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.chunks[mid].lastTime < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the last chunk whose first event is at or before `t` (-1 if none). */
  lastStartingAtOrBefore(t: bigint): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.chunks[mid].firstTime <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}
