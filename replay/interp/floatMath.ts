/**
 * The float and float/integer operations whose Wasm semantics differ from JS's operators:
 * `nearest` (ties to even), `min`/`max` (NaN wins, -0 < +0), correctly rounded i64 -> f32,
 * and the checks of the trapping float-to-int truncations. NaN results are JS's NaN, which is
 * the canonical NaN: the spec allows a canonical NaN wherever it allows an arithmetic one.
 */
import { TrapError } from './errors.js';

/** Round to nearest, ties to even; keeps -0, infinities and NaN. */
export function nearest(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const f = Math.floor(x);
  const d = x - f;
  let r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  if (r === 0) r = x < 0 ? -0 : 0;
  return r;
}

export function fmin(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return Math.min(a, b);
}

export function fmax(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return Math.max(a, b);
}

/**
 * A 64-bit integer (exact, as a bigint) as the double whose rounding to f32 is the correctly
 * rounded f32 of `v`: exact below 2^53; above, the top 53 bits with every lower bit ORed into
 * the last one (a sticky bit), so that storing the result into a Float32Array rounds once.
 */
export function f32ReadyFromBig(v: bigint): number {
  const neg = v < 0n;
  const a = neg ? -v : v;
  if (a < 0x20000000000000n) return Number(v);
  const hi = Number(a >> 32n);
  const bits = 64 - Math.clz32(hi);
  const shift = BigInt(bits - 53);
  let kept = a >> shift;
  if ((a & ((1n << shift) - 1n)) !== 0n) kept |= 1n;
  const r = Number(kept) * 2 ** Number(shift);
  return neg ? -r : r;
}

/** `x` truncated toward zero, trapping unless lo <= trunc(x) < hiExclusive (the trapping `trunc` instructions). */
export function truncChecked(x: number, lo: number, hiExclusive: number): number {
  if (x !== x) throw new TrapError('invalid conversion to integer');
  const t = Math.trunc(x);
  if (t < lo || t >= hiExclusive) throw new TrapError('integer overflow');
  return t;
}

/** `x` truncated toward zero and clamped to [lo, hi]; NaN gives 0 (the `trunc_sat` instructions). */
export function truncSat(x: number, lo: number, hi: number): number {
  if (x !== x) return 0;
  const t = Math.trunc(x);
  return t < lo ? lo : t > hi ? hi : t;
}

/** As `truncSat`, to a bigint (i64 targets: the bounds are not exact doubles). */
export function truncSatBig(x: number, lo: bigint, hi: bigint): bigint {
  if (x !== x) return 0n;
  if (x === Infinity) return hi;
  if (x === -Infinity) return lo;
  const t = BigInt(Math.trunc(x));
  return t < lo ? lo : t > hi ? hi : t;
}
