/**
 * Probe modules: the `inputs` counter module that also reports, right before each probed
 * instruction executes, the probe and the time (counted by docs/instrumentation.md's "Time"
 * rules; how it is built: probeModule.ts, probeCode.ts). A replay re-executes a trace with one
 * to learn every time a breakpoint's pc was about to run.
 */
import { pcMapFor, type PcMap } from '../pcMap.js';
import { decodePositions, type ModulePositions } from '../positions.js';
import { TIME_EXPORT } from '../countInstructions.js';
import { addProbes } from './probeModule.js';
import { resolveProbePcs } from './probePcs.js';

export { collectProbeHits, countProbeHits, ProbeHitLimitError, type ProbeCollector } from './probeRuntime.js';
export { ProbePcError, type BadProbePc } from './probePcs.js';
export { PROBE_FLUSH_TABLE_EXPORT, PROBES_END_EXPORT, PROBES_MEMORY_EXPORT } from './probeModule.js';

/** A module instrumented with the counter and probes. */
export interface ProbedModule {
  /** The rewritten module. */
  readonly bytes: Uint8Array;
  /** `"__wtrace_time"`: the exported i64 executed-instruction count, exact as in `inputs`. */
  readonly timeExport: string;
  /** The original module's functions with their instructions at their original offsets. */
  readonly positions: ModulePositions;
  /**
   * The distinct probe pcs, in the order first asked: probe index i reports pc `probePcs[i]`,
   * and `collectProbeHits(...).finish()[i]` are its times.
   */
  readonly probePcs: readonly number[];
  /** Imports needed besides the program's own: none (`{}`); the flush is bound after instantiating. */
  runtimeImports(): WebAssembly.Imports;
  /** Maps V8's offsets and function indices in the probe module back to the original module. */
  pcMap(): PcMap;
}

/**
 * Instruments `wasm` with the counter and a probe before the instruction at each of `pcs`
 * (original byte offsets; duplicates share a probe). Synchronous form of `instrumentProbes`.
 *
 * A probe reports each time its instruction executes, with the number of instructions executed
 * before it (so the first instruction of a run reports 0). Structural markers (`end`, `else`,
 * `catch`, ...) that control skips by a branch or a false `if` do not execute and do not report;
 * a `loop` reports once per entry, not per iteration; instructions no control can reach never
 * report. Throws `ProbePcError` listing every pc that is not an instruction start with the
 * nearest ones, and `UnsupportedWasmError` as `instrument` does.
 */
export function probeModule(wasm: Uint8Array, pcs: readonly number[], source = 'module'): ProbedModule {
  const positions = decodePositions(wasm, source);
  const probes = resolveProbePcs(positions, pcs, source);
  const rewritten = addProbes(wasm, positions, probes, source);
  let pcMap: PcMap | undefined;
  return {
    bytes: rewritten.bytes,
    timeExport: TIME_EXPORT,
    positions,
    probePcs: probes.pcs,
    runtimeImports: () => ({}),
    pcMap: () => (pcMap ??= pcMapFor(rewritten, positions.layout.importedFunctionCount)),
  };
}

/** `probeModule`, with the same promise-returning shape as `instrument()`. */
export async function instrumentProbes(wasm: Uint8Array, pcs: readonly number[], options: { source?: string } = {}): Promise<ProbedModule> {
  return probeModule(wasm, pcs, options.source);
}
