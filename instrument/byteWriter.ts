/** A growable byte buffer for emitting Wasm: raw bytes and LEB128 integers. */
/** Appends bytes; methods return `this` so emission reads as a chain. */
export class ByteWriter {
  private buf = new Uint8Array(1024);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  /** Unsigned LEB128 (u32). */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.u8(v ? b | 0x80 : b);
    } while (v);
    return this;
  }

  /** Signed LEB128 (s64). */
  s64(value: bigint): this {
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.u8(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** A name: its UTF-8 length, then the bytes. */
  name(text: string): this {
    const data = new TextEncoder().encode(text);
    return this.u32(data.length).bytes(data);
  }

  /** A copy of everything written so far. */
  toBytes(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len);
  }
}
