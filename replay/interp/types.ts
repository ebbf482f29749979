/**
 * The contract between the activation interpreter (`replay/interp/`) and whoever drives it (the
 * replay engine, or a test that interprets a whole program). The interpreter executes the
 * ORIGINAL instructions of one function activation, counting time exactly by the rules of
 * docs/instrumentation.md ("Time"); everything outside the activation (callees, imports, linear
 * memory as the rest of the program changes it, globals, tables) is the host's.
 */
import type { DetailValue } from '../../instrument/index.js';

/** A Wasm value, in the same shape the detail events use (floats as their exact IEEE bits). */
export type Value = DetailValue;

/** One entry of the control stack: a `block`, `loop`, `if`/`else` or the function body itself. */
export interface Label {
  /** `block`, `loop`, `if`, `function`. */
  readonly kind: 'block' | 'loop' | 'if' | 'function';
  /** Original offset of the instruction that opened it (for `function`: the first instruction). */
  readonly pc: number;
  /** Operand stack height below the label's parameters when it was entered. */
  readonly height: number;
}

/**
 * The state of one activation between two instructions. `time` is the executed-instruction
 * count of the whole program so far; `pc` is the original offset of the next instruction that
 * will execute (and count). Plain data: the engine clones it to keep checkpoints.
 */
export interface ActivationState {
  readonly funcIndex: number;
  time: bigint;
  pc: number;
  /** Parameters first, then declared locals. */
  readonly locals: Value[];
  /** The operand stack, bottom first. */
  readonly stack: Value[];
  /** Outermost (the function) first. */
  readonly labels: Label[];
}

/** What a call instruction asks the host to do. */
export type CallTarget =
  | { readonly kind: 'direct'; readonly funcIndex: number }
  | { readonly kind: 'indirect'; readonly typeIndex: number; readonly tableIndex: number; readonly elementIndex: number };

/** The host's answer to a call. */
export interface CallOutcome {
  /** The callee's results in declared order. */
  readonly results: readonly Value[];
  /**
   * The program's time after the callee returned: the time of the callee's returning
   * instruction (for an import: the time of the call instruction itself, imports execute none).
   */
  readonly time: bigint;
}

/**
 * Everything an activation touches outside its own locals and operand stack. Times passed in
 * are the time of the instruction asking (already counted).
 */
export interface ActivationHost {
  /**
   * True when the host already knows every write the activation makes (the replay engine reads
   * them from detail events): `memory(time)` then already holds the effects of the instruction
   * at `time`, and the interpreter must NOT perform stores, fills, copies or inits itself (it
   * still checks bounds and traps). False or absent: the interpreter writes them.
   */
  readonly knowsWrites?: boolean;
  /**
   * Linear memory 0 as the program had it just before the instruction at `time` executed
   * (after `time - 1` instructions). The interpreter reads loads from it and writes its own
   * stores, fills and copies into it; the array may be replaced after `grow` or a call, so ask
   * again rather than keeping it.
   */
  memory(time: bigint): Uint8Array;
  /** `memory.grow` by `pages` at `time`: the old size in pages, or -1 on failure. */
  grow(time: bigint, pages: number): number;
  globalGet(time: bigint, index: number): Value;
  globalSet(time: bigint, index: number, value: Value): void;
  /**
   * A `call`/`call_indirect` (the instruction at `time`, already counted) with its arguments.
   * Throws `TrapError` if the callee trapped (or the indirect call traps); the interpreter
   * lets it propagate.
   */
  call(time: bigint, target: CallTarget, args: readonly Value[]): CallOutcome;
}

/** Why `run` stopped. */
export type StopReason =
  /** `state.time` reached the requested time; `state.pc` is the next instruction. */
  | { readonly kind: 'time' }
  /** The activation returned (its final `end`, `return`, or a branch to its label). */
  | { readonly kind: 'return'; readonly results: readonly Value[] }
  /** `stopBeforeCall` was set and the instruction at `state.pc` is a call; nothing executed for it yet. */
  | { readonly kind: 'call' };

/**
 * Added with the interpreter (everything above is the fixed contract).
 */

/**
 * A reference value as the interpreter produces and expects it: `Value`'s `ref` shape plus an
 * identity, a number >= 0 the host chooses: for a `funcref`, what `TableHost.funcRef` gives
 * (by default the module's function index), for an `externref`, any id. Absent (or ignored)
 * when `isNull`. A non-null reference without `ref` reads as 0. The interpreter never looks
 * inside: it only moves references, tests them for null and hands them to the host.
 */
export interface RefValue {
  readonly type: 'ref';
  /** 0x70 funcref, 0x6f externref. */
  readonly refType: number;
  readonly isNull: boolean;
  readonly ref?: number;
}

/**
 * Tables, for hosts that have them (`table.*`, `elem.drop`). Optional: an activation that
 * executes one of those instructions against a host without the method throws
 * `UnsupportedInstructionError`. `call_indirect` needs none of them (it goes to `call`).
 * Out-of-range accesses are the host's to check: it throws `TrapError('out of bounds table
 * access')`, and the interpreter treats the instruction as not executed (see `run`).
 */
export interface TableHost {
  tableGet?(time: bigint, table: number, index: number): Value;
  tableSet?(time: bigint, table: number, index: number, value: Value): void;
  tableSize?(time: bigint, table: number): number;
  /** The old size, or -1 when the table cannot grow by `delta`. */
  tableGrow?(time: bigint, table: number, init: Value, delta: number): number;
  tableFill?(time: bigint, table: number, index: number, value: Value, count: number): void;
  tableCopy?(time: bigint, destTable: number, sourceTable: number, dest: number, source: number, count: number): void;
  tableInit?(time: bigint, table: number, element: number, dest: number, source: number, count: number): void;
  elemDrop?(time: bigint, element: number): void;
  /**
   * The `ref` that `ref.func funcIndex` produces. Without it, the function index itself. A host
   * whose references must identify functions across instances (`ProgramHost`) numbers them here.
   */
  funcRef?(funcIndex: number): number;
}

/** Why `run` stopped, beyond `StopReason`'s first three kinds. */
export type MoreStopReasons =
  /** `maxInstructions` of this activation were executed (and `untilTime` was not reached). */
  | { readonly kind: 'limit' }
  /** `onInstruction` returned true for the instruction at `state.pc`; it has not executed. */
  | { readonly kind: 'hook' };

/**
 * Optional, for hosts that answer some calls by interpreting a function of the same
 * `ModuleCode` with themselves as host (as `ProgramHost` does). The interpreter then runs such
 * a callee itself, in its own loop and slots, without building `Value`s: same results, same
 * time, much faster, and recursion is not limited by the JS stack.
 */
export interface InlineCallHost {
  /**
   * For a call to `target`: the index of the defined function the host would interpret for it,
   * starting at the call's time, to completion and with this host; or -1 to have the
   * interpreter go through `call`. May throw what `call` would (a `TrapError` for a failed
   * `call_indirect`), and must have no other effect.
   */
  interpretedCallee?(target: CallTarget): number;
  /**
   * How deep callees may nest inline before the call traps with `call stack exhausted`
   * (default 1,000,000). Inline callees do not use the JS stack.
   */
  readonly maxInlineDepth?: number;
}
