/**
 * The status line's account of the last stop: why the motion ended and where. Pure over the
 * debuggee's current state (it reads frames, never moves).
 */
import type { Debuggee, StopEvent } from '../engineApi.js';
import { describeFrame, describePc } from './location.js';
import { byteHex, hex } from './values.js';

/** Where the debuggee is now, for a stop message (`file.c:12 in main`, `pc 0x... in f`, or null before/after the program). */
export function whereNow(debuggee: Debuggee): string | null {
  const top = debuggee.frames()[0];
  return top ? describeFrame(debuggee.module, top) : null;
}

/**
 * One line: `now at debug_target.c:4 in divide` (a step or a seek), `breakpoint 1 at debug_target.c:12 in main`, `history boundary: start of
 * recording`, `trap: integer divide by zero at ...`, `watchpoint 2: 0x1000 (4 bytes) 00 00 00 00
 * -> 2a 00 00 00 by pc 0x... in f`.
 */
export function formatStop(event: StopEvent, debuggee: Debuggee): string {
  const where = whereNow(debuggee);
  const at = where ? ` at ${where}` : '';
  switch (event.kind) {
    case 'breakpoint':
      return `breakpoint ${event.breakpoint.id}${at}`;
    case 'watchpoint': {
      const w = event.watchpoint;
      const by = event.pc === null ? 'by the host (an import call)' : `by ${describePc(debuggee.module, event.pc)}`;
      return `watchpoint ${w.id}: ${hex(w.address)} (${w.size} bytes) ${bytes(event.oldBytes)} -> ${bytes(event.newBytes)} ${by}`;
    }
    case 'step':
      return where ? `now at ${where}` : 'stopped (no frames at this time)';
    case 'trap':
      return `trap: ${event.message}${at}`;
    case 'complete':
      return event.exitCode === null ? 'program finished' : `program finished with exit code ${event.exitCode}`;
    case 'history-boundary':
      return `history boundary: ${event.boundary === 'start' ? 'start' : 'end'} of recording`;
    case 'interrupted':
      return `interrupted${at}`;
  }
}

function bytes(b: Uint8Array): string {
  const shown = [...b.subarray(0, 8)].map(byteHex).join(' ');
  return b.length > 8 ? `${shown} ...` : shown;
}
