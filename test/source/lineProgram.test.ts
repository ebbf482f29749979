/**
 * Hand-built line tables with what clang does not emit: every standard opcode, unknown
 * standard and extended opcodes, define_file, versions 3 and 5 with unusual forms, DWARF64,
 * tombstoned sequences. Checked by hand and against llvm-dwarfdump-16 reading the same bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceLookupError, SourceMap } from '../../src/source/index.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { skipWithout, tempDir } from '../helpers/run.js';
import { DWARFDUMP, dumpLineTables } from './dwarfdump.js';
import { encode, lineUnit, moduleWith, op, v5Tables } from './dwarfBuilder.js';

/** Special opcode for a line and address advance (line_base -5, line_range 14, opcode_base 13). */
const special = (line: number, address: number, base = 13) => op.special(line + 5 + 14 * address + base);

const v3 = lineUnit({
  version: 3,
  dirs: ['inc'],
  files: [['a.c', 0], ['h.h', 1]],
  program: [
    ...op.setAddress(0x2), ...op.advanceLine(9), ...op.copy(), // 0x2 a.c:10
    ...op.setColumn(3), ...op.setPrologueEnd(), ...special(1, 2), // 0x4 a.c:11:3
    ...op.negateStmt(), ...special(0, 1), // 0x5 a.c:11:3, not a statement
    ...op.setBasicBlock(), ...op.setEpilogueBegin(), ...op.constAddPc(), ...special(0, 0), // 0x16 (+17)
    ...op.fixedAdvancePc(0x10), ...op.setIsa(5), ...op.setDiscriminator(7), ...op.setFile(2), ...op.negateStmt(),
    ...op.advanceLine(-3), ...op.copy(), // 0x26 inc/h.h:8
    ...op.advancePc(3), ...op.endSequence(), // 0x29
    ...op.setAddress(0x30), ...op.defineFile('gen.c', 1), ...op.setFile(3), ...op.advanceLine(99), ...op.copy(), // 0x30 inc/gen.c:100
    ...op.copy(), // again at 0x30: the last row at an address wins
    ...op.advanceLine(-100), ...special(0, 2), // 0x32 line 0
    ...op.advancePc(2), ...op.endSequence(), // 0x34
  ],
});

const dwarf64 = lineUnit({
  version: 4,
  dwarf64: true,
  opcodeBase: 14,
  files: [['/abs/b.c', 0]],
  program: [
    ...op.setAddress(0x40), ...op.advanceLine(4), ...op.copy(), // 0x40 /abs/b.c:5
    13, ...encode.uleb(1), ...encode.uleb(300), // opcode 13: unknown here, two operands
    ...op.extended(0x80, [1, 2, 3]), // unknown extended opcode
    ...special(2, 3, 14), // 0x43 line 7
    ...op.advancePc(4), ...op.endSequence(),
  ],
});

const lineStr = [...encode.cstr('/comp'), ...encode.cstr('sub'), ...encode.cstr('main.c')];
const v5 = lineUnit({
  version: 5,
  v5Tables: v5Tables(
    { formats: [[1, 0x1f]], entries: [encode.u32(0), encode.u32(6)] }, // line_strp: "/comp", "sub"
    {
      formats: [[1, 0x08], [2, 0x0f], [5, 0x1e], [0x2001, 0x08]], // path string, dir udata, MD5, LLVM source
      entries: [
        [...encode.cstr('main.c'), 0, ...new Array(16).fill(0xab), 0],
        [...encode.cstr('x.h'), 1, ...new Array(16).fill(0xcd), ...encode.cstr('int x;')],
      ],
    },
  ),
  program: [
    ...op.setAddress(0x50), ...op.setFile(0), ...op.copy(), // 0x50 /comp/main.c:1
    ...op.setFile(1), ...special(2, 2), // 0x52 /comp/sub/x.h:3
    ...op.advancePc(2), ...op.endSequence(),
  ],
});

const tombstoned = lineUnit({
  version: 4,
  files: [['dead.c', 0]],
  program: [
    ...op.setAddress(0xffffffff), ...op.copy(), ...op.advancePc(1), ...op.endSequence(),
    ...op.setAddress(0), ...op.copy(), ...op.advancePc(1), ...op.endSequence(),
    ...op.setAddress(0x60), ...op.copy(), // no end_sequence: dropped
  ],
});

const module = moduleWith({ '.debug_line': [...v3, ...dwarf64, ...v5, ...tombstoned], '.debug_line_str': lineStr }, 0x200);
const map = SourceMap.fromModule(module)!;
const codeOffset = readModuleInfo(module).codeSectionPayloadOffset!;

describe('a hand-built line table', () => {
  it('has the rows worked out by hand', () => {
    const rows = [...map.rows()].map((r) => [r.pc - codeOffset, r.file, r.line, r.column, r.isStmt, r.endSequence]);
    expect(rows).toEqual([
      [0x2, 'a.c', 10, 0, true, false],
      [0x4, 'a.c', 11, 3, true, false],
      [0x5, 'a.c', 11, 3, false, false],
      [0x16, 'a.c', 11, 3, false, false],
      [0x26, 'inc/h.h', 8, 3, true, false],
      [0x29, 'inc/h.h', 8, 3, true, true],
      [0x30, 'inc/gen.c', 100, 0, true, false],
      [0x30, 'inc/gen.c', 100, 0, true, false],
      [0x32, 'inc/gen.c', 0, 0, true, false],
      [0x34, 'inc/gen.c', 0, 0, true, true],
      [0x40, '/abs/b.c', 5, 0, true, false],
      [0x43, '/abs/b.c', 7, 0, true, false],
      [0x47, '/abs/b.c', 7, 0, true, true],
      [0x50, '/comp/main.c', 1, 0, true, false],
      // LLVM's rule: directory 0 is not put in front of another directory; without
      // .debug_info there is no DW_AT_comp_dir to put there instead.
      [0x52, 'sub/x.h', 3, 0, true, false],
      [0x54, 'sub/x.h', 3, 0, true, true],
    ]);
  });

  it('looks up ranges, gaps, line 0 and statements', () => {
    const at = (a: number) => map.locationAt(a + codeOffset);
    expect(at(0x1)).toBeNull();
    expect(at(0x2)).toMatchObject({ file: 'a.c', line: 10 });
    expect(at(0x3)).toMatchObject({ line: 10 });
    expect(at(0x28)).toMatchObject({ file: 'inc/h.h', line: 8, column: 3 });
    expect(at(0x29)).toBeNull(); // end of the first sequence
    expect(at(0x31)).toMatchObject({ file: 'inc/gen.c', line: 100 });
    expect(at(0x33)).toBeNull(); // line 0
    expect(at(0x47)).toBeNull();
    expect(map.isStatement(0x4 + codeOffset)).toBe(true);
    expect(map.isStatement(0x5 + codeOffset)).toBe(false);
    expect(map.isStatement(0x32 + codeOffset)).toBe(false); // is_stmt, but line 0
    expect(map.isStatement(0x29 + codeOffset)).toBe(false); // end_sequence
  });

  it('answers file:line requests across tables and versions', () => {
    expect(map.files()).toEqual(['/abs/b.c', '/comp/main.c', 'a.c', 'inc/gen.c', 'inc/h.h', 'sub/x.h']);
    expect(map.pcsForLine('a.c', 10)).toEqual({ file: 'a.c', line: 10, pcs: [0x2 + codeOffset] });
    expect(map.pcsForLine('a.c', 2)).toEqual({ file: 'a.c', line: 10, pcs: [0x2 + codeOffset] });
    expect(map.pcsForLine('a.c', 11).pcs).toEqual([0x4 + codeOffset]);
    expect(map.pcsForLine('x.h', 1).line).toBe(3);
    expect(map.pcsForLine('h.h', 1)).toEqual({ file: 'inc/h.h', line: 8, pcs: [0x26 + codeOffset] });
    expect(() => map.pcsForLine('a.c', 12)).toThrow(SourceLookupError);
  });

  it.skipIf(skipWithout(DWARFDUMP))('agrees with llvm-dwarfdump-16', () => {
    const file = path.join(tempDir(), 'handmade.wasm');
    fs.writeFileSync(file, module);
    const tables = dumpLineTables(file);
    expect(tables.map((t) => t.version)).toEqual([3, 4, 5, 4]);
    const expected = tables
      .flatMap((t) => t.sequences)
      .filter((seq) => seq[0].address !== 0 && seq[0].address < 0xfffffffe)
      .sort((a, b) => a[0].address - b[0].address)
      .flat()
      .map(({ address, ...rest }) => ({ pc: address + codeOffset, ...rest }));
    expect([...map.rows()]).toEqual(expected);
  });
});

describe('overlaps and ambiguity', () => {
  const unit = (files: [string, number][], dirs: string[], program: number[]) => lineUnit({ version: 4, dirs, files, program });
  const bytes = moduleWith({
    '.debug_line': [
      ...unit([['x.c', 1]], ['a'], [...op.setAddress(0x10), ...op.copy(), ...op.advancePc(0x20), ...op.endSequence()]),
      ...unit([['x.c', 1]], ['b'], [...op.setAddress(0x20), ...op.advanceLine(5), ...op.copy(), ...op.advancePc(4), ...op.endSequence()]),
    ],
  });
  const m = SourceMap.fromModule(bytes)!;
  const offset = readModuleInfo(bytes).codeSectionPayloadOffset!;

  it('lets a later-starting sequence win where sequences overlap', () => {
    expect(m.locationAt(0x18 + offset)).toMatchObject({ file: 'a/x.c', line: 1 });
    expect(m.locationAt(0x20 + offset)).toMatchObject({ file: 'b/x.c', line: 6 });
    expect(m.locationAt(0x24 + offset)).toBeNull();
  });

  it('refuses a file name that ends two paths, listing both', () => {
    let error: unknown;
    try {
      m.pcsForLine('x.c', 1);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SourceLookupError);
    expect(error).toMatchObject({ code: 'ambiguous-source-file', candidates: ['a/x.c', 'b/x.c'], exitCode: 2 });
    expect(m.pcsForLine('b/x.c', 1)).toEqual({ file: 'b/x.c', line: 6, pcs: [0x20 + offset] });
  });
});
