/**
 * LLDB's WebAssembly queries: the call stack as code addresses, and the locals, operand-stack
 * values and globals its DWARF expressions (`DW_OP_WASM_location`) ask for. Values are the
 * debuggee's at its current time; a frame or index that does not exist now is an error reply.
 */
import type { FrameView } from '../../replay/engine/types.js';
import { returnOffset } from './callSites.js';
import { littleEndianHex } from './hexEncoding.js';
import { ErrorCode, errorReply, type Reply } from './replies.js';
import { THREAD_ID } from './replyEncoder.js';
import type { SessionState } from './sessionState.js';
import { codeAddress } from './wasmAddress.js';
import { valueBytes } from './wasmValues.js';
import { noThread } from './handleQueries.js';

const NUMERIC_TYPES = new Set(['i32', 'i64', 'f32', 'f64', 'v128']);

/**
 * `qWasmCallStack:<tid>`: 8-byte little-endian code addresses, innermost first. The innermost
 * is the pc; callers are return addresses (the byte after their pending call). With no live
 * frame the list is the one pc `?` reports, since LLDB refuses an empty stack.
 */
export function wasmCallStack(s: SessionState, thread: number): Reply {
  if (thread !== THREAD_ID) return noThread(thread);
  const { id, bytecode } = s.debuggee.module;
  const frames = s.frames();
  const addresses = frames.length === 0
    ? [s.pc()]
    : frames.map((f, i) => codeAddress(id, i === 0 ? f.pc : returnOffset(bytecode, f.pc)));
  return { kind: 'hex', bytes: Buffer.from(addresses.map((a) => littleEndianHex(a, 8)).join(''), 'hex') };
}

/** `qWasmLocal:<frame>;<index>`: parameters first, then declared locals. */
export function wasmLocal(s: SessionState, frame: number, index: number): Reply {
  return frameValue(s, frame, index, 'local', (f) => f.locals);
}

/** `qWasmStackValue:<frame>;<index>`: index 0 is the bottom of the operand stack (Wasmtime's order). */
export function wasmStackValue(s: SessionState, frame: number, index: number): Reply {
  return frameValue(s, frame, index, 'stack value', (f) => f.stack);
}

function frameValue(s: SessionState, frame: number, index: number, what: string, pick: (f: FrameView) => FrameView['locals']): Reply {
  const f = s.frames()[frame];
  if (!f) return errorReply(ErrorCode.noSuchValue, `no frame ${frame}: ${s.frames().length} live`);
  const value = pick(f)[index];
  if (!value) return errorReply(ErrorCode.noSuchValue, `frame ${frame} has no ${what} ${index}`);
  return { kind: 'hex', bytes: valueBytes(value) };
}

/**
 * `qWasmGlobal`: global `index` of the one instance, named by a frame (`frame`; frame 0 is
 * accepted with no live frame) or by instance id (`instance`, the module id). Reference-typed
 * globals read as 4 zero bytes, as Wasmtime sends them; a value the replay does not know is an
 * error.
 */
export function wasmGlobal(s: SessionState, frame: number | null, instance: number | null, index: number): Reply {
  if (instance !== null && instance !== s.debuggee.module.id) return errorReply(ErrorCode.noSuchValue, `no instance ${instance}`);
  if (frame !== null && frame >= Math.max(1, s.frames().length)) return errorReply(ErrorCode.noSuchValue, `no frame ${frame}`);
  const global = s.debuggee.globals().find((g) => g.index === index);
  if (!global) return errorReply(ErrorCode.noSuchValue, `no global ${index}`);
  if (global.bytes) return { kind: 'hex', bytes: global.bytes };
  if (global.known !== 'unknown' && !NUMERIC_TYPES.has(global.type)) return { kind: 'hex', bytes: new Uint8Array(4) };
  return errorReply(ErrorCode.noSuchValue, `global ${index}'s value is not known at this time`);
}
