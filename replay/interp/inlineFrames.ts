/**
 * Callees the interpreter runs itself (`InlineCallHost`): their frames, kept in one growable
 * Int32Array per `ModuleCode` instead of the JS stack. A callee's frame takes the slots at the
 * value stack's top, above everything live; its parameters are copies of the caller's
 * arguments, so the caller's slots stay as they were until the results replace them (a trap in
 * the callee leaves the caller intact).
 */
import type { CompiledFunction } from './compiledCode.js';
import { TrapError } from './errors.js';
import type { ModuleCode } from './moduleCode.js';
import type { CallTarget, InlineCallHost } from './types.js';
import { EXTERNREF, FUNCREF } from './valueTypes.js';
import type { ValueStack } from './valueStack.js';

/**
 * Words per record: the caller's call instruction (code index), its fp, its function index,
 * the slot where the results go (the first argument's), and the value stack top to restore.
 */
export const RECORD = 5;

/** Inline frames a run may stack before `call stack exhausted` when the host sets no `maxInlineDepth`. */
export const MAX_INLINE_DEPTH = 1_000_000;

/** Value stack slots inline frames may take before `call stack exhausted` (64 MiB). */
export const MAX_STACK_SLOTS = 1 << 23;

export class InlineFrames {
  data = new Int32Array(64 * RECORD);
  /** Records in use (all runs of this code: a nested run stacks above). */
  top = 0;

  push(ip: number, fp: number, funcIndex: number, results: number, stackTop: number): void {
    let k = this.top * RECORD;
    if (k + RECORD > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const w = this.data;
    w[k++] = ip;
    w[k++] = fp;
    w[k++] = funcIndex;
    w[k++] = results;
    w[k] = stackTop;
    this.top++;
  }
}

/** The defined function the host lets the call at code index `ip` run inline, or -1. May throw what `call` would. */
export function inlineCallee(mc: ModuleCode, host: InlineCallHost, code: Int32Array, ip: number, sp: number): number {
  const op = code[ip];
  let target: CallTarget;
  if (op === 0x10 || op === 0x12) target = mc.directTarget(code[ip + 1]);
  else target = { kind: 'indirect', typeIndex: code[ip + 1], tableIndex: code[ip + 2], elementIndex: mc.stack.i32[(sp - 1) << 1] >>> 0 };
  return host.interpretedCallee!(target);
}

/**
 * Makes `fn`'s frame at the value stack's top: parameters copied from the slots below `argTop`,
 * declared locals zero (null references). Returns its fp; the stack's top moves past the frame.
 * Traps with `call stack exhausted` past `MAX_STACK_SLOTS`.
 */
export function enterInline(st: ValueStack, fn: CompiledFunction, argTop: number): number {
  const fp = st.top;
  const locals = fn.localTypes.length;
  if (fp + locals + fn.maxHeight + 1 > MAX_STACK_SLOTS) throw new TrapError('call stack exhausted');
  st.reserve(locals + fn.maxHeight + 1);
  st.top = fp + locals + fn.maxHeight + 1;
  const w = st.i32;
  for (let k = 0, a = (argTop - fn.paramCount) << 1, b = fp << 1; k < fn.paramCount * 2; k++) w[b + k] = w[a + k];
  for (let k = fn.paramCount; k < locals; k++) {
    const t = fn.localTypes[k];
    const s = (fp + k) << 1;
    w[s] = t === FUNCREF || t === EXTERNREF ? -1 : 0;
    w[s + 1] = 0;
  }
  return fp;
}
