/**
 * The module's globals: value type, mutability and, where the initializer is a single constant,
 * the initial value as little-endian bytes. Reads the import and global sections of the original
 * module; anything it cannot evaluate (imported globals, `global.get`, extended constant
 * expressions) is reported as unknown rather than guessed.
 */
import { ByteReader } from '../../src/wasm/byteReader.js';

/** One global of the module (imported ones first, as in the Wasm index space). */
export interface GlobalDecl {
  readonly type: string;
  readonly mutable: boolean;
  /** Initial value bytes for a constant initializer, else null. */
  readonly initial: Uint8Array | null;
}

const TYPES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

/** Decodes the globals of `bytes` (a valid module: V8 compiled it when it was recorded). */
export function readGlobals(bytes: Uint8Array): GlobalDecl[] {
  const r = new ByteReader(bytes, 8);
  const out: GlobalDecl[] = [];
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    const end = r.offset + size;
    const s = new ByteReader(bytes, r.offset, end);
    if (id === 2) {
      for (let n = s.u32(), i = 0; i < n; i++) {
        s.name();
        s.name();
        const kind = s.u8();
        if (kind === 0) s.u32();
        else if (kind === 1) { valType(s); limits(s); }
        else if (kind === 2) limits(s);
        else if (kind === 3) out.push({ type: valType(s), mutable: s.u8() === 1, initial: null });
        else { s.u8(); s.u32(); }
      }
    } else if (id === 6) {
      for (let n = s.u32(), i = 0; i < n; i++) {
        const type = valType(s);
        const mutable = s.u8() === 1;
        out.push({ type, mutable, initial: constantInit(s, bytes) });
      }
    }
    r.offset = end;
  }
  return out;
}

function valType(r: ByteReader): string {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) { r.s33(); return 'ref'; }
  return TYPES[b] ?? 'ref';
}

function limits(r: ByteReader): void {
  const flags = r.u8();
  const wide = (flags & 4) !== 0;
  wide ? r.u64() : r.u32();
  if (flags & 1) wide ? r.u64() : r.u32();
  if (flags & 8) r.u32();
}

/** `i32.const`/`i64.const`/`f32.const`/`f64.const`/`v128.const` then `end`: its bytes; else null (skipped). */
function constantInit(r: ByteReader, bytes: Uint8Array): Uint8Array | null {
  const op = r.u8();
  let value: Uint8Array | null = null;
  if (op === 0x41 || op === 0x42) {
    const v = r.s64();
    value = new Uint8Array(op === 0x41 ? 4 : 8);
    const view = new DataView(value.buffer);
    if (op === 0x41) view.setInt32(0, Number(v), true);
    else view.setBigInt64(0, v, true);
  } else if (op === 0x43 || op === 0x44) {
    const n = op === 0x43 ? 4 : 8;
    value = bytes.slice(r.offset, r.offset + n);
    r.offset += n;
  } else if (op === 0xfd && r.u32() === 12) {
    value = bytes.slice(r.offset, r.offset + 16);
    r.offset += 16;
  }
  if (value !== null && bytes[r.offset] === 0x0b) {
    r.offset++;
    return value;
  }
  skipToEnd(r, bytes, op);
  return null;
}

/** Skips the rest of a constant expression (`first`: its first opcode, already read) this decoder does not evaluate. */
export function skipToEnd(r: ByteReader, bytes: Uint8Array, first: number): void {
  let op = first;
  for (;;) {
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x42) r.s64();
    else if (op === 0x43) r.offset += 4;
    else if (op === 0x44) r.offset += 8;
    else if (op === 0x23 || op === 0xd2) r.u32(); // global.get, ref.func
    else if (op === 0xd0) valType(r); // ref.null heap type (one byte or s33)
    else if (op === 0xfd) { r.u32(); r.offset += 16; }
    else if (op === 0xfb) r.u32(); // GC constant instructions with one immediate
    op = r.u8();
    if (r.offset > bytes.length) return;
  }
}
