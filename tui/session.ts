/**
 * The UI's controller, free of React: it owns the debuggee, the selection (frame, code cursor,
 * memory address), the last stop and the snapshot of the stop before it, and it is the one
 * choke point where an error from the engine or a bad prompt entry becomes a status message
 * instead of a crash. Components subscribe to it (`useSyncExternalStore`); every change makes
 * a new immutable `SessionState`.
 */
import { describeMotion, type Motion, runMotion } from './commands.js';
import type { Breakpoint, Debuggee, FrameView, GlobalState, OutputView, SourceVariable, StopEvent, Watchpoint } from './engineApi.js';
import { type StopSnapshot, takeSnapshot } from './snapshot.js';
import type { SourceFiles } from './sourceFiles.js';
import { type CodeCursor, type CodeTarget, moveCursor, resolveCode } from './views/codeTarget.js';
import type { TimelineMark } from './views/timelineBar.js';
import { breakpointMarks } from './views/timelineMarks.js';

/** A line for the status bar that is not a stop: a confirmation or an error. */
export interface StatusMessage {
  readonly text: string;
  readonly kind: 'info' | 'error';
}

export interface SessionState {
  /** Bumped on every change; the debuggee's answers are re-read when it changes. */
  readonly generation: number;
  /** Why the last motion stopped (null before the first motion). */
  readonly lastStop: StopEvent | null;
  /** Shown instead of the last stop until the next motion. */
  readonly message: StatusMessage | null;
  /** The motion running now (motions are synchronous: the screen shows this while it blocks). */
  readonly busy: string | null;
  /** Selected frame, 0 = innermost; reset to 0 by every motion. */
  readonly frameIndex: number;
  /** Code cursor; null follows the selected frame's line. */
  readonly cursor: CodeCursor | null;
  /** Address the memory pane shows (null: none chosen yet). */
  readonly memoryAddress: number | null;
  /** The state at the stop before the last motion, for change highlighting. */
  readonly previous: StopSnapshot | null;
  /** C variables (true) or Wasm locals and globals (false); null: C variables once DWARF shows (`showsVariables`). */
  readonly variablesView: boolean | null;
}

/** The debuggee's answers at the current time, read once per generation. */
export interface StopData {
  readonly frames: readonly FrameView[];
  readonly globals: readonly GlobalState[];
  readonly output: OutputView;
  readonly breakpoints: readonly Breakpoint[];
  readonly watchpoints: readonly Watchpoint[];
  /** The selected frame's C parameters and locals (DWARF); empty without DWARF or while the Wasm view shows. */
  readonly variables: readonly SourceVariable[];
  /** Every compile unit's C globals (empty while the Wasm view shows). */
  readonly globalVariables: readonly SourceVariable[];
  /** The breakpoints' hits, for the timeline (thinned per cell). */
  readonly breakpointMarks: readonly TimelineMark[];
  /** Queries the engine refused (e.g. detail it does not have): shown, never thrown at the UI. */
  readonly problems: readonly string[];
}

const EMPTY_OUTPUT: OutputView = { stdout: new Uint8Array(0), stderr: new Uint8Array(0) };

/** Motions that may wait behind a running one (typed-ahead keys). */
const MAX_QUEUED = 16;

export class DebugSession {
  private state: SessionState = {
    generation: 0,
    lastStop: null,
    message: null,
    busy: null,
    frameIndex: 0,
    cursor: null,
    memoryAddress: null,
    previous: null,
    variablesView: null,
  };
  /** Set once the module shows DWARF (C globals, or a frame with a source line): C variables become the default view. */
  private dwarfSeen = false;
  private dwarfChecked = false;
  /** Why the module's DWARF could not be read at `checkDwarf` (shown with the stop's problems). */
  private dwarfProblem: string | null = null;
  private readonly listeners = new Set<() => void>();
  private cachedData: { generation: number; data: StopData } | null = null;
  private cachedTarget: { generation: number; target: CodeTarget } | null = null;
  private renderFlush: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve));

  constructor(
    readonly debuggee: Debuggee,
    readonly sources: SourceFiles,
  ) {}

  /** The current state (a new object after every change: safe for `useSyncExternalStore`). */
  readonly getState = (): SessionState => this.state;

  /** Calls `listener` after every change; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** How to wait until the screen shows the latest state (ink's `waitUntilRenderFlush`). */
  setRenderFlush(flush: () => Promise<void>): void {
    this.renderFlush = flush;
  }

  /** Applies `patch` and notifies subscribers. For tui's action modules; components never call it. */
  set(patch: Partial<Omit<SessionState, 'generation'>>): void {
    this.state = { ...this.state, ...patch, generation: this.state.generation + 1 };
    for (const listener of this.listeners) listener();
  }

  /** Shows `text` in the status line until the next motion. */
  report(text: string, kind: StatusMessage['kind'] = 'info'): void {
    this.set({ message: { text, kind } });
  }

  /** The choke point: any error becomes an error message in the status line. */
  fail(e: unknown): void {
    const text = e instanceof Error ? e.message : String(e);
    this.set({ busy: null, message: { text, kind: 'error' } });
  }

  /**
   * Runs `motion` after the ones already asked for: keys typed ahead (faster than motions
   * finish) run in order, as a debugger's typed-ahead commands do. At most MAX_QUEUED wait; more
   * are dropped (a held-down key must not run on for minutes).
   */
  motion(motion: Motion): Promise<void> {
    if (this.queued >= MAX_QUEUED) return this.pending;
    this.queued++;
    const next = this.pending.then(() => this.runMotion(motion)).finally(() => this.queued--);
    this.pending = next.catch(() => {});
    return next;
  }

  private pending: Promise<void> = Promise.resolve();
  private queued = 0;

  /**
   * Runs one motion: remembers the state for change highlighting, shows a continue or seek as
   * running (letting the screen draw that), then calls the debuggee. Resolves when the stop (or
   * the error) is in the state.
   */
  private async runMotion(motion: Motion): Promise<void> {
    this.dwarfProblem = null; // shown at the first stop only, as every stop's problems are
    let previous: StopSnapshot | null = null;
    try {
      previous = takeSnapshot(this.debuggee, this.state.memoryAddress, this.showsVariables());
    } catch {
      // Highlighting is a nicety: a state the engine cannot describe must not block a motion.
    }
    try {
      // Continue and seek can run long: draw "running" first. A step answers in milliseconds
      // (the engine's checkpoints), and drawing before it would double the time to its frame.
      if (motion.kind === 'continue' || motion.kind === 'seek') {
        this.set({ busy: describeMotion(motion), message: null });
        await this.renderFlush();
      } else {
        await Promise.resolve();
      }
      const lastStop = runMotion(this.debuggee, motion);
      this.set({ busy: null, message: null, lastStop, previous, frameIndex: 0, cursor: null });
    } catch (e) {
      this.fail(e);
    }
  }

  /** The debuggee's state at the current time (cached until the next change). */
  data(): StopData {
    if (this.cachedData?.generation === this.state.generation) return this.cachedData.data;
    const problems: string[] = [];
    const ask = <T>(what: () => T, fallback: T): T => {
      try {
        return what();
      } catch (e) {
        const text = e instanceof Error ? e.message : String(e);
        if (!problems.includes(text)) problems.push(text);
        return fallback;
      }
    };
    const d = this.debuggee;
    const frames = ask(() => d.frames(), []);
    const selected = Math.min(this.state.frameIndex, frames.length - 1);
    this.dwarfSeen ||= frames.some((f) => f.source !== null);
    if (this.dwarfProblem !== null && !problems.includes(this.dwarfProblem)) problems.push(this.dwarfProblem);
    // C variables cost a memory state at now: asked only while their view shows.
    const c = this.showsVariables();
    const data: StopData = {
      frames,
      globals: ask(() => d.globals(), []),
      output: ask(() => d.output(), EMPTY_OUTPUT),
      breakpoints: ask(() => d.breakpoints(), []),
      watchpoints: ask(() => d.watchpoints(), []),
      variables: c && selected >= 0 ? ask(() => d.variables(selected), []) : [],
      // Only the selected frame's file's globals: the pane shows no others, and formatting the whole
      // program's (libc's malloc state included) at every stop showed in the step latency.
      globalVariables: c ? ask(() => unitGlobals(d, frames[selected]), []) : [],
      breakpointMarks: ask(() => breakpointMarks(d), []),
      problems,
    };
    this.cachedData = { generation: this.state.generation, data };
    return data;
  }

  /**
   * Asks once whether the module has C globals (DWARF): if so, C variables become the default
   * view from time 0 on, and the screen redraws when that changes it. Reading the module's DWARF
   * takes 50-100 ms on a large module, so the screen calls this after its first frame is drawn
   * rather than making the first frame wait (bench/tuiOpen.mjs). At the first stop (time 0),
   * memory is the initial image: cheap to read.
   */
  checkDwarf(): void {
    if (this.dwarfChecked) return;
    this.dwarfChecked = true;
    const before = this.showsVariables();
    try {
      this.dwarfSeen ||= this.debuggee.globalVariables().length > 0;
    } catch (e) {
      this.dwarfProblem = e instanceof Error ? e.message : String(e);
      return this.set({});
    }
    if (this.showsVariables() !== before) this.set({});
  }

  /** Whether the side column shows C variables: as chosen with `v`, else once DWARF has shown. */
  showsVariables(): boolean {
    return this.state.variablesView ?? this.dwarfSeen;
  }

  /** The selected frame (undefined when there are no frames). */
  selectedFrame(): FrameView | undefined {
    const frames = this.data().frames;
    return frames[Math.min(this.state.frameIndex, frames.length - 1)];
  }

  /** What the code pane shows for the selected frame. */
  codeTarget(): CodeTarget {
    if (this.cachedTarget?.generation !== this.state.generation) {
      const target = resolveCode(this.debuggee.module, this.selectedFrame(), this.sources);
      this.cachedTarget = { generation: this.state.generation, target };
    }
    return this.cachedTarget.target;
  }

  /** Selects the frame `delta` away (positive: toward the callers, as gdb's `up`). */
  selectFrame(delta: number): void {
    const count = this.data().frames.length;
    const frameIndex = Math.min(Math.max(this.state.frameIndex + delta, 0), Math.max(count - 1, 0));
    if (frameIndex !== this.state.frameIndex) this.set({ frameIndex, cursor: null, message: null });
  }

  /** Moves the code cursor by `delta` lines (or instructions in disassembly). */
  moveCursor(delta: number): void {
    this.set({ cursor: moveCursor(this.codeTarget(), this.state.cursor, delta) });
  }

  /** Puts the code cursor back on the selected frame's line. */
  resetCursor(): void {
    if (this.state.cursor !== null) this.set({ cursor: null });
  }
}

/** The C globals of the compile unit `frame`'s code comes from (none without a source file). */
function unitGlobals(d: Debuggee, frame: FrameView | undefined): readonly SourceVariable[] {
  const file = frame?.source?.file;
  return file ? d.globalVariables(file) : [];
}
