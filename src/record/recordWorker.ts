/** Worker-thread entry of `record()`: one recording on the worker's large stack. */
import { parentPort } from 'node:worker_threads';
import { workerMain } from '../runtime/bigStackWorker.js';
import { recordHere, type RecordOptions } from './recordSession.js';
import { relayedStdin, type StdinRelayBuffers } from './stdinRelay.js';
import { offThreadStore, type CompressionChannel } from './offThreadCompression.js';

interface RecordWorkerData {
  readonly options: RecordOptions;
  readonly stdin: StdinRelayBuffers;
  readonly compression: CompressionChannel;
}

workerMain(({ options, stdin, compression }: RecordWorkerData) =>
  recordHere(
    options,
    (onBlock) => relayedStdin(parentPort!, stdin, onBlock),
    (writer) => offThreadStore(compression, writer),
  ),
);
