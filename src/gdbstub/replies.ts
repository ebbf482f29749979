/**
 * What the session answers, as a typed union; replyEncoder.ts turns it into payload text. The
 * session decides meaning (which bytes, which stop), never spelling.
 */

/** Signal numbers as GDB numbers them on the wire (the `T<sig>` of a stop reply). */
export const Signal = { none: 0, SIGINT: 2, SIGTRAP: 5, SIGKILL: 9, SIGSEGV: 11 } as const;

/**
 * Why the debuggee is stopped, as a stop reply says it. `pc` is the innermost frame's code
 * address (expedited as register 0, so LLDB needs no `p0`).
 */
export type StopReply =
  | {
    readonly kind: 'stopped';
    readonly signal: number;
    readonly pc: bigint;
    /** `swbreak:`: a software breakpoint's address is the pc. */
    readonly breakpoint?: boolean;
    /** `watch:<addr>`: a write watchpoint at this address triggered. */
    readonly watchAddress?: bigint;
    /** `replaylog:begin|end`: the replay reached the start (backward) or end (forward) of its history. */
    readonly historyBoundary?: 'begin' | 'end';
    /** Free text LLDB shows with the stop (a trap's message). */
    readonly description?: string;
  }
  /** `W<code>`: the program finished with this exit code (0..255). */
  | { readonly kind: 'exited'; readonly code: number }
  /** `X<sig>`: the process was terminated (the answer to `k`). */
  | { readonly kind: 'terminated'; readonly signal: number };

/** One reply payload. */
export type Reply =
  | { readonly kind: 'ok' }
  /** The empty reply: "not supported". */
  | { readonly kind: 'empty' }
  /** `E<code>`, with `message` appended (hex) once the client enabled error strings. */
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
  /** `key:value;` pairs (qHostInfo, qRegisterInfo, qMemoryRegionInfo, ...); values are sent as given. */
  | { readonly kind: 'pairs'; readonly pairs: ReadonlyArray<readonly [string, string]> }
  /** Bytes as hex (`m`, `p`, `g`, qWasm* values). */
  | { readonly kind: 'hex'; readonly bytes: Uint8Array }
  /** Bytes as they are (`x`); the encoder escapes what must be. */
  | { readonly kind: 'binary'; readonly bytes: Uint8Array }
  /** A qXfer chunk: `m<data>` when more follows, `l<data>` for the last one. */
  | { readonly kind: 'xfer-chunk'; readonly data: string; readonly last: boolean }
  /** `m<tid>,...` for the first thread-list query, `l` once all were listed. */
  | { readonly kind: 'thread-list'; readonly threads: readonly number[] }
  | { readonly kind: 'current-thread'; readonly thread: number }
  /** `qAttached`: 1 if attached to an existing process (LLDB then detaches rather than kills on quit). */
  | { readonly kind: 'attached'; readonly attached: boolean }
  | { readonly kind: 'vcont-actions'; readonly actions: readonly string[] }
  | { readonly kind: 'supported'; readonly features: readonly string[] }
  | { readonly kind: 'stop'; readonly stop: StopReply };

/** An error reply. Codes are stable per cause (see docs/gdbstub.md). */
export function errorReply(code: number, message: string): Reply {
  return { kind: 'error', code, message };
}

/** Error codes the stub uses. */
export const ErrorCode = {
  /** Arguments did not parse. */
  malformed: 0x01,
  /** An address outside every readable region. */
  badAddress: 0x02,
  /** A frame, local, global or stack index that does not exist now. */
  noSuchValue: 0x03,
  /** Writes, jumps and other changes to a recorded past. */
  readOnly: 0x04,
  /** The debuggee refused (breakpoint or watchpoint it cannot set, an engine error). */
  engine: 0x05,
  /** A framing problem: oversized or undecodable packet. */
  framing: 0x06,
  /** `qRegisterInfo` past the last register: LLDB's conventional end-of-list answer. */
  endOfList: 0x45,
} as const;
