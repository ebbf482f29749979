/**
 * Re-execution of a trace with every import call checked against its input log: the machinery
 * of `verify`, shared by every replay that re-executes (verify, probe runs). It runs a module
 * instrumented with the instruction counter (any of them: `instrument`'s `inputs`, a probe
 * module) and reports how the run compared with the recording: the same import calls in the
 * same order with the same arguments (and at the same instruction time, when the log has
 * times), and the same end (exit code, or trap kind and pc). The first difference is a
 * divergence naming the call, its time, the calling function and pc. It does not open or close
 * the trace, and does not instrument.
 */
import { runEntry } from '../src/runtime/runEntry.js';
import type { TraceReader, TraceSummary } from '../src/trace/index.js';
import { LogExhausted, LogMismatch, replayImports, StubbedImportCalled, WasiExit, type LoggedCallView } from '../src/wasi/index.js';
import { isGuestFault, trapInfo } from '../src/runtime/trapInfo.js';
import { readModuleInfo } from '../src/wasm/moduleInfo.js';
import type { PcMap } from '../instrument/index.js';

/** How a run ended. */
export type RunEnd =
  | { kind: 'exit'; exitCode: number }
  | { kind: 'trap'; message: string; functionIndex: number | null; functionName: string | null; pc: number | null }
  /** The log ran out: the recording was cut short (incomplete trace). */
  | { kind: 'log-ended' }
  /** Stopped at an import call that did not match the log. */
  | { kind: 'diverged' };

export interface Divergence {
  /** Index of the import call at which the runs parted, or null when they parted at the end. */
  readonly callIndex: number | null;
  /** Executed instructions when the runs parted (at the call, or at the end). */
  readonly time: bigint | null;
  /** The function making the diverging call and the pc of the call, from V8's stack. */
  readonly functionIndex: number | null;
  readonly functionName: string | null;
  readonly pc: number | null;
  readonly expected: string;
  readonly actual: string;
}

export interface VerifyResult {
  readonly reproduced: boolean;
  readonly importCallsReplayed: number;
  readonly importCallsRecorded: number;
  /**
   * Instructions the re-execution executed (docs/instrumentation.md, "Time"). After a trap other
   * than `unreachable` this is a lower bound (the trapping function's pending count is lost).
   */
  readonly instructions: bigint;
  readonly end: RunEnd;
  readonly complete: boolean;
  readonly divergence: Divergence | null;
}

/** A module instrumented with the instruction counter, as the instrumenting compiler returns it. */
export interface CountingModule {
  readonly bytes: Uint8Array;
  /** The exported i64 global counting executed original instructions. */
  readonly timeExport: string;
  runtimeImports(): WebAssembly.Imports;
  pcMap(): PcMap;
}

/**
 * Re-executes the trace open in `reader` with `counted` (instrumented from `original`, the
 * trace's verified module bytes) and compares it with the recording. `onInstance` sees the
 * instance before the program starts (after any start function). Errors other than the
 * program's own end (exit, trap, end of log, a mismatching call) propagate.
 */
export function reexecute(
  reader: TraceReader,
  original: Uint8Array,
  counted: CountingModule,
  onInstance?: (instance: WebAssembly.Instance) => void,
): VerifyResult {
  const summary = reader.summary();
  const names = readModuleInfo(original).functionNames;
  const imports = reader.imports();
  const recorded = imports.length === 0 ? 0 : countCalls(reader);
  let clock: WebAssembly.Global | null = null;
  const now = () => clock!.value as bigint;
  const replay = replayImports(imports, reader.importCalls()[Symbol.iterator](), now);
  const module = new WebAssembly.Module(counted.bytes as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(module, { ...replay.imports, ...counted.runtimeImports() });
  clock = instance.exports[counted.timeExport] as WebAssembly.Global;
  replay.bind(instance.exports.memory as WebAssembly.Memory);
  onInstance?.(instance);

  // V8 reports offsets in the module it runs; reports use original offsets.
  const pcs = counted.pcMap();
  let end: RunEnd;
  let divergence: Divergence | null = null;
  try {
    end = run(instance, summary.invoke, names, pcs);
  } catch (e) {
    if (!(e instanceof LogMismatch)) throw e;
    divergence = mismatchDivergence(e, names, pcs);
    end = { kind: 'diverged' };
  }
  if (divergence === null && end.kind !== 'log-ended') {
    divergence = endDivergence(summary, end, replay.callsReplayed, recorded, now());
  }
  return {
    reproduced: divergence === null,
    importCallsReplayed: replay.callsReplayed,
    importCallsRecorded: recorded,
    instructions: now(),
    end,
    complete: summary.complete,
    divergence,
  };
}

function countCalls(reader: TraceReader): number {
  let n = 0;
  for (const count of reader.importCallCounts().values()) n += count;
  return n;
}

function run(instance: WebAssembly.Instance, invoke: string | null, names: ReadonlyMap<number, string>, pcs: PcMap): RunEnd {
  try {
    runEntry(instance, invoke);
    return { kind: 'exit', exitCode: 0 };
  } catch (e) {
    if (e instanceof WasiExit) return { kind: 'exit', exitCode: e.code };
    if (e instanceof LogExhausted) return { kind: 'log-ended' };
    if (e instanceof StubbedImportCalled) return { kind: 'trap', message: e.message, functionIndex: null, functionName: null, pc: null };
    if (isGuestFault(e)) {
      const t = trapInfo(e, names);
      const pc = t.pc === undefined ? null : pcs.originalPc(t.pc);
      return { kind: 'trap', message: t.message, functionIndex: t.functionIndex ?? null, functionName: t.functionName ?? null, pc };
    }
    throw e;
  }
}

const describeCall = (c: LoggedCallView | null) =>
  c === null ? 'no more import calls' : `${c.name}(${c.args.join(', ')})${c.time === null ? '' : ` at time ${c.time}`}`;

/**
 * The divergence at a call that did not match the log, located in the ORIGINAL module: V8's
 * function index and offset of the caller are mapped back through `pcs` (instrumenting may add
 * functions). Shared by verify, probe runs and index builds.
 */
export function mismatchDivergence(e: LogMismatch, names: ReadonlyMap<number, string>, pcs: PcMap): Divergence {
  // The first wasm frame under the import is the caller; its offset is the call instruction.
  const frame = /wasm-function\[(\d+)\]:0x([0-9a-f]+)/.exec(e.stackText);
  const functionIndex = frame ? pcs.originalFunction(Number(frame[1])) : null;
  return {
    callIndex: e.callIndex,
    time: e.time,
    functionIndex,
    functionName: functionIndex === null ? null : (names.get(functionIndex) ?? null),
    pc: frame ? pcs.originalPc(parseInt(frame[2], 16)) : null,
    expected: describeCall(e.expected),
    actual: describeCall(e.actual),
  };
}

/** Compares how the two runs ended; null when they ended alike. */
function endDivergence(summary: TraceSummary, end: RunEnd, replayed: number, recorded: number, time: bigint): Divergence | null {
  const at = { callIndex: null, time, functionIndex: null, functionName: null, pc: null };
  if (replayed < recorded) {
    return { ...at, callIndex: replayed, expected: `${recorded - replayed} more import calls`, actual: describeEnd(end) };
  }
  const o = summary.outcome;
  if (o === null) return null; // incomplete recording, and every logged call was reproduced
  const expected = o.kind === 'exit' ? `exit code ${o.exitCode}` : `trap: ${o.message} at pc ${hex(o.pc)}`;
  const actual = describeEnd(end);
  return expected === actual ? null : { ...at, expected, actual };
}

function describeEnd(end: RunEnd): string {
  if (end.kind === 'exit') return `exit code ${end.exitCode}`;
  if (end.kind === 'trap') return `trap: ${end.message} at pc ${hex(end.pc)}`;
  return end.kind === 'log-ended' ? 'end of the log' : 'a diverging import call';
}

const hex = (pc: number | null) => (pc === null ? '?' : `0x${pc.toString(16)}`);
