/**
 * Stdin for a recording that runs on a worker thread, read by the main thread. The worker asks
 * for bytes and waits on shared memory; if no answer comes within `WAIT_BEFORE_BLOCK_MS`, the
 * program is about to wait for input, and the worker runs `onBlock` (the recorder commits its
 * log) before waiting on. So the log is committed exactly when the program blocks on stdin,
 * never once per read: a program killed while it waits for input leaves everything up to the
 * wait in its trace, and one that streams stdin pays nothing extra. Like wasmtime's stdin, the
 * relay reads ahead (up to 64 KiB at a time) and serves small reads from what it has.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import type { ByteSource } from '../wasi/index.js';

const IDLE = 0;
const PENDING = 1;
const DONE = 2;
const FAILED = 3;
/** Bytes one relayed read can carry. */
const CAPACITY = 64 * 1024;
/** How long a read may take before the worker treats it as waiting for input. */
const WAIT_BEFORE_BLOCK_MS = 20;

/** The shared memory of one relay: control words [state, length or errno] and the data. */
export interface StdinRelayBuffers {
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

export function createRelayBuffers(): StdinRelayBuffers {
  return { control: new SharedArrayBuffer(8), data: new SharedArrayBuffer(CAPACITY) };
}

interface ReadRequest {
  readonly type: 'stdin-read';
}

/**
 * Main thread: answers the worker's stdin requests from `process.stdin` (a stream, so pipes,
 * files and terminals all work without blocking the main thread). Stdin is first touched at the
 * program's first read. Returns a function that releases stdin when the recording is over.
 */
export function serveStdin(worker: Worker, buffers: StdinRelayBuffers): () => void {
  const control = new Int32Array(buffers.control);
  const data = new Uint8Array(buffers.data);
  const stdin = process.stdin;
  let waiting = false;
  let started = false;
  let ended = false;
  const respond = (state: number, value: number) => {
    waiting = false;
    Atomics.store(control, 1, value);
    Atomics.store(control, 0, state);
    Atomics.notify(control, 0);
  };
  const answer = () => {
    if (!waiting) return;
    const chunk = stdin.read() as Buffer | null;
    if (chunk !== null) {
      const n = Math.min(chunk.length, CAPACITY);
      data.set(chunk.subarray(0, n));
      if (n < chunk.length) stdin.unshift(chunk.subarray(n));
      respond(DONE, n);
    } else if (ended) {
      respond(DONE, 0);
    }
  };
  worker.on('message', (m: ReadRequest) => {
    if (m?.type !== 'stdin-read') return;
    waiting = true;
    if (!started) {
      started = true;
      stdin.on('readable', answer);
      stdin.on('end', () => {
        ended = true;
        answer();
      });
      stdin.on('error', () => {
        ended = true;
        if (waiting) respond(FAILED, 0);
      });
    }
    answer();
  });
  return () => {
    if (started) stdin.destroy();
  };
}

/** Worker side: a blocking ByteSource over the relay; `onBlock` runs when a read starts to wait. */
export function relayedStdin(port: MessagePort, buffers: StdinRelayBuffers, onBlock: () => void): ByteSource {
  const control = new Int32Array(buffers.control);
  const data = new Uint8Array(buffers.data);
  let ahead = new Uint8Array(0);
  return {
    read(target) {
      if (ahead.length === 0) {
        Atomics.store(control, 0, PENDING);
        port.postMessage({ type: 'stdin-read' } satisfies ReadRequest);
        if (Atomics.wait(control, 0, PENDING, WAIT_BEFORE_BLOCK_MS) === 'timed-out') {
          onBlock();
          Atomics.wait(control, 0, PENDING);
        }
        const state = Atomics.load(control, 0);
        const n = Atomics.load(control, 1);
        Atomics.store(control, 0, IDLE);
        if (state === FAILED) throw Object.assign(new Error('stdin read failed'), { code: 'EIO' });
        if (n === 0) return 0;
        ahead = data.slice(0, n);
      }
      const n = Math.min(target.length, ahead.length);
      target.set(ahead.subarray(0, n));
      ahead = ahead.subarray(n);
      return n;
    },
  };
}
