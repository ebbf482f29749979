/**
 * Worker-thread entry of `record()`: runs one recording with the worker's large stack and posts
 * back either the result or the error (typed errors keep their code and exit code).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WtraceError } from '../errors.js';
import { recordHere, type RecordOptions } from './recordSession.js';
import { relayedStdin, type StdinRelayBuffers } from './stdinRelay.js';

const { options, stdin } = workerData as { options: RecordOptions; stdin: StdinRelayBuffers };
try {
  const result = recordHere(options, (onBlock) => relayedStdin(parentPort!, stdin, onBlock));
  parentPort!.postMessage({ ok: result });
} catch (e) {
  const err = e as Error;
  parentPort!.postMessage({
    error: {
      name: err?.name ?? 'Error',
      message: err?.message ?? String(e),
      stack: err?.stack,
      code: e instanceof WtraceError ? e.code : undefined,
      exitCode: e instanceof WtraceError ? e.exitCode : undefined,
    },
  });
}
