/**
 * One index build on the current thread: re-executes a trace's module instrumented for full
 * detail, every import call answered from the input log and checked against it, through the
 * recorder's own full-detail machinery (`runProgram`: `FullDetailRun`, `DetailRecorder`,
 * keyframes), so the new trace is what `wtrace record --detail full` of the same run writes: the
 * same start data and input log (now with every call's time), detail chunks, keyframes and
 * outcome, plus meta rows saying it was indexed. It is written as a replacement beside the trace
 * and renamed over it only once the run matched the recording to its end; on a divergence or
 * any error the replacement is removed and the trace is unchanged.
 *
 * Must not: write to the trace itself (only `replaceTrace` does, by renaming).
 */
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import {
  discardReplacement,
  replaceTrace,
  TraceReader,
  TraceWriter,
  WTRACE_VERSION,
  type ImportInfo,
  type RecordingEnd,
  type RecordingStart,
  type TraceSummary,
} from '../../src/trace/index.js';
import { offThreadStore, planFullDetail, runProgram, type CompressionChannel } from '../../src/record/index.js';
import { LogExhausted, LogMismatch } from '../../src/wasi/index.js';
import type { VerifyResult } from '../verify.js';
import { endDivergence, mismatchDivergence, runEndOf } from './divergence.js';
import { loggingReplay, type LoggingReplay } from './replayLogging.js';
import { ProgressThrottle, reportingStore, type ProgressSink } from './progress.js';
import { detailState } from './traceState.js';

export interface IndexRunOptions {
  /** Where the new trace is written before it replaces the trace (`replacementPath`). */
  readonly replacement: string;
  /** Compress detail chunks on another thread (as `record` does); null: on this one. */
  readonly compression: CompressionChannel | null;
  /** Told progress now and then (throttled), and at the end. */
  readonly progress: ProgressSink | null;
  /** Least time between two progress reports, in ms (default `PROGRESS_MS`). */
  readonly progressEveryMs?: number;
}

export type IndexRunOutcome =
  | { readonly kind: 'indexed'; readonly instructions: bigint; readonly importCalls: number }
  /** Nothing was written: the trace already had complete detail. */
  | { readonly kind: 'already-indexed' }
  /** Nothing was written: the run did not reproduce the recording. */
  | { readonly kind: 'diverged'; readonly report: VerifyResult };

/** Meta rows of an indexed trace (docs/trace-format.md, `meta`). */
function indexMarks(): Record<string, string> {
  return {
    detail_source: 'index',
    indexed_at: new Date().toISOString(),
    indexed_by: `wtrace ${WTRACE_VERSION}, node ${process.version}, ${process.platform}-${process.arch}`,
  };
}

/**
 * Builds the detail of `file` on this thread (see `buildDetailIndex` for a large stack). Throws
 * the trace layer's errors for a bad or incomplete trace and `UnsupportedWasmError` when the
 * module cannot be instrumented; a divergence is returned, not thrown.
 */
export async function indexHere(file: string, options: IndexRunOptions): Promise<IndexRunOutcome> {
  const reader = TraceReader.open(file);
  let writer: TraceWriter | null = null;
  let replaced = false;
  try {
    const summary = reader.summary();
    if (detailState(file, summary) === 'indexed') return { kind: 'already-indexed' };
    const bytes = reader.verifiedModuleBytes();
    const imports = reader.imports();
    const recorded = [...reader.importCallCounts().values()].reduce((a, b) => a + b, 0);
    const names = readModuleInfo(bytes).functionNames;
    const plan = await planFullDetail(bytes, file);
    const w = (writer = TraceWriter.create(options.replacement, startOf(summary, bytes, imports)));
    const progress = new ProgressThrottle(options.progress, options.progressEveryMs);
    let replay: LoggingReplay | null = null;
    let now = () => 0n;
    const calls = () => replay?.callsReplayed ?? 0;
    let end: RecordingEnd;
    try {
      end = runProgram({
        module: null,
        plan,
        writer: w,
        bounds: {},
        store: reportingStore(options.compression ? offThreadStore(options.compression, w) : undefined, w, (t) => progress.atChunk(t, calls())),
        invoke: summary.invoke,
        names,
        programImports: (clock, onCall) => {
          now = clock!;
          replay = loggingReplay(imports, reader.importCalls(), w, clock!, (time) => {
            onCall!(time);
            progress.atCall(time, calls());
          });
          return replay.imports;
        },
        bindMemory: (memory) => replay!.bind(memory),
      });
    } catch (e) {
      if (e instanceof LogMismatch) {
        const divergence = mismatchDivergence(e, names, plan.instrumented.pcMap());
        return diverged(summary, recorded, calls(), now(), { kind: 'diverged' }, divergence);
      }
      if (!(e instanceof LogExhausted)) throw e;
      const divergence = endDivergence(summary, { kind: 'log-ended' }, now(), calls(), recorded);
      return diverged(summary, recorded, calls(), now(), { kind: 'log-ended' }, divergence!);
    }
    const instructions = end.instructionCount!;
    const divergence = endDivergence(summary, runEndOf(end), instructions, calls(), recorded);
    if (divergence !== null) return diverged(summary, recorded, calls(), instructions, runEndOf(end), divergence);
    progress.final(instructions, calls());
    w.finish(end); // closes the writer
    writer = null;
    replaceTrace(file, options.replacement, indexMarks());
    replaced = true;
    return { kind: 'indexed', instructions, importCalls: calls() };
  } finally {
    writer?.close();
    reader.close();
    if (!replaced) discardReplacement(options.replacement);
  }
}

/** The new trace's start: the original's, with full detail and no bounds. */
function startOf(summary: TraceSummary, bytes: Uint8Array, imports: readonly ImportInfo[]): RecordingStart {
  const m = summary.module;
  return {
    module: { name: m.name, fileName: m.fileName, bytes, codeOffset: m.codeOffset ?? undefined },
    detail: 'full',
    argv: summary.argv,
    env: summary.env,
    preopens: summary.preopens,
    invoke: summary.invoke,
    stubUnknown: imports.some((i) => i.stubbed), // replaced by the original's flag (replaceTrace)
    imports,
  };
}

function diverged(
  summary: TraceSummary,
  recorded: number,
  replayed: number,
  instructions: bigint,
  end: VerifyResult['end'],
  divergence: NonNullable<VerifyResult['divergence']>,
): IndexRunOutcome {
  return {
    kind: 'diverged',
    report: { reproduced: false, importCallsReplayed: replayed, importCallsRecorded: recorded, instructions, end, complete: summary.complete, divergence },
  };
}
