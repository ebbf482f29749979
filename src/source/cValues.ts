/**
 * C values as a C programmer expects to read them, from a type and where the value is:
 * integers signed or unsigned by type, `char` as a number and a quoted character, `_Bool` as
 * true/false, floats, pointers in hex (a `char *` with a short quoted preview of its string),
 * enums by enumerator name, and arrays, structs and unions as a tree (`children`) with an
 * lldb-like one-line summary (`{x = 1, y = 2}`, `{10, 20, 30}`, `"text"`). Pure: memory comes
 * from a `MemoryReader`.
 */
import { type CType, Encoding, sizeOf, stripTypedefs, typeName } from './cTypes.js';
import { bytesToBig, type EvaluatedLocation } from './locationExpr.js';

/** One value in the tree. */
export interface CValueNode {
  /** The variable's name, a member's name, or `[i]` for an array element. */
  readonly name: string;
  /** The C type as C spells it (`const char *`, `struct point`, `int[4]`). */
  readonly type: string;
  /** The value as text; `<unavailable: why>` when it cannot be read. */
  readonly value: string;
  readonly available: boolean;
  /** Where it lives in linear memory, when it does (a Wasm local or a constant has no address). */
  readonly address: number | null;
  /** `sizeof` its type in bytes (0 when unknown). */
  readonly size: number;
  /** Members of a struct or union, elements of an array (at most `FormatLimits.elements`), what a data pointer points at (`*p`); empty otherwise. */
  readonly children: readonly CValueNode[];
}

export interface MemoryReader {
  /** `length` bytes of linear memory at `address`, or null when any of them is outside it. */
  readMemory(address: number, length: number): Uint8Array | null;
}

/** How much of a value is expanded. */
export interface FormatLimits {
  /** Array elements given as children (and in the summary). */
  readonly elements: number;
  /** Levels of children below the variable. */
  readonly depth: number;
  /** Characters of a `char *` preview. */
  readonly preview: number;
}

export const DEFAULT_LIMITS: FormatLimits = { elements: 64, depth: 4, preview: 32 };

/** Where a value's bytes are: in memory, or held (a Wasm local's value, a constant). */
type Place = { readonly kind: 'memory'; readonly address: number } | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

/** The value of a variable of `type` at `location`. */
export function describeVariable(name: string, type: CType, location: EvaluatedLocation, memory: MemoryReader, limits: FormatLimits = DEFAULT_LIMITS): CValueNode {
  const spelled = typeName(type);
  switch (location.kind) {
    case 'unavailable': return unavailable(name, spelled, location.reason);
    case 'memory': return describe(name, type, { kind: 'memory', address: location.address }, memory, limits, limits.depth);
    case 'value': return describe(name, type, { kind: 'bytes', bytes: location.bytes }, memory, limits, limits.depth);
    case 'pieces': {
      const size = location.pieces.reduce((n, p) => n + p.size, 0);
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const p of location.pieces) {
        if (p.location === null) return unavailable(name, spelled, 'partly optimized out');
        const part = p.location.kind === 'memory' ? memory.readMemory(p.location.address, p.size) : p.location.bytes.subarray(0, p.size);
        if (part === null || part.length < p.size) return unavailable(name, spelled, 'a piece is outside linear memory');
        bytes.set(part, at);
        at += p.size;
      }
      return describe(name, type, { kind: 'bytes', bytes }, memory, limits, limits.depth);
    }
  }
}

function unavailable(name: string, type: string, reason: string, size = 0): CValueNode {
  return { name, type, value: `<unavailable: ${reason}>`, available: false, address: null, size, children: [] };
}

function read(place: Place, offset: number, length: number, memory: MemoryReader): Uint8Array | null {
  if (place.kind === 'memory') return memory.readMemory(place.address + offset, length);
  return offset + length <= place.bytes.length ? place.bytes.subarray(offset, offset + length) : null;
}

function at(place: Place, offset: number): Place {
  return place.kind === 'memory' ? { kind: 'memory', address: place.address + offset } : { kind: 'bytes', bytes: place.bytes.subarray(offset) };
}

function describe(name: string, type: CType, place: Place, memory: MemoryReader, limits: FormatLimits, depth: number): CValueNode {
  const spelled = typeName(type);
  const address = place.kind === 'memory' ? place.address : null;
  const t = stripTypedefs(type);
  const size = sizeOf(type);
  const node = (value: string, children: CValueNode[] = []): CValueNode => ({ name, type: spelled, value, available: true, address, size, children });
  const bytesOf = (size: number): Uint8Array | null => read(place, 0, size, memory);
  switch (t.kind) {
    case 'void': return unavailable(name, spelled, 'void has no value');
    case 'function': return node(address === null ? '<function>' : hex32(address));
    case 'base': case 'enum': case 'pointer': case 'other': {
      const bytes = bytesOf(t.size);
      if (bytes === null) return unavailable(name, spelled, place.kind === 'memory' ? `address ${hex32(place.address)} is outside linear memory` : 'value too short for its type');
      const text = scalarText(t, bytes, memory, limits);
      // A pointer to data opens to what it points at (`*p`), as in lldb; not `void *`, functions or strings.
      const target = t.kind === 'pointer' ? stripTypedefs(t.target) : null;
      const address = Number(bytesToBig(bytes));
      if (t.kind !== 'pointer' || depth <= 0 || address === 0 || target === null || target.kind === 'void' || target.kind === 'function' || isCharType(target)) return node(text);
      return node(text, [describe(`*${name}`, t.target, { kind: 'memory', address }, memory, limits, depth - 1)]);
    }
    case 'array': {
      if (depth < 0 && !isCharType(t.element)) return node('{...}');
      const [count, ...rest] = t.counts;
      const element: CType = rest.length > 0 ? { kind: 'array', element: t.element, counts: rest } : t.element;
      const elementSize = sizeOf(element);
      const n = count ?? 0;
      const shown = Math.min(n, limits.elements);
      const children: CValueNode[] = [];
      if (depth >= 0) {
        for (let i = 0; i < shown; i++) children.push(describe(`[${i}]`, element, at(place, i * elementSize), memory, limits, depth - 1));
      }
      if (isCharType(element) && rest.length === 0) {
        const bytes = bytesOf(n);
        if (bytes === null) return unavailable(name, spelled, 'outside linear memory');
        // A string (NULs only after its end) reads as one; other bytes show up to the last non-NUL,
        // as lldb prints them: "\0\0\x80?", "a\0tween".
        const nul = bytes.indexOf(0);
        const isString = nul < 0 || bytes.subarray(nul).every((b) => b === 0);
        let last = bytes.length;
        while (last > 0 && bytes[last - 1] === 0) last--;
        const text = isString ? quoteChars(bytes, n, true) : `"${[...bytes.subarray(0, last)].map((b) => escapeChar(b, '"')).join('')}"`;
        return node(text, depth > 0 ? children : []);
      }
      if (children.some((c) => !c.available)) return { ...node(children.find((c) => !c.available)!.value), available: false, children };
      const summary = children.slice(0, 16).map((c) => c.value);
      return node(`{${summary.join(', ')}${n > summary.length ? ', …' : ''}}`, depth > 0 ? children : []);
    }
    case 'struct': case 'union': {
      if (depth < 0) return node('{...}');
      const children = t.members.map((m) => member(m, place, memory, limits, depth - 1));
      const summary = children.slice(0, 8).map((c) => (c.name === '' ? c.value : `${c.name} = ${c.value}`));
      return node(`{${summary.join(', ')}${children.length > summary.length ? ', …' : ''}}`, depth > 0 ? children : []);
    }
  }
  return unavailable(name, spelled, 'unknown type');
}

function member(m: { name: string; type: CType; offset: number; bitSize?: number; bitOffset?: number }, place: Place, memory: MemoryReader, limits: FormatLimits, depth: number): CValueNode {
  if (m.bitSize === undefined) return describe(m.name, m.type, at(place, m.offset), memory, limits, depth);
  const spelled = typeName(m.type);
  const span = Math.ceil(((m.bitOffset ?? 0) + m.bitSize) / 8);
  const bytes = read(place, m.offset, span, memory);
  if (bytes === null) return unavailable(m.name, spelled, 'outside linear memory');
  const raw = (bytesToBig(bytes) >> BigInt(m.bitOffset ?? 0)) & ((1n << BigInt(m.bitSize)) - 1n);
  const t = stripTypedefs(m.type);
  const signed = t.kind === 'base' && (t.encoding === Encoding.signed || t.encoding === Encoding.signedChar);
  const v = signed ? BigInt.asIntN(m.bitSize, raw) : raw;
  const text = t.kind === 'enum' ? enumText(t, v) : t.kind === 'base' && t.encoding === Encoding.boolean ? (v !== 0n ? 'true' : 'false') : String(v);
  return { name: m.name, type: spelled, value: text, available: true, address: null, size: 0, children: [] };
}

function isCharType(t: CType): boolean {
  const s = stripTypedefs(t);
  return s.kind === 'base' && s.size === 1 && (s.encoding === Encoding.signedChar || s.encoding === Encoding.unsignedChar);
}

/** A scalar's text from its bytes. */
function scalarText(t: CType & { kind: 'base' | 'enum' | 'pointer' | 'other' }, bytes: Uint8Array, memory: MemoryReader, limits: FormatLimits): string {
  const raw = bytesToBig(bytes);
  if (t.kind === 'pointer') {
    const address = Number(raw);
    if (isCharType(t.target) && address !== 0) {
      const preview = cString(memory, address, limits.preview);
      return preview === null ? hex32(address) : `${hex32(address)} ${preview}`;
    }
    return hex32(address);
  }
  if (t.kind === 'enum') return enumText(t, t.signed ? BigInt.asIntN(bytes.length * 8, raw) : raw);
  if (t.kind === 'other') return `0x${raw.toString(16)}`;
  const bits = bytes.length * 8;
  switch (t.encoding) {
    case Encoding.boolean: return raw !== 0n ? 'true' : 'false';
    case Encoding.float: {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      if (bytes.length === 4) return floatText(view.getFloat32(0, true));
      if (bytes.length === 8) return floatText(view.getFloat64(0, true));
      return `0x${raw.toString(16)}`; // long double and the like
    }
    case Encoding.signedChar: case Encoding.unsignedChar: {
      const n = t.encoding === Encoding.signedChar ? BigInt.asIntN(bits, raw) : raw;
      return bits === 8 ? `${n} ${quoteChars(bytes, 1, false)}` : String(n);
    }
    case Encoding.signed: return String(BigInt.asIntN(bits, raw));
    case Encoding.utf: case Encoding.unsigned: return String(raw);
    case Encoding.address: return hex32(Number(raw));
    default: return `0x${raw.toString(16)}`;
  }
}

function enumText(t: { enumerators: readonly { name: string; value: number }[] }, v: bigint): string {
  const e = t.enumerators.find((x) => BigInt(x.value) === v);
  return e === undefined ? String(v) : e.name;
}

function floatText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  return Object.is(x, -0) ? '-0' : String(x);
}

/** `0x` and 8 hex digits, as lldb prints a wasm32 pointer. */
export function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** The NUL-terminated string at `address`, quoted, at most `max` characters (then `...`); null when unreadable. */
function cString(memory: MemoryReader, address: number, max: number): string | null {
  const bytes: number[] = [];
  for (let i = 0; i <= max; i++) {
    const b = memory.readMemory(address + i, 1);
    if (b === null) return bytes.length === 0 ? null : quoteChars(Uint8Array.from(bytes), bytes.length, true) + '...';
    if (b[0] === 0) return quoteChars(Uint8Array.from(bytes), bytes.length, true);
    bytes.push(b[0]);
  }
  return quoteChars(Uint8Array.from(bytes.slice(0, max)), max, true) + '...';
}

/** Bytes as a C literal: a string `"..."` up to the first NUL, or one character `'x'`. */
function quoteChars(bytes: Uint8Array, max: number, asString: boolean): string {
  let out = '';
  for (let i = 0; i < Math.min(bytes.length, max); i++) {
    const b = bytes[i];
    if (asString && b === 0) break;
    out += escapeChar(b, asString ? '"' : "'");
  }
  return asString ? `"${out}"` : `'${out}'`;
}

function escapeChar(b: number, quote: string): string {
  const named: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  if (named[b] !== undefined) return named[b];
  if (String.fromCharCode(b) === quote) return '\\' + quote;
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return '\\x' + b.toString(16).padStart(2, '0');
}
