/**
 * The timeline index as the trace stores it (docs/replay.md, "The stored index"): what
 * `buildIndex` computes, turned into bytes and back. Two parts:
 *
 * - the structures (checkpoints' times, stream positions, stacks, globals and page-id tables;
 *   chunk summaries; snapshot refs; long activations; the bytes host writes overwrote; ...) in
 *   one blob, read whole at open (a few hundred KB compressed for millions of events);
 * - the checkpoints' memory pages, in groups of GROUP_PAGES pages by page id, read only when a
 *   cursor first needs a page of the group.
 *
 * What can be derived cheaply from the trace (the import calls, function names, globals' types,
 * data segments) is not stored but read again. The blob is written with `node:v8`'s structured
 * serialisation, which keeps shared frames shared; a blob this Node cannot read counts as damaged.
 *
 * Must not: depend on the detail events' byte layout (positions are chunk + byte offset, as the
 * index pass leaves them).
 */
import * as v8 from 'node:v8';
import { CallShapes } from '../../instrument/index.js';
import type { TraceReader } from '../../src/trace/index.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { ChunkStore, RAW_CACHE_BYTES, type ChunkSummary } from './chunkStore.js';
import { startPrefetcher, type Prefetcher } from './prefetch.js';
import type { PrefetchMessage } from './prefetchWorker.js';
import { readDataSegments } from './dataSegments.js';
import { readGlobals } from './globalTypes.js';
import { callsByGranule, readCalls } from './importCalls.js';
import { PAGE_BITS, PAGE_SIZE, type PageTable } from './pagedMemory.js';
import type { KeyframePoint, SnapshotRef, StateCheckpoint, TimelineIndex } from './timelineIndex.js';
import type { ActivationEnd, Frame } from './types.js';

/** Version of what this file stores; any change to the stored shape bumps it (older ones are rebuilt). */
export const INDEX_FORMAT = 1;
/** Pages per stored group: 64 KiB of memory per read and decompression. */
export const GROUP_PAGES = 16;

/** A stored page group is missing or damaged: the index that named it must not be trusted. */
export class StoredIndexDamaged extends Error {}

/** What the blob holds (everything of a `TimelineIndex` that is not derived from the trace). */
interface StoredShape {
  readonly format: number;
  readonly end: bigint;
  readonly keyframes: readonly KeyframePoint[];
  readonly unusedKeyframes: number;
  readonly finalStack: Frame | null;
  readonly firstSet: TimelineIndex['firstSet'];
  readonly snapshots: ReadonlyMap<bigint, readonly SnapshotRef[]>;
  readonly longActivations: ReadonlyMap<bigint, { readonly func: number; readonly end: ActivationEnd }>;
  readonly chunks: readonly ChunkSummary[];
  readonly checkpoints: readonly (Omit<StateCheckpoint, 'memory'> & { readonly ids: Uint32Array; readonly size: number })[];
  /** Per import call, per host write: the bytes it overwrote. */
  readonly oldBytes: readonly (readonly Uint8Array[])[];
  readonly pageCount: number;
}

/**
 * The binding a stored index must carry to be used for `reader`'s trace with checkpoints every
 * `checkpointEvents` events: the trace's own binding plus how the index was built.
 */
export function bindingFor(reader: TraceReader, checkpointEvents: number): string {
  return JSON.stringify({ trace: JSON.parse(reader.timelineBinding()), checkpointEvents, pageBits: PAGE_BITS, groupPages: GROUP_PAGES });
}

/**
 * `index` as bytes to store: the structures' blob and the page groups (generated one at a time).
 * Null when its pages cannot be stored (a memory whose size is not a whole number of pages).
 */
export function serialiseIndex(index: TimelineIndex): { data: Uint8Array; groups: Iterable<Uint8Array> } | null {
  const store = index.checkpoints[0].memory.store;
  if (store.some((p) => p.length !== PAGE_SIZE)) return null;
  const shape: StoredShape = {
    format: INDEX_FORMAT, end: index.end, keyframes: index.keyframes, unusedKeyframes: index.unusedKeyframes,
    finalStack: index.finalStack, firstSet: index.firstSet, snapshots: index.snapshots, longActivations: index.longActivations,
    chunks: index.chunks.chunks,
    checkpoints: index.checkpoints.map(({ memory, ...rest }) => ({ ...rest, ids: memory.ids, size: memory.size })),
    oldBytes: index.calls.map((c) => c.writes.map((w) => w.oldBytes)),
    pageCount: store.length,
  };
  const data = v8.serialize(shape);
  function* groups(): Generator<Uint8Array> {
    for (let first = 0; first < store.length; first += GROUP_PAGES) yield Buffer.concat(store.slice(first, first + GROUP_PAGES));
  }
  return { data, groups: groups() };
}

/**
 * The index back from its blob, its pages to be read from the trace on demand. Null when the
 * blob does not hold a well-formed index of this format for this trace (then it is rebuilt).
 */
export function deserialiseIndex(reader: TraceReader, file: string, data: Uint8Array, prefetch = true): TimelineIndex | null {
  let shape: StoredShape;
  try {
    shape = v8.deserialize(data) as StoredShape;
  } catch {
    return null;
  }
  if (shape === null || typeof shape !== 'object' || shape.format !== INDEX_FORMAT || !wellFormed(shape)) return null;
  const calls = readCalls(reader, file);
  if (calls.length !== shape.oldBytes.length) return null;
  for (const [k, call] of calls.entries()) {
    const old = shape.oldBytes[k];
    if (old.length !== call.writes.length || call.writes.some((w, i) => old[i].length !== w.bytes.length)) return null;
    call.writes.forEach((w, i) => (w.oldBytes = old[i]));
  }
  const bytes = reader.moduleBytes();
  const pages = new LazyPages(reader, shape.pageCount);
  const chunks = new ChunkStore(reader, shape.chunks, () => CallShapes.of(bytes));
  if (prefetch) {
    const groupSizes = Array.from({ length: Math.ceil(shape.pageCount / GROUP_PAGES) }, (_, g) => Math.min(GROUP_PAGES, shape.pageCount - g * GROUP_PAGES) * PAGE_SIZE);
    const prefetcher = startPrefetcher({ file: reader.path, chunks: shape.chunks.map((c) => c.storedIndex), chunkBudget: RAW_CACHE_BYTES, groupSizes });
    if (prefetcher !== null) {
      const take = (m: PrefetchMessage) => (m.kind === 'chunk' ? chunks.offerRead(m.index, m.eventCount, m.bytes) : pages.accept(m.index, m.bytes));
      chunks.beforeRead = pages.beforeRead = () => prefetcher.drain(take);
      pages.prefetcher = prefetcher;
    }
  }
  return {
    end: shape.end, names: readModuleInfo(bytes).functionNames, globals: readGlobals(bytes), segments: readDataSegments(bytes),
    calls, callTimes: Float64Array.from(calls, (c) => Number(c.time)), callsByPage: callsByGranule(calls),
    chunks, keyframes: shape.keyframes, finalStack: shape.finalStack, firstSet: shape.firstSet,
    unusedKeyframes: shape.unusedKeyframes, snapshots: shape.snapshots, longActivations: shape.longActivations,
    checkpoints: shape.checkpoints.map(({ ids, size, ...rest }) => ({ ...rest, memory: { ids, size, store: pages.store } })),
    pages,
  };
}

/** The checks a well-formed blob passes: page tables that fit memory and name stored pages. */
function wellFormed(s: StoredShape): boolean {
  if (!Array.isArray(s.checkpoints) || s.checkpoints.length === 0 || !Array.isArray(s.chunks) || !Array.isArray(s.oldBytes)) return false;
  if (!Number.isInteger(s.pageCount) || s.pageCount < 1 || typeof s.end !== 'bigint') return false;
  for (const cp of s.checkpoints) {
    if (!(cp.ids instanceof Uint32Array) || cp.ids.length !== Math.ceil(cp.size / PAGE_SIZE) || cp.chunk > s.chunks.length) return false;
    for (let i = 0; i < cp.ids.length; i++) if (cp.ids[i] >= s.pageCount) return false;
  }
  return true;
}

/**
 * The checkpoints' pages, read from the trace by group when first needed and kept. `store` is
 * the page array the checkpoints' tables share (holes until read).
 */
export class LazyPages {
  readonly store: Uint8Array[] = [];
  private readonly groups: { group(index: number, rawSize: number): Uint8Array | null };
  /** Groups read so far (for tests and the bench). */
  groupsRead = 0;

  constructor(reader: TraceReader, readonly pageCount: number) {
    this.groups = reader.timelinePageGroups();
  }

  /** Called before a group is read from the trace: a prefetcher hands over what it has read meanwhile. */
  beforeRead: (() => void) | null = null;
  /** The prefetcher reading ahead for this index, if any (stopped by `close`). */
  prefetcher: Prefetcher | null = null;

  /** Makes sure every page `ids` names is in `store`; throws `StoredIndexDamaged` for a missing or damaged group. */
  ensure(ids: Iterable<number>): void {
    let missing: Set<number> | null = null;
    for (const id of ids) {
      if (this.store[id] !== undefined) continue;
      if (missing === null) {
        missing = new Set();
        this.beforeRead?.();
        if (this.store[id] !== undefined) continue;
      }
      missing.add(Math.floor(id / GROUP_PAGES));
    }
    if (missing === null) return;
    // In group order: neighbouring groups share the stored rows they are read from.
    for (const group of [...missing].sort((a, b) => a - b)) if (this.store[group * GROUP_PAGES] === undefined) this.read(group);
  }

  /** Takes group `group`'s bytes read elsewhere (checked the same way); ignored when they do not fit. */
  accept(group: number, bytes: Uint8Array): void {
    const first = group * GROUP_PAGES;
    const count = Math.min(GROUP_PAGES, this.pageCount - first);
    if (count <= 0 || bytes.length !== count * PAGE_SIZE || this.store[first] !== undefined) return;
    for (let i = 0; i < count; i++) this.store[first + i] = bytes.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
  }

  /** Stops reading ahead. */
  close(): void {
    this.prefetcher?.close();
  }

  private read(group: number): void {
    const first = group * GROUP_PAGES;
    const count = Math.min(GROUP_PAGES, this.pageCount - first);
    let bytes: Uint8Array | null;
    try {
      bytes = this.groups.group(group, count * PAGE_SIZE);
    } catch (e) {
      throw new StoredIndexDamaged(`stored page group ${group} cannot be read: ${(e as Error).message}`);
    }
    if (bytes === null) throw new StoredIndexDamaged(`stored page group ${group} is missing or damaged`);
    for (let i = 0; i < count; i++) this.store[first + i] = bytes.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
    this.groupsRead++;
  }
}

/** Ids of `table` that (re)materialising it over a cursor based on `base` with `dirty` pages reads (every id without a usable base). */
export function idsRead(table: PageTable, base: PageTable | null, dirty: Uint8Array | null): Iterable<number> {
  if (base === null || dirty === null || base.size !== table.size || base.store !== table.store) return table.ids;
  const out: number[] = [];
  for (let i = 0; i < table.ids.length; i++) if (table.ids[i] !== base.ids[i] || dirty[i] !== 0) out.push(table.ids[i]);
  return out;
}
