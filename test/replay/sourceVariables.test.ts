/**
 * `Debuggee.variables(frame)` and `globalVariables()` over real recordings: debug_target and
 * variables (clang-16 -O0, DWARF 5: frame-base locals and `DW_OP_fbreg`), and args_env
 * (-O2, DWARF 4: location lists of `DW_OP_WASM_location` values). Expected values come from
 * the C sources (what each line has computed when it is reached), found by `@name` markers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplay, type Replay, type SourceVariable } from '../../replay/index.js';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';

function record(name: string, args: string[] = []): string {
  const trace = path.join(tempDir(), `${name}.wtrace`);
  const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture(name), '--', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return trace;
}

function markerLine(file: string, name: string): number {
  const lines = fs.readFileSync(path.join(root, `test/fixtures/c/${file}`), 'utf8').split('\n');
  const i = lines.findIndex((l) => new RegExp(`@${name}\\b`).test(l));
  expect(i, `marker @${name}`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

/** name -> value text of frame `i`'s variables. */
const values = (r: Replay, frame = 0) => Object.fromEntries(r.variables(frame).map((v) => [v.name, v.value]));
const find = (vars: readonly SourceVariable[], name: string) => {
  const v = vars.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no variable ${name} in ${vars.map((x) => x.name).join(', ')}`);
  return v;
};

describe('debug_target: recursion, globals, both directions', () => {
  let r: Replay;
  beforeAll(async () => {
    r = await openReplay(record('debug_target'));
  });
  afterAll(() => r?.close());

  it("shows factorial's n at every level of the recursion, innermost first", () => {
    const bp = r.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: markerLine('debug_target.c', 'factorial-base') });
    try {
      r.seek(0n);
      expect(r.continue('forward').kind).toBe('breakpoint');
      const frames = r.frames();
      const levels = frames.map((f, i) => (f.name === 'factorial' ? find(r.variables(i), 'n').value : null)).filter((v) => v !== null);
      expect(levels).toEqual(['1', '2', '3', '4', '5']);
      expect(r.variables(0).map((v) => `${v.kind} ${v.type} ${v.name}`)).toEqual(['parameter int n', 'local int smaller']);
      const main = frames.findIndex((f) => f.name === '__original_main');
      // main is inside `int f = factorial(5);`: total was computed on the line before.
      expect(values(r, main).total).toBe('140');
    } finally {
      r.removeBreakpoint(bp.id);
    }
  });

  it('reads n and smaller after each return, continuing forward and then backward', () => {
    const after = markerLine('debug_target.c', 'factorial-recurse') + 1; // `return n * smaller;`
    const bp = r.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: after });
    try {
      r.seek(0n);
      const forward: string[] = [];
      for (let e = r.continue('forward'); e.kind === 'breakpoint'; e = r.continue('forward')) forward.push(`${values(r).n}:${values(r).smaller}`);
      expect(forward).toEqual(['2:1', '3:2', '4:6', '5:24']);
      const backward: string[] = [];
      for (let e = r.continue('backward'); e.kind === 'breakpoint'; e = r.continue('backward')) backward.push(`${values(r).n}:${values(r).smaller}`);
      // From the end of the recording: the last hit first.
      expect(backward).toEqual(['5:24', '4:6', '3:2', '2:1']);
    } finally {
      r.removeBreakpoint(bp.id);
    }
  });

  it('follows a global through time: counter, origin and squares at the start and at the end', () => {
    const globals = () => Object.fromEntries(r.globalVariables().filter((g) => g.unit.endsWith('debug_target.c')).map((g) => [g.name, g]));
    r.seek(0n);
    expect(globals().counter.value).toBe('0');
    expect(globals().origin.value).toBe('{x = 3, y = 4}');
    r.seek(r.end);
    expect(globals().counter.value).toBe('14');
    expect(globals().origin.value).toBe('{x = 143, y = 4}');
    const squares = globals().squares;
    expect(squares.type).toBe('int[8]');
    expect(squares.children.map((c) => c.value)).toEqual(['0', '1', '4', '9', '16', '25', '36', '49']);
    expect(squares.children[1].address).toBe(squares.address! + 4);
    expect(globals().counter.kind).toBe('global');
  });

  it('gives one source file\'s globals when asked for that unit, the same values as among all', () => {
    r.seek(r.end);
    const all = r.globalVariables();
    const mine = all.filter((g) => g.unit.endsWith('debug_target.c'));
    expect(mine.length).toBeGreaterThan(2);
    expect(all.length).toBeGreaterThan(mine.length);
    const frameFile = r.frames().find((f) => f.source?.file.endsWith('debug_target.c'))?.source?.file ?? './test/fixtures/c/debug_target.c';
    for (const unit of [frameFile, 'debug_target.c', 'c/debug_target.c']) expect(r.globalVariables(unit)).toEqual(mine);
    expect(r.globalVariables('no_such_file.c')).toEqual([]);
    expect(r.globalVariables('target.c')).toEqual([]);
  });

  it('refuses a frame that does not exist', () => {
    r.seek(0n);
    expect(() => r.variables(5)).toThrow(RangeError);
    expect(() => r.variables(-1)).toThrow(RangeError);
  });
});

describe('variables: every C type at a known stop', () => {
  let r: Replay;
  const FILE = 'variables.c';
  beforeAll(async () => {
    r = await openReplay(record('variables'));
  });
  afterAll(() => r?.close());

  it('has every local of main with the value its line computed', () => {
    const bp = r.addBreakpoint({ kind: 'line', file: FILE, line: markerLine(FILE, 'main-print') });
    try {
      r.seek(0n);
      expect(r.continue('forward').kind).toBe('breakpoint');
      const v = values(r);
      expect(v).toMatchObject({
        c: "65 'A'", sc: "-3 '\\xfd'", uc: "200 '\\xc8'", s: '-1234', us: '65000', l: '-100000', ll: '-5000000000',
        u: '4000000000', steps: '3', yes: 'true', fl: '1.5', d: '-0.25', col: 'GREEN',
        // arr[0] = inner_only = arr[2] + 1; the string keeps its tab.
        arr: '{31, 20, 30, 40}', text: '"hi\\tyou"', calls: '1', checksum: '-36578',
      });
      const vars = r.variables(0);
      const rec = find(vars, 'rec');
      const globals = r.globalVariables();
      const gRec = find(globals, 'g_rec');
      // rec.next = &g_rec; prec = &rec; parr = &arr[1]; msg points at "hello".
      expect(rec.value).toBe(`{id = 50, weight = 70.5, in = {tag = -2, code = "xyz"}, hue = BLUE, flags = 3, mode = 9, next = 0x${gRec.address!.toString(16).padStart(8, '0')}}`);
      expect(find(vars, 'prec').value).toBe(`0x${rec.address!.toString(16).padStart(8, '0')}`);
      expect(find(vars, 'parr').value).toBe(`0x${(find(vars, 'arr').address! + 4).toString(16).padStart(8, '0')}`);
      expect(find(vars, 'msg').value).toMatch(/^0x[0-9a-f]{8} "hello"$/);
      expect(find(vars, 'num').value).toBe('{i = 1065353216, f = 1, bytes = "\\0\\0\\x80?"}');
      expect(rec.children.map((c) => c.name)).toEqual(['id', 'weight', 'in', 'hue', 'flags', 'mode', 'next']);
      expect(rec.children[2].children.map((c) => `${c.name}=${c.value}`)).toEqual(['tag=-2', 'code="xyz"']);
      expect(find(vars, 'fn').type).toBe('int (*)(int)');
      // Pointers open to what they point at: *prec is rec, *rec.next is g_rec; char and function pointers do not.
      expect(find(vars, 'prec').children.map((c) => [c.name, c.value, c.address])).toEqual([['*prec', rec.value, rec.address]]);
      expect(rec.children[6].children.map((c) => [c.name, c.value])).toEqual([['*next', gRec.value]]);
      expect(find(vars, 'parr').children.map((c) => c.value)).toEqual(['20']);
      expect(find(vars, 'msg').children).toEqual([]);
      expect(find(vars, 'fn').children).toEqual([]);
      expect(vars.some((x) => x.name === 'inner_only')).toBe(false);
    } finally {
      r.removeBreakpoint(bp.id);
    }
  });

  it('sees a block-scoped local only inside its block, and a struct change made through a pointer', () => {
    const touch = r.addBreakpoint({ kind: 'line', file: FILE, line: markerLine(FILE, 'touch-update') });
    try {
      r.seek(0n);
      expect(r.continue('forward').kind).toBe('breakpoint'); // in touch()
      const inTouch = r.variables(0);
      expect(inTouch.map((v) => `${v.kind} ${v.name}`)).toEqual(['parameter r', 'parameter delta']);
      expect(find(inTouch, 'delta').value).toBe('8');
      expect(find(inTouch, 'r').value).toBe(find(r.variables(1), 'prec').value);
      expect(find(r.variables(1), 'rec').children[0].value).toBe('42');
      r.removeBreakpoint(touch.id); // stepping back over the call must not stop in it
      // touch() returns nothing: back in main, the call's statement is done and the block's line is next.
      r.stepOut('forward');
      expect(r.frames()[0].source?.line).toBe(markerLine(FILE, 'main-block'));
      expect(find(r.variables(0), 'rec').children[0].value).toBe('50');
      expect(r.variables(0).some((v) => v.name === 'inner_only')).toBe(true);
      r.stepOver('backward', 'line'); // back to the call of touch: outside the block, before the call
      expect(r.frames()[0].source?.line).toBe(markerLine(FILE, 'main-touch'));
      expect(r.variables(0).some((v) => v.name === 'inner_only')).toBe(false);
      expect(find(r.variables(0), 'rec').children[0].value).toBe('42');
    } finally {
      r.removeBreakpoint(touch.id);
    }
  });

  it("lists an inlined call's parameters and locals after main's own, while its code runs", () => {
    const bp = r.addBreakpoint({ kind: 'line', file: FILE, line: markerLine(FILE, 'scaled-body') });
    try {
      r.seek(0n);
      expect(r.continue('forward').kind).toBe('breakpoint');
      expect(r.frames()[0].name).toBe('__original_main'); // no Wasm call: the code is main's
      const vars = r.variables(0);
      const inlined = vars.filter((v) => v.inlined !== null);
      // scaled(arr[1], 3) with arr[1] = 20; product is not computed yet on its own line.
      expect(inlined.map((v) => `${v.inlined} ${v.kind} ${v.name}`)).toEqual(['scaled parameter v', 'scaled parameter k', 'scaled local product']);
      expect(inlined.slice(0, 2).map((v) => v.value)).toEqual(['20', '3']);
      expect(vars.slice(0, vars.length - 3).every((v) => v.inlined === null)).toBe(true);
      r.stepOver('forward', 'line');
      expect(find(r.variables(0).filter((v) => v.inlined !== null), 'product').value).toBe('60');
      r.stepOver('forward', 'line');
      r.stepOver('forward', 'line');
      expect(r.variables(0).some((v) => v.inlined !== null)).toBe(false); // past the inlined code
      expect(find(r.variables(0), 'sc3').value).toBe('61');
    } finally {
      r.removeBreakpoint(bp.id);
    }
  });

  it('lists the globals of every type, and marks one the linker dropped as unavailable', () => {
    r.seek(r.end);
    const g = Object.fromEntries(r.globalVariables().filter((x) => x.unit.endsWith(FILE)).map((x) => [x.name, x]));
    expect(g.g_int.value).toBe('-7');
    expect(g.g_name.value).toMatch(/^0x[0-9a-f]{8} "wtrace"$/);
    expect(g.g_grid.value).toBe('{{1, 2, 3}, {4, 5, 6}}');
    expect(g.g_null.value).toBe('0x00000000');
    expect(g.g_color.value).toBe('BLUE');
    expect(g.g_rec.value).toBe('{id = 1, weight = 2.5, in = {tag = 3, code = "ab"}, hue = GREEN, flags = 5, mode = 17, next = 0x00000000}');
    // g_big is never used, so wasm-ld did not link it.
    expect(g.g_big.available).toBe(false);
    expect(g.g_big.value).toMatch(/not in the linked program/);
  });
});

describe('args_env (-O2): values held in Wasm locals, from location lists', () => {
  it("reads main's argc and argv from their location lists at main's entry", async () => {
    const r = await openReplay(record('args_env', ['FIRST', 'SECOND']));
    try {
      const bp = r.addBreakpoint({ kind: 'function', name: 'main' });
      expect(r.continue('forward').kind).toBe('breakpoint');
      r.removeBreakpoint(bp.id);
      const vars = r.variables(0);
      const argc = find(vars, 'argc');
      expect([argc.value, argc.address]).toEqual(['3', null]);
      expect(find(vars, 'argv').type).toBe('char **');
      expect(find(vars, 'argv').value).toMatch(/^0x[0-9a-f]{8}$/);
    } finally {
      r.close();
    }
  });
});
