/**
 * Runs a task on a worker thread with a large stack, and carries its result or error back.
 * Recording and re-execution both use it: V8's main-thread stack (about 1 MB) is far smaller
 * than what deeply recursive programs need, while a worker's stack is whatever we ask for.
 * Typed errors (`WtraceError`) keep their code and exit code across the thread boundary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, Worker, workerData, type Transferable } from 'node:worker_threads';
import { ExitCode, WtraceError } from '../errors.js';

/** Default stack for guest programs, in MiB (virtual: untouched pages cost nothing). */
export const DEFAULT_STACK_MB = 256;

interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  exitCode?: number;
}

/** What the task posts when it ends; any other message is a request for `onStart`'s handlers. */
type Outcome<T> = { ok: T } | { error: SerializedError };

/**
 * Starts `entry` (a module URL that calls `workerMain`) with `data` and resolves with what its
 * task returns. `onStart` sees the worker before the task runs (to serve its requests).
 */
export function runOnWorker<T>(
  entry: URL,
  data: unknown,
  options: { stackSizeMb?: number; onStart?: (worker: Worker) => void; transferList?: Transferable[] } = {},
): Promise<T> {
  const worker = new Worker(entry, {
    workerData: data,
    transferList: options.transferList as never,
    resourceLimits: { stackSizeMb: options.stackSizeMb ?? DEFAULT_STACK_MB },
    // The worker needs none of the embedder's Node flags (some, like --input-type, break it).
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  options.onStart?.(worker);
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: Outcome<T> | { type: string }) => {
      if ('ok' in m) resolve(m.ok);
      else if ('error' in m) reject(revive(m.error));
      else return; // a request for onStart's handlers
      settled = true;
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new WtraceError('internal', `worker thread exited with code ${code}`, ExitCode.internal));
    });
  });
}

/** Worker side: runs `task` on the data given to `runOnWorker` and posts its outcome. */
export async function workerMain<D, T>(task: (data: D) => T | Promise<T>): Promise<void> {
  let outcome: Outcome<T>;
  try {
    outcome = { ok: await task(workerData as D) };
  } catch (e) {
    const err = e as Error;
    outcome = {
      error: {
        name: err?.name ?? 'Error',
        message: err?.message ?? String(e),
        stack: err?.stack,
        code: e instanceof WtraceError ? e.code : undefined,
        exitCode: e instanceof WtraceError ? e.exitCode : undefined,
      },
    };
  }
  parentPort!.postMessage(outcome);
}

/**
 * The URL of the worker entry `name` in the folder of `base` (an `import.meta.url`). When
 * running from TypeScript sources (tests), only compiled workers can start, so the same file
 * in the build (dist/, mirroring the source tree) is used.
 */
export function workerUrl(base: string, name: string): URL {
  if (!base.endsWith('.ts')) return new URL(`./${name}.js`, base);
  let dir = path.dirname(fileURLToPath(base));
  const rel: string[] = [];
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    rel.unshift(path.basename(dir));
    dir = path.dirname(dir);
  }
  return pathToFileURL(path.join(dir, 'dist', ...rel, `${name}.js`));
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
