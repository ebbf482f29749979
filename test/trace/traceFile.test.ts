import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, TraceFormatError, TraceReader, TraceVersionError, TraceWriter, traceInfo, type RecordingStart } from '../../src/trace/index.js';
import { OutputError } from '../../src/errors.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-trace-'));
});

const moduleBytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
const start: RecordingStart = {
  module: { name: 'demo', fileName: 'demo.wasm', bytes: moduleBytes, codeOffset: undefined },
  detail: 'inputs',
  argv: ['demo.wasm', 'a b'],
  env: ['X=1'],
  preopens: [{ hostPath: '/tmp/h', guestPath: '/data' }],
  invoke: null,
  stubUnknown: false,
  imports: [
    { functionIndex: 0, module: 'wasi_snapshot_preview1', name: 'fd_write', params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'], stubbed: false },
    { functionIndex: 1, module: 'wasi_snapshot_preview1', name: 'clock_time_get', params: ['i32', 'i64', 'i32'], results: ['i32'], stubbed: false },
  ],
};

function writeCalls(w: TraceWriter, n: number): void {
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      w.appendImportCall({ time: null, functionIndex: 0, args: [1, 100, 1, 200], result: 0, writes: [{ address: 200, bytes: new Uint8Array([5, 0, 0, 0]) }], output: [{ stream: 1, bytes: new TextEncoder().encode('hello') }] });
    } else {
      w.appendImportCall({ time: null, functionIndex: 1, args: [1, 1000n, 64], result: 0, writes: [{ address: 64, bytes: new Uint8Array(8).fill(i & 0xff) }], output: [] });
    }
  }
}

describe('trace file', () => {
  it('reads back what was written, in order, with the outcome', () => {
    const file = path.join(dir, 'a.wtrace');
    const w = TraceWriter.create(file, start);
    writeCalls(w, 1001);
    w.finish({ outcome: 'trap', exitCode: 134, trap: { message: 'integer divide by zero', functionIndex: 7, functionName: 'divide', pc: 0x1a3 }, instructionCount: null });

    const r = TraceReader.open(file);
    const s = r.summary();
    expect(s.complete).toBe(true);
    expect(s.argv).toEqual(['demo.wasm', 'a b']);
    expect(s.outcome).toEqual({ kind: 'trap', exitCode: 134, message: 'integer divide by zero', functionIndex: 7, functionName: 'divide', pc: 0x1a3 });
    expect(r.moduleBytes()).toEqual(moduleBytes);
    const calls = [...r.importCalls()];
    expect(calls).toHaveLength(1001);
    expect(calls[3]).toMatchObject({ index: 3, functionIndex: 1, args: [1, 1000n, 64], result: 0 });
    expect([...calls[3].writes[0].bytes]).toEqual(new Array(8).fill(3));
    expect(new TextDecoder().decode(calls[0].output[0].bytes)).toBe('hello');
    expect(r.importCallCounts()).toEqual(new Map([['fd_write', 501], ['clock_time_get', 500]]));
    r.close();
    expect(fs.existsSync(file + '-wal')).toBe(false);
  });

  it('reports a recording that was never finished as incomplete, with what was flushed', () => {
    const file = path.join(dir, 'b.wtrace');
    const w = TraceWriter.create(file, start);
    writeCalls(w, 10);
    w.close();
    const info = traceInfo(file);
    expect(info.complete).toBe(false);
    expect(info.outcome).toBeNull();
    expect(info.importCalls.total).toBe(10);
  });

  it('refuses to overwrite a file that is not a trace', () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'precious');
    expect(() => TraceWriter.create(file, start)).toThrow(OutputError);
    expect(fs.readFileSync(file, 'utf8')).toBe('precious');
  });

  it('replaces an existing trace', () => {
    const file = path.join(dir, 'c.wtrace');
    TraceWriter.create(file, start).finish({ outcome: 'exit', exitCode: 3, instructionCount: null });
    TraceWriter.create(file, start).finish({ outcome: 'exit', exitCode: 4, instructionCount: null });
    expect(traceInfo(file).outcome).toEqual({ kind: 'exit', exitCode: 4 });
  });

  it('says what is wrong with files that are not traces', () => {
    const text = path.join(dir, 'x.txt');
    fs.writeFileSync(text, 'hello');
    expect(() => TraceReader.open(text)).toThrow(/x\.txt: is not a wtrace trace/);
    const wasm = path.join(dir, 'x.wasm');
    fs.writeFileSync(wasm, moduleBytes);
    expect(() => TraceReader.open(wasm)).toThrow(/is a WebAssembly module, not a trace/);
    const other = path.join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)');
    expect(() => TraceReader.open(other)).toThrow(/an SQLite database but not a wtrace trace/);
    expect(() => TraceReader.open(path.join(dir, 'missing.wtrace'))).toThrow(/no such file/);
  });

  it('refuses a trace of another format version', () => {
    const file = path.join(dir, 'v.wtrace');
    TraceWriter.create(file, start).finish({ outcome: 'exit', exitCode: 0, instructionCount: null });
    const db = new Database(file);
    db.pragma(`user_version = ${FORMAT_VERSION + 1}`);
    db.close();
    expect(() => TraceReader.open(file)).toThrow(TraceVersionError);
  });

  it('reports a truncated trace as damaged, never as a crash', () => {
    const file = path.join(dir, 't.wtrace');
    const w = TraceWriter.create(file, start);
    writeCalls(w, 20000);
    w.finish({ outcome: 'exit', exitCode: 0, instructionCount: null });
    const bytes = fs.readFileSync(file);
    const cut = path.join(dir, 'cut.wtrace');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(() => traceInfo(cut)).toThrow(TraceFormatError);
  });

  it('stores detail chunks and keyframes, each distinct memory page once', () => {
    const file = path.join(dir, 'd.wtrace');
    const w = TraceWriter.create(file, { ...start, detail: 'full' });
    const events = new Uint8Array(5000).map((_, i) => i % 251);
    w.appendDetail(events, 0n, 999n, 100);
    w.appendDetail(events.subarray(0, 10), 1000n, 1999n, 2);
    const memory = new Uint8Array(4 * 65536);
    w.addKeyframe(0n, memory, []);
    memory[65536 * 2 + 7] = 1; // one page changes
    w.addKeyframe(1500n, memory, [{ name: 'sp', value: 1024 }]);
    w.finish({ outcome: 'exit', exitCode: 0, instructionCount: 2000n });

    const r = TraceReader.open(file);
    expect(r.detailSummary()).toMatchObject({ chunks: 2, events: 102, rawBytes: 5010, keyframes: 2, pages: 2 });
    const chunks = [...r.detailChunks()];
    expect(chunks.map((c) => [c.firstTime, c.endTime, c.eventCount])).toEqual([[0n, 999n, 100], [1000n, 1999n, 2]]);
    expect(chunks[0].events).toEqual(events);
    expect([...r.detailChunks(1500n)].map((c) => c.firstTime)).toEqual([1000n]);
    const [k0, k1] = r.keyframes();
    expect(k1).toMatchObject({ time: 1500n, memorySize: 4 * 65536, globals: [{ name: 'sp', value: 1024 }] });
    expect(r.keyframeMemory(k0)).toEqual(new Uint8Array(4 * 65536));
    expect(r.keyframeMemory(k1)).toEqual(memory);
    expect(r.summary().instructionCount).toBe(2000n);
    r.close();
  });
});
