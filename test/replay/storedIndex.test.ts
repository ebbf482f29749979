/**
 * The timeline index stored in the trace (docs/replay.md, "The stored index"), over real
 * `--detail full` recordings of the C fixtures: a second open reads it instead of running the
 * pass, its state at any time is the state a freshly built index gives, and a stale, foreign or
 * damaged one (rows damaged by hand) is never trusted but rebuilt and stored again.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Timeline, type TimelineOptions } from '../../replay/timeline/index.js';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

/** Denser checkpoints than the default, so that these small runs have many (and many page groups). */
const DENSE = { checkpointEvents: 256 } as const;

function record(name: string, args: string[], input?: string): string {
  const trace = path.join(tempDir(), `${name}.wtrace`);
  const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture(name), '--', ...args], { input });
  expect(r.status === 0 || (name === 'trap' && r.status === 134), r.stderr).toBe(true);
  return trace;
}

/** A copy of `trace` in a fresh directory. */
function copy(trace: string, name = 'copy.wtrace'): string {
  const out = path.join(tempDir(), name);
  fs.copyFileSync(trace, out);
  return out;
}

function withDb(trace: string, fn: (db: Database.Database) => void): void {
  const db = new Database(trace);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

/** Opens `trace`, counting the index pass's progress calls (none: the pass did not run). */
function open(trace: string, options: TimelineOptions = DENSE): { tl: Timeline; passCalls: number } {
  let passCalls = 0;
  const tl = Timeline.open(trace, { ...options, onProgress: () => passCalls++ });
  return { tl, passCalls };
}

/** Everything the timeline answers about time `t`, in comparable form. */
function stateAt(tl: Timeline, t: bigint, address: number): unknown {
  const memory = Buffer.from(tl.memoryAt(t)).toString('base64');
  const frames = tl.callStackAt(t).map((f) => ({ func: f.funcIndex, name: f.name, entry: f.entryTime, pc: f.entryPc, args: f.args, depth: f.depth, end: tl.activationEnd(f), snapshot: tl.snapshotBefore(f.entryTime, t) }));
  const output = tl.outputAt(t);
  return {
    memory, frames, globals: tl.globalsAt(t), stdout: Buffer.from(output.stdout).toString(), stderr: Buffer.from(output.stderr).toString(),
    last: tl.lastWriteBefore(address, t), next: tl.nextWriteAfter(address, t),
  };
}

const traces: Record<string, string> = {};
beforeAll(() => {
  traces.debug_target = record('debug_target', []);
  traces.many_calls = record('many_calls', []);
  traces.stdin_upper = record('stdin_upper', [], 'time travel\n'.repeat(50));
  traces.trap = record('trap', ['divide']);
  traces.recursion = record('recursion', ['40']);
});

describe.each(['debug_target', 'many_calls', 'stdin_upper', 'trap', 'recursion'])('the stored index of %s', (name) => {
  let stored: Timeline;
  let fresh: Timeline;
  beforeAll(() => {
    const first = open(traces[name]);
    expect(first.tl.indexOrigin).toMatchObject({ source: 'built', rejected: 'absent', written: true });
    expect(first.passCalls).toBeGreaterThan(0);
    first.tl.close();
    const second = open(traces[name]);
    stored = second.tl;
    expect(second.passCalls).toBe(0);
    fresh = Timeline.open(traces[name], { ...DENSE, stored: 'none' });
  });
  afterAll(() => {
    stored.close();
    fresh.close();
  });

  it('is read on the second open: no pass over the events, same shape as a fresh index', () => {
    expect(stored.indexOrigin).toMatchObject({ source: 'stored', rejected: null, written: false });
    expect(stored.indexOrigin.storedBytes).toBeGreaterThan(0);
    expect(fresh.indexOrigin).toMatchObject({ source: 'built', rejected: null, written: false });
    expect(stored.end).toBe(fresh.end);
    expect(stored.checkpointCount).toBe(fresh.checkpointCount);
    expect(stored.checkpointCount).toBeGreaterThanOrEqual(2);
    expect(stored.keyframeCount).toBe(fresh.keyframeCount);
    expect(stored.importCalls).toEqual(fresh.importCalls);
    const funcs = new Set(fresh.callStackAt(fresh.end).map((f) => f.funcIndex));
    for (const f of [...funcs, 0, 1, 2, 3]) expect(stored.callsOf(f)).toEqual(fresh.callsOf(f));
  });

  it('gives the state a fresh index gives at random times, in any order (memory, frames, globals, output, writes)', () => {
    const end = fresh.end;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 0n, max: end }), fc.nat()), { minLength: 1, maxLength: 12 }), (points) => {
        for (const [t, a] of points) {
          const address = a % fresh.memoryAt(t).length;
          expect(stateAt(stored, t, address)).toEqual(stateAt(fresh, t, address));
        }
      }),
      { numRuns: 15 },
    );
    expect(stateAt(stored, end, 0)).toEqual(stateAt(fresh, end, 0));
  });
});

describe('the stored index of a compress-sized trace (bench/programs/compress.wasm 1 1: 6.5e8 instructions, 4.7 M events)', () => {
  let stored: Timeline;
  let fresh: Timeline;
  beforeAll(() => {
    const trace = path.join(tempDir(), 'compress.wtrace');
    const r = wtrace(['record', '--detail', 'full', '-o', trace, 'bench/programs/compress.wasm', '--', '1', '1']);
    expect(r.status, r.stderr).toBe(0);
    const first = Timeline.open(trace);
    expect(first.indexOrigin).toMatchObject({ source: 'built', written: true });
    first.close();
    stored = Timeline.open(trace);
    expect(stored.indexOrigin.source).toBe('stored');
    fresh = Timeline.open(trace, { stored: 'none' });
  }, 120_000);
  afterAll(() => {
    stored?.close();
    fresh?.close();
  });

  it('gives the state a fresh index gives at random times (memory by digest, frames, globals, output, writes)', () => {
    const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const state = (tl: Timeline, t: bigint, address: number) => {
      const { memory, ...rest } = stateAt(tl, t, address) as { memory: string };
      return { ...rest, memory: digest(Buffer.from(memory, 'base64')) };
    };
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: fresh.end }), fc.nat(), (t, a) => {
        const address = a % fresh.memoryAt(t).length;
        expect(state(stored, t, address)).toEqual(state(fresh, t, address));
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe('loading the stored index', () => {
  it('without reading ahead, reads page groups only as cursors need them', () => {
    const trace = copy(traces.many_calls);
    open(trace).tl.close();
    const { tl } = open(trace, { ...DENSE, prefetch: false });
    expect(tl.storedPageGroupsRead).toBe(0);
    tl.memoryAt(0n);
    const afterFirst = tl.storedPageGroupsRead;
    expect(afterFirst).toBeGreaterThan(0);
    tl.memoryAt(tl.end);
    expect(tl.storedPageGroupsRead).toBeGreaterThanOrEqual(afterFirst);
    tl.close();
  });

  it('reading ahead, hands the cursors every page and chunk they need (none read on demand)', async () => {
    const trace = copy(traces.many_calls);
    open(trace).tl.close();
    const fresh = Timeline.open(trace, { ...DENSE, stored: 'none' });
    const { tl } = open(trace);
    await tl.prefetched();
    for (let t = 0n; t <= fresh.end; t += fresh.end / 50n + 1n) expect(Buffer.from(tl.memoryAt(t)).equals(Buffer.from(fresh.memoryAt(t)))).toBe(true);
    expect(tl.storedPageGroupsRead).toBe(0);
    tl.close();
    fresh.close();
  });

  it('opens a trace without the tables (recorded before them) and, with `read`, leaves the file alone', () => {
    const trace = copy(traces.debug_target);
    withDb(trace, (db) => db.exec('DROP TABLE IF EXISTS timeline_index; DROP TABLE IF EXISTS timeline_pages;'));
    const before = fs.readFileSync(trace);
    const { tl, passCalls } = open(trace, { ...DENSE, stored: 'read' });
    expect(tl.indexOrigin).toMatchObject({ source: 'built', rejected: 'absent', written: false, notWritten: null });
    expect(passCalls).toBeGreaterThan(0);
    expect(tl.memoryAt(tl.end).length).toBeGreaterThan(0);
    tl.close();
    expect(fs.readFileSync(trace).equals(before)).toBe(true);
  });

  it('stores on request after opening with `read` (to write after the first state is shown)', () => {
    const trace = copy(traces.debug_target);
    withDb(trace, (db) => db.exec('DROP TABLE IF EXISTS timeline_index; DROP TABLE IF EXISTS timeline_pages;'));
    const { tl } = open(trace, { ...DENSE, stored: 'read' });
    tl.memoryAt(tl.end);
    expect(tl.storeIndex()).toMatchObject({ source: 'built', written: true });
    tl.close();
    const again = open(trace);
    expect(again.tl.indexOrigin.source).toBe('stored');
    expect(again.passCalls).toBe(0);
    again.tl.close();
  });

  it('builds in memory and says why when the trace is locked by another process', () => {
    const trace = copy(traces.debug_target);
    withDb(trace, (db) => db.exec('DROP TABLE IF EXISTS timeline_index; DROP TABLE IF EXISTS timeline_pages;'));
    const lock = new Database(trace);
    lock.exec('BEGIN IMMEDIATE'); // a writer at work: readers go on, a second writer waits
    lock.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('test-lock', '1')");
    try {
      const { tl } = open(trace);
      expect(tl.indexOrigin).toMatchObject({ source: 'built', written: false });
      expect(tl.indexOrigin.notWritten).toMatch(/locked/i);
      expect(tl.callStackAt(tl.end).length).toBeGreaterThanOrEqual(0);
      tl.close();
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
  });

  it('builds in memory and says why when the trace is read-only', () => {
    const trace = copy(traces.debug_target);
    withDb(trace, (db) => db.exec('DROP TABLE IF EXISTS timeline_index; DROP TABLE IF EXISTS timeline_pages;'));
    // File modes do not stop root (as CI runs): there the file is made immutable instead.
    const root = process.getuid?.() === 0;
    if (root) execFileSync('chattr', ['+i', trace]);
    else fs.chmodSync(trace, 0o444);
    try {
      const { tl } = open(trace);
      expect(tl.indexOrigin).toMatchObject({ source: 'built', written: false });
      expect(tl.indexOrigin.notWritten).toMatch(/readonly|read-only/i);
      tl.close();
    } finally {
      if (root) execFileSync('chattr', ['-i', trace]);
    }
  });
});

describe('a stored index that cannot be trusted is rebuilt and stored again', () => {
  /** A copy of many_calls with a stored (dense) index, damaged by `damage`. */
  function damaged(damage: (db: Database.Database) => void): string {
    const trace = copy(traces.many_calls, 'damaged.wtrace');
    open(trace).tl.close();
    withDb(trace, damage);
    return trace;
  }

  /** Opens `trace`: expects a rebuild for `reason`, then a clean stored open, both answering like a fresh index. */
  function expectRebuilt(trace: string, reason: string): void {
    const fresh = Timeline.open(trace, { ...DENSE, stored: 'none' });
    const first = open(trace);
    expect(first.tl.indexOrigin).toMatchObject({ source: 'built', rejected: reason, written: true });
    expect(first.passCalls).toBeGreaterThan(0);
    expect(stateAt(first.tl, fresh.end / 2n, 1024)).toEqual(stateAt(fresh, fresh.end / 2n, 1024));
    first.tl.close();
    const second = open(trace);
    expect(second.tl.indexOrigin.source).toBe('stored');
    expect(second.passCalls).toBe(0);
    expect(stateAt(second.tl, fresh.end, 1024)).toEqual(stateAt(fresh, fresh.end, 1024));
    second.tl.close();
    fresh.close();
  }

  it('of another index format version', () => {
    expectRebuilt(damaged((db) => db.exec('UPDATE timeline_index SET version = version + 1')), 'foreign-version');
  });

  it('built with another checkpoint interval', () => {
    const trace = copy(traces.many_calls, 'interval.wtrace');
    Timeline.open(trace, { checkpointEvents: 1000 }).close();
    expectRebuilt(trace, 'stale');
  });

  it('built from another recording of the same program (the tables copied over)', () => {
    const other = record('many_calls', []);
    open(other).tl.close();
    const trace = damaged((db) => {
      db.exec('DELETE FROM timeline_index; DELETE FROM timeline_pages;');
      db.prepare('ATTACH DATABASE ? AS other').run(other);
      db.exec('INSERT INTO timeline_index SELECT * FROM other.timeline_index; INSERT INTO timeline_pages SELECT * FROM other.timeline_pages;');
    });
    expectRebuilt(trace, 'stale');
  });

  it('whose binding was edited', () => {
    expectRebuilt(damaged((db) => db.exec(`UPDATE timeline_index SET binding = replace(binding, '"checkpointEvents":256', '"checkpointEvents":255')`)), 'stale');
  });

  it('whose structures blob has a flipped byte', () => {
    const trace = damaged((db) => {
      const row = db.prepare('SELECT data FROM timeline_index').get() as { data: Buffer };
      row.data[Math.floor(row.data.length / 2)] ^= 0x5a;
      db.prepare('UPDATE timeline_index SET data = ?').run(row.data);
    });
    expectRebuilt(trace, 'damaged');
  });

  it('whose structures blob is truncated', () => {
    expectRebuilt(damaged((db) => db.exec('UPDATE timeline_index SET data = substr(data, 1, length(data) / 2)')), 'damaged');
  });

  it('whose page table is gone', () => {
    expectRebuilt(damaged((db) => db.exec('DROP TABLE timeline_pages')), 'damaged');
  });

  it.each([
    ['a flipped byte in a page segment', (db: Database.Database) => {
      // The last byte of the last segment: the checksum of the group holding the newest pages, which the final state needs.
      const row = db.prepare('SELECT segment, data FROM timeline_pages ORDER BY segment DESC LIMIT 1').get() as { segment: number; data: Buffer };
      row.data[row.data.length - 1] ^= 0x5a;
      db.prepare('UPDATE timeline_pages SET data = ? WHERE segment = ?').run(row.data, row.segment);
    }],
    ['a missing page segment', (db: Database.Database) => db.exec('DELETE FROM timeline_pages WHERE segment = (SELECT max(segment) FROM timeline_pages)')],
  ])('whose pages are damaged (%s): found when a cursor reads them, then rebuilt', (_what, damage) => {
    const trace = damaged(damage);
    const fresh = Timeline.open(trace, { ...DENSE, stored: 'none' });
    const { tl, passCalls } = open(trace, { ...DENSE, prefetch: false });
    expect(tl.indexOrigin.source).toBe('stored'); // the pages are read lazily: not looked at yet
    expect(passCalls).toBe(0);
    // The final state needs the damaged group; the answers stay right, before and after.
    expect(Buffer.from(tl.memoryAt(fresh.end)).equals(Buffer.from(fresh.memoryAt(fresh.end)))).toBe(true);
    for (let t = 0n; t <= fresh.end; t += fresh.end / 40n + 1n) expect(Buffer.from(tl.memoryAt(t)).equals(Buffer.from(fresh.memoryAt(t)))).toBe(true);
    expect(Buffer.from(tl.memoryAt(fresh.end)).equals(Buffer.from(fresh.memoryAt(fresh.end)))).toBe(true);
    expect(tl.indexOrigin).toMatchObject({ source: 'built', rejected: 'damaged', written: true });
    tl.close();
    const again = open(trace, { ...DENSE, prefetch: false });
    expect(again.tl.indexOrigin.source).toBe('stored');
    for (let t = 0n; t <= fresh.end; t += fresh.end / 40n + 1n) expect(Buffer.from(again.tl.memoryAt(t)).equals(Buffer.from(fresh.memoryAt(t)))).toBe(true);
    expect(again.tl.storedPageGroupsRead).toBeGreaterThan(0);
    again.tl.close();
    fresh.close();
  });
});
