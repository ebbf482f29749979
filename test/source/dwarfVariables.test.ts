/**
 * DwarfVariables (the `.debug_info` tree, C types, scopes, location lists) on the -O0 DWARF 5
 * fixtures variables.wasm and debug_target.wasm, whose libc part is optimised DWARF 4 (location
 * lists in `.debug_loc`, ranges in `.debug_ranges`). Oracle: llvm-dwarfdump-16's text, parsed
 * here: every subprogram's parameters and variables with their names, types and locations.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DwarfVariables, typeName, type VariableDecl } from '../../src/source/index.js';
import { DWARFDUMP, haveDwarfdump } from './dwarfdump.js';

const root = path.resolve(import.meta.dirname, '../..');
const wasm = (name: string) => path.join(root, `test/fixtures/wasm/${name}.wasm`);
const load = (name: string) => DwarfVariables.fromModule(new Uint8Array(fs.readFileSync(wasm(name))))!;
const noDump = !haveDwarfdump() && !process.env.CI;

/** One DIE of llvm-dwarfdump's output: tag, attributes as printed, nesting depth. */
interface DumpDie {
  /** Offset in `.debug_info`, as printed before the tag. */
  readonly offset: number;
  readonly tag: string;
  readonly depth: number;
  readonly attrs: Map<string, string>;
}

function dumpDies(file: string): DumpDie[] {
  const text = execFileSync(DWARFDUMP, ['--debug-info', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const dies: DumpDie[] = [];
  let current: DumpDie | null = null;
  for (const l of text.split('\n')) {
    const tag = /^(0x[0-9a-f]+): (\s*)(DW_TAG_\w+)/.exec(l);
    if (tag) {
      current = { offset: parseInt(tag[1], 16), tag: tag[3], depth: tag[2].length / 2, attrs: new Map() };
      dies.push(current);
      continue;
    }
    const attr = /^\s+(DW_AT_\w+)\s+\((.*)\)?$/.exec(l);
    if (attr && current) current.attrs.set(attr[1], attr[2]);
  }
  return dies;
}

/** Each subprogram with code: its name, low_pc, and the parameters/variables anywhere inside it. */
function dumpFunctions(file: string) {
  const dies = dumpDies(file);
  const out: { name: string; lowPc: number; vars: { offset: number; name: string; type: string; location: string }[] }[] = [];
  for (let i = 0; i < dies.length; i++) {
    const d = dies[i];
    // Functions the linker dropped print `(dead code)` as their low_pc.
    if (d.tag !== 'DW_TAG_subprogram' || !/^0x/.test(d.attrs.get('DW_AT_low_pc') ?? '') || !d.attrs.has('DW_AT_name')) continue;
    const vars = [];
    for (let j = i + 1; j < dies.length && dies[j].depth > d.depth; j++) {
      const v = dies[j];
      if (v.tag !== 'DW_TAG_variable' && v.tag !== 'DW_TAG_formal_parameter') continue;
      // A variable of an inlined call is named (and typed) by its abstract origin: `(0x35d "v")`.
      const name = v.attrs.has('DW_AT_name') ? unquote(v.attrs.get('DW_AT_name')!) : /"(.*)"/.exec(v.attrs.get('DW_AT_abstract_origin') ?? '')?.[1];
      if (name === undefined) continue;
      vars.push({ offset: v.offset, name, type: /"(.*)"/.exec(v.attrs.get('DW_AT_type') ?? '')?.[1] ?? '', location: v.attrs.get('DW_AT_location') ?? '' });
    }
    out.push({ name: unquote(d.attrs.get('DW_AT_name')!), lowPc: parseInt(d.attrs.get('DW_AT_low_pc')!, 16), vars });
  }
  return out;
}

const unquote = (s: string) => s.replace(/^\("?|"?\)?$/g, '').replace(/^"|"$/g, '');
/** llvm-dwarfdump names C tagged types without their keyword (`record *`, `color`), anonymous ones as `union `. */
const dumpSpelling = (v: VariableDecl) => typeName(v.type).replace(/\b(struct|union|enum) \{\.\.\.\}/g, '$1 ').replace(/\b(struct|union|enum) (?=\w)/g, '');

/** Every variable of the scope at each pc of the function, deduplicated by name and line. */
function allVariables(dv: DwarfVariables, lowPc: number, highPc: number): VariableDecl[] {
  const seen = new Map<string, VariableDecl>();
  for (let pc = lowPc; pc < highPc; pc++) for (const v of dv.scopeAt(pc)?.variables ?? []) seen.set(String(v.dieOffset), v);
  return [...seen.values()];
}

describe.skipIf(noDump)('variables and types against llvm-dwarfdump-16', () => {
  for (const fixture of ['variables', 'debug_target']) {
    it(`${fixture}.wasm: every function's parameters and variables, with their types and single-expression locations`, () => {
      const dv = load(fixture);
      const functions = dumpFunctions(wasm(fixture));
      expect(functions.length).toBeGreaterThan(5);
      let checkedLocations = 0;
      for (const f of functions) {
        const scope = dv.functionAt(f.lowPc + dv.codeOffset);
        expect(scope?.name, `function at 0x${f.lowPc.toString(16)}`).toBe(f.name);
        const ours = allVariables(dv, scope!.ranges[0].low, scope!.ranges[0].high);
        expect(ours.map((v) => v.name).sort(), f.name).toEqual(f.vars.map((v) => v.name).sort());
        for (const v of f.vars) {
          const mine = ours.find((o) => o.dieOffset === v.offset)!;
          // llvm-dwarfdump-16 prints a restrict-qualified type as just "restrict ": compare the rest.
          // An inlined call's variables have their type on the abstract origin, which the dump does not repeat.
          if (v.type === '') expect(mine.inlined, `${f.name}.${v.name} has no type of its own`).not.toBeNull();
          else if (!v.type.includes('restrict')) expect(dumpSpelling(mine), `${f.name}.${v.name}`).toBe(v.type);
          else expect(dumpSpelling(mine)).toMatch(/\*restrict$/);
          const fbreg = /^\(?DW_OP_fbreg ([+-]\d+)\)?$/.exec(v.location);
          if (fbreg && mine.location?.kind === 'expr') {
            // DW_OP_fbreg (0x91) and its SLEB128 offset.
            expect(mine.location.expr[0]).toBe(0x91);
            expect(sleb(mine.location.expr, 1)).toBe(Number(fbreg[1]));
            checkedLocations++;
          } else if (v.location.startsWith('0x')) {
            expect(mine.location?.kind, `${f.name}.${v.name} has a location list`).toBe('list');
          }
        }
      }
      expect(checkedLocations).toBeGreaterThan(3);
    });
  }

  it('reads the optimised libc units: location lists with several entries and functions with address ranges', () => {
    const dv = load('debug_target');
    const functions = dumpFunctions(wasm('debug_target'));
    const withLists = functions.flatMap((f) => f.vars.filter((v) => v.location.startsWith('0x')).map((v) => ({ f, v })));
    expect(withLists.length).toBeGreaterThan(10);
    let entries = 0;
    const byFunction = new Map<number, VariableDecl[]>();
    for (const { f, v } of withLists) {
      const scope = dv.functionAt(f.lowPc + dv.codeOffset)!;
      if (!byFunction.has(f.lowPc)) byFunction.set(f.lowPc, allVariables(dv, scope.ranges[0].low, scope.ranges[0].high));
      const mine = byFunction.get(f.lowPc)!.find((o) => o.dieOffset === v.offset)!;
      if (mine.location?.kind === 'list') entries += mine.location.entries.length;
    }
    expect(entries).toBeGreaterThan(withLists.length);
  });
});

describe('scopes at a pc', () => {
  const dv = load('variables');
  const src = fs.readFileSync(path.join(root, 'test/fixtures/c/variables.c'), 'utf8').split('\n');
  const markerLine = (m: string) => src.findIndex((l) => l.includes(`@${m}`)) + 1;

  it('lists parameters first, then locals, and a block\'s locals only inside the block', () => {
    const main = dv.functionAt(findFunction(dv, 'main'))!;
    const all = allVariables(dv, main.ranges[0].low, main.ranges[0].high);
    expect(all.find((v) => v.name === 'inner_only')?.declLine).toBe(markerLine('main-block'));
    const atStart = dv.scopeAt(main.ranges[0].low)!.variables.map((v) => v.name);
    expect(atStart).not.toContain('inner_only');
    expect(atStart).toEqual(expect.arrayContaining(['c', 'rec', 'prec', 'msg', 'fn', 'calls']));
    const touch = dv.functionAt(findFunction(dv, 'touch'))!;
    expect(dv.scopeAt(touch.ranges[0].low)!.variables.map((v) => `${v.kind} ${v.name}: ${typeName(v.type)}`)).toEqual([
      'parameter r: struct record *', 'parameter delta: int',
    ]);
  });

  it("adds an inlined call's parameters and locals after the frame's own, inside the inlined code only", () => {
    const main = dv.functionAt(findFunction(dv, 'main'))!;
    let inside: readonly VariableDecl[] | undefined;
    let outside: readonly VariableDecl[] | undefined;
    for (let pc = main.ranges[0].low; pc < main.ranges[0].high && !(inside && outside); pc++) {
      const vars = dv.scopeAt(pc)!.variables;
      if (vars.some((v) => v.inlined !== null)) inside ??= vars;
      else outside ??= vars;
    }
    const inlined = inside!.filter((v) => v.inlined !== null);
    const body = markerLine('scaled-body'); // `int product = v * k;`, the line after the signature
    expect(inlined.map((v) => `${v.inlined} ${v.kind} ${v.name}: ${typeName(v.type)} @${v.declLine}`)).toEqual([
      `scaled parameter v: int @${body - 1}`, `scaled parameter k: int @${body - 1}`, `scaled local product: int @${body}`,
    ]);
    expect(inside!.slice(-3)).toEqual(inlined); // after main's own
    expect(outside!.some((v) => v.inlined !== null)).toBe(false);
  });

  it('spells C types as C does', () => {
    const main = dv.functionAt(findFunction(dv, 'main'))!;
    const types = new Map(allVariables(dv, main.ranges[0].low, main.ranges[0].high).map((v) => [v.name, typeName(v.type)]));
    expect(Object.fromEntries(types)).toMatchObject({
      c: 'char', sc: 'signed char', uc: 'unsigned char', steps: 'count_t', yes: '_Bool', col: 'enum color',
      arr: 'int[4]', text: 'char[8]', rec: 'struct record', prec: 'struct record *', num: 'union number',
      msg: 'const char *', parr: 'int *', fn: 'int (*)(int)',
    });
    const globals = new Map(dv.globals().map((v) => [v.name, typeName(v.type)]));
    expect(globals.get('g_grid')).toBe('int[2][3]');
    expect(globals.get('g_big')).toBe('unsigned long long');
  });

  it('has no scope outside any function with DWARF, and no DWARF in a module without it', () => {
    expect(dv.scopeAt(0)).toBeNull();
    const plain = DwarfVariables.fromModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    expect(plain).toBeNull();
  });
});

function findFunction(dv: DwarfVariables, name: string): number {
  const f = dv.allFunctions().find((x) => x.name === name);
  if (f === undefined) throw new Error(`no function ${name}`);
  return f.ranges[0].low;
}

function sleb(bytes: Uint8Array, at: number): number {
  let result = 0, shift = 0, b: number;
  do {
    b = bytes[at++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return b & 0x40 ? result - (1 << shift) : result;
}
