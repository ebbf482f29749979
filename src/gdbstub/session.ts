/**
 * The meaning of the protocol: one {@link GdbSession} per client connection answers typed
 * requests against a {@link Debuggee}. The dispatcher delegates one line per request kind, and
 * {@link GdbSession.handle} is the choke point that turns any thrown error into an error reply.
 * Knows nothing of framing, acks or sockets (connection.ts does).
 */
import type { Debuggee } from '../../replay/engine/types.js';
import * as memory from './handleMemory.js';
import * as motion from './handleMotion.js';
import * as queries from './handleQueries.js';
import * as wasm from './handleWasm.js';
import { ErrorCode, errorReply, Signal, type Reply } from './replies.js';
import type { ClientFeature, Request } from './requests.js';
import { SessionState } from './sessionState.js';

/** A reply, and whether the connection ends once it is sent (`k`, `vKill`, `D`). */
export interface Answer {
  readonly reply: Reply;
  readonly close: boolean;
}

/** Handles requests for one client; the debuggee outlives it and may serve the next client. */
export class GdbSession {
  readonly state: SessionState;

  constructor(debuggee: Debuggee, options: { readonly maxPacketSize: number; readonly libraryName?: string }) {
    this.state = new SessionState(debuggee, options.maxPacketSize, options.libraryName);
  }

  /** The answer to `request`. Never throws: engine and handler errors become `E05` replies. */
  handle(request: Request): Answer {
    try {
      return this.dispatch(request);
    } catch (error) {
      return { reply: errorReply(ErrorCode.engine, error instanceof Error ? error.message : String(error)), close: false };
    }
  }

  /**
   * A Ctrl-C read together with a motion request that has not started yet: that motion stops at
   * once, where the replay is. (Ctrl-C while idle never reaches the session: the connection
   * drops it, since the debuggee is stopped already.)
   */
  interruptNextMotion(): void {
    this.state.interruptPending = true;
  }

  /** The client left: removes its breakpoints and watchpoints; returns what could not be removed. */
  end(): unknown[] {
    return this.state.releaseStopPoints();
  }

  private dispatch(r: Request): Answer {
    const s = this.state;
    switch (r.kind) {
      case 'supported': return reply(queries.supported(s));
      case 'start-no-ack': return reply({ kind: 'ok' });
      case 'enable': return reply(this.enable(r.feature));
      case 'stop-reason': return reply(queries.stopReason(s));
      case 'host-info': return reply(queries.hostInfo());
      case 'process-info': return reply(queries.processInfo(s));
      case 'register-info': return reply(queries.registerInfo(r.register));
      case 'read-register': return reply(memory.readPc(s, r.register));
      case 'read-registers': return reply(memory.readPc(s, 0));
      case 'read-memory': return reply(memory.readMemory(s, r.address, r.length, r.binary));
      case 'memory-region-info': return reply(memory.memoryRegionInfo(s, r.address));
      case 'xfer-read': return reply(memory.xferRead(s, r.object, r.offset, r.length));
      case 'wasm-call-stack': return reply(wasm.wasmCallStack(s, r.thread));
      case 'wasm-local': return reply(wasm.wasmLocal(s, r.frame, r.index));
      case 'wasm-stack-value': return reply(wasm.wasmStackValue(s, r.frame, r.index));
      case 'wasm-global': return reply(wasm.wasmGlobal(s, r.frame, r.instance, r.index));
      case 'thread-list': return reply(queries.threadList(r.first));
      case 'current-thread': return reply({ kind: 'current-thread', thread: 1 });
      case 'select-thread': return reply(queries.selectThread(r.thread));
      case 'thread-alive': return reply(queries.threadAlive(r.thread));
      case 'thread-stop-info': return reply(queries.threadStopInfo(s, r.thread));
      case 'attached': return reply({ kind: 'attached', attached: true });
      case 'vcont-actions': return reply({ kind: 'vcont-actions', actions: ['c', 'C', 's', 'S'] });
      case 'watchpoint-slots': return reply(queries.watchpointSlots());
      case 'symbol-lookup-done': return reply({ kind: 'ok' });
      case 'resume': return afterMotion(motion.resume(s, r.direction, r.action, r.address));
      case 'insert-stop-point': return reply(motion.insertStopPoint(s, r.type, r.address, r.size));
      case 'remove-stop-point': return reply(motion.removeStopPoint(s, r.type, r.address, r.size));
      case 'write-refused': return reply(errorReply(ErrorCode.readOnly, `${r.what}: a recorded execution cannot be changed`));
      case 'kill': return { reply: r.vKill ? { kind: 'ok' } : { kind: 'stop', stop: { kind: 'terminated', signal: Signal.SIGKILL } }, close: true };
      case 'detach': return { reply: { kind: 'ok' }, close: true };
      case 'unsupported': return reply({ kind: 'empty' });
      case 'malformed': return reply(errorReply(ErrorCode.malformed, `${r.packet.slice(0, 40)}: ${r.reason}`));
    }
  }

  private enable(feature: ClientFeature): Reply {
    // `thread-suffix` needs nothing: the parser accepts suffixes whether or not it was enabled.
    if (feature === 'error-strings') this.state.errorStrings = true;
    if (feature === 'threads-in-stop-reply') this.state.threadsInStopReply = true;
    return { kind: 'ok' };
  }
}

function reply(r: Reply): Answer {
  return { reply: r, close: false };
}

/**
 * After `W` the client considers the process gone but LLDB keeps the socket open, which would
 * keep the next client waiting; so the stub ends the connection itself. The replay stays at its
 * end, where the next client can run backward from.
 */
function afterMotion(r: Reply): Answer {
  return { reply: r, close: r.kind === 'stop' && r.stop.kind === 'exited' };
}
