/**
 * `queryTrace()`: runs one read-only SQL statement over a trace, after materializing the views
 * of docs/query.md that the statement reads as TEMP tables. The trace file is opened read-only
 * and never changes; a statement that would write, more than one statement, or a statement that
 * returns no rows is refused before anything runs.
 */
import Database from 'better-sqlite3';
import { ExitCode, WtraceError } from '../errors.js';
import { TraceFormatError } from './errors.js';
import { TraceReader } from './traceReader.js';
import { SourceMap } from '../source/index.js';
import { createViewTables, fillViews, VIEWS, type DetailViewFiller } from './queryViews.js';

/** The SQL cannot be run on this trace: syntax or name error, a write, several statements, a detail view. */
export class QueryError extends WtraceError {
  /** `code`: `bad-sql`, `write-sql`, `not-one-statement`, `no-rows` or `needs-detail`. */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, ExitCode.usage, options);
  }
}

/** A value as SQLite returns it; integers past 2^53 stay bigint, BLOBs are Uint8Array (Buffer). */
export type QueryValue = null | number | bigint | string | Uint8Array;

export interface QueryResult {
  /** Column names in order (may repeat, as SQL allows: `SELECT 1 AS a, 2 AS a`). */
  readonly columns: readonly string[];
  /** Rows in the order the statement returned them; each has one value per column. */
  readonly rows: readonly (readonly QueryValue[])[];
}

export interface QueryOptions {
  /**
   * Fills the detail views `calls` and `writes` (replay/queryDetail.ts `detailViews`; the library
   * entry's `queryTrace` passes it). Without it a statement reading them is a `needs-detail` error.
   */
  readonly detail?: DetailViewFiller;
}

/**
 * Runs `sql` on the trace `file`. Throws `QueryError` for SQL that cannot run here (naming the
 * file), and the trace reader's errors for a file that is not a readable trace. A detail view
 * (`calls`, `writes`) on a trace without detail events is a `needs-detail` error (naming
 * `wtrace index`), not an SQL error.
 */
export function queryTrace(file: string, sql: string, options: QueryOptions = {}): QueryResult {
  const reader = TraceReader.open(file);
  // A second connection of our own: TraceReader's is private, and TEMP tables belong to one connection.
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    reader.close();
    throw new TraceFormatError(file, `cannot be opened (${(e as Error).message})`, { cause: e });
  }
  try {
    createViewTables(db);
    addSourceFunctions(db, reader);
    const hasDetail = reader.detailSummary().chunks > 0;
    prepareChecked(db, file, sql, hasDetail);
    const read = viewsRead(db, sql);
    const detail = VIEWS.filter((v) => v.source === 'detail' && read.has(v.name)).map((v) => v.name);
    if (detail.length > 0 && !hasDetail) throw detailError(file, detail[0], false);
    if (detail.length > 0 && options.detail === undefined) throw detailError(file, detail[0], true);
    db.transaction(() => fillViews(db, reader, read, options.detail ?? null))();
    // Re-prepared after filling: the first statement was planned over empty tables.
    const stmt = db.prepare(sql).safeIntegers(true).raw(true);
    const columns = stmt.columns().map((c) => c.name);
    const rows = runGuarded(file, () => stmt.all() as QueryValue[][]);
    return { columns, rows: rows.map((r) => r.map(narrow)) };
  } finally {
    db.close();
    reader.close();
  }
}

/** Prepares `sql` once to check it: one statement, parses, names existing things, reads only, returns rows. */
function prepareChecked(db: Database.Database, file: string, sql: string, hasDetail: boolean): void {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare(sql);
  } catch (e) {
    if (e instanceof RangeError && /more than one statement/.test(e.message)) {
      throw new QueryError('not-one-statement', `query on ${file}: give exactly one SQL statement (found more than one)`);
    }
    if (e instanceof RangeError && /no statements/.test(e.message)) {
      throw new QueryError('not-one-statement', `query on ${file}: the SQL is empty`);
    }
    if (e instanceof Database.SqliteError) {
      // `SELECT * FROM calls WHERE nonexistent` on an inputs-only trace: the missing detail is the real problem.
      const named = !hasDetail && namedDetailView(sql);
      if (named) throw detailError(file, named, false);
      throw new QueryError('bad-sql', `SQL error in query on ${file}: ${e.message}`, { cause: e });
    }
    throw e;
  }
  if (!stmt.readonly) {
    throw new QueryError('write-sql', `query on ${file}: refused a statement that would write; wtrace query only reads (the trace is opened read-only)`);
  }
  if (!stmt.reader) {
    throw new QueryError('no-rows', `query on ${file}: the statement returns no rows; give a SELECT (or WITH, VALUES, EXPLAIN, a read-only PRAGMA)`);
  }
}

/**
 * The views the prepared statement would read, from the table cursors its bytecode opens on the
 * TEMP database (schema 1). An `EXPLAIN` statement reads no tables, so it gets none.
 */
function viewsRead(db: Database.Database, sql: string): Set<string> {
  let program: { opcode: string; p2: number; p3: number }[];
  try {
    program = db.prepare(`EXPLAIN ${sql}`).all() as typeof program;
  } catch {
    return new Set(); // the user's statement is itself an EXPLAIN
  }
  const byRoot = new Map(
    (db.prepare('SELECT rootpage, tbl_name FROM sqlite_temp_master').all() as { rootpage: number; tbl_name: string }[]).map(
      (r) => [r.rootpage, r.tbl_name],
    ),
  );
  const read = new Set<string>();
  for (const op of program) {
    if (op.opcode === 'OpenRead' && op.p3 === 1 && byRoot.has(op.p2)) read.add(byRoot.get(op.p2)!);
  }
  return read;
}

/** A detail view named after FROM or JOIN, outside string literals and comments; for error messages only. */
function namedDetailView(sql: string): string | undefined {
  const code = sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, ' ');
  const names = VIEWS.filter((v) => v.source === 'detail').map((v) => v.name).join('|');
  const m = new RegExp(`\\b(?:from|join)\\s+(?:temp\\s*\\.\\s*)?["\`\\[]?(${names})\\b`, 'i').exec(code);
  return m?.[1].toLowerCase();
}

function detailError(file: string, view: string, hasDetail: boolean): QueryError {
  return hasDetail
    ? new QueryError('needs-detail', `query on ${file}: the ${view} view is filled by the replay layer; call queryTrace from the library entry (\`wtrace\`) or use \`wtrace query\``)
    : new QueryError(
        'needs-detail',
        `query on ${file}: the ${view} view needs the detail index, and this trace holds the input log only; ` +
          `build it with \`wtrace index ${file}\` (re-executes the run and adds detail events to the trace), then query again`,
      );
}

/**
 * SQL functions over pcs: \`source_file(pc)\` and \`source_line(pc)\` (the DWARF line row covering
 * the pc, NULL without one). The line tables are read on first use only.
 */
function addSourceFunctions(db: Database.Database, reader: TraceReader): void {
  let map: SourceMap | null | undefined;
  const at = (pc: unknown) => {
    if (typeof pc !== 'number' && typeof pc !== 'bigint') return null;
    map ??= SourceMap.fromModule(reader.moduleBytes());
    return map?.locationAt(Number(pc)) ?? null;
  };
  db.function('source_file', { deterministic: true }, (pc) => at(pc)?.file ?? null);
  db.function('source_line', { deterministic: true }, (pc) => at(pc)?.line ?? null);
}

function runGuarded<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Database.SqliteError || e instanceof RangeError) {
      throw new QueryError('bad-sql', `SQL error in query on ${file}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/** Integers as numbers where that is exact; bigint only past 2^53. */
function narrow(v: unknown): QueryValue {
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return v as QueryValue;
}
