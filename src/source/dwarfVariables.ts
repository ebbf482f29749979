/**
 * Which C variables exist where: the function (`DW_TAG_subprogram`) whose code covers a pc,
 * its parameters and the locals of every lexical block that covers the pc, and the globals of
 * every compile unit, each with its C type and location description. Pure data read from the
 * module's own bytes; evaluating locations and reading values is the caller's (the replay
 * engine's `sourceVariables.ts`).
 *
 * pcs here are module offsets (from the `\0asm` magic), like everywhere else in wtrace; DWARF
 * in a Wasm module counts from the code section's payload, so the code section's offset is
 * subtracted before DWARF is asked.
 */
import { type CType, TypeReader } from './cTypes.js';
import { At, DebugInfoTree, type Die, type DieSections, type InfoUnit, Tag } from './dieTree.js';
import { readModuleSections } from './moduleSections.js';
import { type AddressRange, dieRanges, inRanges, type LocationDescription, locationOf } from './rangeLists.js';

/** A parameter, local or global as DWARF declares it. */
export interface VariableDecl {
  readonly name: string;
  readonly kind: 'parameter' | 'local' | 'global';
  readonly type: CType;
  /** Null when the compiler dropped it (optimised out) or gave only a constant (`constValue`). */
  readonly location: LocationDescription | null;
  /** `DW_AT_const_value` as little-endian bytes, for constants the compiler folded. */
  readonly constValue: Uint8Array | null;
  readonly declLine: number | null;
  /** The compile unit's name (its main source file). */
  readonly unitName: string;
  /** The unit the declaration is in (its `.debug_addr` table serves `DW_OP_addrx`). */
  readonly unit: InfoUnit;
  /** The function inlined at the pc that the variable belongs to; null for the frame's own function. */
  readonly inlined: string | null;
  /** Offset of its DIE in `.debug_info`: tells apart same-named variables of several inlined calls. */
  readonly dieOffset: number;
}

/** A function with code, as DWARF describes it. */
export interface FunctionScope {
  readonly name: string;
  /** The code's ranges as module pcs. */
  readonly ranges: readonly AddressRange[];
  /** `DW_AT_frame_base`: the expression `DW_OP_fbreg` offsets count from. */
  readonly frameBase: Uint8Array | null;
  readonly unit: InfoUnit;
  readonly unitName: string;
}

/**
 * The variables visible at one pc: parameters first, then locals from the outermost block
 * inward; then, when the pc is in code inlined from another function, that function's
 * parameters and locals (`inlined` names it), the most deeply inlined last.
 */
export interface ScopeAt {
  readonly function: FunctionScope;
  readonly variables: readonly VariableDecl[];
}

interface FunctionEntry {
  readonly ranges: AddressRange[];
  readonly die: Die;
  readonly scope: FunctionScope;
}

export class DwarfVariables {
  readonly types = new TypeReader();
  private functionIndex: FunctionEntry[] | undefined;
  /** Every range of every function, sorted by start, for binary search. */
  private rangeIndex: { low: number; high: number; entry: FunctionEntry }[] | undefined;
  private globalList: VariableDecl[] | undefined;

  private constructor(
    private readonly tree: DebugInfoTree,
    /** Module offset of the code section's payload: DWARF address 0. */
    readonly codeOffset: number,
  ) {}

  /** The module's DWARF, or null without `.debug_info` or a code section. Throws `WasmDecodeError` for a damaged module. */
  static fromModule(bytes: Uint8Array): DwarfVariables | null {
    const sections = readModuleSections(bytes);
    const d = sections.debug;
    if (!d.has('.debug_info') || sections.codePayloadOffset === undefined) return null;
    const s: DieSections = {
      info: d.get('.debug_info'), abbrev: d.get('.debug_abbrev'), debugStr: d.get('.debug_str'), lineStr: d.get('.debug_line_str'),
      strOffsets: d.get('.debug_str_offsets'), addr: d.get('.debug_addr'), ranges: d.get('.debug_ranges'),
      rnglists: d.get('.debug_rnglists'), loc: d.get('.debug_loc'), loclists: d.get('.debug_loclists'),
    };
    return new DwarfVariables(new DebugInfoTree(s), sections.codePayloadOffset);
  }

  /** The function whose code covers module pc `pc`, with the variables in scope there; null when DWARF has none. Throws `DwarfFormatError`. */
  scopeAt(pc: number): ScopeAt | null {
    const address = pc - this.codeOffset;
    const hit = this.entryAt(address);
    if (hit === undefined) return null;
    const out: VariableDecl[] = [];
    // One function's scope (the function itself, or a function inlined into it): parameters, then
    // locals of the blocks covering the pc; an inlined call covering the pc follows, deeper last.
    const scope = (root: Die, inlined: string | null): void => {
      const params: VariableDecl[] = [];
      const locals: VariableDecl[] = [];
      let inner: Die | undefined;
      const visit = (die: Die): void => {
        for (const c of die.children) {
          if (c.tag === Tag.formalParameter) {
            const v = this.decl(c, 'parameter', inlined);
            if (v) params.push(v);
          } else if (c.tag === Tag.variable) {
            const v = this.decl(c, 'local', inlined);
            if (v) locals.push(v);
          } else if (c.tag === Tag.lexicalBlock || c.tag === Tag.inlinedSubroutine) {
            const ranges = this.rangesOf(c);
            const covers = ranges.length === 0 ? c.tag === Tag.lexicalBlock : inRanges(ranges, address);
            if (covers && c.tag === Tag.lexicalBlock) visit(c);
            else if (covers) inner ??= c;
          }
        }
      };
      visit(root);
      out.push(...params, ...locals);
      if (inner !== undefined) scope(inner, nameOf(inner) ?? '?');
    };
    scope(hit.die, null);
    return { function: hit.scope, variables: out };
  }

  /** The function whose code covers `pc` (module offset), or null. */
  functionAt(pc: number): FunctionScope | null {
    return this.entryAt(pc - this.codeOffset)?.scope ?? null;
  }

  /** The function whose ranges hold DWARF address `address` (the innermost-starting one if several do). */
  private entryAt(address: number): FunctionEntry | undefined {
    if (this.rangeIndex === undefined) {
      this.rangeIndex = this.functions().flatMap((entry) => entry.ranges.map((r) => ({ low: r.low, high: r.high, entry }))).sort((a, b) => a.low - b.low);
    }
    const index = this.rangeIndex;
    let lo = 0, hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (index[mid].low <= address) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) if (address < index[i].high) return index[i].entry;
    return undefined;
  }

  /** Every function with code that DWARF describes, in unit order. */
  allFunctions(): FunctionScope[] {
    return this.functions().map((f) => f.scope);
  }

  /** Every compile unit's global (and file-static) variables that have a location or a constant, in unit order. */
  globals(): readonly VariableDecl[] {
    if (this.globalList !== undefined) return this.globalList;
    const out: VariableDecl[] = [];
    for (const unit of this.tree.units) {
      for (const c of unit.root.children) {
        if (c.tag !== Tag.variable) continue;
        const v = this.decl(c, 'global');
        if (v && (v.location !== null || v.constValue !== null)) out.push(v);
      }
    }
    return (this.globalList = out);
  }

  private functions(): FunctionEntry[] {
    if (this.functionIndex !== undefined) return this.functionIndex;
    const out: FunctionEntry[] = [];
    const walk = (die: Die): void => {
      for (const c of die.children) {
        if (c.tag === Tag.subprogram) {
          const ranges = dieRanges(c).filter((r) => r.low !== 0 && r.low < 0xfffffffe && r.high > r.low);
          if (ranges.length > 0) out.push({ ranges, die: c, scope: this.scope(c, ranges) });
        } else if (c.children.length > 0 && c.tag !== Tag.lexicalBlock) {
          walk(c); // namespaces, classes (C++)
        }
      }
    };
    for (const unit of this.tree.units) walk(unit.root);
    return (this.functionIndex = out);
  }

  private scope(die: Die, ranges: AddressRange[]): FunctionScope {
    const unit = die.unit;
    return {
      name: nameOf(die) ?? '',
      ranges: ranges.map((r) => ({ low: r.low + this.codeOffset, high: r.high + this.codeOffset })),
      frameBase: blockOf(die, At.frameBase),
      unit,
      unitName: unit.string(unit.root.attrs.get(At.name)) ?? '',
    };
  }

  private readonly declCache = new Map<number, VariableDecl | null>();
  private readonly rangeCache = new Map<number, AddressRange[]>();

  /** A block's or inlined call's ranges, read once per DIE. */
  private rangesOf(die: Die): AddressRange[] {
    let r = this.rangeCache.get(die.offset);
    if (r === undefined) this.rangeCache.set(die.offset, (r = dieRanges(die)));
    return r;
  }

  private decl(die: Die, kind: VariableDecl['kind'], inlined: string | null = null): VariableDecl | null {
    let v = this.declCache.get(die.offset);
    if (v === undefined) this.declCache.set(die.offset, (v = this.readDecl(die, kind, inlined)));
    return v;
  }

  private readDecl(die: Die, kind: VariableDecl['kind'], inlined: string | null): VariableDecl | null {
    const origin = die.unit.ref(die.attrs.get(At.abstractOrigin)) ?? die.unit.ref(die.attrs.get(At.specification));
    const name = nameOf(die);
    if (name === undefined) return null; // compiler-made (string literals' arrays)
    const typed = die.attrs.has(At.type) ? die : origin;
    const unit = die.unit;
    const declLine = die.attrs.get(At.declLine)?.value ?? origin?.attrs.get(At.declLine)?.value;
    return {
      name,
      kind,
      type: typed === undefined ? this.types.typeOf(die) : this.types.typeOf(typed),
      location: locationOf(die),
      constValue: constBytes(die),
      declLine: typeof declLine === 'number' ? declLine : null,
      unitName: unit.string(unit.root.attrs.get(At.name)) ?? '',
      unit,
      inlined,
      dieOffset: die.offset,
    };
  }
}

/** A DIE's name, or the name of the DIE it completes (`DW_AT_specification`, `DW_AT_abstract_origin`). */
function nameOf(die: Die): string | undefined {
  let cur: Die | undefined = die;
  for (let hops = 0; cur !== undefined && hops < 8; hops++) {
    const name = cur.unit.string(cur.attrs.get(At.name));
    if (name !== undefined) return name;
    cur = cur.unit.ref(cur.attrs.get(At.abstractOrigin)) ?? cur.unit.ref(cur.attrs.get(At.specification));
  }
  return undefined;
}

function blockOf(die: Die, at: number): Uint8Array | null {
  const v = die.attrs.get(at)?.value;
  return v instanceof Uint8Array ? v : null;
}

/** `DW_AT_const_value` as 8 little-endian bytes (a block stays as written). */
function constBytes(die: Die): Uint8Array | null {
  const attr = die.attrs.get(At.constValue);
  if (attr === undefined) return null;
  if (attr.value instanceof Uint8Array) return attr.value;
  if (typeof attr.value !== 'number') return null;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(Math.trunc(attr.value)), true);
  return out;
}
