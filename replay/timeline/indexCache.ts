/**
 * Where a timeline's index comes from: the trace's stored index when it is there and was built
 * from this trace as it is now, else the index pass (`buildIndex`), whose result is then stored
 * in the trace for the next open when the file can be written. A stored index that is stale
 * (built from other data or with other settings), of another format or damaged is never used.
 */
import { TimelineWriteRefused, TraceFormatError, writeStoredTimeline, type TraceReader } from '../../src/trace/index.js';
import type { StateCursor } from './stateCursor.js';
import { buildIndex, CHECKPOINT_EVENTS, type IndexOptions, type StateCheckpoint, type TimelineIndex } from './timelineIndex.js';
import { bindingFor, deserialiseIndex, idsRead, INDEX_FORMAT, serialiseIndex, StoredIndexDamaged } from './storedIndex.js';

/**
 * How to use the trace's stored index: `read-write` (the default) reads it and stores a freshly
 * built one; `read` reads it but never writes; `none` always runs the pass and writes nothing.
 */
export type StoredIndexUse = 'read-write' | 'read' | 'none';

/** Why a stored index was not used: there was none, it was built from other data, it is of another format, or it is damaged. */
export type RejectedIndex = 'absent' | 'stale' | 'foreign-version' | 'damaged';

/** Where the index of an open timeline came from, and what was done about storing it. */
export interface IndexOrigin {
  /** `stored`: read from the trace (no pass over the events); `built`: the pass ran in this process. */
  readonly source: 'stored' | 'built';
  /** For `built`: why the stored index was not used (null when it was not looked at: `none`). */
  readonly rejected: RejectedIndex | null;
  /** For `built`: true when the new index was written into the trace. */
  readonly written: boolean;
  /** For `built` with `read-write`: why it could not be written (a read-only or locked file), else null. */
  readonly notWritten: string | null;
  /** Compressed bytes of the stored index (what was read or written; 0 when none). */
  readonly storedBytes: number;
}

/** The stored index when it can be trusted, with the reason when it cannot. */
export function readStored(reader: TraceReader, file: string, checkpointEvents: number, prefetch = true): TimelineIndex | RejectedIndex {
  let stored;
  try {
    stored = reader.storedTimeline();
  } catch {
    return 'damaged'; // the tables themselves are unreadable
  }
  if (stored === null) return 'absent';
  if (stored.version !== INDEX_FORMAT) return 'foreign-version';
  if (stored.binding !== bindingFor(reader, checkpointEvents)) return 'stale';
  if (stored.data === null) return 'damaged';
  try {
    return deserialiseIndex(reader, file, stored.data, prefetch) ?? 'damaged';
  } catch (e) {
    if (e instanceof TraceFormatError) return 'damaged'; // its page tables cannot be read
    throw e;
  }
}

/**
 * Writes `index` into `file` (replacing any stored one, in one transaction). Returns the bytes
 * stored, or why it could not be stored (the file or its directory is read-only, it is locked).
 */
export function storeIndex(reader: TraceReader, file: string, index: TimelineIndex, checkpointEvents: number): { bytes: number } | { refused: string } {
  const parts = serialiseIndex(index);
  if (parts === null) return { refused: 'its memory is not a whole number of pages' };
  try {
    const bytes = writeStoredTimeline(file, { version: INDEX_FORMAT, binding: bindingFor(reader, checkpointEvents), data: parts.data, groups: parts.groups });
    return { bytes };
  } catch (e) {
    if (e instanceof TimelineWriteRefused) return { refused: e.message };
    throw e;
  }
}

/** How a timeline is opened: the index pass's options, and how to use the stored index (default `read-write`). */
export interface TimelineOptions extends IndexOptions {
  readonly stored?: StoredIndexUse;
  /**
   * With a stored index: read the chunks and checkpoint pages ahead on a worker thread after the
   * open (default true), as the pass would have left them in memory. False reads only on demand.
   */
  readonly prefetch?: boolean;
}

/** The index of `file` by `use` (see StoredIndexUse), and where it came from. */
export function loadIndex(
  reader: TraceReader,
  file: string,
  options: TimelineOptions,
  rejectedBefore: RejectedIndex | null = null,
): { index: TimelineIndex; origin: IndexOrigin } {
  const use = options.stored ?? 'read-write';
  const interval = options.checkpointEvents ?? CHECKPOINT_EVENTS;
  let rejected: RejectedIndex | null = rejectedBefore;
  if (use !== 'none' && rejected === null) {
    const found = readStored(reader, file, interval, options.prefetch ?? true);
    if (typeof found !== 'string') {
      const storedBytes = reader.timelineIndexSize();
      return { index: found, origin: { source: 'stored', rejected: null, written: false, notWritten: null, storedBytes } };
    }
    rejected = found;
  }
  const index = buildIndex(reader, file, options);
  if (use !== 'read-write') return { index, origin: { source: 'built', rejected, written: false, notWritten: null, storedBytes: 0 } };
  const result = storeIndex(reader, file, index, interval);
  if ('refused' in result) return { index, origin: { source: 'built', rejected, written: false, notWritten: result.refused, storedBytes: 0 } };
  return { index, origin: { source: 'built', rejected, written: true, notWritten: null, storedBytes: result.bytes } };
}

/**
 * A timeline's index and where it came from, replaced by a rebuilt one when a stored index turns
 * out damaged where it is read lazily (a page group), and stored on request.
 */
export class HeldIndex {
  index: TimelineIndex;
  origin: IndexOrigin;

  constructor(
    private readonly reader: TraceReader,
    private readonly file: string,
    private readonly options: TimelineOptions,
  ) {
    ({ index: this.index, origin: this.origin } = loadIndex(reader, file, options));
  }

  /**
   * The checkpoint `which` picks in the index, with every page a cursor built from it (over
   * `reuse`) reads. When the stored index is damaged there, the index is built afresh (and stored
   * again when `read-write` and the trace can be written) and the checkpoint taken from it.
   */
  checkpointWithPages(which: () => number, reuse?: StateCursor): StateCheckpoint {
    const cp = this.index.checkpoints[which()];
    const pages = this.index.pages;
    if (pages === undefined) return cp;
    const usable = reuse?.base !== null && reuse?.base !== undefined && reuse.memory.bytes.length === cp.memory.size;
    try {
      pages.ensure(idsRead(cp.memory, usable ? reuse.base : null, usable ? reuse.dirty : null));
      return cp;
    } catch (e) {
      if (!(e instanceof StoredIndexDamaged)) throw e;
    }
    pages.close();
    ({ index: this.index, origin: this.origin } = loadIndex(this.reader, this.file, { ...this.options, onProgress: undefined }, 'damaged'));
    return this.index.checkpoints[which()];
  }

  /** Stores a built index not stored yet (see `Timeline.storeIndex`); returns the new origin. */
  store(): IndexOrigin {
    const o = this.origin;
    if (o.source === 'stored' || o.written) return o;
    const result = storeIndex(this.reader, this.file, this.index, this.options.checkpointEvents ?? CHECKPOINT_EVENTS);
    this.origin = 'refused' in result ? { ...o, notWritten: result.refused } : { ...o, written: true, notWritten: null, storedBytes: result.bytes };
    return this.origin;
  }

  close(): void {
    this.index.pages?.close();
  }
}
