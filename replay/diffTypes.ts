/**
 * The result of `wtrace diff` (level 1, observable behaviour): plain data, JSON-ready (no
 * bigints, no byte arrays), shared by the engine (diff.ts), the text report (diffText.ts) and
 * `--json`.
 */
import type { CallDescription } from '../src/wasi/callDescriber.js';
import type { OutputComparison } from './outputCompare.js';

/** Options of `diffTraces`. */
export interface DiffOptions {
  /** Calls of each side shown before the divergence; default 3. */
  readonly context?: number;
  /** Count volatile values (clock readings, random bytes, file times, inodes) as differences. */
  readonly strict?: boolean;
  /** Comparison level; only 1 (observable behaviour) exists so far. */
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

export interface DiffResult {
  readonly level: 1;
  /** True when the two executions match at this level: same calls, outputs and end. */
  readonly equal: boolean;
  readonly strict: boolean;
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** Calls compared and found alike (the index of the divergence, when there is one). */
  readonly callsCompared: number;
  /** Calls that differed only in volatile values (not divergences unless `strict`). */
  readonly volatileDifferences: number;
  readonly divergence: DiffDivergence | null;
  readonly outputs: OutputComparison;
  readonly endsEqual: boolean;
}
