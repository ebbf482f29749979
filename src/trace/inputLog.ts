/**
 * The input log's events and their packed encoding. One `ImportCall` is everything that crossed
 * into the instance at one import call: which import, its arguments, its result, every byte the
 * host wrote into linear memory, and (for reading convenience, not needed by replay) the bytes
 * the call sent to the program's stdout/stderr.
 *
 * Encoding of one call (all integers unsigned LEB128 unless noted):
 *   flags:u8   bit0 time present, bit1 returned (result present), bit2 writes, bit3 output
 *   functionIndex            Wasm function index of the import
 *   time                     if bit0: executed instructions before the call
 *   args                     per the import's param types: i32 as u32, i64 as u64,
 *                            f32/f64 as 4/8 raw little-endian bytes
 *   result                   if bit1: the i32 result as u32
 *   writes                   if bit2: count, then (address, length, bytes) each, in host order
 *   output                   if bit3: count, then (stream:u8 1=stdout 2=stderr, length, bytes)
 */
import { ByteCursor, ByteWriter, CodecError } from './byteBuffer.js';

export type ParamType = 'i32' | 'i64' | 'f32' | 'f64';

/** A host write into guest linear memory. */
export interface MemoryWrite {
  readonly address: number;
  readonly bytes: Uint8Array;
}

/** Bytes the program sent to the recorder's stdout (1) or stderr (2) during one call. */
export interface OutputBytes {
  readonly stream: 1 | 2;
  readonly bytes: Uint8Array;
}

export interface ImportCall {
  /** Position in the log, from 0. */
  readonly index: number;
  /** Executed Wasm instructions before the call; null when the recording did not count them. */
  readonly time: bigint | null;
  /** Wasm function index of the import (imports are numbered first). */
  readonly functionIndex: number;
  /** Raw arguments: i32 as unsigned numbers, i64 as unsigned bigints, floats as numbers. */
  readonly args: readonly (number | bigint)[];
  /** The i32 result as unsigned, or null when the call did not return (proc_exit, a trap). */
  readonly result: number | null;
  readonly writes: readonly MemoryWrite[];
  readonly output: readonly OutputBytes[];
}

const TIME = 1;
const RETURNED = 2;
const WRITES = 4;
const OUTPUT = 8;

/** Appends one call to `w` (the fields of `ImportCall`, spread out for the hot path). */
export function encodeImportCall(
  w: ByteWriter,
  functionIndex: number,
  time: bigint | null,
  args: readonly (number | bigint)[],
  result: number | null,
  writes: readonly MemoryWrite[],
  output: readonly OutputBytes[],
  params: readonly ParamType[],
): void {
  const flags =
    (time !== null ? TIME : 0) | (result !== null ? RETURNED : 0) | (writes.length > 0 ? WRITES : 0) | (output.length > 0 ? OUTPUT : 0);
  w.u8(flags);
  w.varU32(functionIndex);
  if (time !== null) w.varU64(time);
  for (let i = 0; i < params.length; i++) writeArg(w, params[i], args[i]);
  if (result !== null) w.varU32(result >>> 0);
  if (flags & WRITES) {
    w.varU32(writes.length);
    for (const wr of writes) {
      w.varU32(wr.address);
      w.varU32(wr.bytes.length);
      w.bytes(wr.bytes);
    }
  }
  if (flags & OUTPUT) {
    w.varU32(output.length);
    for (const o of output) {
      w.u8(o.stream);
      w.varU32(o.bytes.length);
      w.bytes(o.bytes);
    }
  }
}

/** Writes one argument; exported for the recorder's hot path, which encodes in place. */
export function writeArg(w: ByteWriter, type: ParamType, v: number | bigint): void {
  switch (type) {
    case 'i32':
      w.varU32((v as number) >>> 0);
      break;
    case 'i64':
      w.varU64(BigInt.asUintN(64, v as bigint));
      break;
    case 'f32':
      w.f32(v as number);
      break;
    case 'f64':
      w.f64(v as number);
      break;
  }
}

/**
 * Decodes every call in one chunk. `paramsOf(functionIndex)` gives the import's param types
 * (undefined for an index that is not an import: the chunk is damaged).
 */
export function decodeImportCalls(
  data: Uint8Array,
  firstIndex: number,
  paramsOf: (functionIndex: number) => readonly ParamType[] | undefined,
): ImportCall[] {
  return [...eachImportCall(data, firstIndex, paramsOf)];
}

/**
 * `decodeImportCalls` one call at a time: a call is decoded when it is asked for, so a reader
 * going through a long log holds one call, not a chunk's tens of thousands (which outlived
 * the young generation and made a re-execution of 1.2 M calls spend a second in the GC). A
 * damaged chunk throws when the reader reaches the damage, after the calls before it.
 */
export function* eachImportCall(
  data: Uint8Array,
  firstIndex: number,
  paramsOf: (functionIndex: number) => readonly ParamType[] | undefined,
): Generator<ImportCall, void, undefined> {
  const c = new ByteCursor(data);
  for (let index = firstIndex; !c.atEnd(); index++) {
    const flags = c.u8();
    const functionIndex = c.varU32();
    const params = paramsOf(functionIndex);
    if (params === undefined) throw new CodecError(`call names function ${functionIndex}, which is not an import`);
    const time = flags & TIME ? c.varU64() : null;
    const args = params.map((t) => readArg(c, t));
    const result = flags & RETURNED ? c.varU32() : null;
    const writes: MemoryWrite[] = [];
    if (flags & WRITES) {
      for (let n = c.varU32(), i = 0; i < n; i++) {
        const address = c.varU32();
        writes.push({ address, bytes: c.bytes(c.varU32()) });
      }
    }
    const output: OutputBytes[] = [];
    if (flags & OUTPUT) {
      for (let n = c.varU32(), i = 0; i < n; i++) {
        const stream = c.u8();
        if (stream !== 1 && stream !== 2) throw new CodecError(`bad output stream ${stream}`);
        output.push({ stream, bytes: c.bytes(c.varU32()) });
      }
    }
    yield { index, time, functionIndex, args, result, writes, output };
  }
}

function readArg(c: ByteCursor, type: ParamType): number | bigint {
  switch (type) {
    case 'i32':
      return c.varU32();
    case 'i64':
      return c.varU64();
    case 'f32':
      return c.f32();
    case 'f64':
      return c.f64();
  }
}
