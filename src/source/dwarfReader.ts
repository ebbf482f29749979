/**
 * A bounds-checked little-endian cursor over one DWARF section (or a slice of it). Every read
 * past `end` throws `DwarfFormatError` naming the section and the offset, so a truncated or
 * damaged section can never read out of bounds or loop forever. Offsets are section-relative.
 */
import { DwarfFormatError } from './errors.js';

const utf8 = new TextDecoder('utf-8');

export class DwarfReader {
  constructor(
    /** The whole section: offsets are relative to its start. */
    readonly bytes: Uint8Array,
    /** Section name for error messages (`.debug_line`). */
    readonly section: string,
    public offset = 0,
    readonly end = bytes.length,
  ) {}

  /** Throws a `DwarfFormatError` at `at` (default: the current offset). */
  fail(detail: string, at = this.offset): never {
    throw new DwarfFormatError(this.section, at, detail);
  }

  atEnd(): boolean {
    return this.offset >= this.end;
  }

  remaining(): number {
    return this.end - this.offset;
  }

  /** A reader over `[offset, end)` of the same section; fails when `end` is past ours. */
  slice(offset: number, end: number): DwarfReader {
    if (end > this.end || offset > end) this.fail(`range 0x${offset.toString(16)}..0x${end.toString(16)} runs past its container (truncated?)`, offset);
    return new DwarfReader(this.bytes, this.section, offset, end);
  }

  private need(n: number): number {
    const at = this.offset;
    if (at + n > this.end) this.fail('unexpected end of data (truncated?)');
    this.offset = at + n;
    return at;
  }

  skip(n: number): void {
    this.need(n);
  }

  u8(): number {
    return this.bytes[this.need(1)];
  }

  s8(): number {
    return (this.u8() << 24) >> 24;
  }

  u16(): number {
    const at = this.need(2);
    return this.bytes[at] | (this.bytes[at + 1] << 8);
  }

  u24(): number {
    const at = this.need(3);
    return this.bytes[at] | (this.bytes[at + 1] << 8) | (this.bytes[at + 2] << 16);
  }

  u32(): number {
    const at = this.need(4);
    const b = this.bytes;
    return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
  }

  /** A 64-bit value as a number; values above 2^53 lose precision (only tombstones are that large). */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 0x100000000 + lo;
  }

  /** An unsigned integer of `size` bytes (1, 2, 3, 4 or 8). */
  uint(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 3: return this.u24();
      case 4: return this.u32();
      case 8: return this.u64();
      default: return this.fail(`unsupported integer size ${size}`);
    }
  }

  /** Unsigned LEB128. Values above 2^53 lose precision; the bytes are consumed either way. */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      if (scale < 2 ** 64) result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return result;
    }
  }

  /** Signed LEB128, same precision rule as `uleb`. */
  sleb(): number {
    let result = 0;
    let scale = 1;
    let b: number;
    do {
      b = this.u8();
      if (scale < 2 ** 64) result += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80);
    if (b & 0x40 && scale <= 2 ** 64) result -= scale;
    return result;
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const start = this.offset;
    const nul = this.bytes.indexOf(0, start);
    if (nul < 0 || nul >= this.end) this.fail('string without terminating NUL (truncated?)');
    this.offset = nul + 1;
    return utf8.decode(this.bytes.subarray(start, nul));
  }

  /** A section offset: 4 bytes in 32-bit DWARF, 8 in 64-bit DWARF. */
  offsetOf(offsetSize: 4 | 8): number {
    return offsetSize === 4 ? this.u32() : this.u64();
  }
}

/**
 * Reads a unit's initial length field. Returns the unit's end and its offset size; fails on
 * the reserved values 0xfffffff0..0xfffffffe and on a unit that runs past `r.end`.
 */
export function readUnitLength(r: DwarfReader): { end: number; offsetSize: 4 | 8 } {
  const at = r.offset;
  let length = r.u32();
  let offsetSize: 4 | 8 = 4;
  if (length === 0xffffffff) {
    length = r.u64();
    offsetSize = 8;
  } else if (length >= 0xfffffff0) {
    r.fail(`reserved unit length 0x${length.toString(16)}`, at);
  }
  const end = r.offset + length;
  if (end > r.end) r.fail(`unit length 0x${length.toString(16)} runs past the end of the section (truncated?)`, at);
  return { end, offsetSize };
}

/**
 * The start of the unit at `r.offset` (`.debug_info` or `.debug_line`, DWARF 2-5): its offset,
 * a reader over the unit positioned after its version, its offset size, end and version. Leaves
 * `r` at the unit's end. `what` names the unit in the error for a version outside 2-5.
 */
export function readUnitStart(r: DwarfReader, what: string): { offset: number; unit: DwarfReader; offsetSize: 4 | 8; end: number; version: number } {
  const offset = r.offset;
  const { end, offsetSize } = readUnitLength(r);
  const unit = r.slice(r.offset, end);
  r.offset = end;
  const versionAt = unit.offset;
  const version = unit.u16();
  if (version < 2 || version > 5) unit.fail(`unsupported ${what} version ${version}`, versionAt);
  return { offset, unit, offsetSize, end, version };
}

/** The NUL-terminated string at `offset` of a string section (`.debug_str`, `.debug_line_str`). */
export function stringAt(section: Uint8Array | undefined, name: string, offset: number): string {
  if (section === undefined) throw new DwarfFormatError(name, offset, `section is missing but referenced`);
  return new DwarfReader(section, name, offset).cstring();
}
