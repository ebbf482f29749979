/**
 * `record()`: runs a recording on a worker thread whose stack is large enough for programs that
 * recurse deeply (V8's default main-thread stack is about 1 MB; wasmtime's default is 512 KiB of
 * much smaller frames). The main thread serves the program's stdin (stdinRelay.ts); stdout and
 * stderr are the process's own descriptors, written directly by the worker.
 */
import { DEFAULT_STACK_MB, runOnWorker, workerUrl } from '../runtime/bigStackWorker.js';
import type { RecordOptions, RecordResult } from './recordSession.js';
import { createRelayBuffers, serveStdin } from './stdinRelay.js';
import { MessageChannel } from 'node:worker_threads';
import { serveCompression } from './offThreadCompression.js';

export { DEFAULT_STACK_MB };

export interface WorkerOptions {
  /** Stack of the thread the program runs on, in MiB (default `DEFAULT_STACK_MB`). */
  readonly stackSizeMb?: number;
}

export function record(options: RecordOptions & WorkerOptions): Promise<RecordResult> {
  const { stackSizeMb, ...recordOptions } = options;
  const stdin = createRelayBuffers();
  // Detail chunks are compressed here, on the main thread, while the program runs on the worker.
  const { port1, port2 } = new MessageChannel();
  const done = new SharedArrayBuffer(4);
  serveCompression(port1, done);
  return runOnWorker<RecordResult>(
    workerUrl(import.meta.url, 'recordWorker'),
    { options: recordOptions, stdin, compression: { port: port2, done } },
    {
      stackSizeMb,
      transferList: [port2],
      onStart: (worker) => {
        const release = serveStdin(worker, stdin);
        worker.on('exit', () => {
          release();
          port1.close();
        });
      },
    },
  );
}
