/** What `buildDetailIndex` takes and returns, and the error it throws for a divergent trace. */
import { ReplayDivergenceError } from '../../src/errors.js';
import type { VerifyResult } from '../verify.js';
import { describeDivergence } from './divergence.js';

/**
 * Progress of an index build: instructions re-executed so far, and the run's total when the trace
 * knows it (null for a `--detail inputs` trace: it never counted its instructions), plus import
 * calls answered so far out of the log's total (always known). Reported now and then (at most
 * every 100 ms or so), and once at the end.
 */
export type IndexProgress = (done: bigint, total: bigint | null, importCalls: { readonly done: number; readonly total: number }) => void;

export interface DetailIndexOptions {
  readonly onProgress?: IndexProgress;
  /** Least time between two progress reports, in ms (default `PROGRESS_MS`, 100; 0: at every chunk and every 256th import call). */
  readonly progressEveryMs?: number;
  /** Stack of the thread the program runs on, in MiB (default `DEFAULT_STACK_MB`, as `record`). */
  readonly stackSizeMb?: number;
}

export interface DetailIndexResult {
  /** `indexed`: detail was built now; `already-indexed`: the trace had complete detail and was not touched. */
  readonly status: 'indexed' | 'already-indexed';
  /** What the trace held before: only the input log, or windowed detail (`--window`/`--last`); null if already indexed. */
  readonly replaced: 'inputs' | 'windowed' | null;
  /** Executed instructions of the run. */
  readonly instructions: bigint;
  readonly importCalls: number;
  /** Detail events and keyframes the trace holds now. */
  readonly events: number;
  readonly keyframes: number;
  /** Stored bytes of detail: compressed event chunks plus keyframe pages. */
  readonly detailBytes: number;
  /** Wall-clock seconds the call took. */
  readonly seconds: number;
}

/**
 * Re-execution did not do what the recording did, so no detail was written and the trace is
 * unchanged. `report` is what `wtrace replay --verify` would report for the same run (its
 * `divergence` says where; `formatVerify` prints it). Exit code 6, as verify's.
 */
export class IndexDivergenceError extends ReplayDivergenceError {
  constructor(
    readonly file: string,
    readonly report: VerifyResult,
  ) {
    super(`${file}: not indexed: re-execution diverged from the recording ${describeDivergence(report.divergence!)} (the trace is unchanged)`);
  }
}
