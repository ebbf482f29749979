/**
 * `wtrace rerun`'s engine: run a golden trace's module (or a new build) on the golden's inputs,
 * served by meaning (src/wasi/rerunHost.ts), recording a new trace; the caller diffs the two.
 */
import { runOnWorker, workerUrl } from '../../src/runtime/bigStackWorker.js';
import type { RerunOptions, RerunResult } from './rerunSession.js';

export { rerunHere, type RerunOptions, type RerunResult } from './rerunSession.js';
export { collectWorld } from './collectWorld.js';

/** `rerunHere` on a worker thread with a large stack (deep recursion runs as it recorded). */
export function rerun(options: RerunOptions, worker: { stackSizeMb?: number } = {}): Promise<RerunResult> {
  return runOnWorker<RerunResult>(workerUrl(import.meta.url, 'rerunWorker'), options, worker);
}
