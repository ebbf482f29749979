/**
 * The replay engine's public API: the shape every front end (terminal UI, gdbstub, debug
 * scripts, trace comparison) drives. It mirrors Wasmtime's debuggee interface
 * (../shared/reference/wasmtime-debug-main.md: modules with bytecode, memories, globals, frames
 * with pc, locals and operand stack, breakpoints by module pc, single-step, continue, events)
 * and adds what a time-travel debugger needs: every motion in both directions, run to a time,
 * watchpoints, and history boundaries.
 *
 * Time and position (docs/replay.md): `now` is an executed-instruction count in [0, end]; the
 * state "at now" is after `now` instructions. The innermost frame's `pc` is the original-module
 * byte offset of the NEXT instruction to execute; a caller frame's `pc` is its pending call
 * instruction. A breakpoint at pc P "hits" at every time t where the instruction at P is the
 * next to execute, so stopping there shows the program just before P runs, as live debuggers do.
 * A watchpoint hits at the time of the writing instruction, after it wrote.
 *
 * All calls are synchronous and run on the caller's thread.
 */
import type { CValueNode } from '../../src/source/index.js';
import type { Value } from '../interp/types.js';
import type { GlobalState } from '../timeline/types.js';

export type { Value, GlobalState };
export type Direction = 'forward' | 'backward';

/** A source position from the module's DWARF line table. */
export interface SourceLocation {
  /** As the line table names it (relative paths as clang wrote them). */
  readonly file: string;
  readonly line: number;
  /** 0 when the table has no column. */
  readonly column: number;
}

/** The module being replayed (one per trace). */
export interface ModuleView {
  /** Index in the debuggee's module list (always 0 for now: one module per trace). */
  readonly id: number;
  /** The module's name: the name section's, else the recorded file's base name. */
  readonly name: string;
  /** The original module bytes, custom sections and DWARF included. */
  readonly bytecode: Uint8Array;
  /** Function index to name (name section; DWARF when it has none). */
  functionName(funcIndex: number): string | null;
  /** The function whose body contains `pc`, or null. */
  functionAt(pc: number): number | null;
  /** Source position of `pc` (null without DWARF or for a pc the line table does not cover). */
  sourceAt(pc: number): SourceLocation | null;
  /** The instructions of a defined function in order, as `wasm-objdump -d` would name them (`i32.const 5`, `call 3 <foo>`). */
  disassemble(funcIndex: number): readonly { readonly pc: number; readonly text: string }[];
  /** Indices of the module's defined functions (imports come first in the index space and are not listed). */
  readonly definedFunctions: readonly number[];
}

/** One activation at the current time. */
export interface FrameView {
  /** 0 for the innermost frame, counting outward. */
  readonly depth: number;
  readonly funcIndex: number;
  readonly name: string | null;
  /** Innermost: next instruction to execute; callers: the pending call instruction. */
  readonly pc: number;
  /** Time the activation was entered (its `enter` event): identifies the activation. */
  readonly entryTime: bigint;
  /** Parameters first, then declared locals, with their Wasm types. */
  readonly locals: readonly Value[];
  /** How many of `locals` are parameters. */
  readonly paramCount: number;
  /** Operand stack, bottom first (Wasmtime's order). */
  readonly stack: readonly Value[];
  readonly source: SourceLocation | null;
}

/**
 * A C value by its DWARF description (a variable, a struct member, an array element), read at
 * the current time, formatted as a C programmer reads it: `src/source/cValues.ts`'s tree node
 * (name; C type as C spells it; value text, or `<unavailable: why>`; address in linear memory or
 * null; `sizeof`; members, elements or a pointer's target as children).
 */
export type SourceValue = CValueNode;

/** A C parameter, local or global variable. */
export interface SourceVariable extends SourceValue {
  readonly kind: 'parameter' | 'local' | 'global';
  /** Line of its declaration, when DWARF gives one. */
  readonly declLine: number | null;
  /** The compile unit (main source file) that declares it. */
  readonly unit: string;
  /** The function inlined at this pc that it belongs to (listed after the frame's own); null otherwise. */
  readonly inlined: string | null;
}

/** The program's output streams up to the current time. */
export interface OutputView {
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
}

/** Where a breakpoint is set. A pc that is not an instruction start slips to the next one. */
export type BreakpointSpec =
  | { readonly kind: 'pc'; readonly pc: number }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'line'; readonly file: string; readonly line: number };

/** A breakpoint as resolved against the module. */
export interface Breakpoint {
  readonly id: number;
  readonly spec: BreakpointSpec;
  /** The instruction offsets it stops at (one for pc/function; one or more for a line). */
  readonly pcs: readonly number[];
  /** Set when resolution moved it: "pc 0x123 is not an instruction; slipped to 0x125", "line 9 has no code; using line 11". */
  readonly note: string | null;
}

/** A memory range whose writes stop motions. */
export interface Watchpoint {
  readonly id: number;
  readonly address: number;
  readonly size: number;
}

/**
 * Why a motion stopped. Names follow Wasmtime's debuggee events (`breakpoint`, `trap`,
 * `complete`, `interrupted`), plus what a time-travel debugger adds.
 */
export type StopEvent =
  /** A breakpoint's pc is the next instruction. */
  | { readonly kind: 'breakpoint'; readonly time: bigint; readonly breakpoint: Breakpoint }
  /** A watched range was written by the instruction (or import call) at `time`. */
  | { readonly kind: 'watchpoint'; readonly time: bigint; readonly watchpoint: Watchpoint; readonly pc: number | null; readonly oldBytes: Uint8Array; readonly newBytes: Uint8Array }
  /** A step finished normally. */
  | { readonly kind: 'step'; readonly time: bigint }
  /** Forward: the next instruction is the one that trapped (the recording ends there). */
  | { readonly kind: 'trap'; readonly time: bigint; readonly message: string }
  /** Forward: the program finished (returned from its entry or called proc_exit) at the end of the recording. */
  | { readonly kind: 'complete'; readonly time: bigint; readonly exitCode: number | null }
  /** The motion reached the start (backward) or end (forward) of the recording without another stop. */
  | { readonly kind: 'history-boundary'; readonly time: bigint; readonly boundary: 'start' | 'end' }
  /** `interrupt()` was called while a motion ran. */
  | { readonly kind: 'interrupted'; readonly time: bigint };

/** Granularity of a step. */
export type StepUnit = 'instruction' | 'line';

/** The replay of one trace: a paused debuggee that can move anywhere in its recorded history. */
export interface Debuggee {
  readonly module: ModuleView;
  /** Time of the history's end (the start is 0). */
  readonly end: bigint;
  /** Current time. */
  readonly now: bigint;
  /** Frames at `now`, innermost first (empty before the entry function runs / after it returned). */
  frames(): readonly FrameView[];
  /** Linear memory 0 at `now`. */
  /**
   * The module's tables as instantiation filled them (function indices per funcref element).
   * Table writes are not recorded: a view is exact at every time when the module has no table
   * write instructions and defines the table itself (`exact`; else `note` says why not).
   */
  tables(): readonly import('./tables.js').TableView[];
  memorySize(): number;
  /** `length` bytes from `address` at `now`; throws `RangeError` past the memory's size. */
  readMemory(address: number, length: number): Uint8Array;
  globals(): readonly GlobalState[];
  output(): OutputView;
  /**
   * The C parameters, then the locals in scope at frame `frameIndex`'s pc (outer blocks
   * first), then those of functions inlined at that pc (`inlined`), from the module's DWARF,
   * with values at `now`. Empty without DWARF or in a function DWARF does not describe.
   * Throws `RangeError` for a frame that does not exist and `DwarfFormatError` for malformed
   * DWARF; a value that cannot be read is marked unavailable, with the reason in its text.
   */
  variables(frameIndex: number): readonly SourceVariable[];
  /**
   * Every compile unit's C globals (and file statics) with values at `now`; empty without DWARF.
   * With `unit`, only those of the compile units whose name is that source file (paths compared
   * as `sameSourceFile` does: a leading `./` ignored, either may be a suffix of the other), so a
   * front end showing one file's globals does not format the whole program's at every stop.
   */
  globalVariables(unit?: string): readonly SourceVariable[];

  addBreakpoint(spec: BreakpointSpec): Breakpoint;
  removeBreakpoint(id: number): boolean;
  breakpoints(): readonly Breakpoint[];
  addWatchpoint(address: number, size: number): Watchpoint;
  removeWatchpoint(id: number): boolean;
  watchpoints(): readonly Watchpoint[];
  /**
   * The first time after `time` (forward) or the last before it (backward) at which any
   * breakpoint hits, or null. Moves nothing: for showing hits (the terminal UI's timeline marks).
   */
  nextBreakpointHit(time: bigint, direction: Direction): bigint | null;
  /** The times of the recording's import calls, ascending: time t is just after the call instruction (it is the next instruction at t - 1). */
  importCallTimes(): readonly bigint[];

  /** One instruction in `direction` (into calls). */
  stepInstruction(direction: Direction): StopEvent;
  /** Into calls: the next (previous) instruction or line boundary in any frame. */
  stepInto(direction: Direction, unit: StepUnit): StopEvent;
  /** Over calls: the next (previous) instruction or line of this frame or its callers. */
  stepOver(direction: Direction, unit: StepUnit): StopEvent;
  /** Forward: to the caller just after the current frame returns. Backward: to the call instruction that entered it. */
  stepOut(direction: Direction): StopEvent;
  /** Until a breakpoint, watchpoint, trap or history boundary. */
  continue(direction: Direction): StopEvent;
  /** Moves to `time` (clamped errors: a time outside [0, end] throws `TimeOutOfRangeError`). */
  seek(time: bigint): StopEvent;
  /**
   * Asks a running motion to stop with `interrupted`. Motions are synchronous, so only code the
   * motion itself calls (none today) can use it; each motion clears the request when it starts.
   */
  interrupt(): void;

  /** When was the byte at `address` last written at or before `now` (null: never since time 0). */
  lastWriteBefore(address: number): import('../timeline/types.js').WriteRecord | null;
  nextWriteAfter(address: number): import('../timeline/types.js').WriteRecord | null;
  /**
   * Every activation of a function (by index, or by name as `module.functionName` gives it) in
   * entry order, with arguments, exit time and results; throws `RangeError` for an unknown name.
   */
  callsOf(func: number | string): readonly import('../timeline/types.js').CallRecord[];
  /** The number of import calls the recording made. */
  readonly importCallCount: number;
  /** The `n`-th import call (from 0): its time, import, arguments, result and host writes; `TimeOutOfRangeError` past the last. */
  importCall(n: number): import('../timeline/types.js').ImportCallRecord;
  close(): void;
}
