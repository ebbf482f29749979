/**
 * Compact call events (trace format 4): an enter or exit with at most 63 value bytes is the
 * header and its values, and its function and value types come from the module (`CallShapes`).
 * Checked on the bytes a real instrumented run writes, and on hand-written streams.
 */
import { describe, expect, it } from 'vitest';
import {
  CallShapes, COMPACT_ENTER, COMPACT_EXIT, decodeDetailEvents, DetailScanner, drain, EventKind, instrument,
} from '../../instrument/index.js';
import { readModuleLayout } from '../../instrument/moduleLayout.js';
import { assemble, haveWat2wasm } from './wat.js';

const MANY = Array.from({ length: 20 }, () => 'i32'); // 80 value bytes: the long form

const PROGRAM = `(module
  (func $pair (param i32 i64) (result f64) local.get 1 f64.convert_i64_s)
  (func $many (param ${MANY.join(' ')}) (result i32) local.get 19)
  (func $tail (param i32) (result f64) local.get 0 local.get 0 i64.extend_i32_s return_call $pair)
  (func (export "run") (result f64)
    i32.const 7 i64.const -3 call $pair drop
    ${MANY.map((_, i) => `i32.const ${i}`).join(' ')} call $many drop
    i32.const 5 call $tail))`;

/** The raw stream of one run of `run`, and the module. */
async function runProgram(): Promise<{ wasm: Uint8Array; bytes: Uint8Array }> {
  const wasm = assemble(PROGRAM, ['--enable-tail-call']);
  const result = await instrument(wasm, { detail: 'full', snapshotInterval: false });
  const chunks: Uint8Array[] = [];
  const { instance } = await WebAssembly.instantiate(result.bytes, result.runtimeImports((c) => void chunks.push(c.slice())));
  drain(instance);
  expect((instance.exports.run as () => number)()).toBe(5);
  drain(instance);
  return { wasm, bytes: Buffer.concat(chunks) };
}

describe.skipIf(!haveWat2wasm && !process.env.CI)('compact call events', () => {
  it('writes calls with up to 63 value bytes compact, larger ones in the long form, and decodes both from the module', async () => {
    const { wasm, bytes } = await runProgram();
    const shapes = CallShapes.of(wasm);
    const kinds: number[] = [];
    const s = new DetailScanner(bytes, undefined, shapes);
    while (s.next()) kinds.push(bytes[s.at]);
    expect(kinds).toEqual([
      COMPACT_ENTER + 0, // run()
      COMPACT_ENTER + 12, COMPACT_EXIT + 8, // pair(i32, i64) -> f64
      EventKind.enter, COMPACT_EXIT + 4, // many: 80 argument bytes, one i32 result
      COMPACT_ENTER + 4, COMPACT_EXIT + 0, // tail(i32): its tail call exits without values
      COMPACT_ENTER + 12, COMPACT_EXIT + 8, // pair, entered by the tail call
      COMPACT_EXIT + 8, // run
    ]);
    const events = decodeDetailEvents(bytes, shapes);
    const calls = events.map((e) => (e.kind === 'enter' ? ['enter', e.func, e.args] : e.kind === 'exit' ? ['exit', e.func, e.results] : [e.kind]));
    expect(calls).toEqual([
      ['enter', 3, []],
      ['enter', 0, [{ type: 'i32', value: 7 }, { type: 'i64', value: -3n }]],
      ['exit', 0, [{ type: 'f64', bits: 0xc008000000000000n }]],
      ['enter', 1, MANY.map((_, i) => ({ type: 'i32', value: i }))],
      ['exit', 1, [{ type: 'i32', value: 19 }]],
      ['enter', 2, [{ type: 'i32', value: 5 }]],
      ['exit', 2, []],
      ['enter', 0, [{ type: 'i32', value: 5 }, { type: 'i64', value: 5n }]],
      ['exit', 0, [{ type: 'f64', bits: 0x4014000000000000n }]],
      ['exit', 3, [{ type: 'f64', bits: 0x4014000000000000n }]],
    ]);
  });

  it('needs the module to decode a compact call, and refuses one that does not fit its function', () => {
    const wasm = assemble(PROGRAM, ['--enable-tail-call']);
    const shapes = CallShapes.of(wasm);
    const pair = readModuleLayout(wasm).bodies[0];
    const stream = (kind: number, pc: number, values: number[]) => new Uint8Array([
      0, 0, 0, 0, 0, 0, 0, 0, 0, // sync: time 0
      kind, pc & 0xff, (pc >> 8) & 0xff, 0, 0, 3, 0, // header: delta 3
      ...values,
    ]);
    const enter = stream(COMPACT_ENTER + 12, pair.codeStart, [7, 0, 0, 0, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(decodeDetailEvents(enter, shapes)).toEqual([
      { kind: 'enter', time: 3n, pc: pair.codeStart, func: 0, args: [{ type: 'i32', value: 7 }, { type: 'i64', value: -3n }] },
    ]);
    // Its size needs no module: a scan without shapes skips it, and only its function needs them.
    const s = new DetailScanner(enter);
    expect(s.next()).toBe(true);
    expect(s.kind).toBe(EventKind.enter);
    expect(() => s.func).toThrow(/needs its module/);
    expect(() => decodeDetailEvents(enter)).toThrow(/needs its module/);
    // Four value bytes where pair's parameters take twelve; an enter pc that starts no function.
    expect(() => decodeDetailEvents(stream(COMPACT_ENTER + 4, pair.codeStart, [1, 2, 3, 4]), shapes)).toThrow(/take 4 bytes, function 0's types 12/);
    expect(() => decodeDetailEvents(stream(COMPACT_ENTER, pair.codeStart + 1, []), shapes)).toThrow(/no function starts at pc/);
    // An exit anywhere in a body names that body's function; outside every body, none.
    expect(shapes.exit(pair.end - 1)?.func).toBe(0);
    expect(shapes.exit(pair.start - 1)).toBeUndefined();
    expect(() => decodeDetailEvents(stream(COMPACT_EXIT, 3, []), shapes)).toThrow(/no function holds pc 3/);
  });
});
