/**
 * Which instructions detail mode `full` logs (the store table and the memory/global opcodes
 * by `Instruction.code`), and the scratch locals each function needs to log them: chosen per
 * function, only what its instructions need (detailEmitter.ts uses them).
 */
import type { Instruction } from './codeDecoder.js';
import { ValType } from './eventWriter.js';

export interface StoreShape {
  /** Bytes the store writes. */
  readonly width: number;
  /** Type of the stored operand. */
  readonly type: number;
  /** Lane stores carry a lane byte after the memarg. */
  readonly lane: boolean;
}

function shape(width: number, type: number, lane = false): StoreShape {
  return { width, type, lane };
}

/** Store instructions by `Instruction.code`. */
export const STORES: ReadonlyMap<number, StoreShape> = new Map([
  [0x36, shape(4, ValType.i32)], // i32.store
  [0x37, shape(8, ValType.i64)], // i64.store
  [0x38, shape(4, ValType.f32)], // f32.store
  [0x39, shape(8, ValType.f64)], // f64.store
  [0x3a, shape(1, ValType.i32)], // i32.store8
  [0x3b, shape(2, ValType.i32)], // i32.store16
  [0x3c, shape(1, ValType.i64)], // i64.store8
  [0x3d, shape(2, ValType.i64)], // i64.store16
  [0x3e, shape(4, ValType.i64)], // i64.store32
  [0xfd000b, shape(16, ValType.v128)], // v128.store
  [0xfd0058, shape(1, ValType.v128, true)], // v128.store8_lane
  [0xfd0059, shape(2, ValType.v128, true)],
  [0xfd005a, shape(4, ValType.v128, true)],
  [0xfd005b, shape(8, ValType.v128, true)],
]);

export const CODE_MEMORY_GROW = 0x40;
export const CODE_MEMORY_INIT = 0xfc08;
export const CODE_MEMORY_COPY = 0xfc0a;
export const CODE_MEMORY_FILL = 0xfc0b;
export const CODE_GLOBAL_SET = 0x24;

/** `(ref ht)` cannot be a defaultable local: its stash local is `(ref null ht)`, pushed back with `ref.as_non_null`. */
export const NON_NULLABLE_REF = 0x64;
const NULLABLE_REF = 0x63;
export const REF_AS_NON_NULL = 0xd4;

const NUMERIC = new Set<number>([ValType.i32, ValType.i64, ValType.f32, ValType.f64, ValType.v128]);

/** Indices of a function's scratch locals (-1: not declared, the function does not need it). */
export interface ScratchLocals {
  /** i32: the event's address in the event memory. */
  readonly p: number;
  /** i64: the event's time (every function logs an enter). */
  readonly n: number;
  /** i32 scratch: an address or destination; a value or condition; a size. */
  readonly a: number;
  readonly b: number;
  readonly x: number;
  readonly i64: number;
  readonly f32: number;
  readonly f64: number;
  readonly v128: number;
  /** One local per result, of the result's type (nullable for a non-nullable reference): results stashed at an exit. */
  readonly results: readonly number[];
  /** i64: the frame's enter time (functions with exception handlers or snapshots only). */
  readonly entry: number;
  /** i32: the frame's call depth `D` (functions with handlers, in modules that keep `D`). */
  readonly depth: number;
  /** i64: `S - T`, what `c` must reach for a snapshot (functions with snapshot loops only; snapshotEmitter.ts). */
  readonly snapshotLimit: number;
}

/** The scratch local for a value type (i32 values use `b`). */
export function scratchFor(s: ScratchLocals, type: number): number {
  const local = type === ValType.i32 ? s.b : type === ValType.i64 ? s.i64 : type === ValType.f32 ? s.f32
    : type === ValType.f64 ? s.f64 : type === ValType.v128 ? s.v128 : -1;
  if (local < 0) throw new Error(`no scratch local for type 0x${type.toString(16)}`);
  return local;
}

/**
 * Chooses the scratch locals one function needs, numbered from `first` (just after the counter),
 * and their declarations as (count, type) groups. Only what is needed: every extra local costs a
 * stack slot in V8's baseline tier (Liftoff), and deep recursion feels that.
 */
export function scratchLocals(
  instructions: readonly Instruction[],
  globalTypes: readonly number[],
  first: number,
  results: readonly Uint8Array[] = [],
  keepsDepth = false,
  snapshots = false,
): { locals: ScratchLocals; decls: [number, Uint8Array][] } {
  const need = new Set<string>(['p', 'n']);
  const handlers = instructions.some((i) => i.name === 'catch' || i.name === 'catch_all' || (i.name === 'try_table' && (i.labels?.length ?? 0) > 0));
  const entry = handlers || snapshots;
  const value = (type: number) => need.add(type === ValType.i32 ? 'b' : type === ValType.i64 ? 'i64' : type === ValType.f32 ? 'f32' : type === ValType.f64 ? 'f64' : 'v128');
  for (const ins of instructions) {
    const store = STORES.get(ins.code);
    if (store) {
      need.add('a');
      value(store.type);
    } else if (ins.code === CODE_GLOBAL_SET) {
      if (NUMERIC.has(globalTypes[ins.index])) value(globalTypes[ins.index]);
    } else if (ins.code === CODE_MEMORY_GROW) {
      need.add('a').add('b');
    } else if (ins.code === CODE_MEMORY_FILL || ins.code === CODE_MEMORY_COPY || ins.code === CODE_MEMORY_INIT) {
      need.add('a').add('b').add('x');
    } else if (ins.name === 'br_if' || ins.name === 'br_table') {
      need.add('b');
    }
  }
  const order: [keyof ScratchLocals, number][] = [
    ['p', ValType.i32], ['n', ValType.i64], ['a', ValType.i32], ['b', ValType.i32], ['x', ValType.i32],
    ['i64', ValType.i64], ['f32', ValType.f32], ['f64', ValType.f64], ['v128', ValType.v128],
  ];
  if (entry) order.push(['entry', ValType.i64]);
  if (handlers && keepsDepth) order.push(['depth', ValType.i32]);
  if (snapshots) order.push(['snapshotLimit', ValType.i64]);
  const locals: Record<string, number | number[]> = {};
  const decls: [number, Uint8Array][] = [];
  let next = first;
  for (const [name, type] of order) {
    if (need.has(name) || name === 'entry' || name === 'depth' || name === 'snapshotLimit') {
      locals[name] = next++;
      decls.push([1, new Uint8Array([type])]);
    } else {
      locals[name] = -1;
    }
  }
  if (!entry) locals.entry = -1;
  if (!(handlers && keepsDepth)) locals.depth = -1;
  if (!snapshots) locals.snapshotLimit = -1;
  locals.results = results.map((t) => {
    decls.push([1, t[0] === NON_NULLABLE_REF ? new Uint8Array([NULLABLE_REF, ...t.subarray(1)]) : t]);
    return next++;
  });
  return { locals: locals as unknown as ScratchLocals, decls };
}
