/**
 * `Replay`: the Debuggee over one trace (replay/engine/types.ts states the contract). It holds
 * the current time and answers every question about that moment from the timeline (memory,
 * globals, call stack, output) and the activation interpreter (pc, locals, operand stack);
 * motions (motions.ts) only choose a new time.
 */
import type { Timeline } from '../timeline/index.js';
import { TimeOutOfRangeError } from '../timeline/index.js';
import type { CallRecord, GlobalState, ImportCallRecord, WriteRecord } from '../timeline/types.js';
import type { ActivationState } from '../interp/types.js';
import type { Activations } from './activations.js';
import type { BreakpointSet } from './breakpoints.js';
import type { ReplayModule } from './moduleView.js';
import type { Motions } from './motions.js';
import type { Positions } from './positions.js';
import { moduleTables, type TableView } from './tables.js';
import { SourceVariables } from './sourceVariables.js';
import type {
  Breakpoint, BreakpointSpec, Debuggee, Direction, FrameView, OutputView, SourceVariable, StepUnit, StopEvent, Watchpoint,
} from './types.js';

/** The parts a Replay is made of (built by `openReplay`). */
export interface ReplayParts {
  readonly timeline: Timeline;
  readonly module: ReplayModule;
  readonly activations: Activations;
  readonly positions: Positions;
  readonly breakpoints: BreakpointSet;
  readonly motions: Motions;
}

/** C variables read at one time: by frame, and globals by unit (null: every unit). */
interface VariablesAtTime {
  readonly time: bigint;
  readonly frames: Map<number, readonly SourceVariable[]>;
  readonly globals: Map<string | null, readonly SourceVariable[]>;
}

export class Replay implements Debuggee {
  private time = 0n;
  private frameCache: { time: bigint; frames: FrameView[] } | null = null;
  private variablesCache: VariablesAtTime | null = null;
  private readonly sourceVariables: SourceVariables;
  private callTimes: bigint[] | undefined;
  private tableViews: TableView[] | undefined;

  constructor(private readonly parts: ReplayParts) {
    this.sourceVariables = new SourceVariables(parts.module.bytecode);
  }

  get module(): ReplayModule {
    return this.parts.module;
  }

  get end(): bigint {
    return this.parts.timeline.end;
  }

  get now(): bigint {
    return this.time;
  }

  frames(): readonly FrameView[] {
    if (this.frameCache?.time === this.time) return this.frameCache.frames;
    const stack = this.parts.timeline.callStackAt(this.time);
    const frames: FrameView[] = [];
    for (let i = 0; i < stack.length; i++) {
      const frame = stack[i];
      const state: ActivationState =
        i === 0 ? this.parts.positions.innermost(this.time)!.state : this.parts.positions.caller(frame, stack[i - 1]);
      frames.push({
        depth: i,
        funcIndex: frame.funcIndex,
        name: frame.name,
        pc: state.pc,
        entryTime: frame.entryTime,
        locals: state.locals.slice(),
        paramCount: this.module.positions(frame.funcIndex)?.body.paramCount ?? 0,
        stack: state.stack.slice(),
        source: this.module.sourceAt(state.pc),
      });
    }
    this.frameCache = { time: this.time, frames };
    return frames;
  }

  memorySize(): number {
    return this.parts.timeline.memoryView(this.time).length;
  }

  readMemory(address: number, length: number): Uint8Array {
    const memory = this.parts.timeline.memoryView(this.time);
    if (address < 0 || length < 0 || address + length > memory.length) {
      throw new RangeError(`memory read of ${length} bytes at ${address} is outside linear memory (${memory.length} bytes at time ${this.time})`);
    }
    return memory.slice(address, address + length);
  }

  globals(): readonly GlobalState[] {
    return this.parts.timeline.globalsAt(this.time);
  }

  output(): OutputView {
    return this.parts.timeline.outputAt(this.time);
  }

  variables(frameIndex: number): readonly SourceVariable[] {
    const cache = this.variablesAtNow();
    let list = cache.frames.get(frameIndex);
    if (list === undefined) cache.frames.set(frameIndex, (list = this.sourceVariables.variables(this, frameIndex)));
    return list;
  }

  globalVariables(unit?: string): readonly SourceVariable[] {
    const cache = this.variablesAtNow();
    let list = cache.globals.get(unit ?? null);
    if (list === undefined) cache.globals.set(unit ?? null, (list = this.sourceVariables.globalVariables(this, unit)));
    return list;
  }

  /** C variables already read at the current time (front ends ask for them more than once a stop; values are immutable). */
  private variablesAtNow(): VariablesAtTime {
    if (this.variablesCache?.time !== this.time) this.variablesCache = { time: this.time, frames: new Map(), globals: new Map() };
    return this.variablesCache;
  }

  addBreakpoint(spec: BreakpointSpec): Breakpoint {
    return this.parts.breakpoints.add(spec);
  }

  removeBreakpoint(id: number): boolean {
    return this.parts.breakpoints.remove(id);
  }

  breakpoints(): readonly Breakpoint[] {
    return this.parts.breakpoints.all();
  }

  addWatchpoint(address: number, size: number): Watchpoint {
    return this.parts.breakpoints.addWatch(address, size);
  }

  removeWatchpoint(id: number): boolean {
    return this.parts.breakpoints.removeWatch(id);
  }

  watchpoints(): readonly Watchpoint[] {
    return this.parts.breakpoints.allWatches();
  }

  nextBreakpointHit(time: bigint, direction: Direction): bigint | null {
    return this.parts.breakpoints.nextHit(time, direction === 'forward')?.time ?? null;
  }

  importCallTimes(): readonly bigint[] {
    return (this.callTimes ??= this.parts.timeline.importCalls.map((c) => c.time));
  }

  stepInstruction(direction: Direction): StopEvent {
    this.parts.motions.interrupted = false;
    return this.go(this.parts.motions.instruction(this.time, direction === 'forward'));
  }

  stepInto(direction: Direction, unit: StepUnit): StopEvent {
    this.parts.motions.interrupted = false;
    return this.go(this.parts.motions.into(this.time, direction === 'forward', unit));
  }

  stepOver(direction: Direction, unit: StepUnit): StopEvent {
    this.parts.motions.interrupted = false;
    return this.go(this.parts.motions.over(this.time, direction === 'forward', unit));
  }

  stepOut(direction: Direction): StopEvent {
    this.parts.motions.interrupted = false;
    return this.go(this.parts.motions.out(this.time, direction === 'forward'));
  }

  continue(direction: Direction): StopEvent {
    this.parts.motions.interrupted = false;
    return this.go(this.parts.motions.continue(this.time, direction === 'forward'));
  }

  seek(time: bigint): StopEvent {
    if (time < 0n || time > this.end) throw new TimeOutOfRangeError(`time ${time} is outside the recording (0..${this.end})`);
    return this.go(time === this.end && time !== this.time ? this.parts.motions.endEvent() : { kind: 'step', time });
  }

  interrupt(): void {
    this.parts.motions.interrupted = true;
  }

  lastWriteBefore(address: number): WriteRecord | null {
    return this.parts.timeline.lastWriteBefore(address, this.time);
  }

  nextWriteAfter(address: number): WriteRecord | null {
    return this.parts.timeline.nextWriteAfter(address, this.time);
  }

  tables(): readonly TableView[] {
    return (this.tableViews ??= moduleTables(this.parts.activations.code, this.parts.module));
  }

  callsOf(func: number | string): readonly CallRecord[] {
    return this.parts.timeline.callsOf(typeof func === 'number' ? func : this.parts.module.definedFunctionNamed(func));
  }

  get importCallCount(): number {
    return this.parts.timeline.importCallCount;
  }

  importCall(n: number): ImportCallRecord {
    return this.parts.timeline.importCallAt(n);
  }

  close(): void {
    this.parts.timeline.close();
  }

  private go(event: StopEvent): StopEvent {
    this.time = event.time;
    return event;
  }
}
