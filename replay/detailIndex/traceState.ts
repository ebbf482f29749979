/** What a trace holds in the way of detail, and whether an index build applies to it. */
import { IncompleteTraceError, type TraceSummary } from '../../src/trace/index.js';

/**
 * - `indexed`: complete detail (`--detail full` without bounds, or built by an index): nothing to do;
 * - `inputs`: the input log only: detail is built;
 * - `windowed`: `--detail full` with `--window`/`--last`: detail for the whole run is built and
 *   replaces the windowed detail.
 * Throws `IncompleteTraceError` for a trace whose recorder stopped before the end: its log ends
 * mid-run, so it has no end to re-execute to and no final memory to check against.
 */
export type DetailState = 'indexed' | 'inputs' | 'windowed';

export function detailState(file: string, summary: TraceSummary): DetailState {
  if (!summary.complete) throw new IncompleteTraceError(file, 'it cannot be indexed; record the run again');
  if (summary.detail === 'inputs') return 'inputs';
  const { window, last } = summary.detailBounds;
  return window === null && last === null ? 'indexed' : 'windowed';
}
