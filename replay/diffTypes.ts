/**
 * The result of `wtrace diff` at every level: plain data, JSON-ready (no bigints, no byte
 * arrays), shared by the engine (diff.ts, diff/), the text report (diffText.ts) and `--json`.
 */
import type { CallDescription } from '../src/wasi/callDescriber.js';
import type { OutputComparison } from './outputCompare.js';

/** Options of `diffTraces`. */
export interface DiffOptions {
  /** Calls of each side shown before the divergence; default 3. */
  readonly context?: number;
  /** Count volatile values (clock readings, random bytes, file times, inodes) as differences. */
  readonly strict?: boolean;
  /**
   * Comparison level (default 1): 1 observable behaviour (import calls by meaning, output,
   * end); 2 also the call tree by function name (detail events needed); 3 every detail event
   * and import call exactly (the same module only). See docs/diff.md.
   */
  readonly level?: number;
}

/** One import call as a diff shows it: its description without the raw bytes. */
export type CallView = Omit<CallDescription, 'bytes'> & {
  /** Position in its trace's input log, from 0. */
  readonly index: number;
  /** Executed instructions before the call (decimal), when the recording counted them. */
  readonly time: string | null;
};

/** How a recorded run ended. */
export type EndView =
  | { readonly kind: 'exit'; readonly exitCode: number }
  | { readonly kind: 'trap'; readonly message: string; readonly functionName: string | null; readonly pc: number | null }
  /** The recorder stopped before the end: the trace says nothing about how the run ended. */
  | { readonly kind: 'incomplete' };

/** Where two executions first part. */
export interface DiffDivergence {
  /** `call`: the calls at `callA`/`callB` differ, or one side has none there; `end`: same calls, different end. */
  readonly kind: 'call' | 'end';
  /** Index of the diverging call in each trace (level 1 walks in lockstep, so the two are equal). */
  readonly callA: number;
  readonly callB: number;
  /** The diverging calls; null on a side whose run ended there instead. */
  readonly a: CallView | null;
  readonly b: CallView | null;
  /** One line per side: the call's text, or its end (`end: exit code 3`). */
  readonly textA: string;
  readonly textB: string;
  /** When both are calls: the fields that differ (`name`, `result`, `args.fd`, `returned.nread`, `data`). */
  readonly fields: readonly string[];
  /** Up to `context` calls of each side just before the divergence, oldest first. */
  readonly contextA: readonly CallView[];
  readonly contextB: readonly CallView[];
}

/** One side of a diff. */
export interface DiffSide {
  readonly file: string;
  readonly module: { readonly name: string; readonly sha256: string };
  /** Import calls re-executed (all of them unless the comparison stopped at a divergence). */
  readonly callsSeen: number;
  /** Import calls in the trace's log. */
  readonly calls: number;
  readonly end: EndView;
}

/** One item of a level-2/3 stream (a detail event or an import call) as a report shows it. */
export interface EventView {
  /** Position in its trace's compared stream, from 0. */
  readonly index: number;
  /** Executed instructions (decimal): the event's time in its own trace. */
  readonly time: string;
  readonly kind: 'enter' | 'exit' | 'catch' | 'import' | 'store' | 'grow' | 'fill' | 'copy' | 'init' | 'globalSet' | 'snapshot';
  /** The function it happens in (an enter: the callee); null before the first function starts. */
  readonly function: string | null;
  /** enter, exit, catch: the function entered or left; import: the import's name; else null. */
  readonly name: string | null;
  /** Call depth there (1: the outermost function). */
  readonly depth: number;
  /** The instruction's byte offset in its module (an enter: the callee's first instruction); null for import calls. */
  readonly pc: number | null;
  /** Source position of `pc` from DWARF, when the module has it. */
  readonly location: { readonly file: string; readonly line: number; readonly column: number } | null;
  /** The value(s) it carries: arguments, results, the stored value, a call's result. */
  readonly value: string | null;
  readonly text: string;
  /** For the diverging items only: the call stack there, innermost first. */
  readonly stack?: readonly string[];
  /**
   * For a diverging enter or import call: the call instruction in the caller, when the caller
   * has exactly one direct call to that function (found in the code, not re-executed).
   */
  readonly callSite?: { readonly pc: number; readonly location: { readonly file: string; readonly line: number; readonly column: number } | null } | null;
}

/** Level 3: the instruction after which two runs of one module go different ways (`branch`). */
export interface BranchView {
  /** Time of that instruction (the same in both runs, which agree up to it). */
  readonly time: string;
  readonly pc: number;
  readonly function: string | null;
  readonly location: { readonly file: string; readonly line: number; readonly column: number } | null;
  /** Where each run goes next: the next instruction's pc, the time after it, and its source position. */
  readonly nextA: { readonly pc: number; readonly time: string; readonly location: { readonly file: string; readonly line: number; readonly column: number } | null };
  readonly nextB: { readonly pc: number; readonly time: string; readonly location: { readonly file: string; readonly line: number; readonly column: number } | null };
}

/** Where two executions first part at level 2 or 3. */
export interface EventDivergence {
  readonly kind: 'event';
  readonly level: 2 | 3;
  /** Position of the diverging item in each stream (the items before it are alike). */
  readonly indexA: number;
  readonly indexB: number;
  /** The diverging items; null on a side whose stream ended there instead. */
  readonly a: EventView | null;
  readonly b: EventView | null;
  readonly textA: string;
  readonly textB: string;
  /**
   * What differs: `kind` (different events), `function`, `args`, `results` (level 2), `pc`,
   * `time` (level 3: control flow went another way before this event), `address`, `value`,
   * `size`, `global`, or for an import call `call` (level 3, raw) or level 1's fields.
   */
  readonly fields: readonly string[];
  /** An import call that differs by meaning (level 2): level 1's view of it. */
  readonly call: DiffDivergence | null;
  /** One sentence saying what the difference means, when there is more to say than the fields. */
  readonly note: string | null;
  /**
   * Level 3, when the divergence is an input (an import call whose result or written bytes
   * differ, its arguments alike): the first place after it where the program itself does
   * something else (a stored value, a branch), with the import calls between only checked for
   * arguments; null when nothing else differs up to the end.
   */
  readonly effect: EventDivergence | null;
  /**
   * Level 3, when control flow differs (`pc`, `time` or `kind`): the instruction after which
   * the runs went different ways, found by re-executing both from the last item alike; null
   * when it was not found (see `note`) or control flow does not differ.
   */
  readonly branch: BranchView | null;
  /** Up to `context` items of each side just before the divergence, oldest first. */
  readonly contextA: readonly EventView[];
  readonly contextB: readonly EventView[];
}

/** A diff's result; `L` narrows it to one level (level 1's divergence is always a call or the end). */
export interface DiffResult<L extends 1 | 2 | 3 = 1 | 2 | 3> {
  readonly level: L;
  /** True when the two executions match at this level: same calls (and events), outputs and end. */
  readonly equal: boolean;
  readonly strict: boolean;
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** Calls compared and found alike (the index of the divergence, when there is one). */
  readonly callsCompared: number;
  /** Calls that differed only in volatile values (not divergences unless `strict`). */
  readonly volatileDifferences: number;
  /**
   * The first divergence: an import call or the end (level 1, and levels 2-3 when the detail
   * streams agree), or a detail event (levels 2 and 3).
   */
  readonly divergence: (L extends 1 ? DiffDivergence : DiffDivergence | EventDivergence) | null;
  /** Levels 2 and 3: items (events and import calls) compared and found alike; null at level 1. */
  readonly eventsCompared: number | null;
  readonly outputs: OutputComparison;
  readonly endsEqual: boolean;
}
