/**
 * What one client connection knows besides the debuggee: the modes it switched on, the last stop
 * it was told about, and the breakpoints and watchpoints it inserted (removed again when it
 * leaves, so the next client starts clean). Handlers read and update it; it sends nothing.
 */
import type { Debuggee, FrameView, StopEvent } from '../../replay/engine/types.js';
import { MemoryCache } from './memoryCache.js';
import type { StopReply } from './replies.js';
import type { ReplyStyle } from './replyEncoder.js';
import { stopReplyFor } from './stopReplies.js';
import { codeAddress, moduleBase } from './wasmAddress.js';

/** Per-connection state over a shared {@link Debuggee}. */
export class SessionState implements ReplyStyle {
  errorStrings = false;
  threadsInStopReply = false;
  /** The last stop reply sent (for `?` and `qThreadStopInfo`); null before the first motion. */
  lastStop: StopReply | null = null;
  /** A Ctrl-C arrived with a motion request not yet started: that motion stops at once. */
  interruptPending = false;
  /** Breakpoints this client inserted: code address -> engine breakpoint id. */
  readonly breakpoints = new Map<bigint, number>();
  /** Write watchpoints this client inserted: `address,size` -> engine watchpoint id. */
  readonly watchpoints = new Map<string, number>();
  /** Linear memory at the current position, read once per stop. */
  readonly memory: MemoryCache;
  private cachedFrames: { readonly now: bigint; readonly frames: readonly FrameView[] } | null = null;

  constructor(
    readonly debuggee: Debuggee,
    /** The largest packet payload the connection accepts (advertised as `PacketSize`). */
    readonly maxPacketSize: number,
    /** The module's name in the library list; null: `wtrace:NAME` (see handleMemory.ts). */
    readonly libraryName: string | null = null,
  ) {
    this.memory = new MemoryCache(debuggee);
  }

  /** The debuggee's frames now, innermost first; computed once per position. */
  frames(): readonly FrameView[] {
    const now = this.debuggee.now;
    if (this.cachedFrames?.now !== now) this.cachedFrames = { now, frames: this.debuggee.frames() };
    return this.cachedFrames.frames;
  }

  /** Code address of the innermost pc; the module's base (offset 0) when no frame is live. */
  pc(): bigint {
    const top = this.frames()[0];
    const id = this.debuggee.module.id;
    return top ? codeAddress(id, top.pc) : moduleBase(id);
  }

  /** Remembers and returns the stop reply for a motion's `event`. */
  stopAfter(event: StopEvent): StopReply {
    this.lastStop = stopReplyFor(event, this.pc());
    return this.lastStop;
  }

  /**
   * Removes every breakpoint and watchpoint this client inserted (on disconnect). Tries them
   * all; returns the errors of those the debuggee refused to remove.
   */
  releaseStopPoints(): unknown[] {
    const errors: unknown[] = [];
    const attempt = (remove: () => void) => {
      try { remove(); } catch (error) { errors.push(error); }
    };
    for (const id of this.breakpoints.values()) attempt(() => this.debuggee.removeBreakpoint(id));
    for (const id of this.watchpoints.values()) attempt(() => this.debuggee.removeWatchpoint(id));
    this.breakpoints.clear();
    this.watchpoints.clear();
    return errors;
  }
}
