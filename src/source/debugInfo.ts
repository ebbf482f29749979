/**
 * A minimal `.debug_info` reader (DWARF 2-5): the compile units' root attributes (line table
 * offset, compilation directory, name) and the subprograms' names and address ranges. Other
 * DIEs are skipped by their forms; types, variables and locations are not interpreted (see
 * DESIGN.md: @vscode/dwarf-debugging is the plan for those).
 */
import type { Abbreviation } from './abbrev.js';
import { DwarfReader } from './dwarfReader.js';
import { readInfoUnits } from './infoUnits.js';
import { type FormValue, readForm, type StringSections, type UnitEncoding } from './forms.js';

/** The DWARF sections this reader uses, by name without the leading dot. */
export interface DebugInfoSections extends StringSections {
  readonly info?: Uint8Array;
  readonly abbrev?: Uint8Array;
  readonly strOffsets?: Uint8Array;
  readonly addr?: Uint8Array;
}

export interface CompileUnit {
  /** Offset of the unit header in `.debug_info`. */
  readonly offset: number;
  readonly version: number;
  readonly name: string | undefined;
  readonly compDir: string | undefined;
  /** `DW_AT_stmt_list`: offset of the unit's line table in `.debug_line`. */
  readonly stmtList: number | undefined;
}

/** A `DW_TAG_subprogram` with a contiguous address range (as written: code-section relative). */
export interface Subprogram {
  readonly name: string | undefined;
  readonly linkageName: string | undefined;
  readonly lowPc: number;
  /** One past the last byte. */
  readonly highPc: number;
}

const Tag = { compileUnit: 0x11, partialUnit: 0x3c, skeletonUnit: 0x4a, subprogram: 0x2e } as const;
const At = {
  name: 0x03, stmtList: 0x10, lowPc: 0x11, highPc: 0x12, compDir: 0x1b, abstractOrigin: 0x31,
  specification: 0x47, linkageName: 0x6e, strOffsetsBase: 0x72, addrBase: 0x73,
  mipsLinkageName: 0x2007, gnuAddrBase: 0x2133,
} as const;
const refForms = new Set([0x11, 0x12, 0x13, 0x14, 0x15]); // ref1, ref2, ref4, ref8, ref_udata: unit-relative
const addressForms = new Set([0x01, 0x1b, 0x29, 0x2a, 0x2b, 0x2c, 0x1f01]); // high_pc as an address, not a length

/** Every unit's root DIE. Units that are not compile, partial or skeleton units are left out. */
export function readCompileUnits(s: DebugInfoSections): CompileUnit[] {
  const units: CompileUnit[] = [];
  forEachUnit(s, (unit) => {
    const root = unit.readDie();
    if (root === undefined) return;
    if (root.tag !== Tag.compileUnit && root.tag !== Tag.partialUnit && root.tag !== Tag.skeletonUnit) return;
    const stmtList = root.attrs.get(At.stmtList)?.value;
    units.push({
      offset: unit.offset,
      version: unit.encoding.version,
      name: unit.string(root.attrs.get(At.name)?.value),
      compDir: unit.string(root.attrs.get(At.compDir)?.value),
      stmtList: typeof stmtList === 'number' ? stmtList : undefined,
    });
  });
  return units;
}

/**
 * Every subprogram with `DW_AT_low_pc` and `DW_AT_high_pc`; its name comes from the DIE or,
 * failing that, from the DIE its `DW_AT_specification` or `DW_AT_abstract_origin` points to
 * within the same unit. Subprograms with only `DW_AT_ranges`, and inlined instances, are left out.
 */
export function readSubprograms(s: DebugInfoSections): Subprogram[] {
  const out: Subprogram[] = [];
  forEachUnit(s, (unit) => {
    const names = new Map<number, { name?: string; linkageName?: string; ref?: number }>();
    const pending: { lowPc: number; highPc: number; dieOffset: number }[] = [];
    while (!unit.atEnd()) {
      const die = unit.readDie();
      if (die === undefined) continue;
      const name = unit.string(die.attrs.get(At.name)?.value);
      const linkageName = unit.string((die.attrs.get(At.linkageName) ?? die.attrs.get(At.mipsLinkageName))?.value);
      const refAttr = die.attrs.get(At.specification) ?? die.attrs.get(At.abstractOrigin);
      const ref = refAttr && refForms.has(refAttr.form) && typeof refAttr.value === 'number' ? unit.offset + refAttr.value : undefined;
      if (name !== undefined || linkageName !== undefined || ref !== undefined) names.set(die.offset, { name, linkageName, ref });
      if (die.tag !== Tag.subprogram) continue;
      const low = unit.address(die.attrs.get(At.lowPc)?.value);
      const high = die.attrs.get(At.highPc);
      const highValue = unit.address(high?.value);
      if (low === undefined || high === undefined || highValue === undefined) continue;
      pending.push({ lowPc: low, highPc: addressForms.has(high.form) ? highValue : low + highValue, dieOffset: die.offset });
    }
    for (const p of pending) {
      let entry = names.get(p.dieOffset);
      let name = entry?.name;
      let linkageName = entry?.linkageName;
      for (let hops = 0; entry?.ref !== undefined && (name === undefined || linkageName === undefined) && hops < 8; hops++) {
        entry = names.get(entry.ref);
        name ??= entry?.name;
        linkageName ??= entry?.linkageName;
      }
      out.push({ name, linkageName, lowPc: p.lowPc, highPc: p.highPc });
    }
  });
  return out;
}

interface Die {
  readonly offset: number;
  readonly tag: number;
  readonly attrs: Map<number, { form: number; value: FormValue }>;
}

/** One unit being read: its encoding, its DIEs in order, and resolution of indexed values. */
class UnitReader {
  private strOffsetsBase: number | undefined;
  private addrBase: number | undefined;

  constructor(
    private readonly s: DebugInfoSections,
    readonly offset: number,
    readonly encoding: UnitEncoding,
    private readonly abbrevs: Map<number, Abbreviation>,
    private readonly r: DwarfReader,
  ) {}

  atEnd(): boolean {
    return this.r.atEnd();
  }

  /** The next DIE, or undefined for a null entry (end of a sibling list). */
  readDie(): Die | undefined {
    const r = this.r;
    const offset = r.offset;
    const code = r.uleb();
    if (code === 0) return undefined;
    const abbrev = this.abbrevs.get(code);
    if (abbrev === undefined) return r.fail(`DIE uses abbreviation ${code}, which its table does not define`, offset);
    const attrs = new Map<number, { form: number; value: FormValue }>();
    for (const a of abbrev.attributes) attrs.set(a.name, { form: a.form, value: readForm(r, a.form, this.encoding, this.s, a.implicitConst) });
    if (abbrev.tag === Tag.compileUnit || abbrev.tag === Tag.partialUnit || abbrev.tag === Tag.skeletonUnit) {
      const so = attrs.get(At.strOffsetsBase)?.value;
      const ab = (attrs.get(At.addrBase) ?? attrs.get(At.gnuAddrBase))?.value;
      if (typeof so === 'number') this.strOffsetsBase = so;
      if (typeof ab === 'number') this.addrBase = ab;
    }
    return { offset, tag: abbrev.tag, attrs };
  }

  /** A string attribute's text, resolving `strx` through `.debug_str_offsets`. */
  string(v: FormValue): string | undefined {
    if (typeof v === 'string') return v;
    if (typeof v !== 'object' || v.indexed !== 'str') return undefined;
    // Without DW_AT_str_offsets_base (split units), the table's first contribution starts after an 8-byte header.
    const base = this.strOffsetsBase ?? 8;
    const size = this.encoding.offsetSize;
    const r = new DwarfReader(this.need(this.s.strOffsets, '.debug_str_offsets'), '.debug_str_offsets', base + v.index * size);
    const strOffset = r.offsetOf(size);
    return new DwarfReader(this.need(this.s.debugStr, '.debug_str'), '.debug_str', strOffset).cstring();
  }

  /** An address attribute's value, resolving `addrx` through `.debug_addr`. */
  address(v: FormValue): number | undefined {
    if (typeof v === 'number') return v;
    if (typeof v !== 'object' || v.indexed !== 'addr') return undefined;
    const base = this.addrBase ?? 8;
    const size = this.encoding.addressSize;
    return new DwarfReader(this.need(this.s.addr, '.debug_addr'), '.debug_addr', base + v.index * size).uint(size);
  }

  private need(section: Uint8Array | undefined, name: string): Uint8Array {
    return section ?? this.r.fail(`an indexed form needs ${name}, which the module lacks`);
  }
}

/** Calls `visit` with a reader for each unit of `.debug_info`, in section order. */
function forEachUnit(s: DebugInfoSections, visit: (unit: UnitReader) => void): void {
  for (const u of readInfoUnits(s)) visit(new UnitReader(s, u.offset, u.encoding, u.abbrevs, u.dies));
}
