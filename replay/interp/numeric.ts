/**
 * Executes one numeric instruction on the value stack (valueStack.ts for the slot layout):
 * every opcode 0x45..0xc4 and `FC + 0..7`, given the stack pointer; returns the new one. The
 * interpreter loop runs the commonest i32 instructions itself and sends the rest here.
 *
 * i64 values are handled as two int32 words where that is exact and cheap (add, sub, bitwise,
 * shifts, comparisons, bit counts) and as BigInts otherwise (mul, div, rem, conversions);
 * f32 arithmetic reads and writes through the Float32Array view (a double result rounds once
 * to f32 on the store, which is exact for + - * / sqrt); sign, abs and copysign work on bits.
 * A trap throws `TrapError` (unlocated) before anything is written.
 */
import { TrapError } from './errors.js';
import { f32ReadyFromBig, fmax, fmin, nearest, truncChecked, truncSat, truncSatBig } from './floatMath.js';
import { FC } from './opcodes.js';
import type { ValueStack } from './valueStack.js';

const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

function popcnt32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Executes numeric opcode `op` with the stack's top at `sp` (first free slot); returns the new `sp`. */
export function numeric(op: number, st: ValueStack, sp: number): number {
  if (op <= 0x78 || (op >= 0xa7 && op <= 0xc1)) return i32Result(op, st, sp);
  if (op <= 0x8a || op >= 0xc2 && op <= 0xc4) return i64Op(op, st, sp);
  if (op <= 0xa6) return floatOp(op, st, sp);
  return saturating(op, st, sp);
}

/** Comparisons (0x45..0x66), i32 arithmetic (0x67..0x78), conversions and sign extension (0xa7..0xc1). */
function i32Result(op: number, st: ValueStack, sp: number): number {
  const w = st.i32;
  if (op >= 0x5b && op <= 0x66) return floatCompare(op, st, sp);
  if (op >= 0x50 && op <= 0x5a) return i64Compare(op, st, sp);
  if (op >= 0xa7) return conversion(op, st, sp);
  const b = w[(sp - 1) << 1];
  const k = (sp - 2) << 1;
  const a = w[k];
  switch (op) {
    case 0x45: w[(sp - 1) << 1] = b === 0 ? 1 : 0; return sp;
    case 0x46: w[k] = a === b ? 1 : 0; break;
    case 0x47: w[k] = a !== b ? 1 : 0; break;
    case 0x48: w[k] = a < b ? 1 : 0; break;
    case 0x49: w[k] = a >>> 0 < b >>> 0 ? 1 : 0; break;
    case 0x4a: w[k] = a > b ? 1 : 0; break;
    case 0x4b: w[k] = a >>> 0 > b >>> 0 ? 1 : 0; break;
    case 0x4c: w[k] = a <= b ? 1 : 0; break;
    case 0x4d: w[k] = a >>> 0 <= b >>> 0 ? 1 : 0; break;
    case 0x4e: w[k] = a >= b ? 1 : 0; break;
    case 0x4f: w[k] = a >>> 0 >= b >>> 0 ? 1 : 0; break;
    case 0x67: w[(sp - 1) << 1] = Math.clz32(b); return sp;
    case 0x68: w[(sp - 1) << 1] = ctz32(b); return sp;
    case 0x69: w[(sp - 1) << 1] = popcnt32(b); return sp;
    case 0x6a: w[k] = a + b; break;
    case 0x6b: w[k] = a - b; break;
    case 0x6c: w[k] = Math.imul(a, b); break;
    case 0x6d:
      if (b === 0) throw new TrapError('integer divide by zero');
      if (a === -0x80000000 && b === -1) throw new TrapError('integer overflow');
      w[k] = a / b;
      break;
    case 0x6e:
      if (b === 0) throw new TrapError('integer divide by zero');
      w[k] = (a >>> 0) / (b >>> 0);
      break;
    case 0x6f:
      if (b === 0) throw new TrapError('integer divide by zero');
      w[k] = a % b;
      break;
    case 0x70:
      if (b === 0) throw new TrapError('integer divide by zero');
      w[k] = (a >>> 0) % (b >>> 0);
      break;
    case 0x71: w[k] = a & b; break;
    case 0x72: w[k] = a | b; break;
    case 0x73: w[k] = a ^ b; break;
    case 0x74: w[k] = a << b; break;
    case 0x75: w[k] = a >> b; break;
    case 0x76: w[k] = a >>> b; break;
    case 0x77: w[k] = (a << b) | (a >>> (32 - (b & 31))); break;
    case 0x78: w[k] = (a >>> b) | (a << (32 - (b & 31))); break;
    default: throw new Error(`not an i32 opcode: 0x${op.toString(16)}`);
  }
  return sp - 1;
}

function i64Compare(op: number, st: ValueStack, sp: number): number {
  const w = st.i32;
  if (op === 0x50) {
    const k = (sp - 1) << 1;
    w[k] = (w[k] | w[k + 1]) === 0 ? 1 : 0;
    return sp;
  }
  const k = (sp - 2) << 1;
  const alo = w[k] >>> 0, ahi = w[k + 1], blo = w[k + 2] >>> 0, bhi = w[k + 3];
  let r: boolean;
  switch (op) {
    case 0x51: r = alo === blo && ahi === bhi; break;
    case 0x52: r = alo !== blo || ahi !== bhi; break;
    case 0x53: r = ahi < bhi || (ahi === bhi && alo < blo); break;
    case 0x54: r = ahi >>> 0 < bhi >>> 0 || (ahi === bhi && alo < blo); break;
    case 0x55: r = ahi > bhi || (ahi === bhi && alo > blo); break;
    case 0x56: r = ahi >>> 0 > bhi >>> 0 || (ahi === bhi && alo > blo); break;
    case 0x57: r = ahi < bhi || (ahi === bhi && alo <= blo); break;
    case 0x58: r = ahi >>> 0 < bhi >>> 0 || (ahi === bhi && alo <= blo); break;
    case 0x59: r = ahi > bhi || (ahi === bhi && alo >= blo); break;
    default: r = ahi >>> 0 > bhi >>> 0 || (ahi === bhi && alo >= blo); break;
  }
  w[k] = r ? 1 : 0;
  return sp - 1;
}

function floatCompare(op: number, st: ValueStack, sp: number): number {
  const k = sp - 2;
  let a: number, b: number;
  if (op <= 0x60) {
    a = st.f32[k << 1];
    b = st.f32[(k + 1) << 1];
  } else {
    a = st.f64[k];
    b = st.f64[k + 1];
  }
  let r: boolean;
  switch (op <= 0x60 ? op : op - 6) {
    case 0x5b: r = a === b; break;
    case 0x5c: r = a !== b; break;
    case 0x5d: r = a < b; break;
    case 0x5e: r = a > b; break;
    case 0x5f: r = a <= b; break;
    default: r = a >= b; break;
  }
  st.i32[k << 1] = r ? 1 : 0;
  return sp - 1;
}

/** i64 arithmetic 0x79..0x8a and sign extension 0xc2..0xc4. */
function i64Op(op: number, st: ValueStack, sp: number): number {
  const w = st.i32;
  if (op <= 0x7b || op >= 0xc2) {
    const k = (sp - 1) << 1;
    const lo = w[k], hi = w[k + 1];
    switch (op) {
      case 0x79: w[k] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo); break;
      case 0x7a: w[k] = lo !== 0 ? ctz32(lo) : 32 + ctz32(hi); break;
      case 0x7b: w[k] = popcnt32(lo) + popcnt32(hi); break;
      case 0xc2: w[k] = (lo << 24) >> 24; break;
      case 0xc3: w[k] = (lo << 16) >> 16; break;
      default: break; // 0xc4 extend32_s: the low word stays
    }
    w[k + 1] = op >= 0xc2 ? w[k] >> 31 : 0;
    return sp;
  }
  const k = (sp - 2) << 1;
  const alo = w[k], ahi = w[k + 1], blo = w[k + 2], bhi = w[k + 3];
  switch (op) {
    case 0x7c: {
      const lo = (alo >>> 0) + (blo >>> 0);
      w[k] = lo;
      w[k + 1] = ahi + bhi + (lo > 0xffffffff ? 1 : 0);
      break;
    }
    case 0x7d: {
      const lo = (alo >>> 0) - (blo >>> 0);
      w[k] = lo;
      w[k + 1] = ahi - bhi - (lo < 0 ? 1 : 0);
      break;
    }
    case 0x7e: st.i64[sp - 2] = st.i64[sp - 2] * st.i64[sp - 1]; break;
    case 0x7f: case 0x80: case 0x81: case 0x82: divRem(op, st, sp); break;
    case 0x83: w[k] = alo & blo; w[k + 1] = ahi & bhi; break;
    case 0x84: w[k] = alo | blo; w[k + 1] = ahi | bhi; break;
    case 0x85: w[k] = alo ^ blo; w[k + 1] = ahi ^ bhi; break;
    default: shift(op, w, k, alo, ahi, blo & 63); break;
  }
  return sp - 1;
}

function divRem(op: number, st: ValueStack, sp: number): void {
  const s = sp - 2;
  if (op === 0x7f || op === 0x81) {
    const a = st.i64[s], b = st.i64[s + 1];
    if (b === 0n) throw new TrapError('integer divide by zero');
    if (op === 0x7f && a === I64_MIN && b === -1n) throw new TrapError('integer overflow');
    st.i64[s] = op === 0x7f ? a / b : a % b;
  } else {
    const a = st.u64[s], b = st.u64[s + 1];
    if (b === 0n) throw new TrapError('integer divide by zero');
    st.u64[s] = op === 0x80 ? a / b : a % b;
  }
}

/** shl, shr_s, shr_u, rotl, rotr by `n` (0..63) on the words of slot `k / 2`. */
function shift(op: number, w: Int32Array, k: number, lo: number, hi: number, n: number): void {
  if (op === 0x89 || op === 0x8a) {
    // Rotations: by 32 swaps the words; the rest rotates both words by n mod 32.
    if (op === 0x8a) n = (64 - n) & 63;
    if (n >= 32) [lo, hi] = [hi, lo];
    n &= 31;
    if (n !== 0) [lo, hi] = [(lo << n) | (hi >>> (32 - n)), (hi << n) | (lo >>> (32 - n))];
  } else if (n !== 0) {
    if (op === 0x86) {
      if (n >= 32) [lo, hi] = [0, lo << (n - 32)];
      else [lo, hi] = [lo << n, (hi << n) | (lo >>> (32 - n))];
    } else if (op === 0x87) {
      if (n >= 32) [lo, hi] = [hi >> (n - 32), hi >> 31];
      else [lo, hi] = [(lo >>> n) | (hi << (32 - n)), hi >> n];
    } else {
      if (n >= 32) [lo, hi] = [hi >>> (n - 32), 0];
      else [lo, hi] = [(lo >>> n) | (hi << (32 - n)), hi >>> n];
    }
  }
  w[k] = lo;
  w[k + 1] = hi;
}

/** f32 (0x8b..0x98) and f64 (0x99..0xa6) arithmetic. */
function floatOp(op: number, st: ValueStack, sp: number): number {
  const single = op <= 0x98;
  const base = single ? op : op - 0x0e;
  const w = st.i32;
  if (base <= 0x91) {
    const s = sp - 1;
    const signWord = single ? s << 1 : (s << 1) + 1;
    if (base === 0x8b) { w[signWord] &= 0x7fffffff; return sp; }
    if (base === 0x8c) { w[signWord] ^= -0x80000000; return sp; }
    const x = single ? st.f32[s << 1] : st.f64[s];
    let r: number;
    switch (base) {
      case 0x8d: r = Math.ceil(x); break;
      case 0x8e: r = Math.floor(x); break;
      case 0x8f: r = Math.trunc(x); break;
      case 0x90: r = nearest(x); break;
      default: r = Math.sqrt(x); break;
    }
    // ceil/floor/trunc/nearest hand a NaN back untouched: quiet it, as the spec requires.
    if (x !== x && base !== 0x91) w[signWord] |= single ? 0x00400000 : 0x00080000;
    else if (single) st.f32[s << 1] = r;
    else st.f64[s] = r;
    return sp;
  }
  const s = sp - 2;
  if (base === 0x98) {
    const a = single ? s << 1 : (s << 1) + 1;
    const b = single ? (s + 1) << 1 : ((s + 1) << 1) + 1;
    w[a] = (w[a] & 0x7fffffff) | (w[b] & -0x80000000);
    return sp - 1;
  }
  const a = single ? st.f32[s << 1] : st.f64[s];
  const b = single ? st.f32[(s + 1) << 1] : st.f64[s + 1];
  let r: number;
  switch (base) {
    case 0x92: r = a + b; break;
    case 0x93: r = a - b; break;
    case 0x94: r = a * b; break;
    case 0x95: r = a / b; break;
    case 0x96: r = fmin(a, b); break;
    default: r = fmax(a, b); break;
  }
  if (single) st.f32[s << 1] = r;
  else st.f64[s] = r;
  return sp - 1;
}

/** 0xa7..0xc1: conversions, reinterpretations (no-ops on bits) and i32 sign extension. */
function conversion(op: number, st: ValueStack, sp: number): number {
  const s = sp - 1;
  const k = s << 1;
  const w = st.i32;
  switch (op) {
    case 0xa7: break; // i32.wrap_i64: the low word is the result
    case 0xa8: w[k] = truncChecked(st.f32[k], -2147483648, 2147483648); break;
    case 0xa9: w[k] = truncChecked(st.f32[k], 0, 4294967296); break;
    case 0xaa: w[k] = truncChecked(st.f64[s], -2147483648, 2147483648); break;
    case 0xab: w[k] = truncChecked(st.f64[s], 0, 4294967296); break;
    case 0xac: w[k + 1] = w[k] >> 31; break;
    case 0xad: w[k + 1] = 0; break;
    case 0xae: st.i64[s] = BigInt(truncChecked(st.f32[k], -TWO63, TWO63)); break;
    case 0xaf: st.u64[s] = BigInt(truncChecked(st.f32[k], 0, TWO64)); break;
    case 0xb0: st.i64[s] = BigInt(truncChecked(st.f64[s], -TWO63, TWO63)); break;
    case 0xb1: st.u64[s] = BigInt(truncChecked(st.f64[s], 0, TWO64)); break;
    case 0xb2: st.f32[k] = w[k]; break;
    case 0xb3: st.f32[k] = w[k] >>> 0; break;
    case 0xb4: st.f32[k] = f32ReadyFromBig(st.i64[s]); break;
    case 0xb5: st.f32[k] = f32ReadyFromBig(st.u64[s]); break;
    case 0xb6: st.f32[k] = st.f64[s]; break;
    case 0xb7: st.f64[s] = w[k]; break;
    case 0xb8: st.f64[s] = w[k] >>> 0; break;
    case 0xb9: st.f64[s] = Number(st.i64[s]); break;
    case 0xba: st.f64[s] = Number(st.u64[s]); break;
    case 0xbb: st.f64[s] = st.f32[k]; break;
    case 0xbc: case 0xbd: case 0xbe: case 0xbf: break;
    case 0xc0: w[k] = (w[k] << 24) >> 24; break;
    case 0xc1: w[k] = (w[k] << 16) >> 16; break;
    default: throw new Error(`not a conversion opcode: 0x${op.toString(16)}`);
  }
  return sp;
}

/** `FC + 0..7`: the saturating float-to-int truncations. */
function saturating(op: number, st: ValueStack, sp: number): number {
  const s = sp - 1;
  const k = s << 1;
  const n = op - FC;
  const x = n === 0 || n === 1 || n === 4 || n === 5 ? st.f32[k] : st.f64[s];
  switch (n) {
    case 0: case 2: st.i32[k] = truncSat(x, -2147483648, 2147483647); break;
    case 1: case 3: st.i32[k] = truncSat(x, 0, 4294967295); break;
    case 4: case 6: st.i64[s] = truncSatBig(x, I64_MIN, I64_MAX); break;
    default: st.u64[s] = truncSatBig(x, 0n, U64_MAX); break;
  }
  return sp;
}
