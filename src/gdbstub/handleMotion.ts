/**
 * Motions and stop points: `c`/`s`/`vCont` forward, `bc`/`bs` backward, `Z`/`z` for software
 * breakpoints (by code address) and write watchpoints (by linear-memory address). Engine
 * motions are synchronous: a handler returns when the debuggee has stopped again.
 */
import type { Direction } from '../../replay/engine/types.js';
import { ErrorCode, errorReply, Signal, type Reply } from './replies.js';
import type { StopPointType } from './requests.js';
import type { SessionState } from './sessionState.js';
import { decodeWasmAddress } from './wasmAddress.js';

/**
 * One instruction or a continue in `direction`. A resume address other than the current pc is
 * refused (a replay cannot jump). A watchpoint hit found backward stops before the write. With a Ctrl-C already pending the debuggee does not move and
 * the reply is a SIGINT stop where it is.
 */
export function resume(s: SessionState, direction: Direction, action: 'continue' | 'step', address: bigint | null): Reply {
  const interrupted = s.interruptPending;
  s.interruptPending = false; // it belongs to this request, whatever becomes of it
  if (address !== null && address !== s.pc()) {
    return errorReply(ErrorCode.readOnly, `cannot resume at 0x${address.toString(16)}: a replay continues from where it is`);
  }
  if (interrupted) {
    s.lastStop = { kind: 'stopped', signal: Signal.SIGINT, pc: s.pc() };
    return { kind: 'stop', stop: s.lastStop };
  }
  const event = action === 'step' ? s.debuggee.stepInstruction(direction) : s.debuggee.continue(direction);
  if (direction === 'backward' && event.kind === 'watchpoint') beforeTheWrite(s);
  return { kind: 'stop', stop: s.stopAfter(event) };
}

/**
 * Running backward, a watchpoint hit is reported before the writing instruction, with the value
 * the write replaced (rr and GDB do the same). The engine stops after the write in both
 * directions; there LLDB would read the value it already knows, take the hit for a write that
 * changed nothing (its watchpoints are "modify" watchpoints) and silently run on to an older
 * write. One instruction back is the state just before the write: LLDB sees old -> new as
 * newer -> older, and `continue -F` from there stops after the same write again.
 */
function beforeTheWrite(s: SessionState): void {
  s.debuggee.stepInstruction('backward');
}

/**
 * `Z`: software (and hardware, served alike) breakpoints at a code address of this module, any
 * kind (LLDB 22 sends 1, LLDB 16 sends 0); write watchpoints on linear memory. Inserting twice
 * is inserting once. Read and access watchpoints are not served (empty reply).
 */
export function insertStopPoint(s: SessionState, type: StopPointType, address: bigint, size: number): Reply {
  if (type === 'software' || type === 'hardware') {
    const pc = codeOffset(s, address);
    if (pc === null) return errorReply(ErrorCode.badAddress, `0x${address.toString(16)} is not a code address of module ${s.debuggee.module.id}`);
    if (!s.breakpoints.has(address)) s.breakpoints.set(address, s.debuggee.addBreakpoint({ kind: 'pc', pc }).id);
    return { kind: 'ok' };
  }
  if (type !== 'write-watch') return { kind: 'empty' };
  const a = decodeWasmAddress(address);
  if (a.space !== 'memory' || a.moduleId !== 0 || size === 0) {
    return errorReply(ErrorCode.badAddress, `cannot watch ${size} bytes at 0x${address.toString(16)}: not linear memory`);
  }
  const key = `${a.offset},${size}`;
  if (!s.watchpoints.has(key)) s.watchpoints.set(key, s.debuggee.addWatchpoint(a.offset, size).id);
  return { kind: 'ok' };
}

/** `z`: removes what `Z` inserted; removing something not inserted is not an error. */
export function removeStopPoint(s: SessionState, type: StopPointType, address: bigint, size: number): Reply {
  if (type === 'software' || type === 'hardware') {
    const id = s.breakpoints.get(address);
    if (id !== undefined) s.debuggee.removeBreakpoint(id);
    s.breakpoints.delete(address);
    return { kind: 'ok' };
  }
  if (type !== 'write-watch') return { kind: 'empty' };
  const key = `${decodeWasmAddress(address).offset},${size}`;
  const id = s.watchpoints.get(key);
  if (id !== undefined) s.debuggee.removeWatchpoint(id);
  s.watchpoints.delete(key);
  return { kind: 'ok' };
}

function codeOffset(s: SessionState, address: bigint): number | null {
  const a = decodeWasmAddress(address);
  const { module } = s.debuggee;
  return a.space === 'object' && a.moduleId === module.id && a.offset < module.bytecode.length ? a.offset : null;
}
