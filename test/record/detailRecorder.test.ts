/**
 * DetailRecorder's bounds over a real trace file, fed by a scripted source (a fake of the
 * instrumented instance: its clock and memory), so each rule is checked in isolation.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DetailRecorder, type DetailBounds } from '../../src/record/detailRecorder.js';
import { TraceReader, TraceWriter } from '../../src/trace/index.js';

/**
 * Feeds 10 buffers of 100 bytes (1 event each), the clock advancing 1000 instructions per
 * buffer, with an import call after each (where due keyframes are taken).
 */
function run(bounds: DetailBounds): { chunks: [bigint, bigint][]; keyframes: bigint[] } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-dr-')), 'd.wtrace');
  const writer = TraceWriter.create(file, {
    module: { name: 'm', fileName: 'm.wasm', bytes: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), codeOffset: undefined },
    detail: 'full', argv: [], env: [], preopens: [], invoke: null, stubUnknown: false, imports: [],
  });
  let time = 0n;
  const memory = new Uint8Array(65536);
  const recorder = new DetailRecorder(writer, { memory: () => memory, globals: () => [{ name: 'global 0', value: Number(time) }], now: () => time }, { chunkBytes: 100, ...bounds });
  recorder.start();
  for (let i = 0; i < 10; i++) {
    time += 1000n;
    memory[i] = i + 1;
    // Each buffer holds events from time t-999 to t (its summary says so); an import call follows at t+1.
    recorder.sink(new Uint8Array(100).fill(i), { count: 1, firstTime: time - 999n, lastTime: time });
    recorder.atImportCall(time + 1n);
  }
  recorder.finish();
  writer.finish({ outcome: 'exit', exitCode: 0, instructionCount: time });
  const reader = TraceReader.open(file);
  const chunks = [...reader.detailChunks()].map((c) => [c.firstTime, c.endTime] as [bigint, bigint]);
  const keyframes = reader.keyframes().map((k) => k.time);
  const last = reader.keyframes().at(-1)!;
  expect(reader.keyframeMemory(last).subarray(0, 10)).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  reader.close();
  return { chunks, keyframes };
}

describe('DetailRecorder', () => {
  it('keeps every chunk, with keyframes at the start, every N bytes and the end', () => {
    const r = run({ keyframeEveryBytes: 400 });
    expect(r.chunks).toHaveLength(10);
    expect(r.chunks[0]).toEqual([1n, 1000n]);
    expect(r.chunks[9]).toEqual([9001n, 10000n]);
    expect(r.keyframes).toEqual([0n, 4000n, 8000n, 10000n]);
  });

  it('keeps only chunks overlapping a window', () => {
    const r = run({ window: { from: 2500n, to: 4200n } });
    expect(r.chunks).toEqual([[2001n, 3000n], [3001n, 4000n], [4001n, 5000n]]);
    expect(r.keyframes).toEqual([10000n]);
  });

  it('keeps the chunks covering the last N instructions (flight recorder)', () => {
    const r = run({ last: 2500n });
    expect(r.chunks).toEqual([[7001n, 8000n], [8001n, 9000n], [9001n, 10000n]]);
    expect(r.keyframes).toEqual([10000n]);
  });
});
