/**
 * C types from DWARF type DIEs: base types, pointers, const/volatile/restrict/atomic,
 * typedefs, arrays with their dimensions, structs and unions with member offsets (bit fields
 * too), enums with their enumerators, and function types (as pointer targets). Each DIE
 * becomes one `CType` object, cached by DIE offset, so self-referencing structs
 * (`struct node { struct node *next; }`) resolve without looping.
 */
import { At, type Die, Tag } from './dieTree.js';

/** DWARF base type encodings (DW_ATE_*). */
export const Encoding = {
  address: 0x01, boolean: 0x02, float: 0x04, signed: 0x05, signedChar: 0x06, unsigned: 0x07, unsignedChar: 0x08, utf: 0x10,
} as const;

export interface CMember {
  readonly name: string;
  readonly type: CType;
  /** Byte offset in the enclosing struct (for a bit field: of the storage unit read). */
  readonly offset: number;
  /** For a bit field: width, and bit offset from `offset`'s byte (little-endian). */
  readonly bitSize?: number;
  readonly bitOffset?: number;
}

export type CType =
  | { readonly kind: 'void' }
  | { readonly kind: 'base'; readonly name: string; readonly size: number; readonly encoding: number }
  | { readonly kind: 'pointer'; readonly size: number; readonly target: CType }
  | { readonly kind: 'qualified'; readonly qualifier: 'const' | 'volatile' | 'restrict' | '_Atomic'; readonly target: CType }
  | { readonly kind: 'typedef'; readonly name: string; readonly target: CType }
  /** `counts` outermost first; null where the dimension is unknown (`int a[]`). */
  | { readonly kind: 'array'; readonly element: CType; readonly counts: readonly (number | null)[] }
  | { readonly kind: 'struct' | 'union'; readonly name: string | null; readonly size: number; readonly members: readonly CMember[] }
  | { readonly kind: 'enum'; readonly name: string | null; readonly size: number; readonly signed: boolean; readonly enumerators: readonly { readonly name: string; readonly value: number }[] }
  | { readonly kind: 'function'; readonly result: CType; readonly params: readonly CType[]; readonly variadic: boolean }
  /** A type this reader does not model (C++ references, unspecified types...): shown by name. */
  | { readonly kind: 'other'; readonly name: string; readonly size: number };

export const VOID: CType = { kind: 'void' };

/** Resolves type DIEs to `CType`s, caching by DIE offset. */
export class TypeReader {
  private readonly cache = new Map<number, CType>();
  /** DIEs being read: meeting one again before it is cached means damaged DWARF (a type containing itself). */
  private readonly reading = new Set<number>();

  /** The type a DIE's `DW_AT_type` names (`void` when it has none). */
  typeOf(die: Die): CType {
    const target = die.unit.ref(die.attrs.get(At.type));
    return target === undefined ? VOID : this.read(target);
  }

  read(die: Die): CType {
    const known = this.cache.get(die.offset);
    if (known !== undefined) return known;
    if (this.reading.has(die.offset) || this.reading.size > 256) return { kind: 'other', name: '<cyclic type>', size: 0 };
    this.reading.add(die.offset);
    try {
      return this.readNew(die);
    } finally {
      this.reading.delete(die.offset);
    }
  }

  private readNew(die: Die): CType {
    // Aggregates and pointers go into the cache before their parts are read (cycles).
    const u = die.unit;
    const name = u.string(die.attrs.get(At.name));
    const size = num(die, At.byteSize) ?? 0;
    switch (die.tag) {
      case Tag.baseType:
        return this.put(die, { kind: 'base', name: name ?? '?', size, encoding: num(die, At.encoding) ?? 0 });
      case Tag.pointerType:
      case Tag.referenceType:
      case Tag.rvalueReferenceType: {
        const t = { kind: 'pointer', size: size || die.unit.encoding.addressSize, target: VOID } as { kind: 'pointer'; size: number; target: CType };
        this.put(die, t);
        t.target = this.typeOf(die);
        return t;
      }
      case Tag.constType: return this.put(die, { kind: 'qualified', qualifier: 'const', target: this.typeOf(die) });
      case Tag.volatileType: return this.put(die, { kind: 'qualified', qualifier: 'volatile', target: this.typeOf(die) });
      case Tag.restrictType: return this.put(die, { kind: 'qualified', qualifier: 'restrict', target: this.typeOf(die) });
      case Tag.atomicType: return this.put(die, { kind: 'qualified', qualifier: '_Atomic', target: this.typeOf(die) });
      case Tag.typedef: {
        const t = { kind: 'typedef', name: name ?? '?', target: VOID } as { kind: 'typedef'; name: string; target: CType };
        this.put(die, t);
        t.target = this.typeOf(die);
        return t;
      }
      case Tag.arrayType: {
        const counts = die.children.filter((c) => c.tag === Tag.subrangeType).map(subrangeCount);
        return this.put(die, { kind: 'array', element: this.typeOf(die), counts: counts.length > 0 ? counts : [null] });
      }
      case Tag.structureType:
      case Tag.classType:
      case Tag.unionType: {
        const members: CMember[] = [];
        this.put(die, { kind: die.tag === Tag.unionType ? 'union' : 'struct', name: name ?? null, size, members });
        for (const m of die.children) if (m.tag === Tag.member) members.push(this.member(m));
        return this.cache.get(die.offset)!;
      }
      case Tag.enumerationType: {
        const under = this.typeOf(die);
        const base = stripTypedefs(under);
        const signed = base.kind === 'base' ? base.encoding === Encoding.signed || base.encoding === Encoding.signedChar : false;
        const enumerators = die.children.filter((c) => c.tag === Tag.enumerator).map((c) => ({
          name: u.string(c.attrs.get(At.name)) ?? '?', value: constValue(c, signed, size),
        }));
        return this.put(die, { kind: 'enum', name: name ?? null, size: size || sizeOf(under), signed, enumerators });
      }
      case Tag.subroutineType: {
        const t = { kind: 'function', result: VOID, params: [] as CType[], variadic: false } as { kind: 'function'; result: CType; params: CType[]; variadic: boolean };
        this.put(die, t);
        t.result = this.typeOf(die);
        for (const c of die.children) {
          if (c.tag === Tag.formalParameter) t.params.push(this.typeOf(c));
          else if (c.tag === 0x18) t.variadic = true; // DW_TAG_unspecified_parameters
        }
        return t;
      }
      default:
        return this.put(die, { kind: 'other', name: name ?? `<DW_TAG 0x${die.tag.toString(16)}>`, size });
    }
  }

  private member(m: Die): CMember {
    const name = m.unit.string(m.attrs.get(At.name)) ?? '';
    const type = this.typeOf(m);
    const bitSize = num(m, At.bitSize);
    const dataBitOffset = num(m, At.dataBitOffset);
    const loc = m.attrs.get(At.dataMemberLocation);
    let offset = typeof loc?.value === 'number' ? loc.value : 0;
    // DWARF 2: an expression `DW_OP_plus_uconst n`.
    if (loc?.value instanceof Uint8Array && loc.value[0] === 0x23) offset = ulebAt(loc.value, 1);
    if (bitSize === undefined) return { name, type, offset };
    if (dataBitOffset !== undefined) return { name, type, offset: Math.floor(dataBitOffset / 8), bitSize, bitOffset: dataBitOffset % 8 };
    // DWARF 2-3 DW_AT_bit_offset counts from the storage unit's most significant bit.
    const storage = num(m, At.byteSize) ?? sizeOf(type);
    const fromMsb = num(m, At.bitOffset) ?? 0;
    const lsb = offset * 8 + storage * 8 - fromMsb - bitSize;
    return { name, type, offset: Math.floor(lsb / 8), bitSize, bitOffset: lsb % 8 };
  }

  private put<T extends CType>(die: Die, t: T): T {
    this.cache.set(die.offset, t);
    return t;
  }
}

function num(die: Die, at: number): number | undefined {
  const v = die.attrs.get(at)?.value;
  return typeof v === 'number' ? v : undefined;
}

function ulebAt(bytes: Uint8Array, at: number): number {
  let result = 0;
  let scale = 1;
  for (let i = at; i < bytes.length; i++) {
    result += (bytes[i] & 0x7f) * scale;
    scale *= 128;
    if ((bytes[i] & 0x80) === 0) break;
  }
  return result;
}

/** An array dimension: `DW_AT_count`, else `upper_bound - lower_bound + 1`, else unknown. */
function subrangeCount(sub: Die): number | null {
  const count = num(sub, At.count);
  if (count !== undefined) return count;
  const upper = num(sub, At.upperBound);
  if (upper === undefined || upper >= 0xffffffff) return null;
  return upper - (num(sub, At.lowerBound) ?? 0) + 1;
}

/** An enumerator's value; fixed-size data forms are sign-extended when the enum is signed. */
function constValue(die: Die, signed: boolean, size: number): number {
  const attr = die.attrs.get(At.constValue);
  const v = typeof attr?.value === 'number' ? attr.value : 0;
  if (!signed || attr === undefined || attr.form === 0x0d) return v; // DW_FORM_sdata is already signed
  const bits = attr.form === 0x0b ? 8 : attr.form === 0x05 ? 16 : attr.form === 0x06 ? 32 : Math.min(size * 8, 53);
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

/** The type under any typedefs and qualifiers. */
export function stripTypedefs(t: CType): CType {
  let cur = t;
  for (let hops = 0; (cur.kind === 'typedef' || cur.kind === 'qualified') && hops < 64; hops++) cur = cur.target;
  return cur;
}

/** Size in bytes (0 when unknown: `void`, functions, arrays of unknown length). */
export function sizeOf(t: CType, nesting = 0): number {
  const s = stripTypedefs(t);
  switch (s.kind) {
    case 'base': case 'pointer': case 'struct': case 'union': case 'enum': case 'other': return s.size;
    // Damaged DWARF can make an array its own element: give up past any real nesting.
    case 'array': return nesting > 32 ? 0 : s.counts.reduce<number>((n, c) => n * (c ?? 0), sizeOf(s.element, nesting + 1));
    default: return 0;
  }
}

/** How C spells the type, as gdb prints it: `int`, `const char *`, `struct point`, `int[2][3]`, `int (*)(int)`, `union {...}`. */
export function typeName(t: CType): string {
  return spell(t, '', 0);
}

/** `t` declaring `inner`, a declarator built from the inside out ('', '*', '*const', '[4]'...). */
function spell(t: CType, inner: string, nesting: number): string {
  // Damaged DWARF can make a type contain itself (a pointer to itself): cut it short.
  if (nesting > 32) return `… ${inner}`;
  const spellIn = (u: CType, decl: string): string => spell(u, decl, nesting + 1);
  const join = (base: string, decl: string): string => (decl === '' ? base : decl.startsWith('[') ? base + decl : `${base} ${decl}`);
  // A postfix declarator ([n], (params)) binds tighter than `*`: a pointer inside needs parentheses.
  const postfix = (decl: string, suffix: string): string => (decl.startsWith('*') ? `(${decl})${suffix}` : decl + suffix);
  switch (t.kind) {
    case 'void': return join('void', inner);
    case 'base': case 'typedef': case 'other': return join(t.name, inner);
    case 'struct': case 'union': case 'enum': return join(`${t.kind} ${t.name ?? '{...}'}`, inner);
    case 'qualified':
      // `const char` (qualifier before a plain type) but `char *const` (after a pointer).
      if (t.target.kind === 'pointer') return spellIn(t.target, inner === '' ? t.qualifier : `${t.qualifier} ${inner}`);
      return `${t.qualifier} ${spellIn(t.target, inner)}`;
    case 'pointer': return spellIn(t.target, `*${inner}`);
    case 'array': return spellIn(t.element, postfix(inner, t.counts.map((c) => `[${c ?? ''}]`).join('')));
    case 'function': {
      const params = t.params.map((p) => spellIn(p, '')).concat(t.variadic ? ['...'] : []);
      return spellIn(t.result, postfix(inner, `(${params.length === 0 ? 'void' : params.join(', ')})`));
    }
  }
}
