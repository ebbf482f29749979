/**
 * `buildDetailIndex`: makes a trace recorded with `--detail inputs` as debuggable as one recorded
 * with `--detail full`, by re-executing its module from the input log (as `wtrace replay
 * --verify` does, every import call checked) with the full-detail instrumentation, on a worker
 * thread with a large stack, while this thread compresses detail chunks. Afterwards the trace
 * holds the detail events and keyframes a `--detail full` recording of the same run holds, and
 * `Timeline.open` accepts it. Idempotent: a trace with complete detail is left alone.
 *
 * Atomic: the new trace is written beside the old one and renamed over it only when the run
 * matched the recording to its end. A divergence, an error, Ctrl-C or a crash leaves the trace
 * byte for byte as it was (SIGKILL may leave the replacement `<trace>.index-<pid>.tmp` behind).
 */
import { MessageChannel } from 'node:worker_threads';
import { serveCompression } from '../../src/record/offThreadCompression.js';
import { runOnWorker, workerUrl } from '../../src/runtime/bigStackWorker.js';
import { discardReplacement, replacementPath, TraceReader } from '../../src/trace/index.js';
import type { IndexRunOutcome } from './indexRun.js';
import type { IndexProgressMessage, IndexWorkerData } from './indexWorker.js';
import { detailState, type DetailState } from './traceState.js';
import { IndexDivergenceError, type DetailIndexOptions, type DetailIndexResult } from './types.js';

/**
 * Builds the detail index of `file` in place (see the module comment). Resolves with what the
 * trace holds afterwards. Throws `IndexDivergenceError` (exit code 6) when re-execution does not
 * reproduce the recording, `IncompleteTraceError` for a trace whose recorder stopped early, the
 * trace layer's errors for a missing, foreign or damaged file, and `OutputError` when the trace
 * or its directory is read-only. A trace recorded with `--window`/`--last` gets detail for the
 * whole run, replacing the windowed detail.
 */
export async function buildDetailIndex(file: string, options: DetailIndexOptions = {}): Promise<DetailIndexResult> {
  const started = performance.now();
  const before = inspect(file);
  const seconds = () => (performance.now() - started) / 1000;
  if (before.state === 'indexed') return { ...contents(file), status: 'already-indexed', replaced: null, seconds: seconds() };

  const replacement = replacementPath(file, 'index');
  const discard = () => discardReplacement(replacement);
  process.once('exit', discard); // Ctrl-C: bin/wtrace.js exits at once
  const { port1, port2 } = new MessageChannel();
  const done = new SharedArrayBuffer(4);
  serveCompression(port1, done);
  const { onProgress } = options;
  try {
    const data: IndexWorkerData = { file, replacement, compression: { port: port2, done }, progress: onProgress !== undefined, progressEveryMs: options.progressEveryMs };
    const outcome = await runOnWorker<IndexRunOutcome>(workerUrl(import.meta.url, 'indexWorker'), data, {
      stackSizeMb: options.stackSizeMb,
      transferList: [port2],
      onStart: (worker) => {
        worker.on('message', (m: IndexProgressMessage | object) => {
          if ('type' in m && m.type === 'index-progress') onProgress?.(m.done, before.instructions, { done: m.calls, total: before.importCalls });
        });
        worker.on('exit', () => port1.close());
      },
    });
    if (outcome.kind === 'diverged') throw new IndexDivergenceError(file, outcome.report);
    const replaced = outcome.kind === 'indexed' ? before.state : null;
    return { ...contents(file), status: outcome.kind, replaced, seconds: seconds() };
  } finally {
    discard();
    process.off('exit', discard);
  }
}

/** The trace's detail state and the run's size as far as the trace knows it. */
function inspect(file: string): { state: DetailState; instructions: bigint | null; importCalls: number } {
  const reader = TraceReader.open(file);
  try {
    const summary = reader.summary();
    const state = detailState(file, summary);
    const importCalls = [...reader.importCallCounts().values()].reduce((a, b) => a + b, 0);
    return { state, instructions: summary.instructionCount, importCalls };
  } finally {
    reader.close();
  }
}

/** What the trace holds now, for the result. */
function contents(file: string): Omit<DetailIndexResult, 'status' | 'replaced' | 'seconds'> {
  const reader = TraceReader.open(file);
  try {
    const d = reader.detailSummary();
    return {
      instructions: reader.summary().instructionCount ?? 0n,
      importCalls: [...reader.importCallCounts().values()].reduce((a, b) => a + b, 0),
      events: d.events,
      keyframes: d.keyframes,
      detailBytes: d.storedBytes + d.pageBytes,
    };
  } finally {
    reader.close();
  }
}
