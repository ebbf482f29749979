/**
 * Runs a task on a worker thread with a large stack and WAITS for it: the calling thread blocks
 * (Atomics.wait) until the worker has posted its outcome. For work that a synchronous API must
 * do off the main stack: the replay engine's motions are synchronous, and re-executing a
 * program to find breakpoint hits needs the big stack recording had. Blocking the main thread
 * is the point; use it only where the caller cannot await.
 */
import { MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { ExitCode, WtraceError } from '../errors.js';
import { DEFAULT_STACK_MB } from './bigStackWorker.js';

interface SyncWorkerData {
  readonly flag: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly data: unknown;
}

type Outcome<T> = { ok: T } | { error: { name: string; message: string; code?: string; exitCode?: number } };

/** Starts `entry` (a module calling `syncWorkerMain`) with `data` and returns what its task returns, or throws its error. */
export function runOnWorkerSync<T>(entry: URL, data: unknown, options: { stackSizeMb?: number } = {}): T {
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(entry, {
    workerData: { flag, port: port2, data } satisfies SyncWorkerData,
    transferList: [port2],
    resourceLimits: { stackSizeMb: options.stackSizeMb ?? DEFAULT_STACK_MB },
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  try {
    const cell = new Int32Array(flag);
    // Wake up now and then to notice a worker that died without answering.
    while (Atomics.wait(cell, 0, 0, 1000) === 'timed-out') {
      const early = receiveMessageOnPort(port1);
      if (early !== undefined) return unwrap<T>(early.message as Outcome<T>);
      if (worker.threadId === -1) break;
    }
    const message = receiveMessageOnPort(port1);
    if (message === undefined) throw new WtraceError('internal', 'the worker thread ended without an answer', ExitCode.internal);
    return unwrap<T>(message.message as Outcome<T>);
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/** Worker side of `runOnWorkerSync`: runs `task` on the caller's data and hands back its outcome. */
export function syncWorkerMain<D, T>(task: (data: D) => T): void {
  const { flag, port, data } = workerData as SyncWorkerData;
  let outcome: Outcome<T>;
  try {
    outcome = { ok: task(data as D) };
  } catch (e) {
    const err = e as Error;
    outcome = {
      error: {
        name: err?.name ?? 'Error',
        message: err?.message ?? String(e),
        code: e instanceof WtraceError ? e.code : undefined,
        exitCode: e instanceof WtraceError ? e.exitCode : undefined,
      },
    };
  }
  port.postMessage(outcome);
  const cell = new Int32Array(flag);
  Atomics.store(cell, 0, 1);
  Atomics.notify(cell, 0);
  port.close();
}

function unwrap<T>(outcome: Outcome<T>): T {
  if ('ok' in outcome) return outcome.ok;
  const e = outcome.error;
  if (e.code !== undefined && e.exitCode !== undefined) {
    const err = new WtraceError(e.code, e.message, e.exitCode);
    err.name = e.name;
    throw err;
  }
  const err = new Error(e.message);
  err.name = e.name;
  throw err;
}
