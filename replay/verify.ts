/**
 * `verify`: re-executes a recorded module from its trace's input log alone and checks that it
 * does exactly what the recording did: the same import calls in the same order with the same
 * arguments, and the same end (exit code, or trap kind and pc). The first difference is
 * reported as a divergence naming the call, the calling function and pc.
 */
import { createHash } from 'node:crypto';
import { TraceFormatError, TraceReader, type TraceSummary } from '../src/trace/index.js';
import { LogExhausted, LogMismatch, replayImports, StubbedImportCalled, WasiExit } from '../src/wasi/index.js';
import { isGuestFault, trapInfo } from '../src/runtime/trapInfo.js';
import { readModuleInfo } from '../src/wasm/moduleInfo.js';

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
  /** Executed instructions; null until re-execution counts them (instrumentation). */
  readonly instructions: bigint | null;
  readonly end: RunEnd;
  readonly complete: boolean;
  readonly divergence: Divergence | null;
}

/** Verifies on the current thread (see `verify` for a large stack). */
export function verifyHere(file: string): VerifyResult {
  const reader = TraceReader.open(file);
  try {
    const summary = reader.summary();
    const bytes = reader.moduleBytes();
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (hash !== summary.module.sha256) {
      throw new TraceFormatError(file, `its module bytes do not match their recorded hash (sha256 ${hash}, recorded ${summary.module.sha256})`);
    }
    const names = readModuleInfo(bytes).functionNames;
    const imports = reader.imports();
    const recorded = imports.length === 0 ? 0 : countCalls(reader);
    const replay = replayImports(imports, reader.importCalls()[Symbol.iterator]());
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), replay.imports);
    replay.bind(instance.exports.memory as WebAssembly.Memory);

    let end: RunEnd;
    let divergence: Divergence | null = null;
    try {
      end = run(instance, summary.invoke, names);
    } catch (e) {
      if (!(e instanceof LogMismatch)) throw e;
      divergence = mismatchDivergence(e, names);
      end = { kind: 'diverged' };
    }
    if (divergence === null && end.kind !== 'log-ended') divergence = endDivergence(summary, end, replay.callsReplayed, recorded);
    return {
      reproduced: divergence === null,
      importCallsReplayed: replay.callsReplayed,
      importCallsRecorded: recorded,
      instructions: null,
      end,
      complete: summary.complete,
      divergence,
    };
  } finally {
    reader.close();
  }
}

function countCalls(reader: TraceReader): number {
  let n = 0;
  for (const count of reader.importCallCounts().values()) n += count;
  return n;
}

function run(instance: WebAssembly.Instance, invoke: string | null, names: ReadonlyMap<number, string>): RunEnd {
  const exports = instance.exports as Record<string, Function>;
  try {
    if (invoke === null) exports._start();
    else {
      exports._initialize?.();
      exports[invoke]();
    }
    return { kind: 'exit', exitCode: 0 };
  } catch (e) {
    if (e instanceof WasiExit) return { kind: 'exit', exitCode: e.code };
    if (e instanceof LogExhausted) return { kind: 'log-ended' };
    if (e instanceof StubbedImportCalled) return { kind: 'trap', message: e.message, functionIndex: null, functionName: null, pc: null };
    if (isGuestFault(e)) {
      const t = trapInfo(e, names);
      return { kind: 'trap', message: t.message, functionIndex: t.functionIndex ?? null, functionName: t.functionName ?? null, pc: t.pc ?? null };
    }
    throw e;
  }
}

const describeCall = (c: { name: string; args: readonly (number | bigint)[] } | null) =>
  c === null ? 'no more import calls' : `${c.name}(${c.args.join(', ')})`;

function mismatchDivergence(e: LogMismatch, names: ReadonlyMap<number, string>): Divergence {
  // The first wasm frame under the import is the caller; its offset is the call instruction.
  const frame = /wasm-function\[(\d+)\]:0x([0-9a-f]+)/.exec(e.stackText);
  const functionIndex = frame ? Number(frame[1]) : null;
  return {
    callIndex: e.callIndex,
    functionIndex,
    functionName: functionIndex === null ? null : (names.get(functionIndex) ?? null),
    pc: frame ? parseInt(frame[2], 16) : null,
    expected: describeCall(e.expected),
    actual: describeCall(e.actual),
  };
}

/** Compares how the two runs ended; null when they ended alike. */
function endDivergence(summary: TraceSummary, end: RunEnd, replayed: number, recorded: number): Divergence | null {
  const at = { callIndex: null, functionIndex: null, functionName: null, pc: null };
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
