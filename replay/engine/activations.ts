/**
 * Reconstructs the state (pc, locals, operand stack) of any activation at any time it was
 * live, by re-executing that activation alone with the interpreter from its entry or from the
 * nearest checkpoint, everything outside it answered by the recording (TimelineHost). Every
 * re-execution leaves checkpoints behind (one per CHECKPOINT_EVERY interpreted instructions),
 * so moving around near a place already visited costs at most that many instructions.
 */
import { ReplayDivergenceError } from '../../src/errors.js';
import { ModuleCode, run, TrapError } from '../interp/index.js';
import type { ActivationState, Value } from '../interp/types.js';
import type { Frame, Timeline } from '../timeline/index.js';
import type { SnapshotPoint, StateCursor } from '../timeline/index.js';
import { TimelineHost } from './timelineHost.js';
import { valueFromBytes } from './values.js';

/** Interpreted instructions between two checkpoints of one activation. */
export const CHECKPOINT_EVERY = 4096;

/** At most this many activations keep checkpoints (least recently used go first). */
const KEEP_ACTIVATIONS = 4096;

/** One instruction of an activation's own code: the time before it and its pc. */
export interface OwnStep {
  readonly time: bigint;
  readonly pc: number;
}

export class Activations {
  private readonly checkpoints = new Map<bigint, ActivationState[]>();
  private readonly initialGlobals: (Value | null)[];
  private cursor: StateCursor | null = null;

  constructor(
    private readonly timeline: Timeline,
    readonly code: ModuleCode,
    private readonly resultTypes: (funcIndex: number) => readonly string[],
    /** Start from the recording's `snapshot` events where they help (false: only entries and own checkpoints). */
    private readonly useSnapshots = true,
  ) {
    this.initialGlobals = timeline.globalsFrom(new Map()).map((g) => (g.bytes === null ? null : valueFromBytes(g.type, g.bytes)));
  }

  /**
   * The state of `frame`'s activation after `t` instructions (`frame.entryTime <= t`, and the
   * activation has not returned by `t`). `onStep` sees each own instruction executed on the way,
   * in order, from the checkpoint used (its time is at or before the first step reported).
   */
  stateAt(frame: Frame, t: bigint, onStep?: (step: OwnStep) => void): ActivationState {
    if (t < frame.entryTime) throw new RangeError(`time ${t} is before the activation entered at ${frame.entryTime}`);
    const state = this.startFor(frame, t);
    this.advance(frame, state, t, onStep);
    return state;
  }

  /**
   * Runs the activation from `state` (a copy owned by the caller) until `t`, or until it
   * returns; returns 'returned' with the results in that case (state.time is then the return's time).
   */
  advance(frame: Frame, state: ActivationState, t: bigint, onStep?: (step: OwnStep) => void): { returned: readonly Value[] | null } {
    if (state.time >= t) return { returned: null };
    const host = this.hostAt(state.time);
    let sinceCheckpoint = 0;
    const onInstruction = onStep === undefined ? undefined : (pc: number, time: bigint) => {
      onStep({ time, pc });
      return false;
    };
    while (state.time < t) {
      const budget = CHECKPOINT_EVERY - sinceCheckpoint;
      const before = state.time;
      const stop = run(this.code, state, host, { untilTime: t, maxInstructions: budget, onInstruction });
      if (stop.kind === 'return') return { returned: stop.results };
      sinceCheckpoint += budget;
      if (state.time === before && stop.kind !== 'time') throw new ReplayDivergenceError(`re-execution of function ${frame.funcIndex} made no progress at time ${before}`);
      if (sinceCheckpoint >= CHECKPOINT_EVERY) {
        this.keep(frame, state);
        sinceCheckpoint = 0;
      }
    }
    // A later query nearby (stepping, or this frame's state again while it waits on a callee)
    // should not re-execute this stretch again.
    this.keep(frame, state);
    return { returned: null };
  }

  /**
   * A stepper positioned in `frame`'s activation after `t` instructions: it executes one own
   * instruction per `step()` (a call is one step; the callee is skipped to its logged return).
   */
  stepper(frame: Frame, t: bigint): ActivationStepper {
    const state = this.stateAt(frame, t);
    return new ActivationStepper(this.code, frame, state, this.newHost(state.time));
  }

  /** A stepper continuing from `state` (owned by the stepper from now on). */
  stepperFrom(frame: Frame, state: ActivationState): ActivationStepper {
    return new ActivationStepper(this.code, frame, state, this.newHost(state.time));
  }

  /** Like `stateAt`, but a trap before `t` stops there: the state then shows the trapping instruction as its pc. */
  stateAtOrTrap(frame: Frame, t: bigint): { state: ActivationState; trap: TrapError | null } {
    const state = this.startFor(frame, t);
    try {
      this.advance(frame, state, t);
      return { state, trap: null };
    } catch (e) {
      if (e instanceof TrapError) return { state, trap: e };
      throw e;
    }
  }

  /** A fresh state of `frame` at the latest checkpoint at or before `t` (its entry if none). */
  private startFor(frame: Frame, t: bigint): ActivationState {
    let best: ActivationState | null = null;
    const list = this.checkpoints.get(frame.entryTime);
    if (list !== undefined) {
      this.checkpoints.delete(frame.entryTime);
      this.checkpoints.set(frame.entryTime, list);
      for (let i = list.length - 1; i >= 0 && best === null; i--) if (list[i].time <= t) best = list[i];
    }
    const snapshot = this.useSnapshots ? this.timeline.snapshotBefore(frame.entryTime, t) : null;
    if (snapshot !== null && (best === null || snapshot.time > best.time)) {
      const state = this.fromSnapshot(frame, snapshot);
      if (state !== null) return state;
    }
    if (best !== null) return clone(best);
    if (frame.args === null) throw new ReplayDivergenceError(`the trace's enter events carry no arguments (recorded by an older wtrace), so function ${frame.funcIndex}'s locals cannot be rebuilt`);
    return this.code.entryState(frame.funcIndex, frame.args as Value[], frame.entryTime);
  }

  /**
   * The state a `snapshot` event gives: its locals, an empty operand stack (the recorder logs
   * only where the stack is empty) and the labels open at its pc (static in Wasm). Null when the
   * snapshot does not fit the function (then the engine re-executes from elsewhere).
   */
  private fromSnapshot(frame: Frame, s: SnapshotPoint): ActivationState | null {
    if (s.func !== frame.funcIndex) return null;
    const at = this.code.typesAt(frame.funcIndex, s.pc);
    if (at.stack.length !== 0) return null;
    return { funcIndex: frame.funcIndex, time: s.time, pc: s.pc, locals: [...(s.locals as Value[])], stack: [], labels: [...at.labels] };
  }

  private keep(frame: Frame, state: ActivationState): void {
    let list = this.checkpoints.get(frame.entryTime);
    if (list === undefined) {
      list = [];
      this.checkpoints.set(frame.entryTime, list);
      if (this.checkpoints.size > KEEP_ACTIVATIONS) this.checkpoints.delete(this.checkpoints.keys().next().value!);
    }
    let i = list.length;
    while (i > 0 && list[i - 1].time > state.time) i--;
    if (list[i - 1]?.time !== state.time) list.splice(i, 0, clone(state));
  }

  /** A host whose cursor is at `time`: the last one moved forward when that is cheaper than a fresh one from a checkpoint. */
  private hostAt(time: bigint): TimelineHost {
    const last = this.cursor;
    let cursor: StateCursor;
    if (last !== null && last.time <= time && !this.rebuildCheaper(last, time)) cursor = last;
    else cursor = this.cursor = this.timeline.cursorAt(time, last ?? undefined);
    return new TimelineHost(this.timeline, cursor, this.initialGlobals, this.resultTypes);
  }

  private rebuildCheaper(cursor: StateCursor, time: bigint): boolean {
    const { advance, rebuild } = this.timeline.costs(cursor.time, time);
    return rebuild < advance;
  }

  /** A host with a cursor of its own at `time`. */
  private newHost(time: bigint): TimelineHost {
    return new TimelineHost(this.timeline, this.timeline.cursorAt(time), this.initialGlobals, this.resultTypes);
  }
}

function clone(s: ActivationState): ActivationState {
  return { funcIndex: s.funcIndex, time: s.time, pc: s.pc, locals: s.locals.slice(), stack: s.stack.slice(), labels: s.labels.slice() };
}

/** Walks one activation forward an own instruction at a time (see `Activations.stepper`). */
export class ActivationStepper {
  constructor(
    private readonly code: ModuleCode,
    readonly frame: Frame,
    readonly state: ActivationState,
    private readonly host: TimelineHost,
  ) {}

  /** Executes the next own instruction; returns its results when the activation returned. */
  step(): readonly Value[] | null {
    const stop = run(this.code, this.state, this.host, { untilTime: this.state.time + 1n });
    return stop.kind === 'return' ? stop.results : null;
  }
}
