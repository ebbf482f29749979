/**
 * `wtrace query`'s detail views (`calls`, `writes`) and `lines`, over real recordings of
 * test/fixtures/c/debug_target.c (`--detail full`, and an inputs recording indexed with
 * `wtrace index`), checked against what its source does: factorial(5) recursing to 1, bump()
 * called 14 times storing counter 1..14, fill_squares storing i*i into squares[i].
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryExecution as queryTrace } from '../../replay/queryDetail.js';
import { QueryError } from '../../src/trace/query.js';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';

const dir = tempDir('wtrace-query-detail-');
const full = path.join(dir, 'full.wtrace');
const inputs = path.join(dir, 'inputs.wtrace');
expect(wtrace(['record', '--detail', 'full', '-o', full, fixture('debug_target')]).status).toBe(0);
expect(wtrace(['record', '-o', inputs, fixture('debug_target')]).status).toBe(0);

/** The line of `@marker` in debug_target.c. */
const source = fs.readFileSync(path.join(root, 'test/fixtures/c/debug_target.c'), 'utf8').split('\n');
const lineOf = (marker: string) => source.findIndex((l) => l.includes(`// ${marker}`)) + 1;

function rows(trace: string, sql: string): Record<string, unknown>[] {
  const r = queryTrace(trace, sql);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));
}

const le32 = (n: number) => Buffer.from(Uint32Array.of(n).buffer).toString('hex').toUpperCase();

describe('the calls view', () => {
  it('counts the calls debug_target.c makes', () => {
    const counts = Object.fromEntries(
      rows(full, "SELECT name, count(*) AS n FROM calls WHERE name IN ('__original_main', 'bump', 'square', 'factorial', 'fill_squares', 'sum_squares') GROUP BY name").map((r) => [r.name, r.n]),
    );
    expect(counts).toEqual({ __original_main: 1, bump: 14, square: 8, factorial: 5, fill_squares: 1, sum_squares: 1 });
  });

  it("has factorial's recursion: arguments 5..1, results 5!..1!, each called by the one before, one level deeper", () => {
    const f = rows(full, "SELECT c.call_id, c.args, c.results, c.depth, c.caller_id, p.name AS caller, p.depth AS caller_depth, c.enter_time, c.exit_time FROM calls c JOIN calls p ON p.call_id = c.caller_id WHERE c.name = 'factorial' ORDER BY c.call_id");
    expect(f.map((r) => r.args)).toEqual(['[5]', '[4]', '[3]', '[2]', '[1]']);
    expect(f.map((r) => r.results)).toEqual(['[120]', '[24]', '[6]', '[2]', '[1]']);
    // clang names a `main(void)` __original_main; wasi-libc's `main` calls it.
    expect(f.map((r) => r.caller)).toEqual(['__original_main', 'factorial', 'factorial', 'factorial', 'factorial']);
    for (let i = 0; i < f.length; i++) {
      expect(f[i].depth).toBe((f[i].caller_depth as number) + 1);
      if (i > 0) expect(f[i].caller_id).toBe(f[i - 1].call_id);
      // Nested: each call starts after and ends before its caller's.
      if (i > 0) expect((f[i].enter_time as number) > (f[i - 1].enter_time as number) && (f[i].exit_time as number) < (f[i - 1].exit_time as number)).toBe(true);
    }
  });

  it('has square called with 0..7 returning their squares, from fill_squares, and bump with no arguments', () => {
    const sq = rows(full, "SELECT args, results, caller_index FROM calls WHERE name = 'square' ORDER BY call_id");
    expect(sq.map((r) => r.args)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `[${i}]`));
    expect(sq.map((r) => r.results)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `[${i * i}]`));
    const fill = rows(full, "SELECT function_index FROM functions WHERE name = 'fill_squares'")[0].function_index;
    expect(new Set(sq.map((r) => r.caller_index))).toEqual(new Set([fill]));
    expect(rows(full, "SELECT DISTINCT args, results FROM calls WHERE name = 'bump'")).toEqual([{ args: '[]', results: '[]' }]);
  });

  it('is the same for an inputs recording after `wtrace index`, and explains the index before it', () => {
    let error: unknown;
    try {
      queryTrace(inputs, 'SELECT count(*) FROM calls');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toContain(`build it with \`wtrace index ${inputs}\``);
    const cli = wtrace(['query', inputs, 'SELECT count(*) FROM calls']);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('needs the detail index');
    expect(wtrace(['index', inputs]).status).toBe(0);
    const sql = 'SELECT name, count(*) AS n, sum(depth) AS d FROM calls GROUP BY name ORDER BY name';
    expect(rows(inputs, sql)).toEqual(rows(full, sql));
  });
});

describe('the writes view', () => {
  it("has bump's 14 stores to counter: one address, 4 bytes, old value n-1, new value n, at @bump-store", () => {
    const w = rows(full, "SELECT w.address, w.size, w.kind, hex(w.old_value) AS old, hex(w.new_value) AS new, source_line(w.pc) AS line FROM writes w JOIN functions f USING (function_index) WHERE f.name = 'bump' ORDER BY w.time");
    expect(w).toHaveLength(14);
    expect(new Set(w.map((r) => r.address)).size).toBe(1);
    w.forEach((r, i) => {
      expect(r).toMatchObject({ size: 4, kind: 'store', old: le32(i), new: le32(i + 1), line: lineOf('@bump-store') });
    });
  });

  it('reads old values without changing the trace (no timeline index is stored by a query)', () => {
    const copy = path.join(dir, 'untouched.wtrace');
    fs.copyFileSync(full, copy);
    const before = fs.readFileSync(copy);
    expect(rows(copy, "SELECT count(*) AS n FROM writes WHERE kind = 'store' AND old_value IS NOT NULL")[0].n).toBeGreaterThan(0);
    expect(Buffer.compare(fs.readFileSync(copy), before)).toBe(0);
  });

  it('has no old value for a store of a --window trace (no memory before the window), and the new one', () => {
    const windowed = path.join(dir, 'window.wtrace');
    expect(wtrace(['record', '--detail', 'full', '--window', '2000..', '-o', windowed, fixture('debug_target')]).status).toBe(0);
    const w = rows(windowed, "SELECT count(*) AS n, sum(old_value IS NULL) AS no_old, sum(new_value IS NOT NULL) AS with_new FROM writes WHERE kind = 'store'")[0];
    expect(w.n).toBeGreaterThan(0);
    expect(w).toEqual({ n: w.n, no_old: w.n, with_new: w.n });
  });

  it('has the squares[i] = i*i stores of fill_squares at @fill-store, 4 bytes apart', () => {
    const w = rows(full, `SELECT w.address, hex(w.new_value) AS new FROM writes w JOIN functions f USING (function_index) WHERE f.name = 'fill_squares' AND source_line(w.pc) = ${lineOf('@fill-store')} ORDER BY w.time`);
    expect(w.map((r) => r.new)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => le32(i * i)));
    w.forEach((r, i) => expect(r.address).toBe((w[0].address as number) + 4 * i));
  });

  it('has its rows in time order, within the run', () => {
    const backwards = rows(full, 'SELECT count(*) AS n FROM writes a JOIN writes b ON b.rowid = a.rowid + 1 WHERE b.time < a.time')[0].n;
    expect(backwards).toBe(0);
    const r = rows(full, 'SELECT max(time) AS hi, count(*) AS n FROM writes')[0];
    const end = rows(full, 'SELECT instruction_count AS n FROM recording')[0].n as number;
    // At least bump's 14 and the 8 squares, plus -O0's stack traffic.
    expect(r.n as number).toBeGreaterThan(22);
    expect(r.hi as number).toBeLessThanOrEqual(end);
  });
});

describe('the lines view and source_file/source_line', () => {
  it('maps the pcs of @bump-store to its line, as source_line does', () => {
    const l = rows(full, `SELECT pc, end_pc, file, line, is_stmt FROM lines WHERE file LIKE '%debug_target.c' AND line = ${lineOf('@bump-store')} ORDER BY pc`);
    expect(l.length).toBeGreaterThan(0);
    expect(l.some((r) => r.is_stmt === 1)).toBe(true);
    for (const r of l) {
      expect((r.end_pc as number) > (r.pc as number)).toBe(true);
      expect(rows(full, `SELECT source_line(${r.pc}) AS line, source_file(${r.pc}) AS file`)[0]).toEqual({ line: r.line, file: r.file });
    }
    // Needs no detail: an inputs-only trace has the module and its DWARF.
    expect(rows(inputs, 'SELECT count(*) AS n FROM lines')[0].n).toEqual(rows(full, 'SELECT count(*) AS n FROM lines')[0].n);
  });
});

describe('imports and output in a full recording', () => {
  it('give every host call and output its time, inside main (__original_main)', () => {
    const main = rows(full, "SELECT enter_time, exit_time FROM calls WHERE name = '__original_main'")[0];
    const out = rows(full, "SELECT o.time, o.stream, CAST(o.bytes AS TEXT) AS text, i.name, i.bytes_written FROM output o JOIN imports i USING (call_index)");
    expect(out.map((r) => r.text).join('')).toBe('fact(5)=120 sum=140 counter=14 origin=(143,4)\n');
    for (const r of out) {
      expect(r).toMatchObject({ stream: 'stdout', name: 'fd_write', bytes_written: 4 });
      expect((r.time as number) > (main.enter_time as number) && (r.time as number) < (main.exit_time as number)).toBe(true);
    }
  });
});

describe('refusals on the detail views', () => {
  it('refuses a statement that would write to a view, and reports SQL errors as SQL errors', () => {
    for (const sql of ["INSERT INTO calls (call_id) VALUES (1)", 'DELETE FROM writes', 'DROP TABLE temp.lines']) {
      const r = wtrace(['query', full, sql]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('refused a statement that would write');
    }
    const bad = wtrace(['query', full, 'SELECT nope FROM calls']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`wtrace: SQL error in query on ${full}: no such column: nope\n`);
  });

  it('prints an aggregate over calls from the CLI', () => {
    const r = wtrace(['query', full, "SELECT name, count(*) AS n FROM calls WHERE name IN ('bump', 'factorial') GROUP BY name ORDER BY name", '--csv']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('name,n\r\nbump,14\r\nfactorial,5\r\n');
  });
});
