/**
 * The state the interpreter loop (interpreter.ts) shares with its helpers and with `run`:
 * where the activation's slots are, where it is, how much it may still execute, and the memory
 * it has fetched from the host. The loop keeps hot fields in locals and writes them here
 * before it calls a helper and when it leaves.
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
  readonly fn: CompiledFunction;
  readonly host: Host;
  /** Slot of local 0. */
  readonly fp: number;
  /** Slot of the operand stack's bottom (fp + locals). */
  readonly bp: number;
  /** Code index (word) of the next instruction; at a trap, of the trapping one. */
  ip: number;
  /** First free slot. */
  sp: number;
  /** Program time = t0 + n: t0 is the time after the last call returned (or at entry). */
  t0: bigint;
  n: number;
  readonly until: bigint | null;
  /** Instructions this run may still execute (Infinity without `maxInstructions`). */
  maxLeft: number;
  readonly stopCalls: boolean;
  /** The run started at a call it must execute rather than stop at (`stopBeforeCall`). */
  resumeCall: boolean;
  readonly hook: InstructionHook | null;
  /** Memory from `host.memory`, or null (then `memLen` is -1) until an instruction needs it. */
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

/** How many instructions the loop may execute from `fr.t0` before it must stop. */
export function limitOf(fr: Frame): number {
  let lim = fr.maxLeft;
  if (fr.until !== null) {
    const d = fr.until - fr.t0;
    if (d <= 0n) return 0;
    if (d < 0x20000000000000n && Number(d) < lim) lim = Number(d);
  }
  return lim;
}

export function newFrame(code: ModuleCode, fn: CompiledFunction, host: Host, fp: number, fields: Pick<Frame, 'ip' | 'sp' | 't0' | 'until' | 'maxLeft' | 'stopCalls' | 'resumeCall' | 'hook'>): Frame {
  // Written out (no spread) so that every frame has one hidden class.
  return {
    code, fn, host, fp, bp: fp + fn.localTypes.length, ip: fields.ip, sp: fields.sp, t0: fields.t0, n: 0,
    until: fields.until, maxLeft: fields.maxLeft, stopCalls: fields.stopCalls, resumeCall: fields.resumeCall, hook: fields.hook,
    mem: null, dv: EMPTY_VIEW, memLen: -1,
  };
}
