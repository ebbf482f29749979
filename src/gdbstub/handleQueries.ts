/**
 * Answers to the handshake and bookkeeping queries: features, host and process descriptions,
 * the register list (the pc alone), the single thread. No debuggee motion happens here.
 */
import { stringToHex } from './hexEncoding.js';
import { ErrorCode, errorReply, type Reply } from './replies.js';
import { THREAD_ID } from './replyEncoder.js';
import type { SessionState } from './sessionState.js';
import { positionStopReply } from './stopReplies.js';

/** What LLDB's gdb-remote and wasm plugins read the architecture from. */
export const WASM_TRIPLE = 'wasm32-unknown-unknown-wasm';

/** LLDB's limit on watchpoints is whatever we say; the engine has none, so pick a generous one. */
const WATCHPOINT_SLOTS = 64;

/** `qSupported`: what the stub serves, reverse execution included. */
export function supported(s: SessionState): Reply {
  return {
    kind: 'supported',
    features: [
      `PacketSize=${s.maxPacketSize.toString(16)}`, 'QStartNoAckMode+', 'qXfer:libraries:read+',
      'qXfer:memory-map:read+', 'swbreak+', 'vContSupported+', 'QThreadSuffixSupported+',
      'QListThreadsInStopReply+', 'ReverseContinue+', 'ReverseStep+',
    ],
  };
}

/** `qHostInfo`: a little-endian wasm32 host whose watchpoints report after the write. */
export function hostInfo(): Reply {
  return {
    kind: 'pairs',
    pairs: [['triple', stringToHex(WASM_TRIPLE)], ['endian', 'little'], ['ptrsize', '4'], ['watchpoint_exceptions_received', 'after']],
  };
}

/** `qProcessInfo`: process 1, named after the module. */
export function processInfo(s: SessionState): Reply {
  const ids: Array<[string, string]> = ['pid', 'ppid', 'uid', 'gid', 'euid', 'egid'].map((k) => [k, '1']);
  return {
    kind: 'pairs',
    pairs: [...ids, ['name', stringToHex(s.debuggee.module.name)], ['triple', stringToHex(WASM_TRIPLE)], ['endian', 'little'], ['ptrsize', '4']],
  };
}

/** `qRegisterInfo<n>`: register 0 is the 64-bit pc; past it, `E45` ends LLDB's enumeration. */
export function registerInfo(register: number): Reply {
  if (register !== 0) return errorReply(ErrorCode.endOfList, '');
  return {
    kind: 'pairs',
    pairs: [
      ['name', 'pc'], ['alt-name', 'pc'], ['bitsize', '64'], ['offset', '0'], ['encoding', 'uint'], ['format', 'hex'],
      ['set', 'General Purpose Registers'], ['gcc', '16'], ['dwarf', '16'], ['generic', 'pc'],
    ],
  };
}

/** `?` and `qThreadStopInfo`: the last stop this client was told about, else where the replay is. */
export function stopReason(s: SessionState): Reply {
  return { kind: 'stop', stop: s.lastStop ?? positionStopReply(s.pc()) };
}

/** `qThreadStopInfo<tid>`: as `?` for the one thread. */
export function threadStopInfo(s: SessionState, thread: number): Reply {
  return thread === THREAD_ID ? stopReason(s) : noThread(thread);
}

/** `H`, `T`: the one thread exists; `-1` (all) and `0` (any) mean it too. */
export function selectThread(thread: number): Reply {
  return thread === -1 || thread === 0 || thread === THREAD_ID ? { kind: 'ok' } : noThread(thread);
}

/** `T<tid>`: only thread 1 is alive. */
export function threadAlive(thread: number): Reply {
  return thread === THREAD_ID ? { kind: 'ok' } : noThread(thread);
}

/** `qfThreadInfo` lists thread 1; `qsThreadInfo` ends the list. */
export function threadList(first: boolean): Reply {
  return { kind: 'thread-list', threads: first ? [THREAD_ID] : [] };
}

/** `qWatchpointSupportInfo`: how many watchpoints LLDB may set. */
export function watchpointSlots(): Reply {
  return { kind: 'pairs', pairs: [['num', String(WATCHPOINT_SLOTS)]] };
}

/** Error for a thread id other than the replay's one. */
export function noThread(thread: number): Reply {
  return errorReply(ErrorCode.noSuchValue, `no thread ${thread.toString(16)}: a replay has thread 1 only`);
}
