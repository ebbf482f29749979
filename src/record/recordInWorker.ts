/**
 * `record()`: runs a recording on a worker thread whose stack is large enough for programs that
 * recurse deeply (V8's default main-thread stack is about 1 MB; wasmtime's default is 512 KiB of
 * much smaller frames). The main thread serves the program's stdin (stdinRelay.ts); stdout and
 * stderr are the process's own descriptors, written directly by the worker.
 */
import { DEFAULT_STACK_MB, runOnWorker, workerUrl } from '../runtime/bigStackWorker.js';
import type { RecordOptions, RecordResult } from './recordSession.js';
import { createRelayBuffers, serveStdin } from './stdinRelay.js';

export { DEFAULT_STACK_MB };

export interface WorkerOptions {
  /** Stack of the thread the program runs on, in MiB (default `DEFAULT_STACK_MB`). */
  readonly stackSizeMb?: number;
}

export function record(options: RecordOptions & WorkerOptions): Promise<RecordResult> {
  const { stackSizeMb, ...recordOptions } = options;
  const stdin = createRelayBuffers();
  return runOnWorker<RecordResult>(workerUrl(import.meta.url, 'recordWorker'), { options: recordOptions, stdin }, {
    stackSizeMb,
    onStart: (worker) => {
      const release = serveStdin(worker, stdin);
      worker.on('exit', release);
    },
  });
}
