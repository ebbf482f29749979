/**
 * Writes a trace file while a program runs. The file is valid and readable from the moment
 * `create` returns: the module, the start-up data and the `recording` row (status 'recording')
 * are committed first, then the input log in chunks, each chunk committed on its own (WAL mode),
 * so a recorder killed at any moment leaves a trace that says it is incomplete and holds every
 * chunk flushed so far. `finish` writes the outcome, marks the trace complete and returns it to
 * a single file (rollback journal).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { OutputError } from '../errors.js';
import { ByteWriter } from './byteBuffer.js';
import { fileKind } from './fileKind.js';
import { encodeImportCall, type ImportCall, type MemoryWrite, type OutputBytes, type ParamType } from './inputLog.js';
import { APPLICATION_ID, FORMAT_VERSION, SCHEMA_SQL } from './schema.js';
import { WTRACE_VERSION } from './version.js';
import { KeyframeWriter, type GlobalValue } from './keyframes.js';
import { compressDetail } from './detailCodec.js';

/** One function import of the recorded module. */
export interface ImportInfo {
  /** Wasm function index (imports come first, in import order). */
  readonly functionIndex: number;
  readonly module: string;
  readonly name: string;
  readonly params: readonly ParamType[];
  readonly results: readonly string[];
  /** True when the recorder stubbed it with a trapping function (`--allow-unknown-imports`). */
  readonly stubbed: boolean;
}

export interface RecordingStart {
  readonly module: {
    /** Display name: the name section's module name or the file name without `.wasm`. */
    readonly name: string;
    readonly fileName: string;
    readonly bytes: Uint8Array;
    /** Offset of the code section payload (DWARF addresses are relative to it). */
    readonly codeOffset: number | undefined;
  };
  readonly detail: 'inputs' | 'full';
  readonly argv: readonly string[];
  readonly env: readonly string[];
  readonly preopens: readonly { hostPath: string; guestPath: string }[];
  readonly invoke: string | null;
  readonly stubUnknown: boolean;
  readonly imports: readonly ImportInfo[];
  /** `full` only: the bounds that may leave detail events out (none: every event is kept). */
  readonly detailBounds?: { readonly window?: { from: bigint; to: bigint } | null; readonly last?: bigint | null };
}

export interface RecordingEnd {
  readonly outcome: 'exit' | 'trap';
  readonly exitCode: number;
  readonly trap?: {
    readonly message: string;
    readonly functionIndex?: number;
    readonly functionName?: string;
    readonly pc?: number;
  };
  readonly instructionCount: bigint | null;
}

/** Flush a chunk when its raw encoding reaches this size... */
const CHUNK_BYTES = 1 << 20;
/** ...or when this long has passed since the last flush, so a killed recorder loses little. */
const CHUNK_MS = 250;

export class TraceWriter {
  private readonly log = new ByteWriter(CHUNK_BYTES + (64 << 10));
  /** Param types and call counts by function index (dense arrays: this is the hot path). */
  private readonly paramsOf: (readonly ParamType[] | undefined)[] = [];
  private readonly counts: number[] = [];
  private readonly insertChunk: Database.Statement;
  private readonly insertDetail: Database.Statement;
  private readonly keyframes: KeyframeWriter;
  private detailIndex = 0;
  private detailEvents = 0;
  private chunkIndex = 0;
  private chunkFirstCall = 0;
  private chunkFirstTime: bigint | null = null;
  private chunkLastTime: bigint | null = null;
  private callCount = 0;
  private lastFlush = performance.now();
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    imports: readonly ImportInfo[],
  ) {
    for (const i of imports) {
      this.paramsOf[i.functionIndex] = i.params;
      this.counts[i.functionIndex] = 0;
    }
    this.insertChunk = db.prepare(
      `INSERT INTO input_chunks (chunk_index, first_call, call_count, first_time, last_time, codec, raw_size, data)
       VALUES (?, ?, ?, ?, ?, 'zstd', ?, ?)`,
    );
    this.insertDetail = db.prepare(
      `INSERT INTO detail_chunks (chunk_index, first_time, end_time, event_count, codec, raw_size, data)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.keyframes = new KeyframeWriter(db);
  }

  /**
   * Creates `file` (replacing an existing trace there, never any other file) and commits the
   * start of the recording. Throws `OutputError` when the path cannot be written.
   */
  static create(file: string, start: RecordingStart): TraceWriter {
    const kind = fileKind(file);
    if (kind !== 'missing' && kind !== 'trace') {
      throw new OutputError(`${file}: exists and is not a wtrace trace; not overwriting it`);
    }
    const dir = path.dirname(path.resolve(file));
    if (!fs.existsSync(dir)) throw new OutputError(`${file}: directory ${dir} does not exist`);
    if (!fs.statSync(dir).isDirectory()) throw new OutputError(`${file}: ${dir} is not a directory`);
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    let db: Database.Database;
    try {
      db = new Database(file);
      // No fsync anywhere: a trace must survive the recorder being killed, which needs only the
      // OS to have the data (it has, once SQLite wrote it); surviving power loss is not a goal.
      db.pragma('synchronous = OFF');
      // Detail chunks are MB-sized blobs: 64 KiB pages cut their overflow-page chains 16-fold
      // (measured: a third less time inserting them). Small inputs-only traces keep 4 KiB pages.
      if (start.detail === 'full') db.pragma('page_size = 65536');
      db.pragma(`application_id = ${APPLICATION_ID}`);
    } catch (e) {
      throw new OutputError(`${file}: cannot write the trace file (${(e as Error).message})`, { cause: e });
    }
    db.pragma(`user_version = ${FORMAT_VERSION}`);
    db.exec(SCHEMA_SQL);
    // The start (with the module, possibly many MB) goes straight into the main file; only the
    // input log then passes through the WAL.
    writeStart(db, start);
    db.pragma('journal_mode = WAL');
    return new TraceWriter(db, file, start.imports);
  }

  /** Logs one import call. Write views may alias guest memory: they are copied here. */
  appendImportCall(call: Omit<ImportCall, 'index'>): void {
    this.logCall(call.functionIndex, call.time, call.args, call.result, call.writes, call.output);
  }

  /** `appendImportCall` without the call object, for the recorder's hot path. */
  logCall(
    functionIndex: number,
    time: bigint | null,
    args: readonly (number | bigint)[],
    result: number | null,
    writes: readonly MemoryWrite[],
    output: readonly OutputBytes[],
  ): void {
    const params = this.paramsOf[functionIndex];
    if (params === undefined) throw new Error(`function ${functionIndex} is not an import`);
    encodeImportCall(this.log, functionIndex, time, args, result, writes, output, params);
    if (time !== null) {
      if (this.chunkFirstTime === null) this.chunkFirstTime = time;
      this.chunkLastTime = time;
    }
    this.callCount++;
    this.counts[functionIndex]++;
    // Reading the clock costs more than encoding a small call: look at it every 64 calls.
    if (this.log.length >= CHUNK_BYTES || ((this.callCount & 63) === 0 && performance.now() - this.lastFlush >= CHUNK_MS)) {
      this.flush();
    }
  }

  get importCallCount(): number {
    return this.callCount;
  }

  /**
   * Commits buffered calls unless the last commit was under `minMs` ago. The recorder calls it
   * before an import that may block (a read from stdin, poll_oneoff), so a program killed
   * while waiting for input leaves everything up to that call in the trace.
   */
  flushIfOlderThan(minMs: number): void {
    if (this.callCount > this.chunkFirstCall && performance.now() - this.lastFlush >= minMs) this.flush();
  }

  /**
   * Stores one chunk of detail events (instrument/detailEvents.ts encoding; copied and
   * compressed here) covering instruction times [firstTime, endTime], committed on its own.
   */
  appendDetail(events: Uint8Array, firstTime: bigint, endTime: bigint, eventCount: number): void {
    this.appendEncodedDetail(compressDetail(events), 'zstd', events.length, firstTime, endTime, eventCount);
  }

  /**
   * Stores a chunk already encoded elsewhere (compressed off the program's thread, or kept raw
   * when compression falls behind): `codec` is `zstd` (level 1, see `compressDetail`) or `raw`.
   */
  appendEncodedDetail(
    data: Uint8Array,
    codec: 'zstd' | 'raw',
    rawSize: number,
    firstTime: bigint,
    endTime: bigint,
    eventCount: number,
    index: number = this.reserveDetailIndex(),
  ): void {
    this.insertDetail.run(index, firstTime, endTime, eventCount, codec, rawSize, data);
    this.detailEvents += eventCount;
  }

  /** The next chunk's index, for a chunk written later (chunks may then arrive out of order). */
  reserveDetailIndex(): number {
    return this.detailIndex++;
  }

  /** Stores the memory (and exported globals) at `time`; unchanged pages cost nothing. */
  addKeyframe(time: bigint, memory: Uint8Array, globals: readonly GlobalValue[]): void {
    this.keyframes.add(time, memory, globals);
  }

  /** Detail events stored so far. */
  get detailEventCount(): number {
    return this.detailEvents;
  }

  /** Commits the buffered calls as one chunk. */
  flush(): void {
    this.lastFlush = performance.now();
    const n = this.callCount - this.chunkFirstCall;
    if (n === 0) return;
    const raw = this.log.finish();
    const data = zlib.zstdCompressSync(raw, { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } });
    this.insertChunk.run(
      this.chunkIndex++,
      this.chunkFirstCall,
      n,
      this.chunkFirstTime,
      this.chunkLastTime,
      raw.length,
      data,
    );
    this.log.reset();
    this.chunkFirstCall = this.callCount;
    this.chunkFirstTime = this.chunkLastTime = null;
  }

  /** Writes the outcome and marks the trace complete; the writer is closed afterwards. */
  finish(end: RecordingEnd): void {
    this.flush();
    const db = this.db;
    db.transaction(() => {
      db.prepare(
        `UPDATE recording SET status = 'complete', finished_at = ?, outcome = ?, exit_code = ?,
           trap_message = ?, trap_function = ?, trap_function_name = ?, trap_pc = ?,
           instruction_count = ?, import_call_count = ? WHERE id = 1`,
      ).run(
        new Date().toISOString(),
        end.outcome,
        end.exitCode,
        end.trap?.message ?? null,
        end.trap?.functionIndex ?? null,
        end.trap?.functionName ?? null,
        end.trap?.pc ?? null,
        end.instructionCount,
        this.callCount,
      );
      const setCount = db.prepare('UPDATE imports SET call_count = ? WHERE function_index = ?');
      for (const row of db.prepare('SELECT function_index AS f FROM imports').all() as { f: number }[]) {
        setCount.run(this.counts[row.f] ?? 0, row.f);
      }
    })();
    this.close();
  }

  /** Closes without marking the trace complete (it stays readable, reported as incomplete). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.db.pragma('journal_mode = DELETE');
    this.db.close();
  }
}

function writeStart(db: Database.Database, s: RecordingStart): void {
  db.transaction(() => {
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('format_version', String(FORMAT_VERSION));
    meta.run('created_by', `wtrace ${WTRACE_VERSION}`);
    db.prepare(
      `INSERT INTO modules (module_id, name, file_name, sha256, size, code_offset, bytes) VALUES (0, ?, ?, ?, ?, ?, ?)`,
    ).run(
      s.module.name,
      s.module.fileName,
      createHash('sha256').update(s.module.bytes).digest('hex'),
      s.module.bytes.length,
      s.module.codeOffset ?? null,
      s.module.bytes,
    );
    db.prepare(
      `INSERT INTO recording (id, status, detail, started_at, argv, env, preopens, invoke, stub_unknown,
         wtrace_version, node_version, arch, platform, detail_window_from, detail_window_to, detail_last)
       VALUES (1, 'recording', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      s.detail,
      new Date().toISOString(),
      JSON.stringify(s.argv),
      JSON.stringify(s.env),
      JSON.stringify(s.preopens),
      s.invoke,
      s.stubUnknown ? 1 : 0,
      WTRACE_VERSION,
      process.version,
      process.arch,
      process.platform,
      s.detailBounds?.window?.from ?? null,
      s.detailBounds?.window?.to ?? null,
      s.detailBounds?.last ?? null,
    );
    const imp = db.prepare(
      `INSERT INTO imports (function_index, module, name, params, results, stubbed) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const i of s.imports) {
      imp.run(i.functionIndex, i.module, i.name, i.params.join(' '), i.results.join(' '), i.stubbed ? 1 : 0);
    }
  })();
}
