/**
 * How many operands each straight-line instruction pops and pushes: the table behind the
 * operand-stack height analysis of `snapshotStackHeight.ts`. Structured control (`block`,
 * `loop`, `if`, `else`, `end`, `try`, `catch`, ...) and instructions after which the stack is
 * polymorphic (`br`, `br_table`, `return`, `unreachable`, throws, tail calls) are the analysis's
 * business, not this table's. Counts only: types are not needed for heights.
 *
 * It answers `undefined` for anything it does not know (an opcode outside the table, a call
 * whose type is out of range); the analysis then refuses to tell heights until the enclosing
 * block ends. Checked against the core spec suite's modules by
 * test/instrument/snapshotStackHeight.test.ts.
 */
import type { Instruction } from './codeDecoder.js';

/** Operands popped and pushed by one instruction. */
export interface StackEffect {
  readonly pop: number;
  readonly push: number;
}

/** What calls need: parameter and result counts by type index, and each function's type. */
export interface FunctionSignatures {
  /** Parameter and result counts of every type index. */
  readonly types: readonly { readonly params: number; readonly results: number }[];
  /** Type index of every function, imported functions first (the function index space). */
  readonly functionTypes: readonly number[];
}

const effect = (pop: number, push: number): StackEffect => ({ pop, push });
const UNARY = effect(1, 1);
const BINARY = effect(2, 1);
const PUSH = effect(0, 1);
const NONE = effect(0, 0);

/** Single-byte opcodes whose effect does not depend on immediates. */
const SINGLE: ReadonlyMap<number, StackEffect> = new Map<number, StackEffect>([
  [0x01, NONE], // nop
  [0x0d, effect(1, 0)], // br_if: the condition (the rest stays for the fall-through)
  [0x1a, effect(1, 0)], // drop
  [0x1b, effect(3, 1)], // select
  [0x1c, effect(3, 1)], // select t*
  [0x20, PUSH], // local.get
  [0x21, effect(1, 0)], // local.set
  [0x22, UNARY], // local.tee
  [0x23, PUSH], // global.get
  [0x24, effect(1, 0)], // global.set
  [0x25, UNARY], // table.get
  [0x26, effect(2, 0)], // table.set
  [0x3f, PUSH], // memory.size
  [0x40, UNARY], // memory.grow
  [0xd0, PUSH], // ref.null
  [0xd1, UNARY], // ref.is_null
  [0xd2, PUSH], // ref.func
  ...range(0x28, 0x35, UNARY), // loads
  ...range(0x36, 0x3e, effect(2, 0)), // stores
  ...range(0x41, 0x44, PUSH), // constants
  [0x45, UNARY], // i32.eqz
  ...range(0x46, 0x4f, BINARY), // i32 comparisons
  [0x50, UNARY], // i64.eqz
  ...range(0x51, 0x66, BINARY), // i64, f32, f64 comparisons
  ...range(0x67, 0x69, UNARY), // i32.clz ctz popcnt
  ...range(0x6a, 0x78, BINARY),
  ...range(0x79, 0x7b, UNARY), // i64.clz ctz popcnt
  ...range(0x7c, 0x8a, BINARY),
  ...range(0x8b, 0x91, UNARY), // f32.abs .. sqrt
  ...range(0x92, 0x98, BINARY),
  ...range(0x99, 0x9f, UNARY), // f64.abs .. sqrt
  ...range(0xa0, 0xa6, BINARY),
  ...range(0xa7, 0xc4, UNARY), // conversions, reinterpretations, sign extension
]);

/** 0xFC-prefixed opcodes by their sub-opcode. */
const PREFIX_FC: readonly StackEffect[] = [
  UNARY, UNARY, UNARY, UNARY, UNARY, UNARY, UNARY, UNARY, // trunc_sat
  effect(3, 0), // memory.init
  NONE, // data.drop
  effect(3, 0), // memory.copy
  effect(3, 0), // memory.fill
  effect(3, 0), // table.init
  NONE, // elem.drop
  effect(3, 0), // table.copy
  effect(2, 1), // table.grow
  PUSH, // table.size
  effect(3, 0), // table.fill
];

function range(from: number, to: number, e: StackEffect): [number, StackEffect][] {
  const out: [number, StackEffect][] = [];
  for (let op = from; op <= to; op++) out.push([op, e]);
  return out;
}

const SIMD_UNARY_NAME = /\.(abs|neg|popcnt|all_true|any_true|bitmask|ceil|floor|trunc|nearest|sqrt|not)$|\.(extend_|extadd_pairwise_|convert_|demote_|promote_|trunc_sat_|splat$|extract_lane)/;

/** A SIMD instruction's effect, by sub-opcode and (for the arithmetic groups) its name. */
function simdEffect(sub: number, name: string): StackEffect {
  if (sub <= 0x0a || sub === 0x5c || sub === 0x5d) return UNARY; // loads: address -> v128
  if (sub === 0x0b) return effect(2, 0); // v128.store
  if (sub === 0x0c) return PUSH; // v128.const
  if (sub === 0x52) return effect(3, 1); // v128.bitselect
  if (sub >= 0x54 && sub <= 0x57) return BINARY; // load lane: address, v128 -> v128
  if (sub >= 0x58 && sub <= 0x5b) return effect(2, 0); // store lane
  return SIMD_UNARY_NAME.test(name) ? UNARY : BINARY; // shuffle, swizzle, replace_lane, shifts, narrow: binary
}

/**
 * The effect of a straight-line instruction, including `br_if` (its condition) and `call` /
 * `call_indirect` (by their types). `undefined`: not known here (a control instruction, an
 * opcode outside the table, or a type index out of range).
 */
export function stackEffect(ins: Instruction, signatures: FunctionSignatures): StackEffect | undefined {
  const { code } = ins;
  if (code === 0x10 || code === 0x11) {
    const typeIndex = code === 0x10 ? signatures.functionTypes[ins.index] : ins.index;
    const type = typeIndex === undefined ? undefined : signatures.types[typeIndex];
    if (!type) return undefined;
    return effect(type.params + (code === 0x11 ? 1 : 0), type.results);
  }
  if (code < 0x100) return SINGLE.get(code);
  if (code >= 0xfc00 && code < 0xfd00) return PREFIX_FC[code - 0xfc00];
  if (code >= 0xfd0000) return simdEffect(code - 0xfd0000, ins.name);
  return undefined;
}
