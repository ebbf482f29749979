/** Worker-thread entry of `buildDetailIndex`: one index build on the worker's large stack. */
import { parentPort } from 'node:worker_threads';
import { workerMain } from '../../src/runtime/bigStackWorker.js';
import type { CompressionChannel } from '../../src/record/index.js';
import { indexHere } from './indexRun.js';

/** What `buildDetailIndex` gives the worker. */
export interface IndexWorkerData {
  readonly file: string;
  readonly replacement: string;
  readonly compression: CompressionChannel;
  /** Post `IndexProgressMessage`s to the parent. */
  readonly progress: boolean;
  /** Least time between two of them (`DetailIndexOptions.progressEveryMs`). */
  readonly progressEveryMs?: number;
}

/** A progress report on its way to the main thread. */
export interface IndexProgressMessage {
  readonly type: 'index-progress';
  readonly done: bigint;
  readonly calls: number;
}

workerMain(({ file, replacement, compression, progress, progressEveryMs }: IndexWorkerData) =>
  indexHere(file, {
    replacement,
    compression,
    progress: progress ? (done, calls) => parentPort!.postMessage({ type: 'index-progress', done, calls } satisfies IndexProgressMessage) : null,
    progressEveryMs,
  }),
);
