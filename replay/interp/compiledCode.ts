/**
 * A compiled function: what compileFunction.ts produces and the interpreter runs.
 *
 * Word layout by instruction (word 0 is the internal opcode, see opcodes.ts):
 * - `if`: 1 = code index (word) to continue at when false (past `else`, or past `end`);
 * - `else`: 1 = code index past the matching `end`;
 * - `br`/`br_if`: 1 = target code index, 2 = label height, 3 = arity (`BR_RETURN`,
 *   `BR_IF_RETURN`, `return` and `END_FUNC`: 3 = result count);
 * - `br_table`: 1 = offset of its entries in `brTables` (3 words each: target code index or -1
 *   for the function's label, height, arity), 2 = number of labels before the default;
 * - `call`, `return_call`: 1 = function, 2 = parameter count, 3 = result count;
 *   `call_indirect`, `return_call_indirect`: 1 = type index, 2 = table, 3 = parameter count;
 * - locals, globals, tables, `ref.func`, data and element segments: 1 = index;
 * - loads/stores: 1 = static offset (as int32; read it `>>> 0`);
 * - constants: 1 = low 32 bits, 2 = high 32 bits (`i64`/`f64`).
 */
import type { Label } from './types.js';
import type { FuncType } from './valueTypes.js';

/** A function ready to run. */
export interface CompiledFunction {
  readonly funcIndex: number;
  /** Four words per instruction (see the file comment). */
  readonly code: Int32Array;
  /** Original offset of each instruction. */
  readonly pcs: Int32Array;
  /** Original opcode of each instruction (the byte, or `0xfc00 | n`). */
  readonly opcodes: Int32Array;
  /** Operand stack height before each instruction; -1 where the validator saw unreachable code. */
  readonly heights: Int32Array;
  readonly brTables: Int32Array;
  /** For `block`/`loop`/`if` (by instruction index): the index of the matching `end`; else -1. */
  readonly ends: Int32Array;
  /** For an `if` with an `else`: the index of the `else`; else -1. */
  readonly elses: Int32Array;
  readonly paramCount: number;
  /** Parameters then declared locals. */
  readonly localTypes: Uint8Array;
  readonly type: FuncType;
  /** The highest the operand stack gets. */
  readonly maxHeight: number;
  readonly instructionCount: number;
  /** Validator states every `CHECKPOINT_EVERY` instructions, so that `typesAt` walks at most that far. */
  readonly checkpoints: readonly WalkCheckpoint[];
}

/** The validator's state before instruction `count` (at byte `offset`). */
export interface WalkCheckpoint {
  readonly count: number;
  readonly offset: number;
  readonly vals: readonly number[];
  readonly ctls: readonly Ctl[];
}

export const CHECKPOINT_EVERY = 32;

/** The labels and operand stack types before one instruction. */
export interface TypesAt {
  readonly stack: readonly number[];
  readonly labels: readonly Label[];
}

/** Control frame kinds (indices into KIND_NAMES). */
export const Kind = { Block: 0, Loop: 1, If: 2, Func: 3 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];
export const KIND_NAMES = ['block', 'loop', 'if', 'function'] as const;

/** One control frame of the validator (a label at run time). */
export interface Ctl {
  readonly kind: Kind;
  /** Instruction index of the opener (for the function: 0). */
  readonly opener: number;
  readonly pc: number;
  readonly height: number;
  readonly params: readonly number[];
  readonly results: readonly number[];
  unreachable: boolean;
  /** Code words (>= 0) or ~brTables entries (< 0) waiting for the index past this label's `end`. */
  readonly fixups: number[];
  /** `if` without an `else` seen yet: its instruction index; else -1. */
  ifAt: number;
}

