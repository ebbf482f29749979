/**
 * The interpreter's errors: a trap of the interpreted program (`TrapError`), an instruction or
 * feature it does not execute (`UnsupportedInstructionError`), and a state that does not fit
 * the function it claims to be in (`InterpStateError`, a bug in the caller).
 */
import { ExitCode, WtraceError } from '../../src/errors.js';

/**
 * What trapped, worded as the WebAssembly spec's test suite words it (`assert_trap` texts), so
 * that a trap compares to the spec's expectation as is:
 * - `unreachable`: the `unreachable` instruction;
 * - `integer divide by zero`: `div`/`rem` by 0;
 * - `integer overflow`: `div_s` of the minimum by -1; a float-to-int `trunc` out of range;
 * - `invalid conversion to integer`: a float-to-int `trunc` of NaN;
 * - `out of bounds memory access`: loads, stores, `memory.fill/copy/init` (also a dropped or
 *   too short data segment);
 * - `out of bounds table access`: `table.*` instructions (the host checks);
 * - `undefined element`, `uninitialized element`, `indirect call type mismatch`: `call_indirect`
 *   (the host checks);
 * - `call stack exhausted`: a host that runs out of stack (`ProgramHost`).
 */
export type TrapKind =
  | 'unreachable'
  | 'integer divide by zero'
  | 'integer overflow'
  | 'invalid conversion to integer'
  | 'out of bounds memory access'
  | 'out of bounds table access'
  | 'undefined element'
  | 'uninitialized element'
  | 'indirect call type mismatch'
  | 'call stack exhausted';

/** Where a trap happened: the innermost activation's function and instruction. */
export interface TrapLocation {
  readonly funcIndex: number;
  readonly pc: number;
  /** Instructions executed before the trapping one (the trapping instruction does not count). */
  readonly time: bigint;
}

/**
 * The interpreted program trapped. Thrown by `run` (located at the trapping instruction) or by
 * a host (`call` of a callee that trapped, `call_indirect` checks, table bounds); an error a host
 * throws without a location is located by the interpreter at the instruction that called the
 * host. Exit code: the recorded-program trap code (134).
 */
export class TrapError extends WtraceError {
  readonly kind: TrapKind;
  /** Null until located. */
  location: TrapLocation | null = null;

  constructor(kind: TrapKind, location?: TrapLocation) {
    super('trap', `wasm trap: ${kind}`, ExitCode.trap);
    this.kind = kind;
    if (location) this.locate(location);
  }

  /** Sets the location once (later calls do nothing: the innermost location wins). */
  locate(location: TrapLocation): void {
    if (this.location !== null) return;
    this.location = location;
    this.message = `wasm trap: ${this.kind} in function #${location.funcIndex} at pc 0x${location.pc.toString(16)} (time ${location.time})`;
  }
}

/**
 * The interpreter cannot execute an instruction or a module feature: SIMD (`0xfd`, and `v128`
 * values), exception handling, typed function references (`call_ref`, `br_on_null`, ...), GC,
 * atomics, a memory index other than 0, memory64, or a table instruction on a host without
 * tables. Thrown when a function is first prepared (for anything in its body, reachable or
 * not), when the module is decoded (for module features), or for a table instruction when it
 * executes (the state is then left before it). Exit code: bad input (3).
 */
export class UnsupportedInstructionError extends WtraceError {
  /** The instruction's mnemonic (or the feature's name). */
  readonly instruction: string;
  /** Original offset of the instruction, or -1 for a module-level feature. */
  readonly pc: number;

  constructor(instruction: string, pc: number, why: string) {
    const where = pc >= 0 ? ` at pc 0x${pc.toString(16)}` : '';
    super('unsupported-instruction', `the interpreter does not execute ${instruction}${where}: ${why}`, ExitCode.badInput);
    this.instruction = instruction;
    this.pc = pc;
  }
}

/**
 * An `ActivationState` that does not fit its function (wrong number of locals, a pc that is no
 * instruction of it, an operand stack of the wrong height), or a call on an imported function.
 * A bug in whoever built the state: exit code internal (70).
 */
export class InterpStateError extends WtraceError {
  constructor(message: string) {
    super('interp-state', message, ExitCode.internal);
  }
}
