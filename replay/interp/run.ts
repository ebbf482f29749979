/**
 * `run`: executes one activation from a known state until a requested time, a return, a call
 * (on request), an instruction budget or a hook says stop. It loads the state into slots, runs
 * the interpreter loop, and writes the state back, also when something is thrown.
 */
import { InterpStateError, TrapError } from './errors.js';
import { EXIT_CALL, EXIT_HOOK, EXIT_LIMIT, EXIT_RETURN, newFrame, type Frame, type Host, type InstructionHook } from './frame.js';
import { interpret } from './interpreter.js';
import type { ModuleCode } from './moduleCode.js';
import type { ActivationState, MoreStopReasons, StopReason } from './types.js';
import { hasType, typeName } from './valueTypes.js';

export interface RunOptions {
  /** Stop when `state.time` reaches this (before executing more); at once if it already has. */
  readonly untilTime?: bigint;
  /**
   * Stop before any call instruction (`call`, `call_indirect`, `return_call*`), with nothing of
   * it executed, except a call at the state's own pc when the run starts: a run resumed after a
   * `call` stop executes that call (through the host, or inline) and goes on.
   */
  readonly stopBeforeCall?: boolean;
  /** At most this many instructions of this activation (callees' do not count); then stop with `limit`. */
  readonly maxInstructions?: number;
  /**
   * Called before each instruction of this activation with its pc and the time before it
   * (`state.time`); returning true stops there with `hook`. Costs a BigInt per instruction.
   */
  readonly onInstruction?: InstructionHook;
}

/** Why `run` stopped: `StopReason`, or `limit` / `hook` (types.ts). */
export type RunStop = StopReason | MoreStopReasons;

/**
 * Executes the activation `state` of `code` with `host` answering everything outside it,
 * mutating `state` (including the arrays of `locals`, `stack` and `labels`, in place).
 *
 * Time: every executed instruction adds exactly 1 to `state.time`, by the rules of
 * docs/instrumentation.md ("Time"); a call instruction counts (time T) before `host.call(T, ...)`
 * runs the callee, and `state.time` then becomes the time the host says the callee returned at.
 *
 * After a stop, `state.pc` is the next instruction that will count and `state.stack` /
 * `state.labels` are what they are before it, except after `return`: then `state.pc` is the
 * returning instruction (`return`, the final `end`, the branch, or a tail call), `state.time`
 * counts it, `state.stack` holds the results and `state.labels` is empty.
 *
 * Throws: `TrapError` when the program traps (located at the trapping instruction); whatever
 * the host throws (`TrapError` from a callee or a failed `call_indirect`, an exit, ...);
 * `UnsupportedInstructionError` for a function it cannot run; `InterpStateError` for a state
 * that does not fit its function. On any throw after the state was loaded, `state` describes the
 * activation just before the instruction that threw: `state.pc` is that instruction, it is not
 * counted, and the stack still holds its operands (for a call that threw: the arguments). An
 * unlocated `TrapError` (from a host) is located at that instruction.
 *
 * Tail calls are a call followed by a return: the host runs the callee while this activation
 * waits, and the run ends with `return` and the callee's results.
 *
 * Host traffic: memory is asked for (`host.memory(time)`, with the asking instruction's time) at
 * the first instruction that needs it, and again after every call, `memory.grow`, and, when the
 * host `knowsWrites`, after every write. A host implementing `interpretedCallee` lets callees
 * run inline (no `call`). `run` is re-entrant: a host may run other activations of the same
 * `ModuleCode` from inside `call`. Do not resume a state after its `return` stop.
 */
export function run(code: ModuleCode, state: ActivationState, host: Host, options: RunOptions = {}): RunStop {
  const fn = code.compiledFunction(state.funcIndex);
  const index = code.indexOfPc(state.funcIndex, state.pc);
  checkState(code, state, index);
  const st = code.stack;
  const fp = st.top;
  const slots = fn.localTypes.length + fn.maxHeight + 1;
  st.reserve(slots);
  st.top = fp + slots;
  try {
    for (let i = 0; i < state.locals.length; i++) st.write(fp + i, state.locals[i]);
    const bp = fp + fn.localTypes.length;
    for (let i = 0; i < state.stack.length; i++) st.write(bp + i, state.stack[i]);
    const ip = index * 4;
    const op = fn.code[ip];
    const fr = newFrame(code, fn, host, fp, {
      ip, sp: bp + state.stack.length, t0: state.time,
      until: options.untilTime ?? null,
      maxLeft: options.maxInstructions ?? Infinity,
      stopCalls: options.stopBeforeCall === true,
      resumeCall: op >= 0x10 && op <= 0x13,
      hook: options.onInstruction ?? null,
    });
    let exit: number;
    try {
      exit = fr.hook === null ? interpret(fr) : interpretWithHook(fr, fr.hook);
    } catch (e) {
      writeBack(code, state, fr, false);
      if (e instanceof TrapError) e.locate({ funcIndex: state.funcIndex, pc: state.pc, time: state.time });
      throw e;
    }
    return stopReason(code, state, fr, exit);
  } finally {
    st.top = fp;
  }
}

/**
 * The loop one instruction at a time, asking `hook` before each: kept out of `interpret` so that
 * runs without a hook pay nothing for it.
 */
function interpretWithHook(fr: Frame, hook: InstructionHook): number {
  let left = fr.maxLeft;
  for (;;) {
    const time = fr.t0 + BigInt(fr.n);
    if ((fr.until !== null && time >= fr.until) || left <= 0) return EXIT_LIMIT;
    if (hook(fr.fn.pcs[fr.ip >> 2], time) === true) return EXIT_HOOK;
    fr.maxLeft = 1;
    const exit = interpret(fr);
    left -= 1;
    if (exit !== EXIT_LIMIT) return exit;
  }
}

function stopReason(code: ModuleCode, state: ActivationState, fr: Frame, exit: number): RunStop {
  if (exit === EXIT_RETURN) {
    const results = fr.fn.type.results;
    const values = code.stack.readAll(fr.sp - results.length, results);
    state.time = fr.t0 + BigInt(fr.n);
    state.pc = fr.fn.pcs[fr.ip >> 2];
    replaceAll(state.locals, code.stack.readAll(fr.fp, fr.fn.localTypes));
    replaceAll(state.stack, values);
    state.labels.length = 0;
    return { kind: 'return', results: values };
  }
  writeBack(code, state, fr, true);
  if (exit === EXIT_CALL) return { kind: 'call' };
  if (exit === EXIT_HOOK) return { kind: 'hook' };
  if (exit === EXIT_LIMIT && fr.until !== null && state.time >= fr.until) return { kind: 'time' };
  return { kind: 'limit' };
}

/** Writes the slots back into `state` before the instruction at `fr.ip`. */
function writeBack(code: ModuleCode, state: ActivationState, fr: Frame, checkHeight: boolean): void {
  const fn = fr.fn;
  const index = fr.ip >> 2;
  state.time = fr.t0 + BigInt(fr.n);
  state.pc = fn.pcs[index];
  const st = code.stack;
  const at = code.typesAt(state.funcIndex, state.pc);
  if (checkHeight && fr.sp - fr.bp !== at.stack.length) {
    throw new InterpStateError(`internal: stack height ${fr.sp - fr.bp} at pc 0x${state.pc.toString(16)}, validation says ${at.stack.length}`);
  }
  replaceAll(state.locals, st.readAll(fr.fp, fn.localTypes));
  replaceAll(state.stack, st.readAll(fr.bp, at.stack));
  replaceAll(state.labels, at.labels);
}

function replaceAll<T>(target: T[], values: readonly T[]): void {
  target.length = values.length;
  for (let i = 0; i < values.length; i++) target[i] = values[i];
}

function checkState(code: ModuleCode, state: ActivationState, index: number): void {
  const fn = code.compiledFunction(state.funcIndex);
  const where = `function ${state.funcIndex}`;
  if (index < 0) throw new InterpStateError(`pc 0x${state.pc.toString(16)} is not an instruction of ${where}`);
  if (fn.heights[index] < 0) throw new InterpStateError(`pc 0x${state.pc.toString(16)} of ${where} is unreachable code`);
  if (state.locals.length !== fn.localTypes.length || !state.locals.every((v, i) => hasType(v, fn.localTypes[i]))) {
    throw new InterpStateError(`${where} has locals (${[...fn.localTypes].map(typeName).join(', ')}), the state (${state.locals.map((v) => v.type).join(', ')})`);
  }
  if (state.stack.length !== fn.heights[index]) {
    throw new InterpStateError(`${where} has ${fn.heights[index]} operands at pc 0x${state.pc.toString(16)}, the state ${state.stack.length}`);
  }
}
