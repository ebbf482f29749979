/**
 * Traces as regression tests, from any test runner: `assertSameExecution` fails (rejects) with
 * the divergence report as its message, and `matchExecution` is the body of a custom matcher
 * for vitest's or Jest's `expect.extend`, returning `{ pass, message }`. Neither imports a test
 * runner. See docs/diff.md ("From a test runner").
 */
import { diffTraces } from '../diff.js';
import type { DiffOptions, DiffResult } from '../diffTypes.js';
import { formatDiff } from '../diffText.js';

/** The error `assertSameExecution` rejects with: the whole text report as its message, and the result. */
export class ExecutionDiffersError extends Error {
  constructor(
    readonly result: DiffResult,
    readonly golden: string,
    readonly candidate: string,
  ) {
    super(`${candidate} does not execute like ${golden} at level ${result.level}:\n\n${formatDiff(result)}`);
    this.name = 'ExecutionDiffersError';
  }
}

/**
 * Resolves with the diff of trace files `golden` (A, the known-good run) and `candidate` (B)
 * when they match at `options.level` (default 1: observable behaviour); rejects with an
 * `ExecutionDiffersError` whose message is the divergence report when they do not. Bad input
 * (a missing trace, an inputs-only trace at level 2 or 3, different modules at level 3)
 * rejects as `diffTraces` does: a `WtraceError` with the error's name, code and exit code.
 */
export async function assertSameExecution(golden: string, candidate: string, options: DiffOptions = {}): Promise<DiffResult> {
  const result = await diffTraces(golden, candidate, options);
  if (!result.equal) throw new ExecutionDiffersError(result, golden, candidate);
  return result;
}

/**
 * A custom matcher's body: `expect.extend({ toExecuteLike: matchExecution })`, then
 * `await expect(candidate).toExecuteLike(golden, { level: 2 })`. `pass` is whether they match;
 * `message` gives the report (for `.not`, says that they match).
 */
export async function matchExecution(
  candidate: string,
  golden: string,
  options: DiffOptions = {},
): Promise<{ pass: boolean; message: () => string }> {
  const result = await diffTraces(golden, candidate, options);
  return {
    pass: result.equal,
    message: () =>
      result.equal
        ? `expected ${candidate} to execute differently from ${golden} at level ${result.level}, but they match`
        : new ExecutionDiffersError(result, golden, candidate).message,
  };
}
