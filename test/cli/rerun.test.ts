/**
 * `wtrace rerun`: a golden recorded from the rerun_input fixture (a file under --dir, stdin, a
 * clock, random bytes) is rerun after its directory is deleted, with its own module and with new
 * builds (a one-line change, other read sizes, another file); and record+diff for changed input
 * data. Every trace is a real recording, every module a clang-16 build of test/fixtures/c/.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryTrace } from '../../src/trace/query.js';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';

const dir = tempDir('wtrace-rerun-');
const stdin = 'stdin line one\nand a second stdin line, longer than five bytes\n';
const INPUT_LINE = '/data/input.txt: 177 bytes, 4 lines, checksum 13b49036';

/** Records rerun_input (or `wasm`) with a copy of data/rerun as /data, then deletes the copy. */
function recordGolden(name: string, options: { wasm?: string; input?: string; edit?: (dataDir: string) => void } = {}) {
  const data = path.join(dir, `${name}-data`);
  fs.cpSync(path.join(root, 'test/fixtures/data/rerun'), data, { recursive: true });
  options.edit?.(data);
  const trace = path.join(dir, `${name}.wtrace`);
  const r = wtrace(['record', '--dir', `${data}::/data`, '-o', trace, fixture(options.wasm ?? 'rerun_input')], { input: options.input ?? stdin });
  expect(r.status, r.stderr).toBe(0);
  fs.rmSync(data, { recursive: true });
  return { trace, stdout: r.stdout };
}

function rerunJson(golden: string, extra: string[] = []) {
  const r = wtrace(['rerun', golden, '--json', ...extra]);
  return { status: r.status, stderr: r.stderr, json: r.stdout === '' ? null : JSON.parse(r.stdout) };
}

/** stdout of a trace, from the `output` view. */
function stdoutOf(trace: string): string {
  const r = queryTrace(trace, "SELECT group_concat(text, '') FROM (SELECT text FROM output WHERE stream = 'stdout' ORDER BY rowid)");
  return r.rows[0][0] as string;
}

const golden = recordGolden('golden');

describe('wtrace rerun of the golden module', () => {
  it('reruns equal (exit 0) with the input directory gone, and prints the summary', () => {
    expect(golden.stdout).toContain(INPUT_LINE);
    const r = wtrace(['rerun', golden.trace]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/rerun of .*golden\.wtrace with the golden's own module: \d+ import calls, exit code 0/);
    expect(r.stdout).toContain('EQUAL at level 1');
  });

  it('replays clock readings and random bytes exactly: equal even with --strict, and the values match', () => {
    const kept = path.join(dir, 'strict.wtrace');
    const r = rerunJson(golden.trace, ['--strict', '-o', kept]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.equal).toBe(true);
    expect(r.json.diff.strict).toBe(true);
    expect(r.json.rerun.trace).toBe(kept);
    const volatile = "SELECT hex(w.bytes) FROM memory_writes_by_host w JOIN imports i USING (call_index) WHERE i.name IN ('clock_time_get', 'random_get') ORDER BY w.rowid";
    const goldenValues = queryTrace(golden.trace, volatile).rows;
    expect(goldenValues.length).toBeGreaterThanOrEqual(2);
    expect(queryTrace(kept, volatile).rows).toEqual(goldenValues);
    // Output was captured in the new trace only.
    expect(stdoutOf(kept)).toBe(golden.stdout);
  });

  it('does not print the program output, and removes its temporary trace when -o is not given', () => {
    const tmp = tempDir('wtrace-rerun-tmpdir-');
    const before = fs.readdirSync(dir).sort();
    const r = wtrace(['rerun', golden.trace], { env: { TMPDIR: tmp } });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain(INPUT_LINE);
    expect(r.stdout).not.toContain('new trace');
    // Node's compile cache (bin/wtrace.js) lives in the temp directory too, on purpose.
    expect(fs.readdirSync(tmp).filter((f) => !f.startsWith('wtrace-compile-cache-'))).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });
});

describe('wtrace rerun of a program that changes files', () => {
  it('reruns fileio equal with --strict: creates, appends, renames, unlinks, lists and stats only in memory', () => {
    const data = path.join(dir, 'fileio-data');
    fs.cpSync(path.join(root, 'test/fixtures/data/fileio'), data, { recursive: true });
    const trace = path.join(dir, 'fileio.wtrace');
    const rec = wtrace(['record', '--dir', `${data}::/data`, '-o', trace, fixture('fileio')]);
    expect(rec.status, rec.stderr).toBe(0);
    fs.rmSync(data, { recursive: true });
    const kept = path.join(dir, 'fileio-rerun.wtrace');
    const r = rerunJson(trace, ['--strict', '-o', kept]);
    expect(r.status, JSON.stringify(r.json?.diff.divergence)).toBe(0);
    expect(stdoutOf(kept)).toBe(rec.stdout);
    expect(stdoutOf(kept)).toMatch(/listing \/data\/sub:\n  a\.txt 6 bytes\n  renamed\.txt 24 bytes\n/);
    // Nothing was written to disk: the data directory stays gone.
    expect(fs.existsSync(data)).toBe(false);
  });
});

describe('wtrace rerun --module (a new build)', () => {
  it('reports a one-line change (exit 1) at the write of the value it changed, with the reads before it', () => {
    const r = rerunJson(golden.trace, ['--module', fixture('rerun_input_changed')]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.json.equal).toBe(false);
    const d = r.json.diff.divergence;
    expect(d.kind).toBe('call');
    expect(d.fields).toEqual(['data']);
    expect(d.textA).toContain('checksum 13b49036');
    expect(d.textB).toContain('checksum 3fced226');
    expect(d.textB).toMatch(/^fd_write\(fd=1, /);
    // The first output call of the golden: everything before it (the reads) compared alike.
    const firstWrite = queryTrace(golden.trace, "SELECT min(call_index) FROM imports WHERE name = 'fd_write'").rows[0][0];
    expect(d.callA).toBe(firstWrite);
    expect(d.contextB.at(-1).text).toMatch(/^fd_close/);
  });

  it('serves the same bytes by meaning to a build that reads 5 bytes at a time: same output, same end', () => {
    const kept = path.join(dir, 'small.wtrace');
    const r = rerunJson(golden.trace, ['--module', fixture('rerun_input_small'), '-o', kept]);
    // Level 1 compares the reads' sizes too, so the runs differ in calls...
    expect(r.status, r.stderr).toBe(1);
    expect(r.json.diff.divergence.fields).toContain('args.asked');
    // ...but every byte of output is the golden's, and the run ended alike.
    expect(r.json.rerun.missingInput).toBeNull();
    expect(r.json.diff.outputs.stdout.equal).toBe(true);
    expect(r.json.diff.endsEqual).toBe(true);
    expect(stdoutOf(kept)).toBe(golden.stdout);
    const reads = queryTrace(kept, "SELECT count(*) FROM imports WHERE name = 'fd_read'").rows[0][0] as number;
    expect(reads).toBeGreaterThan(177 / 5);
  });

  it('stops a build that opens a file the golden never opened, naming the path (exit 1)', () => {
    const kept = path.join(dir, 'other.wtrace');
    const r = rerunJson(golden.trace, ['--module', fixture('rerun_input_other'), '-o', kept]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.json.rerun.missingInput).toBe('/data/other.txt, which the golden trace never opened');
    expect(r.json.diff.b.end.kind).toBe('trap');
    expect(r.json.diff.b.end.message).toBe('rerun: input not in the golden trace: /data/other.txt, which the golden trace never opened');
    // The unanswered path_open is the new trace's last call, logged as not returning.
    const last = queryTrace(kept, 'SELECT name, result FROM imports ORDER BY call_index DESC LIMIT 1').rows[0];
    expect(last).toEqual(['path_open', null]);
    const text = wtrace(['rerun', golden.trace, '--module', fixture('rerun_input_other')]);
    expect(text.stdout).toContain('the run stopped: it asked for input the golden trace never read: /data/other.txt');
  });

  it('stops a build that reads stdin the golden never read (it never saw the end of input)', () => {
    const quiet = path.join(dir, 'args.wtrace');
    expect(wtrace(['record', '-o', quiet, fixture('args_env'), 'x']).status).toBe(0);
    const r = rerunJson(quiet, ['--module', fixture('stdin_upper')]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.json.rerun.missingInput).toBe('stdin past the 0 bytes the golden trace read (it never saw the end of input)');
    expect(r.json.diff.divergence.textB).toMatch(/^fd_read\(fd=0, /);
  });
});

describe('changed input data (record twice, then diff)', () => {
  it('is reported at the fd_read that read the changed bytes', () => {
    const changed = recordGolden('changed-input', {
      edit: (d) => fs.writeFileSync(path.join(d, 'input.txt'), fs.readFileSync(path.join(d, 'input.txt'), 'latin1').replace('third', 'THIRD'), 'latin1'),
    });
    const r = wtrace(['diff', golden.trace, changed.trace, '--json']);
    expect(r.status).toBe(1);
    const d = JSON.parse(r.stdout).divergence;
    expect(d.textA).toMatch(/^fd_read\(fd=\d+, asked=64\)/);
    expect(d.fields).toEqual(['data']);
    // "third" starts at byte 88: in the second 64-byte read.
    expect(d.a.data).toContain('third');
    expect(d.b.data).toContain('THIRD');
    const reads = queryTrace(golden.trace, "SELECT call_index FROM imports WHERE name = 'fd_read' ORDER BY call_index").rows.map((x) => x[0]);
    expect(d.callA).toBe(reads[1]);
  });
});

describe('bad input', () => {
  it('refuses a missing golden, a module that is not Wasm, and a bad level with their exit codes', () => {
    expect(wtrace(['rerun', path.join(dir, 'nope.wtrace')]).status).toBe(3);
    const notWasm = path.join(dir, 'not.wasm');
    fs.writeFileSync(notWasm, 'hello');
    const r = wtrace(['rerun', golden.trace, '--module', notWasm]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('not.wasm');
    expect(wtrace(['rerun', golden.trace, '--level', '4']).status).toBe(2);
    expect(wtrace(['rerun', golden.trace, '--detail', 'most']).status).toBe(2);
    const notTrace = path.join(dir, 'not.wtrace');
    fs.writeFileSync(notTrace, 'hello');
    expect(wtrace(['rerun', notTrace]).status).toBe(4);
  });

  it('refuses to write the new trace over the golden, and leaves the golden alone', () => {
    const before = fs.readFileSync(golden.trace);
    const r = wtrace(['rerun', golden.trace, '-o', golden.trace]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('that is the golden trace');
    expect(fs.readFileSync(golden.trace).equals(before)).toBe(true);
  });

  it('refuses an incomplete golden (a recording cut short), naming it', () => {
    const cut = path.join(dir, 'cut.wtrace');
    fs.copyFileSync(golden.trace, cut);
    // What a recorder killed mid-run leaves: the recording row still says so.
    const db = new Database(cut);
    db.prepare("UPDATE recording SET status = 'recording', outcome = NULL, finished_at = NULL").run();
    db.close();
    const r = wtrace(['rerun', cut]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`wtrace: ${cut}: the golden trace is incomplete (its recording was cut short); rerun needs a complete one\n`);
  });
});
