/**
 * Probe runs: re-executes a trace (as `verify` does, every import call checked against the log)
 * with a probe module, and collects every time each probed pc was about to execute. A run that
 * does not reproduce the recording gives no hits: it throws `ProbeDivergenceError`. Runs on the
 * calling thread; `probeHits` (index.ts) runs it on a worker with a large stack.
 */
import { ReplayDivergenceError } from '../../src/errors.js';
import { TraceReader } from '../../src/trace/index.js';
import { collectProbeHits, probeModule, type ProbeCollector } from '../../instrument/index.js';
import { reexecute, type Divergence, type VerifyResult } from '../reexecution.js';

/** Options of a probe run. */
export interface ProbeOptions {
  /**
   * Stop with `ProbeHitLimitError` once the probes together were hit more than this many times
   * (default `DEFAULT_MAX_HITS`): every hit becomes a bigint in the answer.
   */
  readonly maxHits?: number;
}

/** About 400 MB of answer at most. */
export const DEFAULT_MAX_HITS = 16_777_216;

/** The re-execution did not do what the recording did, so its hits would mean nothing. */
export class ProbeDivergenceError extends ReplayDivergenceError {
  constructor(
    file: string,
    /** The first difference, as `verify` reports it. */
    readonly divergence: Divergence,
  ) {
    super(`${file}: does not re-execute from its own input log: ${describeDivergence(divergence)}; check it with \`wtrace replay --verify ${file}\``);
  }
}

function describeDivergence(d: Divergence): string {
  const time = d.time === null ? '' : ` (time ${d.time})`;
  const where = d.functionIndex === null ? '' : ` in ${d.functionName ?? 'function'} (#${d.functionIndex}) at pc 0x${d.pc?.toString(16)}`;
  const at = d.callIndex === null ? `at the end of the run${time}` : `at import call ${d.callIndex}${time}${where}`;
  return `diverged ${at}: recorded ${d.expected}, replayed ${d.actual}`;
}

/** What a probe run returns across threads (structured-cloneable). */
export interface ProbeRun {
  /** Distinct probe pcs; `times[i]` belongs to `pcs[i]`. */
  readonly pcs: readonly number[];
  /** Hit times per probe, increasing. */
  readonly times: readonly BigUint64Array[];
  /** How the re-execution compared with the recording. */
  readonly verify: VerifyResult;
}

/** Runs the probe module over the trace; divergence is left in `verify` for the caller. */
export function runProbes(file: string, pcs: readonly number[], options: ProbeOptions = {}): ProbeRun {
  const reader = TraceReader.open(file);
  try {
    reader.summary();
    const bytes = reader.verifiedModuleBytes();
    const probed = probeModule(bytes, pcs, file);
    let collector: ProbeCollector | undefined;
    const bind = (instance: WebAssembly.Instance) => {
      collector = collectProbeHits(instance, probed.probePcs.length, { maxHits: options.maxHits ?? DEFAULT_MAX_HITS });
    };
    const verify = reexecute(reader, bytes, probed, bind);
    return { pcs: probed.probePcs, times: collector!.finish(), verify };
  } finally {
    reader.close();
  }
}

/**
 * The answer of a probe run: for each pc asked (duplicates once), its hit times in increasing
 * order. Throws `ProbeDivergenceError` when the run diverged from the recording.
 */
export function hitsOf(file: string, run: ProbeRun): Map<number, bigint[]> {
  if (run.verify.divergence !== null) throw new ProbeDivergenceError(file, run.verify.divergence);
  return new Map(run.pcs.map((pc, i) => [pc, toBigints(run.times[i])]));
}

/** A plain loop into a preallocated array: faster than `Array.from` for millions of times. */
function toBigints(times: BigUint64Array): bigint[] {
  const out = new Array<bigint>(times.length);
  for (let i = 0; i < times.length; i++) out[i] = times[i];
  return out;
}

/**
 * `probeHits` on the calling thread (inside a worker, or for shallow programs). Synchronous.
 * Throws `ProbePcError` for a pc that is not an instruction start, `ProbeDivergenceError` when
 * the re-execution diverges, `ProbeHitLimitError` past `maxHits`, and what `TraceReader` throws
 * for a missing or damaged trace. A trace cut short (incomplete) gives the hits up to the end of
 * its log; a recorded trap, the hits up to the trap.
 */
export function probeHitsHere(file: string, pcs: readonly number[], options: ProbeOptions = {}): Map<number, bigint[]> {
  return hitsOf(file, runProbes(file, pcs, options));
}
