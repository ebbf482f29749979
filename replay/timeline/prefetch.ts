/**
 * Background reading for a timeline opened from its stored index: what the index pass leaves in
 * memory as a side effect (decompressed chunks, the checkpoints' pages) is read and decompressed
 * on a worker thread after the open, so that the first visits to distant times do not pay for
 * it. The timeline takes what has arrived, synchronously, when it is about to read something
 * itself (`drain`); whatever has not arrived yet it reads on its own, as without the prefetcher.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { workerUrl } from '../../src/runtime/bigStackWorker.js';
import type { PrefetchMessage, PrefetchWorkerData } from './prefetchWorker.js';

export class Prefetcher {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private open = true;
  /** Settles when the worker has stopped (done, failed or terminated); what it sent is then waiting in the port. */
  readonly done: Promise<void>;

  constructor(data: Omit<PrefetchWorkerData, 'port'>) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerUrl(import.meta.url, 'prefetchWorker'), { workerData: { ...data, port: port2 }, transferList: [port2] });
    this.worker.on('error', () => {}); // reading ahead is optional: a failure only means the timeline reads for itself
    this.done = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.unref();
  }

  /** `done`, keeping the process alive until then (the worker alone does not). */
  whenDone(): Promise<void> {
    if (this.open) this.worker.ref();
    return this.done;
  }

  /** Hands every message that has arrived to `take`. */
  drain(take: (m: PrefetchMessage) => void): void {
    if (!this.open) return;
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) take(m.message as PrefetchMessage);
  }

  /** Stops the worker (idempotent). */
  close(): void {
    if (!this.open) return;
    this.open = false;
    void this.worker.terminate();
    this.port.close();
  }
}

/** A prefetcher, or null when its worker cannot be started (reading ahead is optional). */
export function startPrefetcher(data: Omit<PrefetchWorkerData, 'port'>): Prefetcher | null {
  try {
    return new Prefetcher(data);
  } catch {
    return null;
  }
}
