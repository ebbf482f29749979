/**
 * The instrumenting compiler's public surface. `instrument()` rewrites a module so that a run
 * of it yields what a recording needs, without changing what the program does.
 * See docs/instrumentation.md for the contract of each detail mode.
 */
import { ExitCode, WtraceError } from '../src/errors.js';
import { addInstructionCounter, TIME_EXPORT } from './countInstructions.js';
import { decodePositions, type ModulePositions } from './positions.js';

export { decodePositions, type FunctionPositions, type Instruction, type ModulePositions } from './positions.js';
export { TIME_EXPORT } from './countInstructions.js';

/** How much the instrumented module reports. */
export type DetailLevel = 'full' | 'inputs';

export interface InstrumentOptions {
  /**
   * `inputs` (default): only the executed-instruction count, exported as the i64 global
   * `__wtrace_time`. `full`: detail events (not implemented yet).
   */
  readonly detail?: DetailLevel;
  /** Names the input in error messages (a file name); default `module`. */
  readonly source?: string;
}

/** An instrumented module. */
export interface InstrumentedModule {
  /** The rewritten module. */
  readonly bytes: Uint8Array;
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
   * Imports the instrumented module needs besides the program's own, with events discarded.
   * Merge them into the import object: `{ ...programImports, ...runtimeImports() }`.
   * Empty for `inputs`.
   */
  runtimeImports(): WebAssembly.Imports;
}

/** A requested capability exists in the API but is not built yet. */
export class NotYetImplementedError extends WtraceError {
  constructor(message: string) {
    super('not-yet-implemented', message, ExitCode.usage);
  }
}

/**
 * Instruments `wasm` (the original module's bytes, which are not modified). Throws
 * `UnsupportedWasmError` listing every unsupported instruction with its function and offset,
 * and `NotYetImplementedError` for `detail: 'full'`. It does not validate the module: V8 does
 * that when the result is compiled, and an invalid input gives an invalid output.
 */
export async function instrument(wasm: Uint8Array, options: InstrumentOptions = {}): Promise<InstrumentedModule> {
  const detail = options.detail ?? 'inputs';
  const source = options.source ?? 'module';
  if (detail === 'full') {
    throw new NotYetImplementedError(`${source}: detail 'full' is not implemented yet (TODO(#3)); use detail 'inputs'`);
  }
  const positions = decodePositions(wasm, source);
  const bytes = addInstructionCounter(wasm, positions, source);
  return { bytes, detail, timeExport: TIME_EXPORT, positions, runtimeImports: () => ({}) };
}
export { pcMapFor, type PcMap } from './pcMap.js';
