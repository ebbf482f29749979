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

/** How far past the recorded end a trap is looked for (the count lags by a few instructions at most). */
const MAX_STEPS_TO_TRAP = 10_000;

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
    const outcome = this.timeline.outcome;
    if (t === this.timeline.end && outcome?.kind === 'trap') return { frame, state: this.trapState(frame, t, outcome.pc) };
    return { frame, state: this.activations.stateAt(frame, t) };
  }

  /**
   * The innermost state at the end of a trapped run: the trapping instruction next. The
   * recorded count can stop short of it (docs/replay.md), so step on from `end` until the
   * interpreter traps too or reaches the pc the trace names.
   */
  private trapState(frame: Frame, end: bigint, trapPc: number | null): ActivationState {
    const { state, trap } = this.activations.stateAtOrTrap(frame, end);
    if (trap !== null || state.pc === trapPc) return state;
    const stepper = this.activations.stepperFrom(frame, state);
    for (let i = 0; i < MAX_STEPS_TO_TRAP && stepper.state.pc !== trapPc; i++) {
      const before = { ...stepper.state, locals: stepper.state.locals.slice(), stack: stepper.state.stack.slice(), labels: stepper.state.labels.slice() };
      try {
        if (stepper.step() !== null) return before;
      } catch {
        return before;
      }
    }
    return stepper.state;
  }

  /** The state of a caller frame: just before its pending call (the one that entered `callee`). */
  caller(frame: Frame, callee: Frame): ActivationState {
    return this.activations.stateAt(frame, callee.entryTime - 1n);
  }
}
