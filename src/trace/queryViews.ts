/**
 * The documented views of `wtrace query` (docs/query.md): TEMP tables materialized from a trace's
 * input log and module on the query's own connection. This module knows each view's columns and
 * how to fill it; it never writes to the trace file (TEMP lives outside it) and never runs user SQL.
 */
import type Database from 'better-sqlite3';
import { ByteReader } from '../wasm/byteReader.js';
import { readModuleInfo } from '../wasm/moduleInfo.js';
import { SourceMap, type LineRow } from '../source/index.js';
import type { ImportCall } from './inputLog.js';
import type { TraceReader } from './traceReader.js';

/** What a view is built from: the input log, the module bytes, or the detail events of `--detail full`. */
export type ViewSource = 'inputLog' | 'module' | 'detail';

export interface ViewDef {
  readonly name: string;
  readonly source: ViewSource;
  /** Column definitions for `CREATE TEMP TABLE`, in order. */
  readonly columns: string;
}

/** Every view, by name. Detail views exist as empty tables so that SQL naming them still prepares. */
export const VIEWS: readonly ViewDef[] = [
  {
    name: 'imports',
    source: 'inputLog',
    columns:
      'call_index INTEGER NOT NULL, time INTEGER, function_index INTEGER NOT NULL, module TEXT NOT NULL, ' +
      'name TEXT NOT NULL, args TEXT NOT NULL, result INTEGER, bytes_written INTEGER NOT NULL, writes INTEGER NOT NULL',
  },
  {
    name: 'output',
    source: 'inputLog',
    columns: 'call_index INTEGER NOT NULL, time INTEGER, stream TEXT NOT NULL, bytes BLOB NOT NULL, text TEXT NOT NULL',
  },
  {
    name: 'memory_writes_by_host',
    source: 'inputLog',
    columns: 'call_index INTEGER NOT NULL, address INTEGER NOT NULL, size INTEGER NOT NULL, bytes BLOB NOT NULL',
  },
  {
    name: 'functions',
    source: 'module',
    columns: 'function_index INTEGER NOT NULL, name TEXT, imported INTEGER NOT NULL, module TEXT, field TEXT',
  },
  {
    name: 'lines',
    source: 'module',
    columns: 'pc INTEGER NOT NULL, end_pc INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, "column" INTEGER NOT NULL, is_stmt INTEGER NOT NULL',
  },
  {
    name: 'calls',
    source: 'detail',
    columns:
      'call_id INTEGER NOT NULL, function_index INTEGER NOT NULL, name TEXT, caller_id INTEGER, caller_index INTEGER, depth INTEGER NOT NULL, ' +
      'enter_time INTEGER NOT NULL, exit_time INTEGER, enter_pc INTEGER NOT NULL, exit_pc INTEGER, args TEXT NOT NULL, results TEXT',
  },
  {
    name: 'writes',
    source: 'detail',
    columns:
      'time INTEGER NOT NULL, pc INTEGER NOT NULL, function_index INTEGER, kind TEXT NOT NULL, address INTEGER NOT NULL, size INTEGER NOT NULL, ' +
      'old_value BLOB, new_value BLOB', // old_value: NULL for a store of a --window/--last trace (docs/query.md)
  },
];

/** Creates every view as an empty TEMP table (cheap; filled later only when the SQL reads it). */
export function createViewTables(db: Database.Database): void {
  for (const v of VIEWS) db.exec(`CREATE TEMP TABLE ${v.name} (${v.columns})`);
}

/** Receives the rows of the detail views, each an array in its view's column order. */
export interface DetailRowSink {
  insert(view: 'calls' | 'writes', row: readonly unknown[]): void;
}

/**
 * Fills `calls` and `writes` from a trace's detail events. src/trace cannot decode them (the
 * decoder is in instrument/), so `queryTrace` is given one: replay/queryDetail.ts.
 */
export interface DetailViewFiller {
  fill(reader: TraceReader, names: ReadonlySet<string>, sink: DetailRowSink): void;
}

/**
 * Fills the named views, decoding the input log at most once and the detail events (through
 * `detail`) at most once.
 */
export function fillViews(db: Database.Database, reader: TraceReader, names: ReadonlySet<string>, detail: DetailViewFiller | null = null): void {
  if (names.has('functions')) fillFunctions(db, reader);
  if (names.has('lines')) fillLines(db, reader);
  if (detail !== null && (names.has('calls') || names.has('writes'))) {
    const calls = db.prepare('INSERT INTO temp.calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const writes = db.prepare('INSERT INTO temp.writes VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    detail.fill(reader, names, { insert: (view, row) => (view === 'calls' ? calls : writes).run(...row) });
  }
  const fromLog = ['imports', 'output', 'memory_writes_by_host'].filter((n) => names.has(n));
  if (fromLog.length > 0) fillFromInputLog(db, reader, new Set(fromLog));
}

const STREAMS = { 1: 'stdout', 2: 'stderr' } as const;

function fillFromInputLog(db: Database.Database, reader: TraceReader, names: ReadonlySet<string>): void {
  const byIndex = new Map(reader.imports().map((i) => [i.functionIndex, i]));
  const insertImport = db.prepare('INSERT INTO temp.imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertOutput = db.prepare('INSERT INTO temp.output VALUES (?, ?, ?, ?, ?)');
  const insertWrite = db.prepare('INSERT INTO temp.memory_writes_by_host VALUES (?, ?, ?, ?)');
  const text = new TextDecoder('utf-8');
  const fill = (call: ImportCall) => {
    if (names.has('imports')) {
      const imp = byIndex.get(call.functionIndex)!; // decodeImportCalls checked that it is an import
      const written = call.writes.reduce((n, w) => n + w.bytes.length, 0);
      insertImport.run(call.index, call.time, call.functionIndex, imp.module, imp.name, argsJson(call.args), call.result, written, call.writes.length);
    }
    if (names.has('output')) {
      for (const o of call.output) insertOutput.run(call.index, call.time, STREAMS[o.stream], o.bytes, text.decode(o.bytes));
    }
    if (names.has('memory_writes_by_host')) {
      for (const w of call.writes) insertWrite.run(call.index, w.address, w.bytes.length, w.bytes);
    }
  };
  for (const call of reader.importCalls()) fill(call);
}

/** i64 arguments as decimal strings (JSON numbers lose precision past 2^53); non-finite floats as strings. */
function argsJson(args: readonly (number | bigint)[]): string {
  return JSON.stringify(args.map((a) => (typeof a === 'bigint' || !Number.isFinite(a) ? String(a) : a)));
}

/**
 * Every row of the module's DWARF line tables with the pc range it covers, up to the next row:
 * end-of-sequence rows only end a range, and of several rows at one pc the last one counts (as
 * SourceMap.locationAt decides).
 */
function fillLines(db: Database.Database, reader: TraceReader): void {
  const map = SourceMap.fromModule(reader.moduleBytes());
  if (map === null) return;
  const insert = db.prepare('INSERT INTO temp.lines VALUES (?, ?, ?, ?, ?, ?)');
  let prev: LineRow | null = null;
  for (const row of map.rows()) {
    if (prev !== null && !prev.endSequence && row.pc > prev.pc) insert.run(prev.pc, row.pc, prev.file, prev.line, prev.column, prev.isStmt ? 1 : 0);
    prev = row;
  }
}

function fillFunctions(db: Database.Database, reader: TraceReader): void {
  const bytes = reader.moduleBytes();
  const info = readModuleInfo(bytes);
  const insert = db.prepare('INSERT INTO temp.functions VALUES (?, ?, ?, ?, ?)');
  const funcImports = info.imports.filter((i) => i.desc.kind === 'func');
  funcImports.forEach((imp, index) => insert.run(index, info.functionNames.get(index) ?? null, 1, imp.module, imp.name));
  const defined = definedFunctionCount(bytes);
  for (let index = funcImports.length; index < funcImports.length + defined; index++) {
    insert.run(index, info.functionNames.get(index) ?? null, 0, null, null);
  }
}

/**
 * Entries in the function section (functions the module defines). `readModuleInfo` does not
 * report it; the module was validated when recorded, so only the section headers are walked.
 */
function definedFunctionCount(bytes: Uint8Array): number {
  const r = new ByteReader(bytes, 8);
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    if (id === 3) return r.u32();
    r.offset += size;
  }
  return 0;
}
