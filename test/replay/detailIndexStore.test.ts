/**
 * The index run's detail chunk store (`reportingStore` in replay/detailIndex/progress.ts) in
 * front of the recorder's real off-thread compressor and a real trace writer: it reports each
 * chunk's end time, hands the recorder the buffers the compressor returned (`spare`: without it
 * the index allocated a fresh 8 MiB buffer per chunk and kept every returned one alive), and
 * leaves in the trace exactly the chunks appended. Also: the compressor keeps only a bounded
 * number of returned buffers for a caller that never asks for them.
 */
import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { reportingStore } from '../../replay/detailIndex/progress.js';
import { offThreadStore, serveCompression, type CompressionChannel } from '../../src/record/offThreadCompression.js';
import { TraceReader, TraceWriter, type RecordingStart } from '../../src/trace/index.js';
import { tempDir } from '../helpers/run.js';

const start: RecordingStart = {
  module: { name: 'demo', fileName: 'demo.wasm', bytes: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), codeOffset: undefined },
  detail: 'full',
  argv: ['demo.wasm'],
  env: [],
  preopens: [],
  invoke: null,
  stubUnknown: false,
  imports: [],
};

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A compressor served on this thread's event loop, and the worker side's channel to it. */
function compressor(): { channel: CompressionChannel; compressed: () => number } {
  const { port1, port2 } = new MessageChannel();
  const done = new SharedArrayBuffer(4);
  serveCompression(port1, done);
  closers.push(() => {
    port1.close();
    port2.close();
  });
  const counter = new Int32Array(done);
  return { channel: { port: port2, done }, compressed: () => Atomics.load(counter, 0) };
}

/** Lets the event loop run (the compressor answers there) until `n` chunks came back. */
async function untilCompressed(compressed: () => number, n: number): Promise<void> {
  while (compressed() < n) await new Promise((resolve) => setImmediate(resolve));
}

/** A chunk of `size` bytes, different for every `seed`, in a buffer of `capacity` bytes (as the batching makes them). */
function chunk(seed: number, size: number, capacity: number): Uint8Array {
  const events = new Uint8Array(capacity).subarray(0, size);
  for (let i = 0; i < size; i++) events[i] = (i * 7 + seed) & 0xff;
  return events;
}

describe("the index run's chunk store", () => {
  it('reports each chunk, hands back the buffers the compressor returned, and stores the chunks as appended', async () => {
    const file = path.join(tempDir(), 'store.wtrace');
    const writer = TraceWriter.create(file, start);
    const { channel, compressed } = compressor();
    const seen: bigint[] = [];
    const store = reportingStore(offThreadStore(channel, writer), writer, (time) => seen.push(time));
    const expected = [chunk(1, 3000, 8192), chunk(2, 5000, 8192)].map((c) => c.slice());

    expect(store.spare).toBeTypeOf('function');
    expect(store.spare!(8192)).toBeNull(); // nothing came back yet
    store.append(chunk(1, 3000, 8192), 0n, 99n, 10);
    await untilCompressed(compressed, 1);
    const reused = store.spare!(8192);
    expect(reused?.byteLength).toBe(8192); // the first chunk's whole buffer, back from the compressor
    expect(store.spare!(8192)).toBeNull(); // and only once

    reused!.set(expected[1]);
    store.append(reused!.subarray(0, 5000), 100n, 250n, 20);
    await untilCompressed(compressed, 2);
    store.flush();
    writer.finish({ outcome: 'exit', exitCode: 0, instructionCount: 250n });
    expect(seen).toEqual([99n, 250n]);

    const reader = TraceReader.open(file);
    try {
      const chunks = [...reader.detailChunks()];
      expect(chunks.map((c) => [c.firstTime, c.endTime, c.eventCount])).toEqual([[0n, 99n, 10], [100n, 250n, 20]]);
      expect(chunks.map((c, i) => Buffer.from(c.events).equals(Buffer.from(expected[i])))).toEqual([true, true]);
    } finally {
      reader.close();
    }
  });

  it('compresses on this thread through the writer when there is no off-thread store', () => {
    const file = path.join(tempDir(), 'here.wtrace');
    const writer = TraceWriter.create(file, start);
    const seen: bigint[] = [];
    const store = reportingStore(undefined, writer, (time) => seen.push(time));
    const events = chunk(3, 4000, 4000);
    store.append(events, 5n, 60n, 7);
    store.flush();
    writer.finish({ outcome: 'exit', exitCode: 0, instructionCount: 60n });
    expect(seen).toEqual([60n]);
    const reader = TraceReader.open(file);
    try {
      const [only, ...rest] = [...reader.detailChunks()];
      expect(rest).toHaveLength(0);
      expect([only.firstTime, only.endTime, only.eventCount]).toEqual([5n, 60n, 7]);
      expect(Buffer.from(only.events).equals(Buffer.from(chunk(3, 4000, 4000)))).toBe(true);
    } finally {
      reader.close();
    }
  });
});

describe('the off-thread compressor', () => {
  it('keeps a bounded number of returned buffers when nobody asks for them', async () => {
    const file = path.join(tempDir(), 'bounded.wtrace');
    const writer = TraceWriter.create(file, start);
    const { channel, compressed } = compressor();
    const store = offThreadStore(channel, writer);
    const n = 30;
    for (let i = 0; i < n; i++) {
      store.append(chunk(i, 1000, 1024), BigInt(i * 10), BigInt(i * 10 + 9), 1);
      await untilCompressed(compressed, i + 1); // never more than one in flight: none stored raw
    }
    store.flush();
    let kept = 0;
    while (store.spare!(1024) !== null) kept++;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(10); // MAX_IN_FLIGHT + 2, far fewer than the 30 chunks
    writer.finish({ outcome: 'exit', exitCode: 0, instructionCount: BigInt(n * 10) });
    const reader = TraceReader.open(file);
    try {
      expect([...reader.detailChunks()].map((c) => c.endTime)).toEqual(Array.from({ length: n }, (_, i) => BigInt(i * 10 + 9)));
    } finally {
      reader.close();
    }
  });
});
