/** A cursor over Wasm binary bytes: LEB128 integers, names, bounds checked against `end`. */

/** The bytes are not a well-formed Wasm binary; `offset` is where decoding failed. */
export class WasmDecodeError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

// ignoreBOM: a name may start with U+FEFF (names.wast has one); it is part of the name, not a mark.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteReader {
  constructor(
    readonly bytes: Uint8Array,
    public offset = 0,
    readonly end = bytes.length,
  ) {}

  atEnd(): boolean {
    return this.offset >= this.end;
  }

  u8(): number {
    if (this.offset >= this.end) throw new WasmDecodeError('unexpected end of data (truncated?)', this.offset);
    return this.bytes[this.offset++];
  }

  u32le(): number {
    let v = 0;
    for (let i = 0; i < 4; i++) v |= this.u8() << (8 * i);
    return v >>> 0;
  }

  /** Unsigned LEB128 up to 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) {
        const last = this.u8();
        result += (last & 0x7f) * 2 ** 35;
        if (last & 0x80) throw new WasmDecodeError('LEB128 integer too long', this.offset - 1);
        break;
      }
    }
    if (result > 0xffffffff) throw new WasmDecodeError('LEB128 integer out of range', this.offset - 1);
    return result;
  }

  /** Unsigned LEB128 up to 64 bits. */
  u64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new WasmDecodeError('LEB128 integer too long', this.offset - 1);
    }
  }

  /** Signed LEB128 up to 33 bits (block types, heap types). */
  s33(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    if (b & 0x40) result -= 2 ** shift;
    return result;
  }

  /** Signed LEB128 of at most 32 bits, as an int32 (`i32.const`). */
  s32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.u8();
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 32 && b & 0x40) result |= -1 << shift;
    return result | 0;
  }

  /** Signed LEB128 of at most 64 bits, as a signed bigint (`i64.const`). */
  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return BigInt.asIntN(64, result);
  }

  name(): string {
    const len = this.u32();
    if (this.offset + len > this.end) throw new WasmDecodeError('name runs past its section', this.offset);
    const s = utf8.decode(this.bytes.subarray(this.offset, this.offset + len));
    this.offset += len;
    return s;
  }
}
