/**
 * Keyframes: the program's linear memory (and exported globals) at one time, stored as 64 KiB
 * pages deduplicated by content hash, so a keyframe costs only the pages that changed since any
 * earlier one. A replay starts from the keyframe at or before the time it wants and applies the
 * detail events after it.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import type Database from 'better-sqlite3';

/** Bytes per stored page: the Wasm page size. */
export const PAGE_SIZE = 65536;

/** A global's value at a keyframe: i32/f32/f64 as numbers, i64 as a decimal string. */
export interface GlobalValue {
  readonly name: string;
  readonly value: number | string;
}

export interface KeyframeInfo {
  readonly index: number;
  readonly time: bigint;
  readonly memorySize: number;
  readonly pageHashes: readonly string[];
  readonly globals: readonly GlobalValue[];
}

/** Writes keyframes into an open trace, storing each distinct page once. */
export class KeyframeWriter {
  private readonly known = new Set<string>();
  private readonly insertPage: Database.Statement;
  private readonly insertKeyframe: Database.Statement;
  private next = 0;
  /** Pages stored so far (distinct contents). */
  pagesStored = 0;

  constructor(db: Database.Database) {
    this.insertPage = db.prepare('INSERT OR IGNORE INTO memory_pages (hash, data) VALUES (?, ?)');
    this.insertKeyframe = db.prepare(
      'INSERT INTO keyframes (keyframe_index, time, memory_size, page_hashes, globals) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** Stores `memory` (copied) as the state at `time`. */
  add(time: bigint, memory: Uint8Array, globals: readonly GlobalValue[]): void {
    const hashes: string[] = [];
    for (let at = 0; at < memory.length; at += PAGE_SIZE) {
      const page = memory.subarray(at, Math.min(at + PAGE_SIZE, memory.length));
      const hash = createHash('sha256').update(page).digest('hex');
      if (!this.known.has(hash)) {
        this.known.add(hash);
        this.insertPage.run(hash, zlib.zstdCompressSync(page, { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } }));
        this.pagesStored++;
      }
      hashes.push(hash);
    }
    this.insertKeyframe.run(this.next++, time, memory.length, hashes.join(' '), JSON.stringify(globals));
  }
}

/** Reads keyframes and rebuilds memory from their pages. */
export function readKeyframes(db: Database.Database): KeyframeInfo[] {
  const rows = db
    .prepare('SELECT keyframe_index, time, memory_size, page_hashes, globals FROM keyframes ORDER BY time')
    .safeIntegers(true)
    .all() as { keyframe_index: bigint; time: bigint; memory_size: bigint; page_hashes: string; globals: string }[];
  return rows.map((r) => ({
    index: Number(r.keyframe_index),
    time: r.time,
    memorySize: Number(r.memory_size),
    pageHashes: r.page_hashes === '' ? [] : r.page_hashes.split(' '),
    globals: JSON.parse(r.globals),
  }));
}

/** The memory bytes of a keyframe. */
export function keyframeMemory(db: Database.Database, keyframe: KeyframeInfo): Uint8Array {
  const out = new Uint8Array(keyframe.memorySize);
  const get = db.prepare('SELECT data FROM memory_pages WHERE hash = ?');
  keyframe.pageHashes.forEach((hash, i) => {
    const row = get.get(hash) as { data: Buffer } | undefined;
    if (row === undefined) throw new Error(`keyframe ${keyframe.index} names page ${hash}, which is not stored`);
    out.set(zlib.zstdDecompressSync(row.data), i * PAGE_SIZE);
  });
  return out;
}
