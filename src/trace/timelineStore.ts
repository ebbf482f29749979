/**
 * The stored timeline index (docs/trace-format.md, "Timeline index"): two optional tables that
 * hold what the replay's timeline builds in its pass over the detail events, so that the next
 * open reads it instead of repeating the pass. This layer owns the tables and moves their bytes;
 * what the bytes mean belongs to replay/timeline, which serialises its structures.
 *
 * The tables are a cache: a trace without them is complete, and a reader that does not know them
 * ignores them (adding them does not bump FORMAT_VERSION). Every stored index names what it was
 * built from (`binding`); a reader trusts it only when that matches the trace as it is now.
 *
 * Must not: change any other table.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { FORMAT_VERSION } from './schema.js';

export const TIMELINE_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS timeline_index (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  version       INTEGER NOT NULL,
  binding       TEXT NOT NULL,
  raw_size      INTEGER NOT NULL,
  data          BLOB NOT NULL,
  segment_size  INTEGER NOT NULL,
  group_offsets BLOB NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS timeline_pages (
  segment INTEGER PRIMARY KEY,
  data    BLOB NOT NULL
) STRICT;
`;

/**
 * The compressed page groups are stored back to back as one byte stream cut into rows of this
 * many bytes less than the database page size, so that each row fits one database page (a row
 * per group would leave most of a 64 KiB page empty): a group is read from the one or two rows
 * its byte range falls in.
 */
const SEGMENT_SLACK = 128;

/** The stored index's header and its (decompressed) structure bytes. */
export interface StoredTimeline {
  readonly version: number;
  readonly binding: string;
  /** The serialised structures, decompressed and checked (null when their bytes are damaged). */
  readonly data: Uint8Array | null;
}

/** What a writer hands over: the header, the structures' bytes and the page groups in order. */
export interface TimelineToStore {
  readonly version: number;
  readonly binding: string;
  readonly data: Uint8Array;
  /** Page group i's bytes (raw), for i = 0, 1, ... */
  readonly groups: Iterable<Uint8Array>;
}

/** Why a stored index could not be written: the trace's file or directory is read-only, or another process holds it. */
export class TimelineWriteRefused extends Error {}

/** zstd at level 1 with its content checksum on, so that any damaged byte fails decompression. */
function compress(bytes: Uint8Array): Buffer {
  return zlib.zstdCompressSync(bytes, {
    params: { [zlib.constants.ZSTD_c_compressionLevel]: 1, [zlib.constants.ZSTD_c_checksumFlag]: 1 },
  });
}

/** `data` decompressed when it yields exactly `rawSize` bytes, else null (damaged). */
export function decompressChecked(data: Uint8Array, rawSize: number): Uint8Array | null {
  try {
    const out = zlib.zstdDecompressSync(data, { chunkSize: Math.max(64, rawSize) }); // one output buffer: no joining of 16 KiB pieces
    return out.length === rawSize ? new Uint8Array(out.buffer, out.byteOffset, out.length) : null;
  } catch {
    return null;
  }
}

/** `TraceReader.timelineBinding`: the recording's identity and a digest of its detail chunk rows, as one string. */
export function timelineBinding(db: Database.Database): string {
  const r = db
    .prepare('SELECT started_at, instruction_count, import_call_count, detail FROM recording WHERE id = 1')
    .safeIntegers(true)
    .get() as { started_at: string; instruction_count: bigint | null; import_call_count: bigint | null; detail: string } | undefined;
  const m = db.prepare('SELECT sha256 FROM modules WHERE module_id = 0').get() as { sha256: string } | undefined;
  const chunks = createHash('sha256');
  let count = 0;
  const rows = db
    .prepare('SELECT chunk_index, first_time, end_time, event_count, raw_size, length(data), hex(substr(data, -16)) FROM detail_chunks ORDER BY chunk_index')
    .safeIntegers(true)
    .raw(true);
  for (const row of rows.iterate() as Iterable<unknown[]>) {
    chunks.update(`${row.join(':')}\n`);
    count++;
  }
  const text = (v: bigint | null | undefined) => (v === null || v === undefined ? null : v.toString());
  return JSON.stringify({
    format: FORMAT_VERSION, started: r?.started_at ?? null, detail: r?.detail ?? null, module: m?.sha256 ?? null,
    instructions: text(r?.instruction_count), importCalls: text(r?.import_call_count), chunks: count, chunkDigest: chunks.digest('hex'),
  });
}

/** Stored bytes of the timeline index (0 when the trace has none). */
export function storedTimelineSize(db: Database.Database): number {
  const has = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('timeline_index', 'timeline_pages')").get() as { n: number };
  if (has.n < 2) return 0;
  const r = db
    .prepare('SELECT (SELECT coalesce(sum(length(data)), 0) FROM timeline_index) + (SELECT coalesce(sum(length(data)), 0) FROM timeline_pages) AS n')
    .get() as { n: number };
  return r.n;
}

/** The stored index's row, or null when the trace has none (no table, or no row). */
export function readStoredTimeline(db: Database.Database): StoredTimeline | null {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'timeline_index'").get();
  if (table === undefined) return null;
  const row = db.prepare('SELECT version, binding, raw_size, data FROM timeline_index WHERE id = 1').get() as
    | { version: unknown; binding: unknown; raw_size: number; data: unknown }
    | undefined;
  if (row === undefined) return null;
  if (typeof row.version !== 'number' || typeof row.binding !== 'string' || !Buffer.isBuffer(row.data)) return { version: -1, binding: '', data: null };
  return { version: row.version, binding: row.binding, data: decompressChecked(row.data, row.raw_size) };
}

/** Reads stored page groups by index; null for a group that is missing or damaged. */
export class PageGroupReader {
  private readonly get: Database.Statement;
  private readonly offsets: Float64Array;
  private readonly segmentSize: number;

  constructor(db: Database.Database) {
    this.get = db.prepare('SELECT data FROM timeline_pages WHERE segment = ?');
    const row = db.prepare('SELECT segment_size, group_offsets FROM timeline_index WHERE id = 1').get() as { segment_size: number; group_offsets: Buffer } | undefined;
    const ok = row !== undefined && Buffer.isBuffer(row.group_offsets) && row.group_offsets.length % 8 === 0 && row.segment_size > 0;
    this.offsets = ok ? new Float64Array(Uint8Array.from(row.group_offsets).buffer) : new Float64Array(0);
    this.segmentSize = ok ? row.segment_size : 1;
  }

  /** The last segment read: neighbouring groups share segments, and callers read groups in order. */
  private last: { index: number; data: Buffer } | null = null;

  private segment(index: number): Buffer | null {
    if (this.last?.index === index) return this.last.data;
    const row = this.get.get(index) as { data: unknown } | undefined;
    if (row === undefined || !Buffer.isBuffer(row.data)) return null;
    this.last = { index, data: row.data };
    return row.data;
  }

  /** Group `index` decompressed, when it holds exactly `rawSize` bytes and passes zstd's checksum; else null. */
  group(index: number, rawSize: number): Uint8Array | null {
    if (index + 1 >= this.offsets.length) return null;
    const start = this.offsets[index];
    const end = this.offsets[index + 1];
    if (!(end > start)) return null;
    const first = Math.floor(start / this.segmentSize);
    const last = Math.floor((end - 1) / this.segmentSize);
    const parts: Buffer[] = [];
    for (let seg = first; seg <= last; seg++) {
      const data = this.segment(seg);
      if (data === null) return null;
      parts.push(data);
    }
    const joined = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const from = start - first * this.segmentSize;
    return decompressChecked(joined.subarray(from, from + (end - start)), rawSize);
  }
}

/**
 * Writes `index` into `file`, replacing any stored one, in one transaction (all or nothing).
 * Returns the bytes stored. Throws `TimelineWriteRefused` when the file cannot be written now:
 * read-only, in a read-only directory (no room for SQLite's journal), or locked by another process.
 */
export function writeStoredTimeline(file: string, index: TimelineToStore): number {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 200 });
  } catch (e) {
    throw new TimelineWriteRefused((e as Error).message, { cause: e });
  }
  try {
    let stored = 0;
    db.transaction(() => {
      db.exec(TIMELINE_SCHEMA_SQL);
      db.exec('DELETE FROM timeline_index; DELETE FROM timeline_pages;');
      const segmentSize = Math.max(1024, (db.pragma('page_size', { simple: true }) as number) - SEGMENT_SLACK);
      const insertSegment = db.prepare('INSERT INTO timeline_pages (segment, data) VALUES (?, ?)');
      const offsets: number[] = [0];
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let segment = 0;
      const flush = (all: boolean) => {
        while (pendingBytes >= segmentSize || (all && pendingBytes > 0)) {
          const joined = Buffer.concat(pending);
          const size = Math.min(segmentSize, joined.length);
          insertSegment.run(segment++, joined.subarray(0, size));
          pending = size < joined.length ? [joined.subarray(size)] : [];
          pendingBytes = joined.length - size;
        }
      };
      for (const group of index.groups) {
        const data = compress(group);
        pending.push(data);
        pendingBytes += data.length;
        stored += data.length;
        offsets.push(stored);
        flush(false);
      }
      flush(true);
      const data = compress(index.data);
      db.prepare('INSERT INTO timeline_index (id, version, binding, raw_size, data, segment_size, group_offsets) VALUES (1, ?, ?, ?, ?, ?, ?)').run(
        index.version, index.binding, index.data.length, data, segmentSize, Buffer.from(Float64Array.from(offsets).buffer),
      );
      stored += data.length;
    }).immediate();
    return stored;
  } catch (e) {
    if (e instanceof Database.SqliteError && /READONLY|BUSY|LOCKED|CANTOPEN|PERM|IOERR/.test(e.code)) {
      throw new TimelineWriteRefused(e.message, { cause: e });
    }
    throw e;
  } finally {
    db.close();
  }
}
