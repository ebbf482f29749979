/**
 * The replay engine's public surface. So far: re-execution of a trace from its input log with
 * every import call checked (`verify`). Front ends use only what this file exports.
 */
import { runOnWorker, workerUrl } from '../src/runtime/bigStackWorker.js';
import type { VerifyResult } from './verify.js';

export { verifyHere, type VerifyResult, type Divergence, type RunEnd } from './verify.js';
export { diffHere, diffTraces } from './diff.js';
export { formatDiff } from './diffText.js';
export { assertSameExecution, matchExecution, ExecutionDiffersError } from './diff/assert.js';
export { DiffInputError } from './diff/errors.js';
export type * from './diffTypes.js';

/** `verifyHere` on a worker thread with a large stack (deep recursion replays like it recorded). */
export function verify(file: string, options: { stackSizeMb?: number } = {}): Promise<VerifyResult> {
  return runOnWorker<VerifyResult>(workerUrl(import.meta.url, 'verifyWorker'), { file }, options);
}
export { Timeline, DetailNeededError, TimelineCoverageError, TimeOutOfRangeError, storeTimelineIndex, type TimelineIndexResult, type IndexOrigin, type StoredIndexUse, type TimelineOptions } from './timeline/index.js';
export type { CallRecord, EventValue, Frame, GlobalKnowledge, GlobalState, ImportCallRecord, RawValue, WriteKind, WriteRecord } from './timeline/index.js';
export { openReplay, type OpenOptions } from './engine/open.js';
export { Replay } from './engine/replay.js';
export { formatValue } from './engine/values.js';
export type * from './engine/types.js';
export { probeHits, probeHitsHere, ProbeDivergenceError, ProbeHitLimitError, ProbePcError } from './probe/index.js';
export { buildDetailIndex, IndexDivergenceError, type DetailIndexOptions, type DetailIndexResult, type IndexProgress } from './detailIndex/index.js';
