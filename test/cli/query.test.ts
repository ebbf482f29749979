/**
 * `wtrace query`: the SQL views of docs/query.md over real recordings, checked against what the
 * C fixtures' sources do; refusals (writes, several statements, detail views) and SQL errors;
 * the table, JSON and CSV forms.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCsv, formatJson, formatTable } from '../../src/cli/queryCommand.js';
import { TraceReader } from '../../src/trace/index.js';
import { QueryError, queryTrace, type QueryResult } from '../../src/trace/query.js';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

const dir = tempDir();

function record(name: string, wasm: string, args: string[], options: { flags?: string[]; input?: string } = {}) {
  const trace = path.join(dir, `${name}.wtrace`);
  const r = wtrace(['record', ...(options.flags ?? []), '-o', trace, fixture(wasm), '--', ...args], { input: options.input });
  return { trace, ...r };
}

/** The rows of `sql` as objects (the shape `--json` prints, before bigints become strings). */
function rows(trace: string, sql: string): Record<string, unknown>[] {
  const r = queryTrace(trace, sql);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));
}

function scalar(trace: string, sql: string): unknown {
  return queryTrace(trace, sql).rows[0][0];
}

function queryError(fn: () => unknown): QueryError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    return e as QueryError;
  }
  throw new Error('expected a QueryError');
}

const data = tempDir();
const many = record('many', 'many_calls', ['50'], { flags: ['--dir', `${data}::/data`] });
const argsEnv = record('args', 'args_env', ['alpha', 'b c', 'ünï', 'FOO'], { flags: ['--env', 'FOO=bar'] });
const stdin = 'hello, world\nsecond line\n'.repeat(20);
const upper = record('upper', 'stdin_upper', [], { input: stdin });
const exit7 = record('exit7', 'exit_code', ['7']);

describe('the imports view', () => {
  it('counts the calls many_calls.c makes: one fd_write per record plus the stderr summary, a clock read every 10', () => {
    expect(many.status).toBe(0);
    const byName = Object.fromEntries(rows(many.trace, 'SELECT name, count(*) AS n FROM imports GROUP BY name').map((r) => [r.name, r.n]));
    expect(byName.fd_write).toBe(51);
    expect(byName.clock_time_get).toBe(5);
    expect(byName.path_open).toBe(1);
    // Records alternate between stdout (fd 1) and the file: 25 each.
    expect(scalar(many.trace, "SELECT count(*) FROM imports WHERE name = 'fd_write' AND json_extract(args, '$[0]') = 1")).toBe(25);
  });

  it('numbers calls from 0 without gaps, agrees with the raw main.imports counts, and has no time for an inputs trace', () => {
    const total = scalar(many.trace, 'SELECT count(*) FROM imports');
    expect(scalar(many.trace, 'SELECT max(call_index) + 1 FROM imports')).toBe(total);
    expect(scalar(many.trace, 'SELECT sum(call_count) FROM main.imports')).toBe(total);
    expect(scalar(many.trace, 'SELECT count(*) FROM imports WHERE time IS NOT NULL')).toBe(0);
  });

  it('writes i64 arguments as strings in args', () => {
    const [clock] = rows(many.trace, "SELECT args FROM imports WHERE name = 'clock_time_get' LIMIT 1");
    const args = JSON.parse(clock.args as string);
    expect(args).toHaveLength(3);
    expect(typeof args[0]).toBe('number'); // clock id: CLOCK_MONOTONIC
    expect(args[0]).toBe(1);
    expect(typeof args[1]).toBe('string'); // precision: i64
  });

  it("gives args_get's bytes written as the argv pointers plus the NUL-terminated strings", () => {
    expect(argsEnv.status).toBe(0);
    const argv = ['alpha', 'b c', 'ünï', 'FOO'];
    const recordedArgv = [fixture('args_env'), ...argv];
    const strings = recordedArgv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0);
    expect(rows(argsEnv.trace, "SELECT bytes_written, writes, result FROM imports WHERE name = 'args_get'")).toEqual([
      { bytes_written: 4 * recordedArgv.length + strings, writes: 2, result: 0 },
    ]);
    // args_sizes_get writes two u32: argc and the strings' size.
    expect(rows(argsEnv.trace, "SELECT bytes_written FROM imports WHERE name = 'args_sizes_get'")).toEqual([{ bytes_written: 8 }]);
  });

  it('has a NULL result for a call that did not return (proc_exit)', () => {
    expect(exit7.status).toBe(7);
    expect(rows(exit7.trace, "SELECT args, result FROM imports WHERE name = 'proc_exit'")).toEqual([{ args: '[7]', result: null }]);
  });
});

describe('the output and memory_writes_by_host views', () => {
  it("hold exactly the program's stdout and stderr, decoded", () => {
    expect(argsEnv.stdout).toContain('argv[3]=ünï');
    expect(scalar(argsEnv.trace, "SELECT group_concat(text, '' ORDER BY rowid) FROM output WHERE stream = 'stdout'")).toBe(argsEnv.stdout);
    expect(scalar(upper.trace, "SELECT group_concat(text, '' ORDER BY rowid) FROM output WHERE stream = 'stdout'")).toBe(stdin.toUpperCase());
    expect(scalar(upper.trace, "SELECT text FROM output WHERE stream = 'stderr'")).toBe(`read ${stdin.length} bytes\n`);
    // many_calls: the file's records are not program output.
    expect(scalar(many.trace, "SELECT count(*) FROM output WHERE stream = 'stdout'")).toBe(25);
    expect(scalar(many.trace, "SELECT text FROM output WHERE stream = 'stderr'")).toBe('writes: 25 to stdout, 25 to file; clock reads: 5\n');
    const bytes = scalar(upper.trace, "SELECT bytes FROM output WHERE stream = 'stderr'");
    expect(Buffer.from(bytes as Uint8Array).toString()).toBe(`read ${stdin.length} bytes\n`);
  });

  it("record every byte fd_read wrote: stdin's data plus a 4-byte count per call", () => {
    const reads = scalar(upper.trace, "SELECT count(*) FROM imports WHERE name = 'fd_read'") as number;
    expect(reads).toBeGreaterThan(Math.ceil(stdin.length / 7)); // 7-byte reads, then one at EOF
    expect(scalar(upper.trace, "SELECT sum(bytes_written) FROM imports WHERE name = 'fd_read'")).toBe(stdin.length + 4 * reads);
    expect(
      scalar(upper.trace, "SELECT sum(w.size) FROM memory_writes_by_host w JOIN imports i USING (call_index) WHERE i.name = 'fd_read'"),
    ).toBe(stdin.length + 4 * reads);
    const data = rows(upper.trace, "SELECT w.bytes FROM memory_writes_by_host w JOIN imports i USING (call_index) WHERE i.name = 'fd_read' AND w.size <> 4 ORDER BY call_index");
    expect(Buffer.concat(data.map((r) => r.bytes as Uint8Array)).toString()).toBe(stdin);
  });
});

describe('the functions view', () => {
  it('names main and lists the WASI imports first', () => {
    expect(rows(argsEnv.trace, "SELECT imported, module, field FROM functions WHERE name = 'main'")).toEqual([
      { imported: 0, module: null, field: null },
    ]);
    const imported = rows(argsEnv.trace, 'SELECT function_index, module, field FROM functions WHERE imported ORDER BY function_index');
    expect(imported.map((f) => f.field)).toEqual(expect.arrayContaining(['args_get', 'args_sizes_get', 'fd_write', 'proc_exit']));
    expect(imported.every((f) => f.module === 'wasi_snapshot_preview1')).toBe(true);
    expect(imported.map((f) => f.function_index)).toEqual(imported.map((_, i) => i));
    expect(scalar(argsEnv.trace, 'SELECT count(*) FROM main.imports')).toBe(imported.length);
    // Every call's function_index names an imported function.
    expect(scalar(argsEnv.trace, 'SELECT count(*) FROM imports i JOIN functions f USING (function_index) WHERE f.imported = 1')).toBe(
      scalar(argsEnv.trace, 'SELECT count(*) FROM imports'),
    );
  });
});

describe('refusals and errors', () => {
  it('refuses statements that would write, and leaves the trace unchanged', () => {
    const hash = () => createHash('sha256').update(fs.readFileSync(many.trace)).digest('hex');
    const before = hash();
    for (const sql of ['DELETE FROM main.imports', "INSERT INTO imports (call_index) VALUES (1)", 'CREATE TEMP TABLE t (a)', 'UPDATE recording SET status = 1']) {
      const e = queryError(() => queryTrace(many.trace, sql));
      expect(e.code).toBe('write-sql');
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain(many.trace);
    }
    expect(hash()).toBe(before);
  });

  it('reports an SQL error with SQLite’s message and the trace named', () => {
    const e = queryError(() => queryTrace(many.trace, 'SELEC 1'));
    expect(e.code).toBe('bad-sql');
    expect(e.message).toBe(`SQL error in query on ${many.trace}: near "SELEC": syntax error`);
    expect(queryError(() => queryTrace(many.trace, 'SELECT nope FROM imports')).message).toMatch(/no such column: nope/);
  });

  it('refuses several statements, an empty one, and one that returns no rows', () => {
    expect(queryError(() => queryTrace(many.trace, 'SELECT 1; SELECT 2')).code).toBe('not-one-statement');
    expect(queryError(() => queryTrace(many.trace, '  ')).code).toBe('not-one-statement');
    expect(queryError(() => queryTrace(many.trace, 'BEGIN')).code).toBe('no-rows');
    expect(queryTrace(many.trace, 'SELECT 1; -- a trailing comment').rows).toEqual([[1]]);
  });

  it('says that calls and writes need the detail index and how to build it, even when the SQL is otherwise wrong', () => {
    for (const sql of ['SELECT * FROM calls', 'SELECT count(*) FROM writes', 'SELECT i.name FROM imports i JOIN writes w ON w.time = i.time', 'SELECT nope FROM calls']) {
      const e = queryError(() => queryTrace(many.trace, sql));
      expect(e.code).toBe('needs-detail');
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain(`needs the detail index, and this trace holds the input log only; build it with \`wtrace index ${many.trace}\``);
    }
    // A column alias or a string that happens to say "calls" is not the view.
    expect(queryTrace(many.trace, "SELECT count(*) AS calls, 'writes' FROM imports").columns).toEqual(['calls', "'writes'"]);
  });
});

describe('output forms', () => {
  const result: QueryResult = {
    columns: ['n', 'name', 'blob', 'big'],
    rows: [
      [1, 'plain', new Uint8Array([0xca, 0xfe]), 2n ** 60n],
      [22, 'a, "quoted"\nline', null, null],
    ],
  };

  it('prints an aligned table: NULL, <N bytes>, numbers right-aligned, newlines escaped', () => {
    expect(formatTable(result)).toBe(
      [
        ' n  name               blob                       big',
        '--  -----------------  ---------  -------------------',
        ' 1  plain              <2 bytes>  1152921504606846976',
        '22  a, "quoted"\\nline  NULL                      NULL',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON row objects with bigints as strings and BLOBs as hex', () => {
    expect(JSON.parse(formatJson(result))).toEqual([
      { n: 1, name: 'plain', blob: 'cafe', big: '1152921504606846976' },
      { n: 22, name: 'a, "quoted"\nline', blob: null, big: null },
    ]);
  });

  it('prints CSV with RFC 4180 quoting', () => {
    expect(formatCsv(result)).toBe('n,name,blob,big\r\n1,plain,cafe,1152921504606846976\r\n22,"a, ""quoted""\nline",,\r\n');
  });

  it('prints real rows as JSON with the documented columns', () => {
    const json = JSON.parse(formatJson(queryTrace(many.trace, 'SELECT * FROM imports LIMIT 1')));
    expect(Object.keys(json[0])).toEqual(['call_index', 'time', 'function_index', 'module', 'name', 'args', 'result', 'bytes_written', 'writes']);
  });
});

// Enabled once `registerQuery` is registered in src/cli/main.ts: until then `wtrace query` is an
// unknown command and this test fails.
describe('wtrace query (the CLI)', () => {
  it('prints a table, --json and --csv, and exits 2 on bad SQL', () => {
    const sql = "SELECT name, count(*) AS n FROM imports WHERE name IN ('clock_time_get', 'path_open') GROUP BY name ORDER BY name";
    const table = wtrace(['query', many.trace, sql]);
    expect(table.stderr).toBe('');
    expect(table.status).toBe(0);
    expect(table.stdout).toBe('name            n\n--------------  -\nclock_time_get  5\npath_open       1\n');
    expect(JSON.parse(wtrace(['query', '--json', many.trace, sql]).stdout)).toEqual([
      { name: 'clock_time_get', n: 5 },
      { name: 'path_open', n: 1 },
    ]);
    expect(wtrace(['query', many.trace, sql, '--csv']).stdout).toBe('name,n\r\nclock_time_get,5\r\npath_open,1\r\n');
    const bad = wtrace(['query', many.trace, 'SELEC 1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`wtrace: SQL error in query on ${many.trace}: near "SELEC": syntax error\n`);
  });
});
