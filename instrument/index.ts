/**
 * The instrumenting compiler's public surface. `instrument()` rewrites a module so that a run
 * of it yields what a recording needs, without changing what the program does.
 * See docs/instrumentation.md for the contract of each detail mode.
 */
import { addInstructionCounter, TIME_EXPORT } from './countInstructions.js';
import { runtimeImports, type EventSink } from './detailRuntime.js';
import { addDetailEvents } from './fullModule.js';
import type { SnapshotOptions } from './snapshotPlan.js';
import { pcMapFor, type PcMap } from './pcMap.js';
import { decodePositions, type ModulePositions } from './positions.js';

export { decodePositions, type FunctionPositions, type Instruction, type ModulePositions } from './positions.js';
export { TIME_EXPORT } from './countInstructions.js';
export { drain, runtimeImports, type BufferSummary, type EventSink } from './detailRuntime.js';
export {
  countDetailEvents, scanDetailEvents, decodeDetailEvents, DetailEventDecodeError, EventKind, COMPACT_ENTER, COMPACT_EXIT, type CatchEvent, type CopyEvent, type DetailEvent, type DetailValue, type EnterEvent,
  type ExitEvent, type FillEvent, type GlobalSetEvent, type GrowEvent, type InitEvent, type StoreEvent, type SnapshotEvent,
} from './detailEvents.js';
export { DetailScanner, type ScanPosition } from './detailScan.js';
export { CallShapes, type CallShape } from './callShapes.js';
export { DEFAULT_SNAPSHOT_INTERVAL, type SnapshotOptions } from './snapshotPlan.js';
export { EVENTS_END_EXPORT, EVENTS_EXPORT, GLOBAL_EXPORT_PREFIX } from './fullModule.js';

/** How much the instrumented module reports. */
export type DetailLevel = 'full' | 'inputs';

export interface InstrumentOptions extends SnapshotOptions {
  /**
   * `inputs` (default): only the executed-instruction count, exported as the i64 global
   * `__wtrace_time`. `full`: the same count plus detail events (stores, memory.grow/fill/copy/
   * init, global.set, function entry and exit) streamed to a sink; see docs/instrumentation.md.
   */
  readonly detail?: DetailLevel;
  /** Names the input in error messages (a file name); default `module`. */
  readonly source?: string;
}

/** An instrumented module. */
export interface InstrumentedModule {
  /** The rewritten module (backed by an ArrayBuffer of its own: any WebAssembly API takes it). */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly detail: DetailLevel;
  /**
   * Name of the exported mutable i64 global that counts executed original instructions
   * (docs/instrumentation.md, "Time"). Read it from an instance as a BigInt:
   * `instance.exports.__wtrace_time.value`.
   */
  readonly timeExport: string;
  /** The original module's functions with their instructions at their original offsets. */
  readonly positions: ModulePositions;
  /**
   * Imports the instrumented module needs besides the program's own. Merge them into the import
   * object: `{ ...programImports, ...runtimeImports(sink) }`. Empty for `inputs`. For `full`,
   * events go to `sink` once `drain(instance)` has bound the instance (call it right after
   * instantiating and again at the end); without a sink they are discarded.
   */
  runtimeImports(sink?: EventSink): WebAssembly.Imports;
  /**
   * Maps what V8 reports about the instrumented module (offsets in `wasm-function[N]:0xOFF`
   * frames, function indices) back to the original module. Built on first use.
   */
  pcMap(): PcMap;
}

/**
 * Instruments `wasm` (the original module's bytes, which are not modified). Throws
 * `UnsupportedWasmError` listing every unsupported instruction with its function and offset
 * (for `full` also multi-memory and memory64 modules). It does not validate the module: V8 does
 * that when the result is compiled, and an invalid input gives an invalid output.
 */
export async function instrument(wasm: Uint8Array, options: InstrumentOptions = {}): Promise<InstrumentedModule> {
  const detail = options.detail ?? 'inputs';
  const source = options.source ?? 'module';
  const positions = decodePositions(wasm, source);
  const rewritten = detail === 'full' ? addDetailEvents(wasm, positions, source, options) : addInstructionCounter(wasm, positions, source);
  let pcMap: PcMap | undefined;
  return {
    bytes: rewritten.bytes,
    detail,
    timeExport: TIME_EXPORT,
    positions,
    runtimeImports: detail === 'full' ? (sink?: EventSink) => runtimeImports(sink) : () => ({}),
    pcMap: () => (pcMap ??= pcMapFor(rewritten, positions.layout.importedFunctionCount)),
  };
}
export type { PcMap } from './pcMap.js';
export { collectProbeHits, countProbeHits, instrumentProbes, probeModule, ProbeHitLimitError, ProbePcError, type BadProbePc, type ProbeCollector, type ProbedModule } from './probe/index.js';
