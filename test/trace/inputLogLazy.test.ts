/**
 * The input log is decoded call by call (`eachImportCall`, `TraceReader.importCalls`): a reader
 * holds one call at a time, not a whole chunk's, and damage is reported where the reading
 * reaches it, as a `TraceFormatError` naming the trace, never as a wrong call.
 */
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ByteWriter, CodecError } from '../../src/trace/byteBuffer.js';
import { eachImportCall, encodeImportCall, type ParamType } from '../../src/trace/inputLog.js';
import { TraceFormatError, TraceReader, TraceWriter, type RecordingStart } from '../../src/trace/index.js';
import { tempDir } from '../helpers/run.js';

const params: ParamType[][] = [['i32', 'i64']];
const paramsOf = (f: number) => params[f];

function encoded(n: number): ByteWriter {
  const w = new ByteWriter();
  for (let i = 0; i < n; i++) encodeImportCall(w, 0, BigInt(i), [i, BigInt(i) * 3n], 0, [{ address: i, bytes: new Uint8Array([i]) }], [], params[0]);
  return w;
}

describe('eachImportCall', () => {
  it('decodes a call only when it is asked for: the calls before damage come out first', () => {
    const w = encoded(2);
    encodeImportCall(w, 9, null, [], 0, [], [], []); // names a function that is not an import
    const calls = eachImportCall(w.finish(), 4, paramsOf);
    expect(calls.next().value).toMatchObject({ index: 4, args: [0, 0n], writes: [{ address: 0 }] });
    expect(calls.next().value).toMatchObject({ index: 5, args: [1, 3n], writes: [{ address: 1 }] });
    expect(() => calls.next()).toThrow(CodecError);
  });
});

const start: RecordingStart = {
  module: { name: 'demo', fileName: 'demo.wasm', bytes: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), codeOffset: undefined },
  detail: 'inputs',
  argv: ['demo.wasm'],
  env: [],
  preopens: [],
  invoke: null,
  stubUnknown: false,
  imports: [{ functionIndex: 0, module: 'env', name: 'f', params: params[0], results: ['i32'], stubbed: false }],
};

/** A finished trace of `n` calls in one input chunk. */
function traceOf(n: number): string {
  const file = path.join(tempDir(), 'log.wtrace');
  const w = TraceWriter.create(file, start);
  for (let i = 0; i < n; i++) w.logCall(0, null, [i, BigInt(i) * 3n], 0, [{ address: i, bytes: new Uint8Array([i]) }], []);
  w.finish({ outcome: 'exit', exitCode: 0, instructionCount: null });
  return file;
}

function calls(file: string): { seen: number[]; error: unknown } {
  const reader = TraceReader.open(file);
  const seen: number[] = [];
  try {
    for (const c of reader.importCalls()) seen.push(c.args[0] as number);
    return { seen, error: null };
  } catch (e) {
    return { seen, error: e };
  } finally {
    reader.close();
  }
}

describe('TraceReader.importCalls', () => {
  it('reads back every call in order', () => {
    expect(calls(traceOf(300))).toEqual({ seen: Array.from({ length: 300 }, (_, i) => i), error: null });
  });

  it('reports a chunk that holds fewer calls than it declares as damage, after the calls it holds', () => {
    const file = traceOf(5);
    const db = new Database(file);
    db.prepare('UPDATE input_chunks SET call_count = 6 WHERE chunk_index = 0').run();
    db.close();
    const { seen, error } = calls(file);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/input chunk 0 holds 5 calls, not 6/);
  });

  it('reports a chunk damaged in the middle where the reading reaches it', () => {
    const file = traceOf(4);
    const db = new Database(file);
    const w = encoded(2);
    encodeImportCall(w, 9, null, [], 0, [], [], []);
    const data = zlib.zstdCompressSync(w.finish());
    db.prepare("UPDATE input_chunks SET data = ?, codec = 'zstd', call_count = 3 WHERE chunk_index = 0").run(data);
    db.close();
    const { seen, error } = calls(file);
    expect(seen).toEqual([0, 1]);
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as Error).message).toMatch(/not an import/);
  });
});
