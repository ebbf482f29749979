/**
 * The slots the interpreter computes in: one growable buffer of 8-byte slots per `ModuleCode`,
 * seen through five typed views. A running activation owns slots [fp, fp + locals + max stack
 * height); a nested activation (a callee run by the host) takes the slots above, and gives them
 * back when it returns. Every value lives in one slot, by its exact bits:
 * - `i32`: the low word (`i32[2s]`), the high word is garbage;
 * - `f32`: its IEEE bits in the low word (arithmetic reads them through `f32[2s]`);
 * - `i64`, `f64`: both words (`i64[s]`, `f64[s]`, or the two int32 words);
 * - references: the low word, -1 for null, else the function index or extern id.
 * Moving a value copies two int32 words, whatever its type, so NaN payloads never pass through
 * a JS number on their way.
 */
import type { RefValue, Value } from './types.js';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, typeName } from './valueTypes.js';

export class ValueStack {
  i32!: Int32Array;
  f32!: Float32Array;
  f64!: Float64Array;
  i64!: BigInt64Array;
  u64!: BigUint64Array;
  /** First free slot. */
  top = 0;

  constructor(slots = 1 << 12) {
    this.setBuffer(new ArrayBuffer(slots * 8));
  }

  get capacity(): number {
    return this.f64.length;
  }

  /** Makes room for `slots` more slots above `top`; the views change if it grows. */
  reserve(slots: number): void {
    if (this.top + slots <= this.capacity) return;
    let size = this.capacity * 2;
    while (size < this.top + slots) size *= 2;
    const old = this.i32;
    this.setBuffer(new ArrayBuffer(size * 8));
    this.i32.set(old);
  }

  private setBuffer(b: ArrayBuffer): void {
    this.i32 = new Int32Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
    this.i64 = new BigInt64Array(b);
    this.u64 = new BigUint64Array(b);
  }

  /** Writes `v` into slot `s`. */
  write(s: number, v: Value): void {
    switch (v.type) {
      case 'i32': this.i32[s << 1] = v.value; break;
      case 'f32': this.i32[s << 1] = v.bits; break;
      case 'i64': this.i64[s] = v.value; break;
      case 'f64': this.u64[s] = v.bits; break;
      case 'ref': this.i32[s << 1] = v.isNull ? -1 : ((v as RefValue).ref ?? 0); break;
      default: throw new Error(`the interpreter cannot hold a ${v.type} value`);
    }
  }

  /** Reads slot `s` as a value of type `type` (a type code). */
  read(s: number, type: number): Value {
    switch (type) {
      case I32: return { type: 'i32', value: this.i32[s << 1] };
      case F32: return { type: 'f32', bits: this.i32[s << 1] >>> 0 };
      case I64: return { type: 'i64', value: this.i64[s] };
      case F64: return { type: 'f64', bits: this.u64[s] };
      case FUNCREF: case EXTERNREF: {
        const r = this.i32[s << 1];
        if (r === -1) return { type: 'ref', refType: type, isNull: true };
        const v: RefValue = { type: 'ref', refType: type, isNull: false, ref: r };
        return v;
      }
      default: throw new Error(`cannot read a slot as ${typeName(type)}`);
    }
  }

  /** Reads `types.length` slots from `s` upward. */
  readAll(s: number, types: ArrayLike<number>): Value[] {
    const out = new Array<Value>(types.length);
    for (let k = 0; k < types.length; k++) out[k] = this.read(s + k, types[k]);
    return out;
  }
}
