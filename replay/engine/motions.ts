/**
 * Every motion of the replay, forward and backward, as a function from the current time to the
 * time to stop at and why. Motions never change history; they only choose a time. Forward
 * line/instruction steps walk the innermost activation with the interpreter (callees skipped to
 * their logged returns, or followed when stepping into); backward steps re-execute the
 * activation from its nearest checkpoint and look at the instructions before now. Breakpoint
 * and watchpoint hits between the start and the target of any motion stop it there.
 */
import { TrapError } from '../interp/index.js';
import type { Frame, Timeline } from '../timeline/index.js';
import type { Activations, OwnStep } from './activations.js';
import type { BreakpointSet } from './breakpoints.js';
import type { ReplayModule } from './moduleView.js';
import type { Positions } from './positions.js';
import { NeverReturnedError } from './timelineHost.js';
import type { WriteRecord } from '../timeline/types.js';
import type { SourceLocation, StepUnit, StopEvent, Watchpoint } from './types.js';

/** Longest backward scan, in instructions, of a reverse step into (a line this long is not a line). */
const MAX_BACKWARD_SCAN = 2_000_000;

export class Motions {
  /** Set by `interrupt()`; long loops check it. */
  interrupted = false;

  constructor(
    private readonly timeline: Timeline,
    private readonly activations: Activations,
    private readonly positions: Positions,
    private readonly module: ReplayModule,
    private readonly breakpoints: BreakpointSet,
  ) {}

  /** The stop for arriving at `t` by a plain move (a step), reporting a breakpoint or the end when `t` is one. */
  arrive(t: bigint, forward: boolean): StopEvent {
    if (t >= this.timeline.end && forward) return this.endEvent();
    if (t <= 0n && !forward) return { kind: 'history-boundary', time: 0n, boundary: 'start' };
    return { kind: 'step', time: t };
  }

  /** Forward at the end of the history: the trap or completion the first time, then the boundary. */
  endEvent(): StopEvent {
    const end = this.timeline.end;
    const outcome = this.timeline.outcome;
    if (outcome?.kind === 'trap') return { kind: 'trap', time: end, message: outcome.message };
    return { kind: 'complete', time: end, exitCode: outcome?.exitCode ?? null };
  }

  instruction(now: bigint, forward: boolean): StopEvent {
    if (forward) {
      if (now >= this.timeline.end) return this.boundary('end');
      // The instruction stepped over may write a watched range: that is the stop to report.
      const watch = this.watchHit(now, true);
      if (watch !== null && watch.time === now + 1n) return watch;
      return this.arrive(now + 1n, true);
    }
    return now <= 0n ? this.boundary('start') : this.arrive(now - 1n, false);
  }

  continue(now: bigint, forward: boolean): StopEvent {
    if (forward && now >= this.timeline.end) return this.boundary('end');
    if (!forward && now <= 0n) return this.boundary('start');
    const stop = this.limit(now, forward);
    if (stop !== null) return stop;
    return forward ? this.endEvent() : this.boundary('start');
  }

  /** Step over calls: the next/previous instruction or line of the current activation (or its caller once it returns). */
  over(now: bigint, forward: boolean, unit: StepUnit): StopEvent {
    if (forward && now >= this.timeline.end) return this.boundary('end');
    if (!forward && now <= 0n) return this.boundary('start');
    const here = this.positions.innermost(now);
    if (here === null) return forward ? this.endEvent() : this.arrive(now - 1n, false);
    return forward ? this.overForward(now, here.frame, unit) : this.overBackward(now, here.frame, here.state.pc, unit);
  }

  /** Step into calls by line (by instruction it is `instruction`). */
  into(now: bigint, forward: boolean, unit: StepUnit): StopEvent {
    if (unit === 'instruction') return this.instruction(now, forward);
    if (forward && now >= this.timeline.end) return this.boundary('end');
    if (!forward && now <= 0n) return this.boundary('start');
    return forward ? this.intoForward(now) : this.intoBackward(now);
  }

  /** Forward: to the caller just after the current activation returns. Backward: to its call. */
  out(now: bigint, forward: boolean): StopEvent {
    if (forward && now >= this.timeline.end) return this.boundary('end');
    if (!forward && now <= 0n) return this.boundary('start');
    const frame = this.timeline.callStackAt(now)[0];
    if (frame === undefined) return forward ? this.endEvent() : this.arrive(now - 1n, false);
    if (forward) {
      const end = this.timeline.activationEnd(frame);
      const target = end === null ? this.timeline.end : end.time;
      return this.limitWithin(now, target, true) ?? (end === null ? this.endEvent() : { kind: 'step', time: target });
    }
    const target = frame.entryTime > 0n ? frame.entryTime - 1n : 0n;
    return this.limitWithin(now, target, false) ?? this.arrive(target, false);
  }

  private overForward(now: bigint, frame: Frame, unit: StepUnit): StopEvent {
    let stepper;
    try {
      stepper = this.activations.stepper(frame, now);
    } catch (e) {
      if (e instanceof TrapError || e instanceof NeverReturnedError) return this.endEvent();
      throw e;
    }
    const from = this.location(stepper.state.pc);
    const limit = this.limit(now, true);
    for (;;) {
      let returned;
      try {
        returned = stepper.step();
      } catch (e) {
        if (e instanceof TrapError || e instanceof NeverReturnedError) return limit ?? this.endEvent();
        throw e;
      }
      const t = stepper.state.time;
      if (limit !== null && limit.time <= t) return limit;
      if (t >= this.timeline.end) return this.endEvent();
      if (returned !== null || unit === 'instruction') return { kind: 'step', time: t };
      if (this.isNewLine(stepper.state.pc, from)) return { kind: 'step', time: t };
      if (this.interrupted) return this.interruptedAt(t);
    }
  }

  private overBackward(now: bigint, frame: Frame, pc: number, unit: StepUnit): StopEvent {
    const callerTime = frame.entryTime > 0n ? frame.entryTime - 1n : 0n;
    let target = callerTime;
    if (now > frame.entryTime) {
      const from = this.location(pc);
      const found = this.previousInActivation(frame, now, unit === 'instruction' ? null : from, unit === 'instruction');
      if (found !== null) target = found;
    }
    return this.limitWithin(now, target, false) ?? this.arrive(target, false);
  }

  /**
   * Backward within `frame`: with `single`, the time of its own instruction before `now`;
   * otherwise the start of the previous line (the earliest of the contiguous own instructions
   * of the line before the current one). Null when the activation's entry comes first.
   */
  private previousInActivation(frame: Frame, now: bigint, from: SourceLocation | null, single: boolean): bigint | null {
    let phase = 0;
    let line: SourceLocation | null = null;
    let candidate: bigint | null = null;
    for (let before = now; before > frame.entryTime; ) {
      const steps: OwnStep[] = [];
      const end = this.activations.stateAt(frame, before - 1n, (s) => steps.push(s));
      // The state reached is itself a step (its pc is next), unless a call carried it past `before`.
      if (steps.at(-1)?.time !== end.time) steps.push({ time: end.time, pc: end.pc });
      const own = steps.filter((s) => s.time < before);
      if (own.length === 0) break;
      for (let i = own.length - 1; i >= 0; i--) {
        const s = own[i];
        if (single) return s.time;
        const loc = this.location(s.pc);
        if (phase === 0) {
          if (sameLine(loc, from) || loc === null) continue;
          phase = 1;
          line = loc;
          candidate = s.time;
        } else if (sameLine(loc, line) || loc === null) {
          candidate = s.time;
        } else {
          return candidate;
        }
      }
      before = own[0].time;
      if (before <= frame.entryTime) break;
    }
    return candidate ?? (phase === 1 ? frame.entryTime : null);
  }

  private intoForward(now: bigint): StopEvent {
    const start = this.positions.innermost(now);
    if (start === null) return this.endEvent();
    const from = { frame: start.frame.entryTime, loc: this.location(start.state.pc) };
    const limit = this.limit(now, true);
    for (let t = now; ; ) {
      const next = this.overForwardOne(t);
      if (next === null) return limit ?? this.endEvent();
      t = next;
      if (limit !== null && limit.time <= t) return limit;
      if (t >= this.timeline.end) return this.endEvent();
      const here = this.positions.innermost(t);
      if (here === null) return this.endEvent();
      if (here.frame.entryTime !== from.frame && this.module.lines.isStatement(here.state.pc)) return { kind: 'step', time: t };
      if (here.frame.entryTime === from.frame && this.isNewLine(here.state.pc, from.loc)) return { kind: 'step', time: t };
      if (this.interrupted) return this.interruptedAt(t);
    }
  }

  /** One instruction forward, into calls: simply the next time (null at the end). */
  private overForwardOne(t: bigint): bigint | null {
    return t < this.timeline.end ? t + 1n : null;
  }

  private intoBackward(now: bigint): StopEvent {
    const keyAt = (t: bigint) => {
      const here = this.positions.innermost(t);
      return here === null ? null : { frame: here.frame.entryTime, loc: this.location(here.state.pc), pc: here.state.pc };
    };
    const from = keyAt(now);
    const same = (a: ReturnType<typeof keyAt>, b: ReturnType<typeof keyAt>) => a !== null && b !== null && a.frame === b.frame && sameLine(a.loc, b.loc);
    let t = now;
    let line: ReturnType<typeof keyAt> = null;
    const floor = now > BigInt(MAX_BACKWARD_SCAN) ? now - BigInt(MAX_BACKWARD_SCAN) : 0n;
    const limit = this.limit(now, false);
    while (t > floor) {
      const k = keyAt(t - 1n);
      if (line === null) {
        if (k === null || k.loc === null || same(k, from)) {
          t--;
          continue;
        }
        line = k;
        t--;
      } else if (k !== null && (same(k, line) || k.loc === null) && k.frame === line.frame) {
        t--;
      } else if (k !== null && k.loc !== null && k.frame > line.frame) {
        // Backward into a callee that returned within this line: its last line is the step's target.
        line = k;
        t--;
      } else {
        break;
      }
      if (limit !== null && limit.time >= t) return limit;
    }
    if (limit !== null && limit.time >= t) return limit;
    return this.arrive(t, false);
  }

  /** The first breakpoint or watchpoint stop after `now` (forward) or before it (backward). */
  private limit(now: bigint, forward: boolean): StopEvent | null {
    const bp = this.breakpoints.nextHit(now, forward);
    const watch = this.watchHit(now, forward);
    const bpStop: StopEvent | null = bp === null ? null : { kind: 'breakpoint', time: bp.time, breakpoint: bp.breakpoint };
    if (bpStop === null) return watch;
    if (watch === null) return bpStop;
    return (forward ? watch.time < bpStop.time : watch.time > bpStop.time) ? watch : bpStop;
  }

  /** `limit`, if it falls between now and target (inclusive of target). */
  private limitWithin(now: bigint, target: bigint, forward: boolean): StopEvent | null {
    const stop = this.limit(now, forward);
    if (stop === null) return null;
    return forward ? (stop.time <= target ? stop : null) : stop.time >= target ? stop : null;
  }

  /** The nearest write to a watched range after `now` (forward) or before it (backward). */
  private watchHit(now: bigint, forward: boolean): StopEvent | null {
    let best: { write: WriteRecord; watch: Watchpoint } | null = null;
    for (const watch of this.breakpoints.allWatches()) {
      for (let a = watch.address; a < watch.address + watch.size; a++) {
        const write = forward ? this.timeline.nextWriteAfter(a, now) : now > 0n ? this.timeline.lastWriteBefore(a, now - 1n) : null;
        if (write === null) continue;
        if (best === null || (forward ? write.time < best.write.time : write.time > best.write.time)) best = { write, watch };
      }
    }
    if (best === null) return null;
    // The watched bytes before and after the write: two memory states, for the one stop reported.
    const { write, watch } = best;
    const lo = Math.max(watch.address, write.address);
    const hi = Math.min(watch.address + watch.size, write.address + write.size);
    const oldBytes = this.timeline.memoryView(write.time > 0n ? write.time - 1n : 0n).slice(lo, hi);
    const newBytes = this.timeline.memoryView(write.time).slice(lo, hi);
    return { kind: 'watchpoint', time: write.time, watchpoint: watch, pc: write.pc, oldBytes, newBytes };
  }

  private isNewLine(pc: number, from: SourceLocation | null): boolean {
    if (from === null) return true; // no line table: every instruction is a line
    const loc = this.location(pc);
    return loc !== null && this.module.lines.isStatement(pc) && !sameLine(loc, from);
  }

  private location(pc: number): SourceLocation | null {
    return this.module.lines.locationAt(pc);
  }

  private boundary(boundary: 'start' | 'end'): StopEvent {
    return { kind: 'history-boundary', time: boundary === 'start' ? 0n : this.timeline.end, boundary };
  }

  private interruptedAt(t: bigint): StopEvent {
    this.interrupted = false;
    return { kind: 'interrupted', time: t };
  }
}

function sameLine(a: SourceLocation | null, b: SourceLocation | null): boolean {
  return a !== null && b !== null && a.line === b.line && a.file === b.file;
}
