/**
 * DWARF attribute forms (versions 2 to 5, plus the GNU split-DWARF ones): reading a value or
 * skipping it. Shared by `.debug_info` and the version 5 line table header, whose entries are
 * described with the same forms. An unknown form cannot be skipped, so it is an error.
 */
import { type DwarfReader, stringAt } from './dwarfReader.js';

/** Form codes (DWARF 5, section 7.5.6). */
export const Form = {
  addr: 0x01, block2: 0x03, block4: 0x04, data2: 0x05, data4: 0x06, data8: 0x07, string: 0x08,
  block: 0x09, block1: 0x0a, data1: 0x0b, flag: 0x0c, sdata: 0x0d, strp: 0x0e, udata: 0x0f,
  refAddr: 0x10, ref1: 0x11, ref2: 0x12, ref4: 0x13, ref8: 0x14, refUdata: 0x15, indirect: 0x16,
  secOffset: 0x17, exprloc: 0x18, flagPresent: 0x19, strx: 0x1a, addrx: 0x1b, refSup4: 0x1c,
  strpSup: 0x1d, data16: 0x1e, lineStrp: 0x1f, refSig8: 0x20, implicitConst: 0x21,
  loclistx: 0x22, rnglistx: 0x23, refSup8: 0x24, strx1: 0x25, strx2: 0x26, strx3: 0x27,
  strx4: 0x28, addrx1: 0x29, addrx2: 0x2a, addrx3: 0x2b, addrx4: 0x2c,
  gnuAddrIndex: 0x1f01, gnuStrIndex: 0x1f02, gnuRefAlt: 0x1f20, gnuStrpAlt: 0x1f21,
} as const;

/** What a unit says about its encoding; forms need it to know their sizes. */
export interface UnitEncoding {
  readonly version: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
}

/** Sections that string forms point into. */
export interface StringSections {
  readonly debugStr?: Uint8Array;
  readonly lineStr?: Uint8Array;
}

/** An index into `.debug_str_offsets` or `.debug_addr`, resolved once the unit's base is known. */
export interface IndexedValue {
  readonly indexed: 'str' | 'addr';
  readonly index: number;
}

/**
 * A read attribute value: a number (constants, addresses, offsets, references, flags), a
 * string, an index still to resolve, or `undefined` for blocks, expressions and values wtrace
 * does not use (data16, signatures, supplementary-file references).
 */
export type FormValue = number | string | IndexedValue | undefined;

/**
 * Reads one value of `form`. References stay as written (unit-relative for ref1..ref_udata);
 * `implicitConst` is the value stored in the abbreviation.
 */
export function readForm(r: DwarfReader, form: number, unit: UnitEncoding, strings: StringSections, implicitConst = 0): FormValue {
  switch (form) {
    case Form.addr: return r.uint(unit.addressSize);
    case Form.data1: case Form.ref1: case Form.flag: return r.u8();
    case Form.data2: case Form.ref2: return r.u16();
    case Form.data4: case Form.ref4: case Form.refSup4: return r.u32();
    case Form.data8: case Form.ref8: case Form.refSig8: case Form.refSup8: return r.u64();
    case Form.sdata: return r.sleb();
    case Form.udata: case Form.refUdata: case Form.loclistx: case Form.rnglistx: return r.uleb();
    case Form.string: return r.cstring();
    case Form.strp: return stringAt(strings.debugStr, '.debug_str', r.offsetOf(unit.offsetSize));
    case Form.lineStrp: return stringAt(strings.lineStr, '.debug_line_str', r.offsetOf(unit.offsetSize));
    case Form.refAddr: return unit.version <= 2 ? r.uint(unit.addressSize) : r.offsetOf(unit.offsetSize);
    case Form.secOffset: return r.offsetOf(unit.offsetSize);
    case Form.flagPresent: return 1;
    case Form.implicitConst: return implicitConst;
    case Form.strx: case Form.gnuStrIndex: return { indexed: 'str', index: r.uleb() };
    case Form.strx1: return { indexed: 'str', index: r.u8() };
    case Form.strx2: return { indexed: 'str', index: r.u16() };
    case Form.strx3: return { indexed: 'str', index: r.u24() };
    case Form.strx4: return { indexed: 'str', index: r.u32() };
    case Form.addrx: case Form.gnuAddrIndex: return { indexed: 'addr', index: r.uleb() };
    case Form.addrx1: return { indexed: 'addr', index: r.u8() };
    case Form.addrx2: return { indexed: 'addr', index: r.u16() };
    case Form.addrx3: return { indexed: 'addr', index: r.u24() };
    case Form.addrx4: return { indexed: 'addr', index: r.u32() };
    case Form.indirect: {
      const actual = r.uleb();
      if (actual === Form.indirect || actual === Form.implicitConst) r.fail(`DW_FORM_indirect to form 0x${actual.toString(16)}`);
      return readForm(r, actual, unit, strings);
    }
    default:
      skipForm(r, form, unit);
      return undefined;
  }
}

/** Skips one value of a form that `readForm` does not return (blocks, data16, alt-file references). */
function skipForm(r: DwarfReader, form: number, unit: UnitEncoding): void {
  switch (form) {
    case Form.block1: r.skip(r.u8()); return;
    case Form.block2: r.skip(r.u16()); return;
    case Form.block4: r.skip(r.u32()); return;
    case Form.block: case Form.exprloc: r.skip(r.uleb()); return;
    case Form.data16: r.skip(16); return;
    case Form.strpSup: case Form.gnuRefAlt: case Form.gnuStrpAlt: r.skip(unit.offsetSize); return;
    default: r.fail(`unknown attribute form 0x${form.toString(16)}`);
  }
}
