/** The `instrument()` entry point: its result's shape and its typed errors. */
import { describe, expect, it } from 'vitest';
import { CallShapes, decodeDetailEvents, drain, instrument, TIME_EXPORT } from '../../instrument/index.js';
import { UnsupportedWasmError } from '../../src/errors.js';

/** (module (func (export "f") (result i32) i32.const 7)), optionally with a global export named `exportName`. */
function tinyModule(exportName?: string): Uint8Array {
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const exports = exportName
    ? [0x02, ...name('f'), 0x00, 0x00, ...name(exportName), 0x03, 0x00]
    : [0x01, ...name('f'), 0x00, 0x00];
  const globals = exportName ? [0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b] : [];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00,
    ...globals,
    0x07, exports.length, ...exports,
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x07, 0x0b,
  ]);
}

describe('instrument()', () => {
  it('returns a valid module that counts and needs no runtime imports in detail inputs', async () => {
    const result = await instrument(tinyModule());
    expect(result.detail).toBe('inputs');
    expect(result.timeExport).toBe(TIME_EXPORT);
    expect(result.runtimeImports()).toEqual({});
    expect(WebAssembly.validate(result.bytes)).toBe(true);
    const { instance } = await WebAssembly.instantiate(result.bytes, result.runtimeImports());
    expect((instance.exports.f as () => number)()).toBe(7);
    expect((instance.exports[TIME_EXPORT] as WebAssembly.Global).value).toBe(2n); // i32.const, end
    expect(result.positions.functions[0].instructions.map((i) => i.offset)).toEqual([31, 33]); // header 8, type 7, function 4, export 7, code head 5
  });

  it('adds the time global after existing globals and keeps their exports', async () => {
    const result = await instrument(tinyModule('g'));
    const { instance } = await WebAssembly.instantiate(result.bytes);
    expect((instance.exports.g as WebAssembly.Global).value).toBe(0);
    (instance.exports.f as () => number)();
    expect((instance.exports[TIME_EXPORT] as WebAssembly.Global).value).toBe(2n);
  });

  it('refuses a module that already exports the time global name', async () => {
    await expect(instrument(tinyModule(TIME_EXPORT), { source: 'taken.wasm' })).rejects.toThrow(UnsupportedWasmError);
    await expect(instrument(tinyModule(TIME_EXPORT), { source: 'taken.wasm' })).rejects.toThrow(/taken\.wasm.*__wtrace_time/);
  });

  it('detail full: counts like inputs and logs entry and exit', async () => {
    const result = await instrument(tinyModule(), { detail: 'full' });
    expect(result.detail).toBe('full');
    const chunks: Uint8Array[] = [];
    const { instance } = await WebAssembly.instantiate(result.bytes, result.runtimeImports((e) => void chunks.push(e.slice())));
    drain(instance);
    expect((instance.exports.f as () => number)()).toBe(7);
    drain(instance);
    expect((instance.exports[TIME_EXPORT] as WebAssembly.Global).value).toBe(2n);
    const events = decodeDetailEvents(Buffer.concat(chunks), CallShapes.of(tinyModule()));
    expect(events).toEqual([
      { kind: 'enter', func: 0, pc: 31, time: 0n, args: [] },
      { kind: 'exit', func: 0, pc: 33, time: 2n, results: [{ type: 'i32', value: 7 }] },
    ]);
  });

  it('detail full: refuses a module exporting a name wtrace needs', async () => {
    await expect(instrument(tinyModule('__wtrace_events'), { detail: 'full' })).rejects.toThrow(/__wtrace_events/);
  });

  it('names the input when the bytes are not Wasm', async () => {
    await expect(instrument(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), { source: 'junk.bin' })).rejects.toThrow(/junk\.bin.*magic/);
  });
});
