/**
 * The bytes `qWasmLocal`, `qWasmGlobal` and `qWasmStackValue` answer with: a Wasm value in its
 * native width, little-endian (LLDB takes the reply's length as the value's size). Reference
 * values have no address LLDB could use; like Wasmtime's stub we send 4 zero bytes for them.
 */
import type { Value } from '../../replay/engine/types.js';

/** Little-endian bytes of `value`: 4 for i32/f32/refs, 8 for i64/f64, 16 for v128. */
export function valueBytes(value: Value): Uint8Array {
  switch (value.type) {
    case 'i32': return uint32(value.value);
    case 'f32': return uint32(value.bits);
    case 'i64': return uint64(value.value);
    case 'f64': return uint64(value.bits);
    case 'v128': return Uint8Array.from(value.bytes);
    case 'ref': return new Uint8Array(4);
  }
}

function uint32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0, true);
  return out;
}

function uint64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, n), true);
  return out;
}
