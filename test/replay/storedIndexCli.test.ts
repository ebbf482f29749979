/**
 * The stored timeline index end to end through the CLI: `wtrace index` stores it in a
 * `--detail full` trace (and says so), `wtrace replay --debugger` then answers from it without
 * rewriting the trace (had the stored index been rejected, the pass would have run and stored a
 * new one), and a trace another process is writing is replayed all the same, with a note.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

const script = ['--debugger', 'examples/debug-script.mjs'];
let dir: string;
let pristine: string;
beforeAll(() => {
  dir = tempDir();
  pristine = path.join(dir, 'pristine.wtrace');
  const r = wtrace(['record', '--detail', 'full', '-o', pristine, fixture('debug_target')]);
  expect(r.status, r.stderr).toBe(0);
});

function copy(name: string): string {
  const out = path.join(dir, name);
  fs.copyFileSync(pristine, out);
  return out;
}

const tables = (trace: string) => {
  const db = new Database(trace, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'timeline_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('the stored timeline index through the CLI', () => {
  it('wtrace index stores it in a full-detail trace, then finds it there', () => {
    const trace = copy('index.wtrace');
    expect(tables(trace)).toEqual([]);
    const r = wtrace(['index', trace]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^already indexed: .*; nothing to do\nstored the timeline index in \S+: [\d,]+ checkpoints, [\d,]+ bytes \(\d+% of the trace file\), in \d+\.\d\d s\n$/);
    expect(tables(trace)).toEqual(['timeline_index', 'timeline_pages']);
    const before = fs.readFileSync(trace);
    const again = wtrace(['index', trace]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/\ntimeline index already stored in \S+: [\d,]+ checkpoints, [\d,]+ bytes .*; nothing to do\n$/);
    expect(fs.readFileSync(trace).equals(before)).toBe(true);
  });

  it('wtrace replay --debugger answers from the stored index as from a fresh pass, leaving the trace as it was', () => {
    const indexed = copy('indexed.wtrace');
    expect(wtrace(['index', indexed]).status).toBe(0);
    const before = fs.readFileSync(indexed);
    const fromStored = wtrace(['replay', ...script, indexed, '--', 'factorial']);
    expect(fromStored.stderr).toBe('');
    expect(fromStored.status).toBe(0);
    expect(fs.readFileSync(indexed).equals(before)).toBe(true);

    const plain = copy('plain.wtrace');
    const fromPass = wtrace(['replay', ...script, plain, '--', 'factorial']);
    expect(fromPass.status, fromPass.stderr).toBe(0);
    expect(fromStored.stdout).toBe(fromPass.stdout);
    expect(fromStored.stdout).toMatch(/stdout so far: "fact\(5\)=120 sum=140 counter=14 origin=\(143,4\)\\n"/);
    expect(tables(plain)).toEqual(['timeline_index', 'timeline_pages']); // the first replay stored it
  });

  it('wtrace index exits 5, naming the trace and the reason, when it cannot store the index', () => {
    const trace = copy('index-locked.wtrace');
    const lock = new Database(trace);
    lock.exec('BEGIN IMMEDIATE');
    lock.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('test-lock', '1')");
    try {
      const r = wtrace(['index', trace]);
      expect(r.status).toBe(5);
      expect(r.stderr).toMatch(/index-locked\.wtrace: the timeline index was built but not stored: database is locked/);
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    expect(tables(trace)).toEqual([]);
  });

  it('replays a trace another process is writing, noting that the index was not stored', () => {
    const trace = copy('locked.wtrace');
    const lock = new Database(trace);
    lock.exec('BEGIN IMMEDIATE');
    lock.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('test-lock', '1')");
    try {
      const r = wtrace(['replay', ...script, trace, '--', 'factorial']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^note: \S+locked\.wtrace: the timeline index was not stored \(database is locked\); the next open reads every event again\n$/);
      expect(r.stdout).toMatch(/reverse-continue: breakpoint at time \d+ in factorial/);
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    expect(tables(trace)).toEqual([]);
  });
});
