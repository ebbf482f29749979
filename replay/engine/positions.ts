/**
 * Where the program is at a time: the frames (from the timeline) and the innermost activation's
 * re-executed state, with the two ways a recording can end inside a frame handled: a trap (the
 * innermost pc is the trapping instruction) and an import that never returned (`proc_exit`:
 * the innermost pc is that call).
 */
import type { ActivationState } from '../interp/types.js';
import type { Frame, Timeline } from '../timeline/index.js';
import type { Activations } from './activations.js';

/** The innermost activation at a time. */
export interface Innermost {
  readonly frame: Frame;
  readonly state: ActivationState;
}

export class Positions {
  constructor(
    private readonly timeline: Timeline,
    private readonly activations: Activations,
  ) {}

  /** The innermost activation at `t`, or null when no Wasm frame is live (after the entry function returned). */
  innermost(t: bigint): Innermost | null {
    const frame = this.timeline.callStackAt(t)[0];
    if (frame === undefined) return null;
    const last = this.timeline.importCalls.at(-1);
    if (last !== undefined && last.result === null && t >= last.time) {
      // The recording ends inside this import (proc_exit): show the frame at its call.
      return { frame, state: this.activations.stateAt(frame, last.time - 1n) };
    }
    if (t === this.timeline.end && this.timeline.outcome?.kind === 'trap') {
      return { frame, state: this.activations.stateAtOrTrap(frame, t).state };
    }
    return { frame, state: this.activations.stateAt(frame, t) };
  }

  /** The state of a caller frame: just before its pending call (the one that entered `callee`). */
  caller(frame: Frame, callee: Frame): ActivationState {
    return this.activations.stateAt(frame, callee.entryTime - 1n);
  }
}
