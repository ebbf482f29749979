/**
 * Compresses detail chunks on the main thread while the program runs on the worker: the two
 * CPUs of a recording machine work in parallel instead of the program waiting for zstd (which
 * measured 200-420 MB/s here against up to 450 MB/s of raw events). Only the worker writes the
 * trace: it posts each raw chunk to the main thread and collects the compressed chunk with
 * `receiveMessageOnPort` at its next chance, in order. When `MAX_IN_FLIGHT` chunks are already
 * waiting, the worker stores the next one raw instead of waiting: the program never stalls on
 * compression, and the trace is at worst larger.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { compressDetail } from '../trace/detailCodec.js';
import type { TraceWriter } from '../trace/index.js';
import type { DetailChunkStore } from './detailRecorder.js';

/** Chunks posted and not yet collected before the worker stores raw instead. */
const MAX_IN_FLIGHT = 8;
/**
 * Returned buffers kept for `spare`: more than the worker can ever ask for at once (the chunks in
 * flight plus the one being filled), so a caller that never asks does not keep them all alive.
 */
const MAX_SPARES = MAX_IN_FLIGHT + 2;

interface ChunkMessage {
  readonly index: number;
  readonly data: Uint8Array;
  /** Coming back: the raw chunk's buffer, returned for the worker to fill again. */
  readonly spent?: ArrayBuffer;
  readonly rawSize: number;
  readonly firstTime: bigint;
  readonly endTime: bigint;
  readonly count: number;
}

/** Shared between the threads: [chunks compressed and posted back by the main thread]. */
export interface CompressionChannel {
  readonly port: MessagePort;
  readonly done: SharedArrayBuffer;
}

/** Main thread: compresses every chunk arriving on `port` and posts it back. */
export function serveCompression(port: MessagePort, done: SharedArrayBuffer): void {
  const counter = new Int32Array(done);
  port.on('message', (m: ChunkMessage) => {
    // The compressed bytes are copied back, not transferred: zstd's output buffer may share
    // memory with other buffers. The raw chunk's buffer goes back for reuse.
    const spent = m.data.buffer as ArrayBuffer;
    port.postMessage({ ...m, data: compressDetail(m.data), spent } satisfies ChunkMessage, [spent]);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  });
  port.unref();
}

/** Worker side: the `DetailChunkStore` that sends chunks to `serveCompression` and writes them back in order. */
export function offThreadStore(channel: CompressionChannel, writer: TraceWriter): DetailChunkStore {
  const counter = new Int32Array(channel.done);
  let posted = 0;
  let collected = 0;
  const spares: ArrayBuffer[] = [];
  const keep = (buffer: ArrayBuffer) => {
    if (spares.length < MAX_SPARES) spares.push(buffer);
  };
  const collect = () => {
    for (let m = receiveMessageOnPort(channel.port); m !== undefined; m = receiveMessageOnPort(channel.port)) {
      const c = m.message as ChunkMessage;
      writer.appendEncodedDetail(c.data, 'zstd', c.rawSize, c.firstTime, c.endTime, c.count, c.index);
      if (c.spent !== undefined) keep(c.spent);
      collected++;
    }
  };
  return {
    append(events, firstTime, endTime, count) {
      collect();
      const index = writer.reserveDetailIndex(); // readers order chunks by index, not by arrival
      if (posted - collected >= MAX_IN_FLIGHT) {
        writer.appendEncodedDetail(events, 'raw', events.length, firstTime, endTime, count, index);
        keep(events.buffer as ArrayBuffer); // SQLite copied it
        return;
      }
      // The chunk is ours (DetailChunkStore.append): transferred, not copied.
      const data = events;
      channel.port.postMessage({ index, data, rawSize: data.length, firstTime, endTime, count } satisfies ChunkMessage, [data.buffer as ArrayBuffer]);
      posted++;
    },
    flush: () => waitForAll(),
    spare(bytes) {
      collect();
      for (let i = spares.length - 1; i >= 0; i--) {
        if (spares[i].byteLength >= bytes) return new Uint8Array(spares.splice(i, 1)[0]);
      }
      return null;
    },
  };

  /** Blocks until every posted chunk came back and is written. */
  function waitForAll(): void {
    collect();
    while (collected < posted) {
      Atomics.wait(counter, 0, Atomics.load(counter, 0), 50);
      collect();
    }
  }
}
