/**
 * Runs a recorded program once its imports are known, the same way for a recording and for a
 * re-execution that builds detail from an input log (replay/detailIndex/): instantiates the
 * module (instrumented for full detail when there is a plan), binds its memory, takes the
 * keyframe at 0, runs the entry point, classifies how it ended in wasmtime's words and the
 * original module's terms, and writes the last detail events and the final keyframe.
 *
 * Must not: finish or close the trace writer (the caller decides whether the trace is complete),
 * or swallow errors it does not classify (a host failure, a replay's stop signals).
 */
import type { PcMap } from '../../instrument/index.js';
import { ExitCode } from '../errors.js';
import { runEntry } from '../runtime/runEntry.js';
import { isGuestFault, trapInfo, type TrapInfo } from '../runtime/trapInfo.js';
import type { RecordingEnd, TraceWriter } from '../trace/index.js';
import { WasiExit } from '../wasi/index.js';
import type { DetailBounds, DetailChunkStore } from './detailRecorder.js';
import { FullDetailRun, type FullDetailPlan } from './fullDetailRun.js';
import { UnknownImportCalled } from './importRecorder.js';

/** Everything `runProgram` needs besides the program's own imports. */
export interface ProgramRunSetup {
  /** The original module, compiled: what runs when `plan` is null (`--detail inputs`); unused otherwise. */
  readonly module: WebAssembly.Module | null;
  /** Full detail: the instrumented module (detail events and keyframes go to `writer`). */
  readonly plan: FullDetailPlan | null;
  readonly writer: TraceWriter;
  readonly bounds: DetailBounds;
  /** Where detail chunks go (default: compressed and written on this thread). */
  readonly store: DetailChunkStore | undefined;
  /** Reactor export called after `_initialize`; null runs `_start`. */
  readonly invoke: string | null;
  /** Function names of the original module (name section), for traps. */
  readonly names: ReadonlyMap<number, string>;
  /**
   * The program's imports, every call logged. `now` reads the instrumented module's instruction
   * counter and `onCall` must be told each call's time before the host runs (keyframes are taken
   * there); both are null without full detail.
   */
  programImports(now: (() => bigint) | null, onCall: ((time: bigint) => void) | null): WebAssembly.Imports;
  /** Binds the host to the instance's memory, before anything runs. */
  bindMemory(memory: WebAssembly.Memory): void;
}

/**
 * Runs the program to its end and returns that end (with the executed-instruction count under
 * full detail). Throws whatever the program's imports throw that is not an exit or a stubbed
 * import (the caller classifies it); detail events up to there are already in the writer.
 */
export function runProgram(setup: ProgramRunSetup): RecordingEnd {
  const { plan, writer } = setup;
  const full = plan ? new FullDetailRun(plan, writer, setup.bounds, setup.store) : null;
  const imports = {
    ...setup.programImports(full?.now ?? null, full?.onImportCall ?? null),
    ...(full?.runtimeImports() ?? {}),
  };
  const module = full?.module ?? setup.module;
  if (module === null) throw new Error('runProgram: neither a full-detail plan nor a module to run');
  const instance = new WebAssembly.Instance(module, imports);
  setup.bindMemory(instance.exports.memory as WebAssembly.Memory);
  full?.start(instance);
  const end = classifiedRun(instance, setup.invoke, setup.names, full?.pcMap() ?? null);
  return full ? full.finish(end) : end;
}

function classifiedRun(
  instance: WebAssembly.Instance,
  invoke: string | null,
  names: ReadonlyMap<number, string>,
  pcs: PcMap | null,
): RecordingEnd {
  try {
    runEntry(instance, invoke);
    return { outcome: 'exit', exitCode: 0, instructionCount: null };
  } catch (e) {
    if (e instanceof WasiExit) return { outcome: 'exit', exitCode: e.code, instructionCount: null };
    if (e instanceof UnknownImportCalled) {
      return { outcome: 'trap', exitCode: ExitCode.trap, trap: { message: e.message }, instructionCount: null };
    }
    if (isGuestFault(e)) {
      return { outcome: 'trap', exitCode: ExitCode.trap, trap: originalTrap(trapInfo(e, new Map()), names, pcs), instructionCount: null };
    }
    throw e;
  }
}

/** The trap in the original module's terms (V8 saw the instrumented one when `pcs` is given). */
function originalTrap(t: TrapInfo, names: ReadonlyMap<number, string>, pcs: PcMap | null): TrapInfo {
  if (t.functionIndex === undefined) return t;
  const functionIndex = pcs ? (pcs.originalFunction(t.functionIndex) ?? undefined) : t.functionIndex;
  const pc = t.pc === undefined ? undefined : pcs ? (pcs.originalPc(t.pc) ?? undefined) : t.pc;
  return {
    message: t.message,
    functionIndex,
    functionName: functionIndex === undefined ? undefined : names.get(functionIndex),
    pc,
  };
}
