/**
 * Growable byte buffer and matching cursor for the trace's packed encodings: unsigned LEB128
 * varints (u32 fast path, u64 as bigint) and raw bytes. Shared by the input-log codec and, later,
 * the detail-event codec.
 */

/** Appends bytes; `finish()` copies out what was written. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  private grow(needed: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.length + needed) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    if (this.length + 1 > this.buf.length) this.grow(1);
    this.buf[this.length++] = v;
  }

  /** Unsigned LEB128 of a value in [0, 2^32). */
  varU32(v: number): void {
    if (this.length + 5 > this.buf.length) this.grow(5);
    const b = this.buf;
    let n = this.length;
    while (v >= 0x80) {
      b[n++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    b[n++] = v;
    this.length = n;
  }

  /** Unsigned LEB128 of a value in [0, 2^64). */
  varU64(v: bigint): void {
    if (v >= 0n && v < 0x100000000n) return this.varU32(Number(v));
    if (this.length + 10 > this.buf.length) this.grow(10);
    while (v >= 0x80n) {
      this.buf[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.length++] = Number(v);
  }

  f32(v: number): void {
    if (this.length + 4 > this.buf.length) this.grow(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
  }

  f64(v: number): void {
    if (this.length + 8 > this.buf.length) this.grow(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  bytes(data: Uint8Array): void {
    if (this.length + data.length > this.buf.length) this.grow(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** A copy of everything written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/** The encoded data ends early or holds an impossible value. */
export class CodecError extends Error {}

/** Reads what `ByteWriter` wrote. */
export class ByteCursor {
  private readonly view: DataView;
  offset = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  atEnd(): boolean {
    return this.offset >= this.buf.length;
  }

  u8(): number {
    if (this.offset >= this.buf.length) throw new CodecError('encoded data ends early');
    return this.buf[this.offset++];
  }

  varU32(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new CodecError('varint too long');
  }

  varU64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new CodecError('varint too long');
  }

  f32(): number {
    this.need(4);
    const v = this.view.getFloat32(this.offset, true);
    this.offset += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  /** A view (not a copy) of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new CodecError('encoded data ends early');
  }
}
