/** Worker-thread entry of `record()`: one recording on the worker's large stack. */
import { parentPort } from 'node:worker_threads';
import { workerMain } from '../runtime/bigStackWorker.js';
import { recordHere, type RecordOptions } from './recordSession.js';
import { relayedStdin, type StdinRelayBuffers } from './stdinRelay.js';

workerMain(({ options, stdin }: { options: RecordOptions; stdin: StdinRelayBuffers }) =>
  recordHere(options, (onBlock) => relayedStdin(parentPort!, stdin, onBlock)),
);
