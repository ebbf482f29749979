/** Signed LEB128 readers that `ByteReader` lacks (constants of `i32.const` / `i64.const`). */
import type { ByteReader } from '../../src/wasm/byteReader.js';

/** A signed LEB128 of at most 32 bits, as an int32. */
export function readS32(r: ByteReader): number {
  let result = 0;
  let shift = 0;
  let b: number;
  do {
    b = r.u8();
    if (shift < 32) result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 32 && b & 0x40) result |= -1 << shift;
  return result | 0;
}

/** A signed LEB128 of at most 64 bits, as a signed bigint. */
export function readS64(r: ByteReader): bigint {
  let result = 0n;
  let shift = 0n;
  let b: number;
  do {
    b = r.u8();
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  if (b & 0x40) result -= 1n << shift;
  return BigInt.asIntN(64, result);
}
