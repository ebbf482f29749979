/** `wtrace query`: one read-only SQL statement over a trace's views, as a text table, JSON or CSV. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { QueryResult, QueryValue } from '../trace/index.js';

export function registerQuery(program: Command, setExit: (code: number) => void): void {
  program
    .command('query')
    .description('run one read-only SQL statement over views of an execution (docs/query.md)')
    .argument('<trace>', 'the trace file')
    .argument('<sql>', 'one SQL statement, e.g. "SELECT name, count(*) FROM imports GROUP BY name"')
    .option('--json', 'print a JSON array of row objects')
    .option('--csv', 'print CSV (RFC 4180) with a header row')
    .action(async (file: string, sql: string, flags: { json?: boolean; csv?: boolean }) => {
      if (flags.json && flags.csv) throw new UsageError('choose one of --json and --csv');
      const { queryTrace } = await import('../trace/query.js');
      const { detailViews } = await import('../../replay/queryDetail.js');
      const result = queryTrace(file, sql, { detail: detailViews });
      process.stdout.write(flags.json ? formatJson(result) : flags.csv ? formatCsv(result) : formatTable(result));
      setExit(0);
    });
}

/**
 * Aligned columns under a header and a rule, two spaces apart; numbers (and the header and NULLs
 * of all-number columns) right-aligned, `NULL` for
 * NULL, `<N bytes>` for a BLOB, control characters in text escaped so that a row stays one line.
 */
export function formatTable(result: QueryResult): string {
  const { columns, rows } = result;
  const cells = rows.map((r) => r.map(tableCell));
  const numeric = columns.map((_, c) => rows.some((r) => isNumber(r[c])) && rows.every((r) => r[c] === null || isNumber(r[c])));
  const widths = columns.map((name, c) => Math.max(name.length, ...cells.map((r) => r[c].length)));
  const line = (values: string[], right: (c: number) => boolean) =>
    values.map((v, c) => (right(c) ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ').trimEnd() + '\n';
  let out = line([...columns], (c) => numeric[c]);
  out += line(widths.map((w) => '-'.repeat(w)), () => false);
  rows.forEach((r, i) => (out += line(cells[i], (c) => isNumber(r[c]) || (r[c] === null && numeric[c]))));
  return out;
}

/** An array of row objects; bigints and BLOBs (hex) as strings. A repeated column name keeps its last value. */
export function formatJson(result: QueryResult): string {
  const objects = result.rows.map((r) => Object.fromEntries(result.columns.map((name, c) => [name, jsonValue(r[c])])));
  return JSON.stringify(objects, null, 2) + '\n';
}

/** A header row, then one record per row, CRLF line ends; NULL is an empty field, a BLOB is hex. */
export function formatCsv(result: QueryResult): string {
  const record = (values: string[]) => values.map(csvField).join(',') + '\r\n';
  return record([...result.columns]) + result.rows.map((r) => record(r.map(csvValue))).join('');
}

function isNumber(v: QueryValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint';
}

function tableCell(v: QueryValue): string {
  if (v === null) return 'NULL';
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (typeof v === 'string') return escapeControls(v);
  return String(v);
}

function escapeControls(s: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };
  return s.replace(/[\x00-\x1f\x7f\\]/g, (ch) => named[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function jsonValue(v: QueryValue): null | number | string {
  if (v instanceof Uint8Array) return hex(v);
  if (typeof v === 'bigint') return String(v);
  return v;
}

function csvValue(v: QueryValue): string {
  if (v === null) return '';
  if (v instanceof Uint8Array) return hex(v);
  return String(v);
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
