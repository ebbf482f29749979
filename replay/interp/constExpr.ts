/**
 * Constant expressions (global initializers, segment offsets, element items): decoded into a
 * short list of operations, evaluated on demand against the instance's globals. Supports the
 * MVP and reference-types forms (`*.const`, `global.get`, `ref.null`, `ref.func`) and the
 * extended-constant arithmetic (`i32/i64.add/sub/mul`).
 */
import { ByteReader } from '../../src/wasm/byteReader.js';
import { UnsupportedInstructionError } from './errors.js';
import type { Value } from './types.js';

/** One operation of a constant expression. */
export type ConstOp =
  | { readonly op: 'i32.const'; readonly value: number }
  | { readonly op: 'i64.const'; readonly value: bigint }
  | { readonly op: 'f32.const'; readonly bits: number }
  | { readonly op: 'f64.const'; readonly bits: bigint }
  | { readonly op: 'global.get'; readonly index: number }
  | { readonly op: 'ref.null'; readonly refType: number }
  | { readonly op: 'ref.func'; readonly index: number }
  | { readonly op: ArithOp };

export type ConstExpr = readonly ConstOp[];

type ArithOp = 'i32.add' | 'i32.sub' | 'i32.mul' | 'i64.add' | 'i64.sub' | 'i64.mul';
const ARITH: Record<number, ArithOp> = { 0x6a: 'i32.add', 0x6b: 'i32.sub', 0x6c: 'i32.mul', 0x7c: 'i64.add', 0x7d: 'i64.sub', 0x7e: 'i64.mul' };

/** Reads a constant expression through its `end`. */
export function readConstExpr(r: ByteReader): ConstExpr {
  const ops: ConstOp[] = [];
  for (;;) {
    const at = r.offset;
    const op = r.u8();
    switch (op) {
      case 0x0b: return ops;
      case 0x41: ops.push({ op: 'i32.const', value: r.s32() }); break;
      case 0x42: ops.push({ op: 'i64.const', value: r.s64() }); break;
      case 0x43: ops.push({ op: 'f32.const', bits: r.u32le() }); break;
      case 0x44: {
        const lo = BigInt(r.u32le());
        const hi = BigInt(r.u32le());
        ops.push({ op: 'f64.const', bits: (hi << 32n) | lo });
        break;
      }
      case 0x23: ops.push({ op: 'global.get', index: r.u32() }); break;
      case 0xd0: ops.push({ op: 'ref.null', refType: r.u8() }); break;
      case 0xd2: ops.push({ op: 'ref.func', index: r.u32() }); break;
      default: {
        const arith = ARITH[op];
        if (!arith) throw new UnsupportedInstructionError(`constant opcode 0x${op.toString(16)}`, at, 'outside MVP, reference types and extended constants');
        ops.push({ op: arith });
      }
    }
  }
}

/** How an evaluation reads the instance: globals (imported ones included) and function references. */
export interface ConstContext {
  global(index: number): Value;
  funcRef(index: number): Value;
}

/** Evaluates `expr`; the result is the one value left on its stack. */
export function evalConstExpr(expr: ConstExpr, ctx: ConstContext): Value {
  const stack: Value[] = [];
  for (const o of expr) {
    switch (o.op) {
      case 'i32.const': stack.push({ type: 'i32', value: o.value }); break;
      case 'i64.const': stack.push({ type: 'i64', value: o.value }); break;
      case 'f32.const': stack.push({ type: 'f32', bits: o.bits }); break;
      case 'f64.const': stack.push({ type: 'f64', bits: o.bits }); break;
      case 'global.get': stack.push(ctx.global(o.index)); break;
      case 'ref.null': stack.push({ type: 'ref', refType: o.refType, isNull: true }); break;
      case 'ref.func': stack.push(ctx.funcRef(o.index)); break;
      default: {
        const b = stack.pop()!;
        const a = stack.pop()!;
        if (a.type === 'i32' && b.type === 'i32') {
          const v = o.op === 'i32.add' ? a.value + b.value : o.op === 'i32.sub' ? a.value - b.value : Math.imul(a.value, b.value);
          stack.push({ type: 'i32', value: v | 0 });
        } else if (a.type === 'i64' && b.type === 'i64') {
          const v = o.op === 'i64.add' ? a.value + b.value : o.op === 'i64.sub' ? a.value - b.value : a.value * b.value;
          stack.push({ type: 'i64', value: BigInt.asIntN(64, v) });
        }
      }
    }
  }
  if (stack.length !== 1) throw new Error(`constant expression left ${stack.length} values`);
  return stack[0];
}
