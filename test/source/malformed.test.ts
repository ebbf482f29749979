/**
 * Damaged DWARF gives a `DwarfFormatError` (exit code: bad input) naming the section and the
 * offset, never another exception or a hang: hand-picked damage, then truncations and byte
 * flips of debug_target.wasm's DWARF sections chosen by fast-check.
 */
import { fc, test } from '@fast-check/vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { DwarfFormatError, DwarfFunctions, SourceMap } from '../../src/source/index.js';
import { customSection, lineUnit, moduleWith, op, withCustomSection } from './dwarfBuilder.js';

const original = new Uint8Array(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/wasm/debug_target.wasm')));
const debugLine = customSection(original, '.debug_line');

/** debug_target.wasm with its `.debug_line` changed by `edit` (on a copy). */
function withLine(edit: (bytes: Uint8Array) => Uint8Array | void): Uint8Array {
  const copy = debugLine.slice();
  return withCustomSection(original, '.debug_line', edit(copy) ?? copy);
}

function dwarfError(module: Uint8Array): DwarfFormatError {
  try {
    SourceMap.fromModule(module);
  } catch (err) {
    if (err instanceof DwarfFormatError) return err;
    throw err;
  }
  throw new Error('no error');
}

const setU32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
const setU16 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint16(at, v, true);

describe('malformed .debug_line', () => {
  it('reads the undamaged section (the edits below are the only difference)', () => {
    expect([...SourceMap.fromModule(withLine(() => {}))!.rows()]).toEqual([...SourceMap.fromModule(original)!.rows()]);
  });

  it('refuses an unsupported version, naming it and where it is', () => {
    for (const version of [0, 1, 6, 0xffff]) {
      const err = dwarfError(withLine((b) => setU16(b, 4, version)));
      expect(err).toMatchObject({ code: 'bad-dwarf', exitCode: ExitCode.badInput, section: '.debug_line', offset: 4 });
      expect(err.message).toBe(`malformed DWARF in .debug_line at offset 0x4: unsupported line table version ${version}`);
    }
  });

  it('refuses a unit length that runs past the section, and the reserved lengths', () => {
    expect(dwarfError(withLine((b) => setU32(b, 0, b.length))).message).toMatch(/at offset 0x0: unit length 0x[0-9a-f]+ runs past the end/);
    expect(dwarfError(withLine((b) => setU32(b, 0, 0xfffffff0))).message).toContain('reserved unit length 0xfffffff0');
    expect(dwarfError(withLine((b) => setU32(b, 0, 0xffffffff))).message).toContain('runs past the end'); // DWARF64, huge
  });

  it('refuses a header length past its unit', () => {
    expect(dwarfError(withLine((b) => setU32(b, 6, 0x10000))).message).toContain('runs past its container');
  });

  it('refuses a section cut inside a unit, but reads one cut between units', () => {
    const firstUnitEnd = 4 + new DataView(debugLine.buffer, debugLine.byteOffset).getUint32(0, true);
    for (const cut of [1, 5, 20, firstUnitEnd - 1, debugLine.length - 1]) {
      expect(dwarfError(withLine((b) => b.subarray(0, cut))).section).toBe('.debug_line');
    }
    const first = SourceMap.fromModule(withLine((b) => b.subarray(0, firstUnitEnd)))!;
    expect(first.files()).toEqual(['./build/libc-bottom-half/crt/crt1-command.c']);
  });

  it('refuses damage in hand-built programs: zero-length extended opcode, line_range 0, a string past the header', () => {
    const module = (program: number[], dirs = ['d']) =>
      moduleWith({ '.debug_line': lineUnit({ version: 4, dirs, files: [['f.c', 1]], program }) });
    expect(dwarfError(module([0, 0])).message).toContain('extended opcode of length 0');
    expect(dwarfError(module([0, 9, 2, 1, 2])).message).toContain('runs past the end of its unit');
    const badRange = lineUnit({ version: 4, files: [['f.c', 0]], program: [...op.copy(), 20] });
    badRange[4 + 2 + 4 + 4] = 0; // line_range: after length, version, header_length, 4 parameter bytes
    expect(dwarfError(moduleWith({ '.debug_line': badRange })).message).toContain('line_range is 0');
    const unterminated = lineUnit({ version: 4, files: [['f.c', 0]], program: [] }).slice(0, -2);
    expect(dwarfError(moduleWith({ '.debug_line': unterminated })).message).toMatch(/truncated/);
  });

  it('refuses a version 5 line_strp with no .debug_line_str', () => {
    const withoutLineStr = withCustomSection(original, '.debug_line_str', new Uint8Array(0));
    expect(dwarfError(withoutLineStr).section).toBe('.debug_line_str');
  });
});

describe('malformed .debug_info', () => {
  it('refuses an unsupported unit version', () => {
    const info = customSection(original, '.debug_info').slice();
    setU16(info, 4, 9);
    const err = dwarfError(withCustomSection(original, '.debug_info', info));
    expect(err).toMatchObject({ section: '.debug_info', offset: 4 });
    expect(() => DwarfFunctions.fromModule(withCustomSection(original, '.debug_info', info))).toThrow(DwarfFormatError);
  });

  it('refuses a DIE whose abbreviation is not defined', () => {
    const info = customSection(original, '.debug_info').slice();
    info[11] = 0x7f; // the first unit's root DIE (after its 11-byte DWARF 4 header)
    expect(dwarfError(withCustomSection(original, '.debug_info', info)).message).toContain('abbreviation 127');
  });
});

const DWARF_SECTIONS = ['.debug_line', '.debug_info', '.debug_abbrev', '.debug_line_str', '.debug_str', '.debug_str_offsets', '.debug_addr'];

/** Builds the map and the function list, and uses them; returns normally or throws DwarfFormatError. */
function exercise(module: Uint8Array): void {
  try {
    const map = SourceMap.fromModule(module);
    if (map) {
      const files = map.files();
      for (let pc = 0; pc < 0x5000; pc += 97) {
        map.locationAt(pc);
        map.isStatement(pc);
      }
      for (const f of files.slice(0, 3)) {
        try {
          map.pcsForLine(f, 1);
        } catch (err) {
          expect((err as Error).name).toBe('SourceLookupError');
        }
      }
    }
    const fns = DwarfFunctions.fromModule(module);
    fns.at(0x300);
    fns.names();
  } catch (err) {
    if (!(err instanceof DwarfFormatError)) throw err;
    expect(err.exitCode).toBe(ExitCode.badInput);
  }
}

describe('fuzz: damage gives a DwarfFormatError or a usable map', () => {
  const damage = fc.record({
    section: fc.constantFrom(...DWARF_SECTIONS),
    cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
  });

  test.prop([damage], { numRuns: 150 })('truncations and byte flips', ({ section, cut, flips }) => {
    const bytes = customSection(original, section).slice();
    for (const [where, value] of flips) bytes[Math.floor(where * bytes.length)] = value;
    const damaged = cut === undefined ? bytes : bytes.subarray(0, Math.floor(cut * bytes.length));
    exercise(withCustomSection(original, section, damaged));
  });
});
