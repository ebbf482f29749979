/**
 * Worker entry of the stored index's prefetcher (prefetch.ts): reads the trace on its own
 * connection and sends back, in order, the checkpoints' page groups (every checkpoint's memory
 * reads them) and then the decompressed detail chunks (up to a byte budget). Anything it cannot read it skips: the timeline reads that
 * itself when it needs it, and reports the damage then.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { TraceReader } from '../../src/trace/index.js';

export interface PrefetchWorkerData {
  readonly file: string;
  /** The chunks' `chunk_index` in the file, in timeline order. */
  readonly chunks: readonly number[];
  /** Stop sending chunks once this many decompressed bytes were sent. */
  readonly chunkBudget: number;
  /** Raw size of each page group, by group index. */
  readonly groupSizes: readonly number[];
  readonly port: MessagePort;
}

export type PrefetchMessage =
  | { readonly kind: 'chunk'; readonly index: number; readonly eventCount: number; readonly bytes: Uint8Array }
  | { readonly kind: 'group'; readonly index: number; readonly bytes: Uint8Array };

/** `bytes` in a buffer of its own (transferable without taking a shared pool along). */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

const data = workerData as PrefetchWorkerData;
const send = (m: PrefetchMessage) => data.port.postMessage(m, [m.bytes.buffer as ArrayBuffer]);
const reader = TraceReader.open(data.file);
try {
  const groups = reader.timelinePageGroups();
  for (const [index, size] of data.groupSizes.entries()) {
    try {
      const bytes = groups.group(index, size);
      if (bytes !== null) send({ kind: 'group', index, bytes: own(bytes) });
    } catch {
      /* a damaged group: likewise */
    }
  }
  let sent = 0;
  for (const [index, stored] of data.chunks.entries()) {
    if (sent >= data.chunkBudget) break;
    try {
      const c = reader.detailChunk(stored);
      sent += c.events.length;
      send({ kind: 'chunk', index, eventCount: c.eventCount, bytes: own(c.events) });
    } catch {
      /* a damaged chunk: the timeline meets it itself */
    }
  }
} finally {
  reader.close();
  data.port.close();
}
