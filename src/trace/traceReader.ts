/**
 * Reads a trace file: what was recorded (module, start-up data, outcome) and the input log.
 * Opens read-only and never changes the file. Every SQLite failure on a damaged file surfaces as
 * `TraceFormatError` naming the file; a trace of another version as `TraceVersionError`.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { InputError } from '../errors.js';
import { CodecError } from './byteBuffer.js';
import { decompressDetail } from './detailCodec.js';
import { TraceFormatError, TraceVersionError } from './errors.js';
import { fileKind } from './fileKind.js';
import { eachImportCall, type ImportCall, type ParamType } from './inputLog.js';
import { APPLICATION_ID, FORMAT_VERSION } from './schema.js';
import type { ImportInfo } from './traceWriter.js';
import { keyframeMemory, readKeyframes, type KeyframeInfo } from './keyframes.js';
import { PageGroupReader, readStoredTimeline, storedTimelineSize, timelineBinding, type StoredTimeline } from './timelineStore.js';

/** Sizes and counts of the detail part of a trace (all zero for `--detail inputs`). */
export interface DetailSummary {
  readonly chunks: number;
  readonly events: number;
  /** Decoded and stored (compressed) sizes of the detail events. */
  readonly rawBytes: number;
  readonly storedBytes: number;
  readonly keyframes: number;
  /** Distinct memory pages stored for keyframes, and their compressed size. */
  readonly pages: number;
  readonly pageBytes: number;
}

/** One chunk of detail events, decompressed (instrument/detailEvents.ts encoding). */
export interface DetailChunk {
  /** The chunk's `chunk_index` in the file (for `detailChunk`). */
  readonly index: number;
  readonly firstTime: bigint;
  readonly endTime: bigint;
  readonly eventCount: number;
  readonly events: Uint8Array;
}

/** Everything about a recording except the input log itself. */
export interface TraceSummary {
  readonly formatVersion: number;
  /** False when the recorder stopped before finishing (killed, crashed, interrupted). */
  readonly complete: boolean;
  readonly detail: 'inputs' | 'full';
  readonly module: { name: string; fileName: string; sha256: string; size: number; codeOffset: number | null };
  readonly argv: string[];
  readonly env: string[];
  readonly preopens: { hostPath: string; guestPath: string }[];
  readonly invoke: string | null;
  readonly outcome:
    | { kind: 'exit'; exitCode: number }
    | { kind: 'trap'; exitCode: number; message: string; functionIndex: number | null; functionName: string | null; pc: number | null }
    | null;
  readonly instructionCount: bigint | null;
  /** Bounds given to `--detail full` that may leave events out; both null when every event was kept. */
  readonly detailBounds: { window: { from: bigint; to: bigint } | null; last: bigint | null };
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly recordedWith: { wtraceVersion: string; nodeVersion: string; arch: string; platform: string };
}

interface RecordingRow {
  status: string;
  detail: 'inputs' | 'full';
  started_at: string;
  finished_at: string | null;
  argv: string;
  env: string;
  preopens: string;
  invoke: string | null;
  outcome: 'exit' | 'trap' | null;
  exit_code: number | null;
  trap_message: string | null;
  trap_function: number | null;
  trap_function_name: string | null;
  trap_pc: number | null;
  instruction_count: bigint | null;
  detail_window_from: bigint | null;
  detail_window_to: bigint | null;
  detail_last: bigint | null;
  wtrace_version: string;
  node_version: string;
  arch: string;
  platform: string;
}

export class TraceReader {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** Opens `file` read-only after checking that it is a trace of this format version. */
  static open(file: string): TraceReader {
    const kind = fileKind(file);
    if (kind === 'missing') throw new InputError('not-found', `${file}: no such file`);
    if (kind === 'wasm') {
      throw new TraceFormatError(file, 'is a WebAssembly module, not a trace (record it with `wtrace record`)');
    }
    if (kind === 'other') throw new TraceFormatError(file, 'is not a wtrace trace (not an SQLite database)');
    if (kind === 'sqlite') throw new TraceFormatError(file, 'is an SQLite database but not a wtrace trace');
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      db.defaultSafeIntegers(false);
    } catch (e) {
      throw new TraceFormatError(file, `cannot be opened (${(e as Error).message})`, { cause: e });
    }
    const reader = new TraceReader(db, file);
    reader.guard(() => {
      const appId = db.pragma('application_id', { simple: true }) as number;
      if (appId >>> 0 !== APPLICATION_ID) throw new TraceFormatError(file, 'is not a wtrace trace');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== FORMAT_VERSION) throw new TraceVersionError(file, version, FORMAT_VERSION);
    });
    return reader;
  }

  /** Runs `fn`, turning SQLite and codec failures into `TraceFormatError` for this file. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof Database.SqliteError || e instanceof CodecError || e instanceof RangeError) {
        throw new TraceFormatError(this.path, `is damaged or truncated (${(e as Error).message})`, { cause: e });
      }
      if (e instanceof Error && /zstd|decompress/i.test(e.message)) {
        throw new TraceFormatError(this.path, `has a damaged input-log chunk (${e.message})`, { cause: e });
      }
      throw e;
    }
  }

  summary(): TraceSummary {
    return this.guard(() => {
      const m = this.db
        .prepare('SELECT name, file_name, sha256, size, code_offset FROM modules WHERE module_id = 0')
        .get() as { name: string; file_name: string; sha256: string; size: number; code_offset: number | null } | undefined;
      const r = this.db.prepare('SELECT * FROM recording WHERE id = 1').safeIntegers(true).get() as
        | Record<string, unknown>
        | undefined;
      if (m === undefined || r === undefined) throw new TraceFormatError(this.path, 'has no recording in it');
      const row = toNumbers(r) as unknown as RecordingRow;
      return {
        formatVersion: FORMAT_VERSION,
        complete: row.status === 'complete',
        detail: row.detail,
        module: { name: m.name, fileName: m.file_name, sha256: m.sha256, size: m.size, codeOffset: m.code_offset },
        argv: JSON.parse(row.argv),
        env: JSON.parse(row.env),
        preopens: JSON.parse(row.preopens),
        invoke: row.invoke,
        outcome: outcomeOf(row),
        instructionCount: row.instruction_count,
        detailBounds: {
          window: row.detail_window_from === null ? null : { from: row.detail_window_from, to: row.detail_window_to! },
          last: row.detail_last,
        },
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        recordedWith: {
          wtraceVersion: row.wtrace_version,
          nodeVersion: row.node_version,
          arch: row.arch,
          platform: row.platform,
        },
      };
    });
  }

  /** The original module bytes, exactly as recorded. */
  moduleBytes(): Uint8Array {
    return this.guard(() => {
      const row = this.db.prepare('SELECT bytes FROM modules WHERE module_id = 0').get() as { bytes: Buffer } | undefined;
      if (row === undefined) throw new TraceFormatError(this.path, 'has no module');
      return new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
    });
  }

  /** The module bytes after checking them against their recorded hash (`TraceFormatError` if they differ). */
  verifiedModuleBytes(): Uint8Array {
    const bytes = this.moduleBytes();
    const recorded = this.summary().module.sha256;
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (hash !== recorded) {
      throw new TraceFormatError(this.path, `its module bytes do not match their recorded hash (sha256 ${hash}, recorded ${recorded})`);
    }
    return bytes;
  }

  imports(): ImportInfo[] {
    return this.guard(() =>
      (this.db.prepare('SELECT * FROM imports ORDER BY function_index').all() as Record<string, any>[]).map((r) => ({
        functionIndex: r.function_index,
        module: r.module,
        name: r.name,
        params: r.params === '' ? [] : (r.params.split(' ') as ParamType[]),
        results: r.results === '' ? [] : r.results.split(' '),
        stubbed: r.stubbed === 1,
      })),
    );
  }

  /**
   * Every logged import call in order, decoded lazily: chunk by chunk, and within a chunk call by
   * call. A damaged chunk throws `TraceFormatError` where the iteration reaches the damage.
   */
  *importCalls(): Generator<ImportCall> {
    const params = new Map(this.imports().map((i) => [i.functionIndex, i.params]));
    const paramsOf = (f: number) => params.get(f);
    let expected = 0;
    for (let chunkIndex = 0; ; chunkIndex++) {
      const chunk = this.guard(
        () =>
          this.db
            .prepare('SELECT first_call, call_count, codec, data FROM input_chunks WHERE chunk_index = ?')
            .get(chunkIndex) as { first_call: number; call_count: number; codec: string; data: Buffer } | undefined,
      );
      if (chunk === undefined) return;
      // Decoded lazily (eachImportCall): damage inside a chunk throws where the reader reaches it.
      const calls = this.guard(() => {
        if (chunk.first_call !== expected) throw new CodecError(`input chunk ${chunkIndex} starts at call ${chunk.first_call}, expected ${expected}`);
        const raw = chunk.codec === 'zstd' ? zlib.zstdDecompressSync(chunk.data) : chunk.data;
        return eachImportCall(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), chunk.first_call, paramsOf);
      });
      const step = () => calls.next();
      let count = 0;
      for (let next = this.guard(step); !next.done; next = this.guard(step)) {
        count++;
        yield next.value;
      }
      this.guard(() => {
        if (count !== chunk.call_count) throw new CodecError(`input chunk ${chunkIndex} holds ${count} calls, not ${chunk.call_count}`);
      });
      expected += count;
    }
  }

  /**
   * Calls per import, by "module.name". Complete traces answer from their stored counts;
   * incomplete ones by decoding the log.
   */
  importCallCounts(): Map<string, number> {
    const imports = this.imports();
    const counts = new Map<string, number>();
    const key = (i: ImportInfo) => (i.module === 'wasi_snapshot_preview1' ? i.name : `${i.module}.${i.name}`);
    const stored = this.guard(
      () => this.db.prepare('SELECT function_index AS f, call_count AS n FROM imports').all() as { f: number; n: number | null }[],
    );
    if (this.summary().complete && stored.every((s) => s.n !== null)) {
      const byIndex = new Map(stored.map((s) => [s.f, s.n as number]));
      for (const i of imports) if ((byIndex.get(i.functionIndex) ?? 0) > 0) counts.set(key(i), byIndex.get(i.functionIndex)!);
      return counts;
    }
    const byIndex = new Map(imports.map((i) => [i.functionIndex, key(i)]));
    for (const call of this.importCalls()) {
      const k = byIndex.get(call.functionIndex)!;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  }

  /** What the trace holds besides the input log: detail event chunks and keyframes. */
  detailSummary(): DetailSummary {
    return this.guard(() => {
      const d = this.db
        .prepare(
          `SELECT count(*) AS chunks, coalesce(sum(event_count), 0) AS events, coalesce(sum(raw_size), 0) AS raw,
             coalesce(sum(length(data)), 0) AS stored FROM detail_chunks`,
        )
        .get() as { chunks: number; events: number; raw: number; stored: number };
      const k = this.db.prepare('SELECT count(*) AS n FROM keyframes').get() as { n: number };
      const p = this.db.prepare('SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS bytes FROM memory_pages').get() as {
        n: number;
        bytes: number;
      };
      return {
        chunks: d.chunks,
        events: d.events,
        rawBytes: d.raw,
        storedBytes: d.stored,
        keyframes: k.n,
        pages: p.n,
        pageBytes: p.bytes,
      };
    });
  }

  /** Detail chunks in time order, decompressed, starting with the one that holds `fromTime`. */
  *detailChunks(fromTime = 0n): Generator<DetailChunk> {
    const rows = this.guard(
      () =>
        this.db
          .prepare(
            `SELECT chunk_index FROM detail_chunks WHERE end_time >= ? ORDER BY chunk_index`,
          )
          .all(fromTime) as { chunk_index: number }[],
    );
    for (const { chunk_index } of rows) yield this.detailChunk(chunk_index);
  }

  /** The stored detail chunk with `chunk_index` `index`, decompressed (throws `TraceFormatError` if there is none). */
  detailChunk(index: number): DetailChunk {
    return this.guard(() => {
      this.chunkQuery ??= this.db.prepare('SELECT first_time, end_time, event_count, codec, data FROM detail_chunks WHERE chunk_index = ?').safeIntegers(true);
      const r = this.chunkQuery.get(index) as { first_time: bigint; end_time: bigint; event_count: bigint; codec: string; data: Buffer } | undefined;
      if (r === undefined) throw new TraceFormatError(this.path, `has no detail chunk ${index}`);
      const raw = r.codec === 'zstd' ? decompressDetail(r.data) : r.data;
      return {
        index,
        firstTime: r.first_time,
        endTime: r.end_time,
        eventCount: Number(r.event_count),
        events: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
      };
    });
  }

  private chunkQuery: Database.Statement | undefined;

  /** Keyframes in time order. */
  keyframes(): KeyframeInfo[] {
    return this.guard(() => readKeyframes(this.db));
  }

  /** The memory bytes stored for `keyframe`. */
  keyframeMemory(keyframe: KeyframeInfo): Uint8Array {
    return this.guard(() => keyframeMemory(this.db, keyframe));
  }

  /**
   * What a stored timeline index must have been built from to be trusted, as one string: the
   * recording (start time, detail level, module hash, instruction and import call counts) and a
   * digest of every detail chunk's index, times, event count, sizes (raw and stored) and last 16
   * stored bytes. Cheap (no chunk is read whole); an edit inside a chunk that keeps its stored
   * size and last bytes is not seen here (docs/trace-format.md, "Timeline index").
   */
  timelineBinding(): string {
    return this.guard(() => timelineBinding(this.db));
  }

  /** The stored timeline index, or null when the trace holds none (docs/trace-format.md, "Timeline index"). */
  storedTimeline(): StoredTimeline | null {
    return this.guard(() => readStoredTimeline(this.db));
  }

  /** Reads the stored timeline index's page groups (null for a missing or damaged group). */
  timelinePageGroups(): { group(index: number, rawSize: number): Uint8Array | null } {
    const groups = this.guard(() => new PageGroupReader(this.db));
    return { group: (index, rawSize) => this.guard(() => groups.group(index, rawSize)) };
  }

  /** Stored bytes of the timeline index (0 when there is none). */
  timelineIndexSize(): number {
    return this.guard(() => storedTimelineSize(this.db));
  }

  /** Stored (compressed) bytes of the input log, and its decoded size. */
  inputLogSize(): { stored: number; raw: number } {
    return this.guard(() => {
      const r = this.db
        .prepare('SELECT coalesce(sum(length(data)), 0) AS stored, coalesce(sum(raw_size), 0) AS raw FROM input_chunks')
        .get() as { stored: number; raw: number };
      return { stored: r.stored, raw: r.raw };
    });
  }

  /** Size of the trace file in bytes (plus its WAL, for a recording that was cut short). */
  fileSize(): number {
    let size = fs.statSync(this.path).size;
    try {
      size += fs.statSync(this.path + '-wal').size;
    } catch {
      /* no WAL: a finished trace */
    }
    return size;
  }

  close(): void {
    this.db.close();
  }
}

/** Columns that may exceed 2^53 and stay bigints. */
const BIGINT_COLUMNS = new Set(['instruction_count', 'detail_window_from', 'detail_window_to', 'detail_last']);

function toNumbers(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === 'bigint' && !BIGINT_COLUMNS.has(k) ? Number(v) : v;
  }
  return out;
}

function outcomeOf(row: RecordingRow): TraceSummary['outcome'] {
  if (row.outcome === 'exit') return { kind: 'exit', exitCode: row.exit_code ?? 0 };
  if (row.outcome === 'trap') {
    return {
      kind: 'trap',
      exitCode: row.exit_code ?? 0,
      message: row.trap_message ?? '',
      functionIndex: row.trap_function,
      functionName: row.trap_function_name,
      pc: row.trap_pc,
    };
  }
  return null;
}
