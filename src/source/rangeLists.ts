/**
 * Address ranges and location lists of a DIE: `DW_AT_low_pc`/`DW_AT_high_pc`, `DW_AT_ranges`
 * (DWARF 4 `.debug_ranges`, DWARF 5 `.debug_rnglists`), and `DW_AT_location` given as a list
 * (DWARF 4 `.debug_loc`, DWARF 5 `.debug_loclists`). Addresses are as DWARF writes them: for
 * Wasm, offsets from the start of the code section's payload.
 */
import { DwarfReader } from './dwarfReader.js';
import { At, type Die, type DieAttr, InfoUnit } from './dieTree.js';
import { Form } from './forms.js';

/** `[low, high)`. */
export interface AddressRange {
  readonly low: number;
  readonly high: number;
}

/** One entry of a location list: the expression that holds for pcs in `[low, high)`. */
export interface LocationListEntry extends AddressRange {
  readonly expr: Uint8Array;
}

/** A variable's location: one expression for its whole scope, or a list by pc. */
export type LocationDescription =
  | { readonly kind: 'expr'; readonly expr: Uint8Array }
  | { readonly kind: 'list'; readonly entries: readonly LocationListEntry[]; readonly fallback: Uint8Array | null };

const addressHighForms = new Set<number>([Form.addr, Form.addrx, Form.addrx1, Form.addrx2, Form.addrx3, Form.addrx4, Form.gnuAddrIndex]);

/** The ranges of a subprogram, lexical block or unit; empty when it has none (a declaration, or a block covering its whole parent). */
export function dieRanges(die: Die): AddressRange[] {
  const unit = die.unit;
  const low = unit.address(die.attrs.get(At.lowPc));
  const high = die.attrs.get(At.highPc);
  if (low !== undefined && high !== undefined) {
    const h = unit.address(high);
    if (h === undefined) return [];
    return [{ low, high: addressHighForms.has(high.form) ? h : low + h }];
  }
  const ranges = die.attrs.get(At.ranges);
  if (ranges === undefined || typeof ranges.value !== 'number') return [];
  return unit.encoding.version >= 5 ? readRngList(unit, listOffset(unit, ranges, unit.rnglistsBase, '.debug_rnglists')) : readRanges(unit, ranges.value);
}

/** Whether `address` is in any of `ranges`. */
export function inRanges(ranges: readonly AddressRange[], address: number): boolean {
  return ranges.some((r) => address >= r.low && address < r.high);
}

/** The location attribute of a variable or parameter, or null when it has none (optimised out). */
export function locationOf(die: Die): LocationDescription | null {
  const attr = die.attrs.get(At.location);
  if (attr === undefined) return null;
  const expr = InfoUnit.block(attr);
  if (expr !== undefined) return { kind: 'expr', expr };
  if (typeof attr.value !== 'number') return null;
  const unit = die.unit;
  if (unit.encoding.version >= 5) return readLocList(unit, listOffset(unit, attr, unit.loclistsBase, '.debug_loclists'));
  return readLoc(unit, attr.value);
}

/** A list's offset: `sec_offset` as written, or a `*listx` index through the unit's offsets table. */
function listOffset(unit: InfoUnit, attr: DieAttr, base: number, section: string): number {
  const v = attr.value as number;
  if (attr.form !== Form.rnglistx && attr.form !== Form.loclistx) return v;
  const bytes = unit.need(section === '.debug_rnglists' ? unit.tree.sections.rnglists : unit.tree.sections.loclists, section);
  const size = unit.encoding.offsetSize;
  return base + new DwarfReader(bytes, section, base + v * size).offsetOf(size);
}

function maxAddress(unit: InfoUnit): number {
  return 2 ** (8 * unit.encoding.addressSize) - 1;
}

/** DWARF 2-4 `.debug_ranges`: address pairs; (0, 0) ends, (max, a) sets the base. */
function readRanges(unit: InfoUnit, offset: number): AddressRange[] {
  const r = new DwarfReader(unit.need(unit.tree.sections.ranges, '.debug_ranges'), '.debug_ranges', offset);
  const size = unit.encoding.addressSize;
  let base = unit.baseAddress;
  const out: AddressRange[] = [];
  for (;;) {
    const a = r.uint(size);
    const b = r.uint(size);
    if (a === 0 && b === 0) return out;
    if (a === maxAddress(unit)) base = b;
    else out.push({ low: base + a, high: base + b });
  }
}

/** DWARF 5 `.debug_rnglists` entries (DW_RLE_*). */
function readRngList(unit: InfoUnit, offset: number): AddressRange[] {
  const r = new DwarfReader(unit.need(unit.tree.sections.rnglists, '.debug_rnglists'), '.debug_rnglists', offset);
  const size = unit.encoding.addressSize;
  let base = unit.baseAddress;
  const out: AddressRange[] = [];
  for (;;) {
    const at = r.offset;
    const kind = r.u8();
    switch (kind) {
      case 0: return out;
      case 1: base = unit.addressAtIndex(r.uleb()); break;
      case 2: { const lo = unit.addressAtIndex(r.uleb()); out.push({ low: lo, high: unit.addressAtIndex(r.uleb()) }); break; }
      case 3: { const lo = unit.addressAtIndex(r.uleb()); out.push({ low: lo, high: lo + r.uleb() }); break; }
      case 4: { const lo = base + r.uleb(); out.push({ low: lo, high: base + r.uleb() }); break; }
      case 5: base = r.uint(size); break;
      case 6: { const lo = r.uint(size); out.push({ low: lo, high: r.uint(size) }); break; }
      case 7: { const lo = r.uint(size); out.push({ low: lo, high: lo + r.uleb() }); break; }
      default: r.fail(`unknown range list entry kind ${kind}`, at);
    }
  }
}

/** DWARF 2-4 `.debug_loc`: address pairs each followed by a 2-byte length and an expression. */
function readLoc(unit: InfoUnit, offset: number): LocationDescription {
  const r = new DwarfReader(unit.need(unit.tree.sections.loc, '.debug_loc'), '.debug_loc', offset);
  const size = unit.encoding.addressSize;
  let base = unit.baseAddress;
  const entries: LocationListEntry[] = [];
  for (;;) {
    const a = r.uint(size);
    const b = r.uint(size);
    if (a === 0 && b === 0) return { kind: 'list', entries, fallback: null };
    if (a === maxAddress(unit)) {
      base = b;
      continue;
    }
    const length = r.u16();
    const start = r.offset;
    r.skip(length);
    entries.push({ low: base + a, high: base + b, expr: r.bytes.subarray(start, start + length) });
  }
}

/** DWARF 5 `.debug_loclists` entries (DW_LLE_*). */
function readLocList(unit: InfoUnit, offset: number): LocationDescription {
  const r = new DwarfReader(unit.need(unit.tree.sections.loclists, '.debug_loclists'), '.debug_loclists', offset);
  const size = unit.encoding.addressSize;
  let base = unit.baseAddress;
  let fallback: Uint8Array | null = null;
  const entries: LocationListEntry[] = [];
  const expr = (): Uint8Array => {
    const length = r.uleb();
    const start = r.offset;
    r.skip(length);
    return r.bytes.subarray(start, start + length);
  };
  for (;;) {
    const at = r.offset;
    const kind = r.u8();
    switch (kind) {
      case 0: return { kind: 'list', entries, fallback };
      case 1: base = unit.addressAtIndex(r.uleb()); break;
      case 2: { const lo = unit.addressAtIndex(r.uleb()); const hi = unit.addressAtIndex(r.uleb()); entries.push({ low: lo, high: hi, expr: expr() }); break; }
      case 3: { const lo = unit.addressAtIndex(r.uleb()); const hi = lo + r.uleb(); entries.push({ low: lo, high: hi, expr: expr() }); break; }
      case 4: { const lo = base + r.uleb(); const hi = base + r.uleb(); entries.push({ low: lo, high: hi, expr: expr() }); break; }
      case 5: fallback = expr(); break;
      case 6: base = r.uint(size); break;
      case 7: { const lo = r.uint(size); const hi = r.uint(size); entries.push({ low: lo, high: hi, expr: expr() }); break; }
      case 8: { const lo = r.uint(size); const hi = lo + r.uleb(); entries.push({ low: lo, high: hi, expr: expr() }); break; }
      default: r.fail(`unknown location list entry kind ${kind}`, at);
    }
  }
}

/** The expression of `location` that holds at `address`, or null (the variable has no location there). */
export function expressionAt(location: LocationDescription, address: number): Uint8Array | null {
  if (location.kind === 'expr') return location.expr;
  for (const e of location.entries) if (address >= e.low && address < e.high) return e.expr;
  return location.fallback;
}
