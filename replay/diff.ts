/**
 * `diff`: compare two recorded executions and report the first place they differ, at one of
 * three levels (docs/diff.md):
 *
 * 1. observable behaviour (diff/observable.ts): import calls by meaning, output, end;
 * 2. level 1, then the call tree by function name (diff/treeDiff.ts): enters with their
 *    arguments, exits with their results, and where each import call sits among them;
 * 3. every detail event and import call exactly (diff/eventDiff.ts): stores and their values,
 *    globals, the pc and time of every event, so control flow too (the same module only).
 *
 * Every level streams: memory stays bounded however long the runs are.
 */
import { UsageError } from '../src/errors.js';
import { runOnWorker, workerUrl } from '../src/runtime/bigStackWorker.js';
import type { DiffOptions, DiffResult } from './diffTypes.js';
import { eventDiff } from './diff/eventDiff.js';
import { observableDiff } from './diff/observable.js';
import { treeDiff } from './diff/treeDiff.js';

export type { CallView, DiffDivergence, DiffOptions, DiffResult, DiffSide, EndView, EventDivergence, EventView } from './diffTypes.js';
export { endText } from './diff/observable.js';

/** `diffHere` on a worker thread with a large stack (deep recursion re-executes as recorded). */
export function diffTraces(a: string, b: string, options?: DiffOptions & { level?: 1 }, worker?: { stackSizeMb?: number }): Promise<DiffResult<1>>;
export function diffTraces(a: string, b: string, options?: DiffOptions, worker?: { stackSizeMb?: number }): Promise<DiffResult>;
export function diffTraces(a: string, b: string, options: DiffOptions = {}, worker: { stackSizeMb?: number } = {}): Promise<DiffResult> {
  checkLevel(options.level);
  return runOnWorker<DiffResult>(workerUrl(import.meta.url, 'diffWorker'), { a, b, options }, worker);
}

/**
 * Compares trace files `a` and `b` on this thread. Throws `UsageError` for a level other than
 * 1, 2 or 3; `InputError`/`TraceFormatError` for a missing or damaged trace;
 * `ReplayDivergenceError` for a trace that does not re-execute from its own log (levels 1-2);
 * `DiffInputError` (exit code 3) at levels 2-3 for a trace without detail events (run `wtrace
 * index`) and at level 3 for traces of two different modules.
 */
export function diffHere(a: string, b: string, options?: DiffOptions & { level?: 1 }): DiffResult<1>;
export function diffHere(a: string, b: string, options?: DiffOptions): DiffResult;
export function diffHere(a: string, b: string, options: DiffOptions = {}): DiffResult {
  checkLevel(options.level);
  const level = options.level ?? 1;
  if (level === 1) return observableDiff(a, b, options);
  if (level === 2) return treeDiff(a, b, options);
  return eventDiff(a, b, options);
}

function checkLevel(level: number | undefined): void {
  if (level === undefined || level === 1 || level === 2 || level === 3) return;
  throw new UsageError(`diff --level must be 1, 2 or 3, not ${level}`);
}
