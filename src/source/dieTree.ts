/**
 * `.debug_info` as trees of DIEs (debugging information entries), for reading variables and
 * types. Unlike debugInfo.ts (which streams over units for names and line-table offsets), this
 * keeps every attribute, blocks and expressions included, links children to parents, and
 * resolves references, indexed strings (`strx`) and indexed addresses (`addrx`).
 *
 * Unit headers are read when the `DebugInfoTree` is built; a unit's DIEs are read the first
 * time something asks for them. Every read is bounds-checked by `DwarfReader`: damaged DWARF
 * throws `DwarfFormatError`, never reads out of bounds.
 */
import type { Abbreviation } from './abbrev.js';
import type { DebugInfoSections } from './debugInfo.js';
import { DwarfReader } from './dwarfReader.js';
import { readInfoUnits } from './infoUnits.js';
import { DwarfFormatError } from './errors.js';
import { Form, type FormValue, readForm, type UnitEncoding } from './forms.js';

/** Attribute codes this module and its users read (DWARF 5, section 7.5.4). */
export const At = {
  location: 0x02, name: 0x03, byteSize: 0x0b, bitOffset: 0x0c, bitSize: 0x0d, lowPc: 0x11, highPc: 0x12,
  constValue: 0x1c, lowerBound: 0x22, upperBound: 0x2f, abstractOrigin: 0x31, count: 0x37,
  dataMemberLocation: 0x38, declFile: 0x3a, declLine: 0x3b, declaration: 0x3c, encoding: 0x3e, external: 0x3f,
  frameBase: 0x40, specification: 0x47, type: 0x49, ranges: 0x55, dataBitOffset: 0x6b, linkageName: 0x6e,
  strOffsetsBase: 0x72, addrBase: 0x73, rnglistsBase: 0x74, loclistsBase: 0x8c, gnuAddrBase: 0x2133,
} as const;

/** Tag codes (DWARF 5, section 7.5.3). */
export const Tag = {
  arrayType: 0x01, classType: 0x02, enumerationType: 0x04, formalParameter: 0x05, lexicalBlock: 0x0b,
  member: 0x0d, pointerType: 0x0f, referenceType: 0x10, compileUnit: 0x11, structureType: 0x13,
  subroutineType: 0x15, typedef: 0x16, unionType: 0x17, inlinedSubroutine: 0x1d, subrangeType: 0x21,
  baseType: 0x24, constType: 0x26, enumerator: 0x28, subprogram: 0x2e, variable: 0x34, volatileType: 0x35,
  restrictType: 0x37, unspecifiedType: 0x3b, partialUnit: 0x3c, rvalueReferenceType: 0x42, atomicType: 0x47,
  skeletonUnit: 0x4a,
} as const;

/** The DWARF sections the tree and the location/range lists read. */
export interface DieSections extends DebugInfoSections {
  readonly ranges?: Uint8Array;
  readonly rnglists?: Uint8Array;
  readonly loc?: Uint8Array;
  readonly loclists?: Uint8Array;
}

/** An attribute value: what `readForm` gives, or the bytes of a block / expression form. */
export type AttrValue = FormValue | Uint8Array;

export interface DieAttr {
  readonly form: number;
  readonly value: AttrValue;
}

/** One debugging information entry. */
export interface Die {
  /** Offset in `.debug_info`: identifies the DIE. */
  readonly offset: number;
  readonly tag: number;
  readonly attrs: ReadonlyMap<number, DieAttr>;
  readonly children: readonly Die[];
  readonly parent: Die | null;
  readonly unit: InfoUnit;
}

const unitRefForms = new Set<number>([Form.ref1, Form.ref2, Form.ref4, Form.ref8, Form.refUdata]);
const blockForms = new Set<number>([Form.block1, Form.block2, Form.block4, Form.block, Form.exprloc]);

/** One unit of `.debug_info`: its encoding, bases, and (read on demand) its DIE tree. */
export class InfoUnit {
  private rootDie: Die | undefined;
  /** `DW_AT_str_offsets_base`, `DW_AT_addr_base`, `DW_AT_rnglists_base`, `DW_AT_loclists_base` (0 when absent: DWARF 4). */
  strOffsetsBase = 8;
  addrBase = 8;
  rnglistsBase = 0;
  loclistsBase = 0;
  /** The unit's base address (its root's `DW_AT_low_pc`) for range and location lists. */
  baseAddress = 0;

  constructor(
    readonly tree: DebugInfoTree,
    /** Offset of the unit header in `.debug_info`. */
    readonly offset: number,
    readonly encoding: UnitEncoding,
    private readonly abbrevs: Map<number, Abbreviation>,
    /** Where the first DIE starts and where the unit ends. */
    private readonly diesStart: number,
    readonly end: number,
  ) {}

  /** The unit's root DIE (reads the whole unit the first time). */
  get root(): Die {
    if (this.rootDie === undefined) this.rootDie = this.readDies();
    return this.rootDie;
  }

  /** A string attribute's text (`strx` resolved through `.debug_str_offsets`), or undefined. */
  string(attr: DieAttr | undefined): string | undefined {
    const v = attr?.value;
    if (typeof v === 'string') return v;
    if (v === undefined || typeof v !== 'object' || v instanceof Uint8Array || v.indexed !== 'str') return undefined;
    const size = this.encoding.offsetSize;
    const r = new DwarfReader(this.need(this.tree.sections.strOffsets, '.debug_str_offsets'), '.debug_str_offsets', this.strOffsetsBase + v.index * size);
    const at = r.offsetOf(size);
    return new DwarfReader(this.need(this.tree.sections.debugStr, '.debug_str'), '.debug_str', at).cstring();
  }

  /** An address attribute's value (`addrx` resolved through `.debug_addr`), or undefined. */
  address(attr: DieAttr | undefined): number | undefined {
    const v = attr?.value;
    if (typeof v === 'number') return v;
    if (v === undefined || typeof v !== 'object' || v instanceof Uint8Array || v.indexed !== 'addr') return undefined;
    return this.addressAtIndex(v.index);
  }

  /** Entry `index` of this unit's `.debug_addr` table (`DW_OP_addrx`, `DW_RLE_startx_*`). */
  addressAtIndex(index: number): number {
    const size = this.encoding.addressSize;
    return new DwarfReader(this.need(this.tree.sections.addr, '.debug_addr'), '.debug_addr', this.addrBase + index * size).uint(size);
  }

  /** The DIE a reference attribute points to (same unit or, for `ref_addr`, any unit), or undefined. */
  ref(attr: DieAttr | undefined): Die | undefined {
    if (attr === undefined || typeof attr.value !== 'number') return undefined;
    if (unitRefForms.has(attr.form)) return this.tree.dieAt(this.offset + attr.value);
    if (attr.form === Form.refAddr) return this.tree.dieAt(attr.value);
    return undefined;
  }

  /** Whether `offset` falls inside this unit. */
  contains(offset: number): boolean {
    return offset >= this.offset && offset < this.end;
  }

  /** The bytes of an expression attribute, or undefined when it is not a block. */
  static block(attr: DieAttr | undefined): Uint8Array | undefined {
    return attr?.value instanceof Uint8Array ? attr.value : undefined;
  }

  /** `section`, or a `DwarfFormatError` saying this unit refers to a section the module lacks. */
  need(section: Uint8Array | undefined, name: string): Uint8Array {
    if (section === undefined) throw new DwarfFormatError('.debug_info', this.offset, `the unit at 0x${this.offset.toString(16)} needs ${name}, which the module lacks`);
    return section;
  }

  private readDies(): Die {
    const r = new DwarfReader(this.tree.sections.info!, '.debug_info', this.diesStart, this.end);
    let root: Die | undefined;
    const stack: { die: Die; children: Die[] }[] = [];
    while (!r.atEnd()) {
      const offset = r.offset;
      const code = r.uleb();
      if (code === 0) {
        stack.pop();
        if (stack.length === 0) break;
        continue;
      }
      const abbrev = this.abbrevs.get(code) ?? r.fail(`DIE uses abbreviation ${code}, which its table does not define`, offset);
      const attrs = new Map<number, DieAttr>();
      for (const a of abbrev.attributes) attrs.set(a.name, { form: a.form, value: readValue(r, a.form, this.encoding, this.tree.sections, a.implicitConst) });
      const children: Die[] = [];
      const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
      const die: Die = { offset, tag: abbrev.tag, attrs, children, parent: parent?.die ?? null, unit: this };
      this.tree.register(die);
      if (parent) parent.children.push(die);
      else {
        root = die;
        this.readBases(die);
      }
      if (abbrev.hasChildren) stack.push({ die, children });
      else if (!parent) break;
    }
    return root ?? r.fail('unit without a root DIE', this.diesStart);
  }

  private readBases(root: Die): void {
    const num = (a: number): number | undefined => {
      const v = root.attrs.get(a)?.value;
      return typeof v === 'number' ? v : undefined;
    };
    this.strOffsetsBase = num(At.strOffsetsBase) ?? 8;
    this.addrBase = num(At.addrBase) ?? num(At.gnuAddrBase) ?? 8;
    this.rnglistsBase = num(At.rnglistsBase) ?? 0;
    this.loclistsBase = num(At.loclistsBase) ?? 0;
    this.baseAddress = this.address(root.attrs.get(At.lowPc)) ?? 0;
  }
}

/** One value of `form`, keeping blocks and expressions as their bytes. */
function readValue(r: DwarfReader, form: number, unit: UnitEncoding, sections: DieSections, implicitConst: number): AttrValue {
  if (!blockForms.has(form)) return readForm(r, form, unit, sections, implicitConst);
  const length = form === Form.block1 ? r.u8() : form === Form.block2 ? r.u16() : form === Form.block4 ? r.u32() : r.uleb();
  const start = r.offset;
  r.skip(length);
  return r.bytes.subarray(start, start + length);
}

/** Every unit of `.debug_info`, and the DIEs by offset as units are read. */
export class DebugInfoTree {
  readonly units: readonly InfoUnit[];
  private readonly byOffset = new Map<number, Die>();

  constructor(readonly sections: DieSections) {
    this.units = readUnitHeaders(this);
  }

  /** @internal Called by `InfoUnit` for every DIE it reads. */
  register(die: Die): void {
    this.byOffset.set(die.offset, die);
  }

  /** The DIE at `offset` of `.debug_info` (reading its unit if needed), or undefined. */
  dieAt(offset: number): Die | undefined {
    const known = this.byOffset.get(offset);
    if (known !== undefined) return known;
    const unit = this.units.find((u) => u.contains(offset));
    if (unit === undefined) return undefined;
    void unit.root;
    return this.byOffset.get(offset);
  }
}

/** The tree's compile and partial units (type and split units describe no code of this module). */
function readUnitHeaders(tree: DebugInfoTree): InfoUnit[] {
  return readInfoUnits(tree.sections, true).map((u) => new InfoUnit(tree, u.offset, u.encoding, u.abbrevs, u.dies.offset, u.dies.end));
}
