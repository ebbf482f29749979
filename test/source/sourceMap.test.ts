/**
 * SourceMap on debug_target.wasm (clang-16 -O0, DWARF 5), with lines found by the `@name`
 * markers in its source, and instruction offsets from `wasm-objdump -d`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DwarfFunctions, functionNamesWithDwarf, SourceLookupError, SourceMap } from '../../src/source/index.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { haveWabt, objdumpFunctions } from '../instrument/objdump.js';
import { moduleWith } from './dwarfBuilder.js';

const root = path.resolve(import.meta.dirname, '../..');
const wasmFile = path.join(root, 'test/fixtures/wasm/debug_target.wasm');
const bytes = new Uint8Array(fs.readFileSync(wasmFile));
const sourceLines = fs.readFileSync(path.join(root, 'test/fixtures/c/debug_target.c'), 'utf8').split('\n');
const FILE = './test/fixtures/c/debug_target.c';
const map = SourceMap.fromModule(bytes)!;
const info = readModuleInfo(bytes);
/** Tests that need `wasm-objdump -d` skip without it, except in CI (see skipWithout). */
const noWabt = !haveWabt() && !process.env.CI;
const objdump = () => objdumpFunctions(wasmFile);

/** The 1-based line that carries `@marker`. */
function line(marker: string): number {
  const i = sourceLines.findIndex((l) => new RegExp(`@${marker}\\b`).test(l));
  if (i < 0) throw new Error(`no @${marker} in debug_target.c`);
  return i + 1;
}

function funcIndex(name: string): number {
  return [...info.functionNames].find(([, n]) => n === name)![0];
}

function lookupError(f: () => unknown): SourceLookupError {
  try {
    f();
  } catch (err) {
    if (err instanceof SourceLookupError) return err;
    throw err;
  }
  throw new Error('no error thrown');
}

describe('pcsForLine', () => {
  it('gives the statement pcs of a line with code', () => {
    const r = map.pcsForLine('debug_target.c', line('fill-store'));
    expect(r).toMatchObject({ file: FILE, line: line('fill-store') });
    expect(r.pcs.length).toBeGreaterThan(0);
    for (const pc of r.pcs) {
      expect(map.locationAt(pc)).toMatchObject({ file: FILE, line: line('fill-store') });
      expect(map.isStatement(pc)).toBe(true);
    }
  });

  it('gives every statement of a for line (initialisation, and test with increment)', () => {
    const r = map.pcsForLine(FILE, line('fill-loop'));
    expect(r.line).toBe(line('fill-loop'));
    expect(r.pcs.length).toBeGreaterThanOrEqual(2);
    expect([...r.pcs].sort((a, b) => a - b)).toEqual(r.pcs);
  });

  it('slides from a comment line, and from a blank one, to the next line with code', () => {
    expect(sourceLines[line('main-comment')].trim()).toBe(''); // the blank line after it
    expect(map.pcsForLine('debug_target.c', line('main-comment')).line).toBe(line('main-fill'));
    expect(map.pcsForLine('debug_target.c', line('main-comment') + 1).line).toBe(line('main-fill'));
  });

  it('refuses a line past the last line with code', () => {
    const err = lookupError(() => map.pcsForLine('debug_target.c', line('last-line')));
    expect(err.code).toBe('no-code-at-line');
    expect(err.message).toContain(`last line with code is ${line('main-return')}`);
    expect(lookupError(() => map.pcsForLine('debug_target.c', 10_000)).code).toBe('no-code-at-line');
  });

  it('matches a file by its full path or a suffix at a / boundary', () => {
    const expected = map.pcsForLine(FILE, line('bump-store'));
    for (const name of ['debug_target.c', 'c/debug_target.c', 'test/fixtures/c/debug_target.c', './debug_target.c']) {
      expect(map.pcsForLine(name, line('bump-store'))).toEqual(expected);
    }
    expect(lookupError(() => map.pcsForLine('target.c', 26)).code).toBe('unknown-source-file');
    expect(lookupError(() => map.pcsForLine('nosuch.c', 26)).code).toBe('unknown-source-file');
  });

  it.skipIf(noWabt)('gives a function entry line as the function\'s first instruction', () => {
    const square = objdump().find((f) => f.funcIndex === funcIndex('square'))!;
    expect(map.pcsForLine('debug_target.c', line('square-open')).pcs).toEqual([square.instructions[0].offset]);
  });
});

describe('locationAt and isStatement', () => {
  it.skipIf(noWabt)('maps every instruction of factorial and bump into the function\'s lines', () => {
    const functions = objdump();
    for (const [name, first, last] of [['factorial', 'factorial-open', 'factorial-close'], ['bump', 'bump-open', 'bump-close']]) {
      const f = functions.find((fn) => fn.funcIndex === funcIndex(name))!;
      const lines = f.instructions.map((i) => map.locationAt(i.offset));
      for (const loc of lines) {
        if (loc === null) continue; // line 0: compiler-made code
        expect(loc.file).toBe(FILE);
        expect(loc.line).toBeGreaterThanOrEqual(line(first));
        expect(loc.line).toBeLessThanOrEqual(line(last));
      }
      expect(lines.filter((l) => l !== null).length).toBeGreaterThan(f.instructions.length / 2);
    }
    const factorial = functions.find((fn) => fn.funcIndex === funcIndex('factorial'))!;
    const seen = new Set(factorial.instructions.map((i) => map.locationAt(i.offset)?.line));
    for (const m of ['factorial-base', 'factorial-recurse']) expect(seen).toContain(line(m));
  });

  it.skipIf(noWabt)('says which instructions start a statement', () => {
    const functions = objdump();
    const bump = functions.find((fn) => fn.funcIndex === funcIndex('bump'))!;
    const stmts = bump.instructions.filter((i) => map.isStatement(i.offset)).map((i) => map.locationAt(i.offset)!.line);
    expect(stmts).toEqual([line('bump-store'), line('bump-close')]);
    // bump has no prologue: its first instruction starts the statement of its first line.
    expect(map.isStatement(bump.instructions[0].offset)).toBe(true);
    expect(map.isStatement(bump.instructions[0].offset + 1)).toBe(false); // inside an instruction
    // square's entry row precedes its locals, and its prologue (stack pointer) belongs to no statement.
    const square = functions.find((fn) => fn.funcIndex === funcIndex('square'))!;
    expect(map.isStatement(square.instructions[0].offset)).toBe(false);
    expect(map.locationAt(square.instructions[0].offset)).toMatchObject({ line: line('square-open') });
  });

  it('finds nothing outside the code', () => {
    const end = [...map.rows()].at(-1)!.pc;
    for (const pc of [0, info.codeSectionPayloadOffset!, end, end + 100, 2 ** 40]) expect(map.locationAt(pc)).toBeNull();
  });

  it('returns the same object for the same row', () => {
    const pc = map.pcsForLine('debug_target.c', line('fill-store')).pcs[0];
    expect(map.locationAt(pc)).toBe(map.locationAt(pc));
  });

  it('lists the source files with code', () => {
    const files = map.files();
    expect(files).toContain(FILE);
    expect(files).toContain('./libc-top-half/musl/src/stdio/printf.c');
    expect(new Set(files).size).toBe(files.length);
  });
});

describe('function names from DWARF', () => {
  const fns = DwarfFunctions.fromModule(bytes);

  it('knows the function around a pc, with its index', () => {
    const pc = map.pcsForLine('debug_target.c', line('factorial-recurse')).pcs[0];
    expect(fns.at(pc)).toMatchObject({ name: 'factorial', funcIndex: funcIndex('factorial') });
    expect(fns.at(0)).toBeNull();
  });

  it('agrees with the name section, which stays first', () => {
    const dwarf = fns.names();
    expect(dwarf.size).toBeGreaterThan(10);
    for (const [index, name] of dwarf) {
      // clang renames main to __original_main when it takes no arguments; DWARF keeps the C name.
      if (name !== 'main') expect(info.functionNames.get(index)).toBe(name);
    }
    expect(dwarf.get(funcIndex('__original_main'))).toBe('main');
    expect(functionNamesWithDwarf(bytes)).toEqual(info.functionNames);
  });
});

it('is null for a module without .debug_line', () => {
  expect(SourceMap.fromModule(moduleWith({}))).toBeNull();
  expect(DwarfFunctions.fromModule(moduleWith({})).ranges).toEqual([]);
});

