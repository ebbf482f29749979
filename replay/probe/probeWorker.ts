/**
 * Worker-thread entry of `probeHits()`: a probe run on the worker's large stack. The typed
 * errors a caller may act on come back as data, so that `probeHits` can throw them again with
 * their class and fields (the worker boundary keeps only code and message).
 */
import { workerMain } from '../../src/runtime/bigStackWorker.js';
import { ProbeHitLimitError, ProbePcError } from '../../instrument/index.js';
import { runProbes, type ProbeOptions } from './probeRun.js';
import type { WorkerAnswer } from './workerAnswer.js';

workerMain(({ file, pcs, options }: { file: string; pcs: number[]; options: ProbeOptions }): WorkerAnswer => {
  try {
    return { run: runProbes(file, pcs, options) };
  } catch (e) {
    if (e instanceof ProbePcError) return { badPcs: e.problems };
    if (e instanceof ProbeHitLimitError) return { hitLimit: e.limit };
    throw e;
  }
});
