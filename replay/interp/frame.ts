/**
 * The state the interpreter loop (interpreter.ts) shares with its helpers and with `run`: the
 * root activation's function and slots, where it is, how much it may still execute, and the
 * memory fetched from the host. The loop keeps hot fields in locals and writes them here before
 * it calls a helper and when it leaves (inline callees live only in the loop's locals and in
 * inlineFrames.ts).
 */
import type { CompiledFunction } from './compileFunction.js';
import { TrapError } from './errors.js';
import type { ModuleCode } from './moduleCode.js';
import type { ActivationHost, InlineCallHost, TableHost } from './types.js';

/** Everything a host may offer the interpreter. */
export type Host = ActivationHost & TableHost & InlineCallHost;

/** Called before each instruction of the activation; true stops `run` before it (`hook`). */
export type InstructionHook = (pc: number, time: bigint) => boolean | void;

/** How the loop left: `maxInstructions` or `untilTime` reached, a return, a call to stop at, the hook. */
export const EXIT_LIMIT = 0;
export const EXIT_RETURN = 1;
export const EXIT_CALL = 2;
export const EXIT_HOOK = 3;

export interface Frame {
  readonly code: ModuleCode;
  /** The root activation's function. */
  readonly fn: CompiledFunction;
  readonly host: Host;
  /** Slot of local 0. */
  readonly fp: number;
  /** Slot of the operand stack's bottom (fp + locals). */
  readonly bp: number;
  /** Code index (word) in `fn` of the next instruction; after a throw, of the one that threw (or the call whose callee did). */
  ip: number;
  /** First free slot. */
  sp: number;
  /** Program time = t0 + n: t0 is the time at entry or after the last call the host answered. */
  t0: bigint;
  /** Instructions since `t0`: this activation's and those of callees run inline. */
  n: number;
  readonly until: bigint | null;
  /** Instructions of the root activation this run may still execute (Infinity without `maxInstructions`); up to date at `EXIT_LIMIT`. */
  maxLeft: number;
  readonly stopCalls: boolean;
  /** The host's `knowsWrites`: memory writes are checked but not performed, and make the fetched memory stale. */
  readonly knowsWrites: boolean;
  /** The run started at a call it must execute rather than stop at (`stopBeforeCall`). */
  resumeCall: boolean;
  readonly hook: InstructionHook | null;
  /** Memory from `host.memory`, or null until an instruction needs it; `memLen` is -1 while it must be fetched (again). */
  mem: Uint8Array | null;
  dv: DataView;
  memLen: number;
}

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

/** Forgets the fetched memory (after a call or `memory.grow`: the host may replace it). */
export function dropMemory(fr: Frame): void {
  fr.mem = null;
  fr.dv = EMPTY_VIEW;
  fr.memLen = -1;
}

/** Fetches memory for the instruction at `time`; returns its length. */
export function fetchMemory(fr: Frame, time: bigint): number {
  const m = fr.host.memory(time);
  if (m !== fr.mem) {
    fr.mem = m;
    fr.dv = new DataView(m.buffer, m.byteOffset, m.byteLength);
  }
  return (fr.memLen = m.length);
}

/** The memory length after making sure [0, end) lies in it (fetching it first if needed), else traps. */
export function needMemory(fr: Frame, time: bigint, end: number): number {
  if (fr.memLen < 0) fetchMemory(fr, time);
  if (end > fr.memLen) throw new TrapError('out of bounds memory access');
  return fr.memLen;
}

/** The `n` (count since `fr.t0`) at which `untilTime` is reached; Infinity without one. */
export function untilOffset(fr: Frame): number {
  if (fr.until === null) return Infinity;
  const d = fr.until - fr.t0;
  return d >= 0x20000000000000n ? Infinity : d <= -0x20000000000000n ? -Infinity : Number(d);
}

/** A frame for a run of the root activation `fn` whose slots start at `fp`. */
export function newFrame(code: ModuleCode, fn: CompiledFunction, host: Host, fp: number, fields: Pick<Frame, 'ip' | 'sp' | 't0' | 'until' | 'maxLeft' | 'stopCalls' | 'resumeCall' | 'hook'>): Frame {
  // Written out (no spread) so that every frame has one hidden class.
  return {
    code, fn, host, fp, bp: fp + fn.localTypes.length, ip: fields.ip, sp: fields.sp, t0: fields.t0, n: 0,
    until: fields.until, maxLeft: fields.maxLeft, stopCalls: fields.stopCalls, resumeCall: fields.resumeCall, hook: fields.hook,
    knowsWrites: host.knowsWrites === true,
    mem: null, dv: EMPTY_VIEW, memLen: -1,
  };
}
