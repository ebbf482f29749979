/**
 * The one table from the engine's {@link StopEvent} to the stop reply LLDB sees. Choices, with
 * the reasons in docs/gdbstub.md ("Stop replies"):
 *
 * | event                    | reply                                       | LLDB shows            |
 * | ------------------------ | ------------------------------------------- | --------------------- |
 * | breakpoint               | `T05thread:1;00:<pc>;swbreak:;`             | breakpoint N.M        |
 * | watchpoint               | `T05thread:1;00:<pc>;watch:<addr>;`         | watchpoint N          |
 * | step                     | `T05thread:1;00:<pc>;`                      | instruction step      |
 * | trap                     | `T0bthread:1;00:<pc>;description:<hex>;`    | signal SIGSEGV        |
 * | complete                 | `W<exit code>`                              | process exited        |
 * | history-boundary start   | `T00thread:1;00:<pc>;replaylog:begin;`      | history boundary      |
 * | history-boundary end     | `T00thread:1;00:<pc>;replaylog:end;`        | history boundary      |
 * | interrupted              | `T02thread:1;00:<pc>;`                      | signal SIGINT         |
 *
 * `<pc>` is always the current innermost pc (for a watchpoint, the instruction after the store;
 * running backward, the store itself: see handleMotion.ts).
 */
import type { StopEvent } from '../../replay/engine/types.js';
import { Signal, type StopReply } from './replies.js';

/** The stop reply for `event`, with `pc` the code address of the innermost frame now. */
export function stopReplyFor(event: StopEvent, pc: bigint): StopReply {
  switch (event.kind) {
    case 'breakpoint': return { kind: 'stopped', signal: Signal.SIGTRAP, pc, breakpoint: true };
    case 'watchpoint': return { kind: 'stopped', signal: Signal.SIGTRAP, pc, watchAddress: BigInt(event.watchpoint.address) };
    case 'step': return { kind: 'stopped', signal: Signal.SIGTRAP, pc };
    case 'trap': return { kind: 'stopped', signal: Signal.SIGSEGV, pc, description: event.message };
    case 'complete': return { kind: 'exited', code: (event.exitCode ?? 0) & 0xff };
    case 'history-boundary': return { kind: 'stopped', signal: Signal.none, pc, historyBoundary: event.boundary === 'start' ? 'begin' : 'end' };
    case 'interrupted': return { kind: 'stopped', signal: Signal.SIGINT, pc };
  }
}

/** The reply to `?` before this connection moved the debuggee: a plain SIGTRAP stop where it is. */
export function positionStopReply(pc: bigint): StopReply {
  return { kind: 'stopped', signal: Signal.SIGTRAP, pc };
}
