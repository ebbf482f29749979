/** The pure view models: layout, code windows and cursor, hex rows, timeline bar, output tail, snapshots. */
import { describe, expect, it } from 'vitest';
import { changedGlobals, changedGlobalVariables, changedLocals, changedVariables, takeSnapshot, valuesEqual } from '../../tui/snapshot.js';
import { printable, SourceFiles, splitLines } from '../../tui/sourceFiles.js';
import { moveCursor, resolveCode } from '../../tui/views/codeTarget.js';
import { codeView, noteRows, windowStart } from '../../tui/views/codeView.js';
import { bytesPerRow, hexRows } from '../../tui/views/hexDump.js';
import { fits, layoutFor } from '../../tui/views/layout.js';
import { tailLines } from '../../tui/views/outputLines.js';
import { barColumn, percentOf, timelineBar } from '../../tui/views/timelineBar.js';
import { declaration, globalsForFrame } from '../../tui/views/variablesView.js';
import { breakpointMarks, importMarks } from '../../tui/views/timelineMarks.js';
import type { SourceVariable } from '../../tui/engineApi.js';
import { FakeDebuggee } from './fakeDebuggee.js';
import { FIXTURE_ROOT } from './renderApp.js';

describe('layout', () => {
  it.each([[80, 24], [100, 30], [120, 36], [60, 16], [200, 60]])('%ix%i fills the screen', (columns, rows) => {
    const l = layoutFor(columns, rows);
    expect(l.mainHeight + l.bottomHeight + 3).toBe(rows);
    expect(l.codeWidth + 1 + l.sideWidth).toBe(columns);
    expect(l.mainHeight).toBeGreaterThanOrEqual(8);
    expect(l.bottomSplit).toBe(columns >= 120);
  });

  it('knows what is too small', () => {
    expect(fits(80, 24)).toBe(true);
    expect(fits(59, 24)).toBe(false);
    expect(fits(80, 15)).toBe(false);
  });
});

describe('code pane', () => {
  const sources = new SourceFiles(FIXTURE_ROOT);

  it('keeps the focus line near the middle, clamped at both ends', () => {
    expect(windowStart(100, 50, 10)).toBe(45);
    expect(windowStart(100, 2, 10)).toBe(0);
    expect(windowStart(100, 99, 10)).toBe(90);
    expect(windowStart(5, 3, 10)).toBe(0);
  });

  it('marks the current line, breakpoints by their resolved pcs, and the cursor', () => {
    const d = new FakeDebuggee({ startAt: 12n });
    d.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: 13 });
    const target = resolveCode(d.module, d.frames()[0], sources);
    const cursor = moveCursor(target, null, 2);
    expect(cursor).toEqual({ kind: 'line', file: 'debug_target.c', line: 6 });
    const view = codeView(target, { module: d.module, breakpoints: d.breakpoints(), cursor, height: 5, width: 40 });
    expect(view.rows.map((r) => [r.label, r.current, r.breakpoint, r.cursor])).toEqual([
      ['4', true, false, false], ['5', false, false, false], ['6', false, false, true], ['7', false, false, false], ['8', false, false, false],
    ]);
    const all = codeView(target, { module: d.module, breakpoints: d.breakpoints(), cursor: null, height: 20, width: 40 });
    expect(all.rows.filter((r) => r.breakpoint).map((r) => r.label.trim())).toEqual(['13']);
  });

  it('clamps the cursor to the file and the disassembly to the function', () => {
    const d = new FakeDebuggee({ startAt: 12n, dwarf: false });
    const target = resolveCode(d.module, d.frames()[0], sources);
    expect(target.kind).toBe('disassembly');
    expect(moveCursor(target, null, -10)).toEqual({ kind: 'pc', pc: 0x50 });
    expect(moveCursor(target, null, 10)).toEqual({ kind: 'pc', pc: 0x55 });
    const src = resolveCode(d.module, { ...d.frames()[0], source: { file: 'debug_target.c', line: 4, column: 0 } }, sources);
    expect(moveCursor(src, null, 100)).toEqual({ kind: 'line', file: 'debug_target.c', line: 14 });
  });

  it('says why there is no code: no frames, or a missing file', () => {
    const d = new FakeDebuggee();
    expect(resolveCode(d.module, undefined, sources)).toMatchObject({ kind: 'empty' });
    const missing = resolveCode(d.module, new FakeDebuggee({ startAt: 12n }).frames()[0], new SourceFiles('nowhere'));
    expect(missing).toMatchObject({ kind: 'disassembly', note: 'debug_target.c is not on disk (looked under nowhere); showing disassembly' });
    expect(noteRows('x'.repeat(81), 40)).toBe(3);
    expect(noteRows(null, 40)).toBe(0);
  });
});

describe('source files', () => {
  it('finds a file by its base name under the root and caches misses', () => {
    let reads = 0;
    const files = new SourceFiles('root', (p) => {
      reads++;
      if (p === 'root/a.c') return 'int x;\n';
      throw new Error('ENOENT');
    });
    expect(files.get('/build/dir/a.c')?.lines).toEqual(['int x;']);
    expect(files.get('src/b.c')).toBeNull();
    expect(files.get('src/b.c')).toBeNull();
    expect(reads).toBe(3); // a.c once (root/a.c first), src/b.c at root/src/b.c and root/b.c, then cached
  });

  it('expands tabs and shows control characters instead of sending them', () => {
    expect(printable('\tx\ty')).toBe('    x   y');
    expect(printable('a\u001b[2Jb')).toBe('a^[[2Jb');
    expect(printable('\u009b')).toBe('\ufffd');
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
  });
});

describe('memory rows', () => {
  it('marks bytes that changed since the captured stop and watched bytes', () => {
    const rows = hexRows(0x100, new Uint8Array([1, 2, 3, 4, 5]), 4, { address: 0xfe, bytes: new Uint8Array([0, 0, 1, 9, 3]) }, [{ id: 1, address: 0x103, size: 2 }]);
    expect(rows.map((r) => r.address)).toEqual([0x100, 0x104]);
    expect(rows.flatMap((r) => r.bytes.map((b) => `${b.value}${b.changed ? 'c' : ''}${b.watched ? 'w' : ''}`))).toEqual(['1', '2c', '3', '4w', '5w']);
    expect(bytesPerRow(80)).toBe(16);
    expect(bytesPerRow(60)).toBe(8);
  });
});

describe('timeline bar', () => {
  it('puts now, marks and the run part where they belong', () => {
    expect(timelineBar(0n, 100n, 11)).toBe('●──────────');
    expect(timelineBar(50n, 100n, 11)).toBe('━━━━━●─────');
    expect(timelineBar(100n, 100n, 11)).toBe('━━━━━━━━━━●');
    expect(timelineBar(50n, 100n, 11, [{ time: 100n, kind: 'breakpoint' }, { time: 20n, kind: 'import' }, { time: 50n, kind: 'import' }])).toBe('━━·━━●────◆');
    expect(barColumn(5n, 0n, 10)).toBe(0);
    expect(percentOf(1n, 3n)).toBe('33.3%');
    expect(percentOf(0n, 0n)).toBe('100%');
  });
});

describe('output tail', () => {
  it('keeps the last lines, what follows a carriage return, and no escape codes', () => {
    const bytes = new TextEncoder().encode('one\ntwo\n10%\r50%\r100%\n\u001b[31mred\u001b[0m\n');
    expect(tailLines(bytes, 3)).toEqual(['two', '100%', '^[[31mred^[[0m']);
    expect(tailLines(new Uint8Array(0), 3)).toEqual([]);
    expect(tailLines(new TextEncoder().encode('partial'), 3)).toEqual(['partial']);
  });
});

describe('snapshots of the previous stop', () => {
  it('finds changed locals of the same activation only, and changed globals', () => {
    const d = new FakeDebuggee({ startAt: 15n });
    const before = takeSnapshot(d, 0x1000);
    d.seek(17n);
    const main = d.frames()[0];
    expect([...changedLocals(before, main)]).toEqual([0, 2]);
    expect([...changedGlobals(before, d.globals())]).toEqual([]);
    d.seek(20n);
    expect([...changedLocals(before, d.frames()[0])]).toEqual([]); // divide: a new activation
    expect([...changedGlobals(before, d.globals())]).toEqual([0]);
    expect(before.memory?.bytes[0]).toBe(0);
  });

  it('finds changed C variables of the same activation only (a new activation or block is not "changed")', () => {
    const d = new FakeDebuggee({ startAt: 15n });
    const before = takeSnapshot(d, null);
    d.seek(17n); // total: 0 -> 12
    const main = d.frames()[0];
    expect([...changedVariables(before, main, d.variables(0))]).toEqual([`${main.funcIndex}@${main.entryTime}|total@8`]);
    d.seek(20n); // inside divide(12, 2): a new activation
    expect([...changedVariables(before, d.frames()[0], d.variables(0))]).toEqual([]);
    expect([...changedVariables(null, main, d.variables(1))]).toEqual([]);
  });

  it('finds changed C globals by their bytes against the previous stop\'s copy of memory', () => {
    const d = new FakeDebuggee({ startAt: 15n });
    const before = takeSnapshot(d, null);
    expect(before.memoryCopy?.length).toBe(d.memorySize());
    d.seek(17n); // the int at 0x1000 (main's total) goes 0 -> 12; the text at 0x400 stays
    const global = (name: string, address: number, size: number) => ({
      name, type: 'int', kind: 'global' as const, declLine: 1, unit: 'prog.c', inlined: null, value: '?', available: true, address, size, children: [],
    });
    const globals = [global('total', 0x1000, 4), global('text', 0x400, 8), global('held', 0, 0)];
    const changed = changedGlobalVariables(before, globals, (a, n) => d.readMemory(a, n));
    expect([...changed]).toEqual(['global prog.c|total@1']);
    // Without a copy (memory too large, or no C variables asked): the value texts decide, and these are equal.
    expect([...changedGlobalVariables({ ...before, memoryCopy: null }, globals, (a, n) => d.readMemory(a, n))]).toEqual([]);
    expect([...changedGlobalVariables(null, globals, (a, n) => d.readMemory(a, n))]).toEqual([]);
  });

  it('compares values by type and bits', () => {
    expect(valuesEqual({ type: 'f64', bits: 0n }, { type: 'f64', bits: 0x8000000000000000n })).toBe(false);
    expect(valuesEqual({ type: 'i32', value: 1 }, { type: 'i64', value: 1n })).toBe(false);
    expect(valuesEqual({ type: 'v128', bytes: new Uint8Array(16) }, { type: 'v128', bytes: new Uint8Array(16) })).toBe(true);
  });
});

describe('C variables view', () => {
  it.each([
    ['int', 'n', 'int n'],
    ['const char *', 'msg', 'const char *msg'],
    ['struct record *', 'prec', 'struct record *prec'],
    ['int[4]', 'arr', 'int arr[4]'],
    ['int[2][3]', 'g', 'int g[2][3]'],
    ['int *[4]', 'ptrs', 'int *ptrs[4]'],
    ['int (*)(int)', 'fn', 'int (*fn)(int)'],
    ['int (*)[3]', 'p', 'int (*p)[3]'],
    ['char *const', 'c', 'char *const c'],
  ])('%s %s is declared %s', (type, name, decl) => {
    expect(declaration(type, name)).toBe(decl);
  });

  it("picks the globals of the selected frame's compile unit by its source file", () => {
    const g = (name: string, unit: string): SourceVariable => ({ name, unit, type: 'int', value: '0', kind: 'global', declLine: 1, available: true, address: 0, size: 4, children: [], inlined: null });
    const globals = [g('a', 'test/fixtures/c/x.c'), g('b', './libc/y.c'), g('c', 'x.c')];
    const frame = new FakeDebuggee({ startAt: 12n }).frames()[0];
    expect(globalsForFrame({ ...frame, source: { file: './test/fixtures/c/x.c', line: 1, column: 0 } }, globals).map((v) => v.name)).toEqual(['a', 'c']);
    expect(globalsForFrame({ ...frame, source: { file: 'libc/y.c', line: 1, column: 0 } }, globals).map((v) => v.name)).toEqual(['b']);
    expect(globalsForFrame({ ...frame, source: null }, globals)).toEqual([]);
  });
});

describe('timeline marks', () => {
  it('marks every breakpoint hit and import call, thinned to one per grid cell', () => {
    const d = new FakeDebuggee();
    expect(breakpointMarks(d)).toEqual([]);
    d.addBreakpoint({ kind: 'function', name: 'divide' }); // entered at 10, 20, 30 and 45
    expect(breakpointMarks(d).map((m) => m.time)).toEqual([10n, 20n, 30n, 45n]);
    // A grid of 3 cells over [0, 48]: 0-23, 24-47, 48: one hit per cell.
    expect(breakpointMarks(d, 3).map((m) => m.time)).toEqual([10n, 30n]);
    expect(importMarks(d).map((m) => m.time)).toEqual([19n, 29n, 39n]);
    expect(importMarks(d, 2).map((m) => m.time)).toEqual([19n]);
    const bar = timelineBar(0n, d.end, 49, [...importMarks(d), ...breakpointMarks(d)]);
    expect([...bar].flatMap((c, i) => (c === '◆' ? [i] : []))).toEqual([10, 20, 30, 45]);
    expect([...bar].flatMap((c, i) => (c === '·' ? [i] : []))).toEqual([19, 29, 39]);
  });
});
