/**
 * The motions the UI can ask for, and the one function that carries them out: each is exactly
 * one call of the Debuggee's API (no stepping is re-implemented here).
 */
import type { Debuggee, Direction, StepUnit, StopEvent } from './engineApi.js';
import { formatTime } from './format/values.js';

export type Motion =
  | { readonly kind: 'stepInto'; readonly direction: Direction; readonly unit: StepUnit }
  | { readonly kind: 'stepOver'; readonly direction: Direction; readonly unit: StepUnit }
  | { readonly kind: 'stepInstruction'; readonly direction: Direction }
  | { readonly kind: 'stepOut'; readonly direction: Direction }
  | { readonly kind: 'continue'; readonly direction: Direction }
  | { readonly kind: 'seek'; readonly time: bigint };

/** Runs `motion` on the debuggee (synchronously, as the engine does) and returns its stop. */
export function runMotion(debuggee: Debuggee, motion: Motion): StopEvent {
  switch (motion.kind) {
    case 'stepInto':
      return debuggee.stepInto(motion.direction, motion.unit);
    case 'stepOver':
      return debuggee.stepOver(motion.direction, motion.unit);
    case 'stepInstruction':
      return debuggee.stepInstruction(motion.direction);
    case 'stepOut':
      return debuggee.stepOut(motion.direction);
    case 'continue':
      return debuggee.continue(motion.direction);
    case 'seek':
      return debuggee.seek(motion.time);
  }
}

/** What the status line says while a motion runs: `continue backward`, `go to time 1,234`. */
export function describeMotion(motion: Motion): string {
  const back = 'direction' in motion && motion.direction === 'backward' ? ' backward' : '';
  switch (motion.kind) {
    case 'stepInto':
      return `step into (${motion.unit})${back}`;
    case 'stepOver':
      return `step over (${motion.unit})${back}`;
    case 'stepInstruction':
      return `step instruction${back}`;
    case 'stepOut':
      return `step out${back}`;
    case 'continue':
      return `continue${back}`;
    case 'seek':
      return `go to time ${formatTime(motion.time)}`;
  }
}
