/**
 * Probe runs: every time the instructions at given pcs were about to execute, found by
 * re-executing the trace from its input log with a probe module (instrument/probe/), every
 * import call checked as `verify` checks it (../reexecution.ts).
 * What a time-travel debugger's continue and reverse-continue need for breakpoints.
 */
import { runOnWorker, workerUrl } from '../../src/runtime/bigStackWorker.js';
import { ProbeHitLimitError, ProbePcError } from '../../instrument/index.js';
import { hitsOf, type ProbeOptions } from './probeRun.js';
import type { WorkerAnswer } from './workerAnswer.js';

export { DEFAULT_MAX_HITS, probeHitsHere, ProbeDivergenceError, type ProbeOptions } from './probeRun.js';
export { ProbeHitLimitError, ProbePcError, type BadProbePc } from '../../instrument/index.js';

/**
 * For each of `pcs` (original-module byte offsets of instruction starts), every time t at which
 * the instruction there was about to execute: t instructions had executed before it
 * (docs/instrumentation.md, "Time"), so stopping "at t" shows the program just before the pc
 * runs. Lists are in increasing order; a pc never reached maps to `[]`. A structural marker
 * (`end`, `else`) skipped by a branch is not executed and not hit; a `loop` is hit once per
 * entry. Runs on a worker with a large stack (`stackSizeMb`, default 256). Errors as
 * `probeHitsHere`.
 */
export async function probeHits(
  file: string,
  pcs: readonly number[],
  options: ProbeOptions & { stackSizeMb?: number } = {},
): Promise<Map<number, bigint[]>> {
  const { stackSizeMb, ...rest } = options;
  const answer = await runOnWorker<WorkerAnswer>(workerUrl(import.meta.url, 'probeWorker'), { file, pcs: [...pcs], options: rest }, { stackSizeMb });
  if ('badPcs' in answer) throw new ProbePcError(file, answer.badPcs);
  if ('hitLimit' in answer) throw new ProbeHitLimitError(answer.hitLimit);
  return hitsOf(file, answer.run);
}
