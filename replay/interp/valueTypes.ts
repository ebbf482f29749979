/**
 * Value types as the binary encodes them, function types, and the `Value` of each type's zero.
 * The interpreter keeps types as their one-byte codes; names are for humans and tests.
 */
import type { Value } from './types.js';

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;
/** Not a type: a stack slot whose type the validator cannot know (unreachable code only). */
export const UNKNOWN = 0;

/** `i32`, `i64`, `f32`, `f64`, `v128`, `funcref`, `externref`. */
export type ValTypeName = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

const NAMES: Record<number, ValTypeName> = {
  [I32]: 'i32', [I64]: 'i64', [F32]: 'f32', [F64]: 'f64', [V128]: 'v128', [FUNCREF]: 'funcref', [EXTERNREF]: 'externref',
};

/** The name of a type code (`unknown` for anything else). */
export function typeName(code: number): string {
  return NAMES[code] ?? `unknown(0x${code.toString(16)})`;
}

/** True for the codes the interpreter supports as values. */
export function isSupportedType(code: number): boolean {
  return code === I32 || code === I64 || code === F32 || code === F64 || code === FUNCREF || code === EXTERNREF;
}

export function isRefType(code: number): boolean {
  return code === FUNCREF || code === EXTERNREF;
}

/** A function type; types as codes. */
export interface FuncType {
  readonly params: readonly number[];
  readonly results: readonly number[];
}

/** True when two function types are the same (the `call_indirect` check). */
export function sameFuncType(a: FuncType, b: FuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length &&
    a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i]);
}

const ZEROS: Record<number, Value> = {
  [I32]: { type: 'i32', value: 0 },
  [I64]: { type: 'i64', value: 0n },
  [F32]: { type: 'f32', bits: 0 },
  [F64]: { type: 'f64', bits: 0n },
  [FUNCREF]: { type: 'ref', refType: FUNCREF, isNull: true },
  [EXTERNREF]: { type: 'ref', refType: EXTERNREF, isNull: true },
};

/** The default value of a type (locals, `table.grow` fill): zero, or a null reference. Shared objects: do not mutate. */
export function zeroValue(code: number): Value {
  const v = ZEROS[code];
  if (!v) throw new Error(`no default value for type ${typeName(code)}`);
  return v;
}

/** True when `v` is a value of type `code`. */
export function hasType(v: Value, code: number): boolean {
  switch (v.type) {
    case 'i32': return code === I32;
    case 'i64': return code === I64;
    case 'f32': return code === F32;
    case 'f64': return code === F64;
    case 'ref': return v.refType === code;
    default: return false;
  }
}
