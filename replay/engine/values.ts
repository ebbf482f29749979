/**
 * Conversions between the little-endian bytes the trace keeps (globals) and raw log values
 * (import results) and the typed `Value`s the interpreter and front ends use.
 */
import type { Value } from '../interp/types.js';

/** A value of Wasm type `type` from its little-endian bytes; null for types without a byte form here. */
export function valueFromBytes(type: string, bytes: Uint8Array): Value | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'i32': return { type: 'i32', value: view.getInt32(0, true) };
    case 'i64': return { type: 'i64', value: view.getBigInt64(0, true) };
    case 'f32': return { type: 'f32', bits: view.getUint32(0, true) };
    case 'f64': return { type: 'f64', bits: view.getBigUint64(0, true) };
    case 'v128': return { type: 'v128', bytes: bytes.slice(0, 16) };
    default: return null;
  }
}

/** Little-endian bytes of a numeric value (4, 8 or 16 bytes); empty for references. */
export function valueBytes(v: Value): Uint8Array {
  const out = new Uint8Array(v.type === 'i64' || v.type === 'f64' ? 8 : v.type === 'v128' ? 16 : v.type === 'ref' ? 0 : 4);
  const view = new DataView(out.buffer);
  switch (v.type) {
    case 'i32': view.setInt32(0, v.value, true); break;
    case 'i64': view.setBigUint64(0, BigInt.asUintN(64, v.value), true); break;
    case 'f32': view.setUint32(0, v.bits, true); break;
    case 'f64': view.setBigUint64(0, v.bits, true); break;
    case 'v128': out.set(v.bytes); break;
    case 'ref': break;
  }
  return out;
}

/** A value as a person reads it: `i32 -5`, `f64 2.5`, `i64 1234`. */
export function formatValue(v: Value): string {
  switch (v.type) {
    case 'i32': case 'i64': return `${v.type} ${v.value}`;
    case 'f32': return `f32 ${new Float32Array(new Uint32Array([v.bits]).buffer)[0]}`;
    case 'f64': return `f64 ${new Float64Array(new BigUint64Array([v.bits]).buffer)[0]}`;
    case 'v128': return `v128 0x${Buffer.from(v.bytes).reverse().toString('hex')}`;
    case 'ref': return v.isNull ? 'ref null' : 'ref';
  }
}
