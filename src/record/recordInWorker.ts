/**
 * `record()`: runs a recording on a worker thread whose stack is large enough for programs that
 * recurse deeply (V8's default main-thread stack is about 1 MB; wasmtime's default is 512 KiB of
 * much smaller frames). The program's stdio is the process's own descriptors, used directly.
 */
import { Worker } from 'node:worker_threads';
import { ExitCode, WtraceError } from '../errors.js';
import type { RecordOptions, RecordResult } from './recordSession.js';
import { createRelayBuffers, serveStdin } from './stdinRelay.js';

export interface WorkerOptions {
  /** Stack of the thread the program runs on, in MiB. */
  readonly stackSizeMb?: number;
}

/** Default stack for recorded programs (MiB). Measured: 20,000-deep C recursion needs far less. */
export const DEFAULT_STACK_MB = 256;

export function record(options: RecordOptions & WorkerOptions): Promise<RecordResult> {
  const url = import.meta.url.endsWith('.ts')
    ? new URL('../../dist/src/record/recordWorker.js', import.meta.url) // running from source (tests): use the build
    : new URL('./recordWorker.js', import.meta.url);
  const { stackSizeMb = DEFAULT_STACK_MB, ...recordOptions } = options;
  const stdin = createRelayBuffers();
  const worker = new Worker(url, {
    workerData: { options: recordOptions, stdin },
    resourceLimits: { stackSizeMb },
    // The worker needs none of the embedder's Node flags (some, like --input-type, break it).
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  const releaseStdin = serveStdin(worker, stdin);
  worker.on('exit', releaseStdin);
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: { ok?: RecordResult; error?: SerializedError }) => {
      if (m.ok === undefined && m.error === undefined) return; // a stdin request
      settled = true;
      if (m.ok) resolve(m.ok);
      else reject(revive(m.error!));
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new WtraceError('internal', `recording worker exited with code ${code}`, ExitCode.internal));
    });
  });
}

interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  exitCode?: number;
}

function revive(e: SerializedError): Error {
  if (e.code !== undefined && e.exitCode !== undefined) {
    const err = new WtraceError(e.code, e.message, e.exitCode);
    err.name = e.name;
    return err;
  }
  const err = new Error(e.message);
  err.name = e.name;
  err.stack = e.stack;
  return err;
}
