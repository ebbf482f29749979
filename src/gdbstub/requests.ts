/**
 * What a client can ask the stub, as a typed union: the request parser turns packet payloads
 * into these, the session answers them. Nothing outside the parser sees packet letters.
 * Addresses are 64-bit (see wasmAddress.ts), so they are bigints; counts and indices fit numbers.
 */
import type { Direction } from '../../replay/engine/types.js';

/** A connection-level mode the client switches on (each answered `OK`). */
export type ClientFeature =
  /** `QThreadSuffixSupported`: register packets may end with `;thread:<tid>;`. */
  | 'thread-suffix'
  /** `QListThreadsInStopReply`: stop replies carry `threads:` and `thread-pcs:`. */
  | 'threads-in-stop-reply'
  /** `QEnableErrorStrings`: error replies may carry a hex-encoded message. */
  | 'error-strings';

/** Breakpoint and watchpoint types of `Z`/`z`, by their number on the wire. */
export type StopPointType = 'software' | 'hardware' | 'write-watch' | 'read-watch' | 'access-watch';

/** One parsed request. */
export type Request =
  | { readonly kind: 'supported'; readonly features: readonly string[] }
  | { readonly kind: 'start-no-ack' }
  | { readonly kind: 'enable'; readonly feature: ClientFeature }
  /** `?`: why did the debuggee stop last. */
  | { readonly kind: 'stop-reason' }
  | { readonly kind: 'host-info' }
  | { readonly kind: 'process-info' }
  | { readonly kind: 'register-info'; readonly register: number }
  | { readonly kind: 'read-register'; readonly register: number }
  | { readonly kind: 'read-registers' }
  /** `m` (hex reply) or `x` (binary reply). */
  | { readonly kind: 'read-memory'; readonly address: bigint; readonly length: number; readonly binary: boolean }
  | { readonly kind: 'memory-region-info'; readonly address: bigint }
  /** `qXfer:<object>:read:<annex>:<offset>,<length>`. */
  | { readonly kind: 'xfer-read'; readonly object: string; readonly annex: string; readonly offset: number; readonly length: number }
  | { readonly kind: 'wasm-call-stack'; readonly thread: number }
  | { readonly kind: 'wasm-local'; readonly frame: number; readonly index: number }
  | { readonly kind: 'wasm-stack-value'; readonly frame: number; readonly index: number }
  /** `qWasmGlobal:<frame>;<index>` (instance null) or `qWasmGlobal:<index>;instance:<id>;` (frame null). */
  | { readonly kind: 'wasm-global'; readonly frame: number | null; readonly instance: number | null; readonly index: number }
  /** `qfThreadInfo` (first) and `qsThreadInfo` (rest). */
  | { readonly kind: 'thread-list'; readonly first: boolean }
  | { readonly kind: 'current-thread' }
  /** `H<op><tid>`; tid -1 is all threads, 0 any thread. */
  | { readonly kind: 'select-thread'; readonly thread: number }
  /** `T<tid>`: is the thread alive. */
  | { readonly kind: 'thread-alive'; readonly thread: number }
  | { readonly kind: 'thread-stop-info'; readonly thread: number }
  | { readonly kind: 'attached' }
  | { readonly kind: 'vcont-actions' }
  | { readonly kind: 'watchpoint-slots' }
  /** `qSymbol::`: the stub needs no symbols. */
  | { readonly kind: 'symbol-lookup-done' }
  /**
   * `c`, `s`, `C`, `S`, `vCont`, `bc`, `bs`. `address` is the resume address some forms carry
   * (a replay cannot jump, so anything but the current pc is refused).
   */
  | { readonly kind: 'resume'; readonly direction: Direction; readonly action: 'continue' | 'step'; readonly address: bigint | null }
  | { readonly kind: 'insert-stop-point'; readonly type: StopPointType; readonly address: bigint; readonly size: number }
  | { readonly kind: 'remove-stop-point'; readonly type: StopPointType; readonly address: bigint; readonly size: number }
  /** `M`, `X`, `P`, `G`, `_M`: a replay's past cannot be changed. */
  | { readonly kind: 'write-refused'; readonly what: string }
  /** `k` (reply `X09`) and `vKill` (reply `OK`); both end the connection, not the replay. */
  | { readonly kind: 'kill'; readonly vKill: boolean }
  | { readonly kind: 'detach' }
  /** A packet the stub does not serve: answered with an empty reply, as the protocol asks. */
  | { readonly kind: 'unsupported'; readonly packet: string }
  /** A known packet with bad arguments: answered with an error reply. */
  | { readonly kind: 'malformed'; readonly packet: string; readonly reason: string };
