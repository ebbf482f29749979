import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ByteWriter } from '../../src/trace/byteBuffer.js';
import { decodeImportCalls, encodeImportCall, type ParamType } from '../../src/trace/inputLog.js';

const paramTypes: ParamType[][] = [['i32', 'i64', 'i32'], [], ['f32', 'f64', 'i32']];

const call = fc.integer({ min: 0, max: 2 }).chain((functionIndex) =>
  fc.record({
    functionIndex: fc.constant(functionIndex),
    time: fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: null }),
    args: fc.tuple(
      ...paramTypes[functionIndex].map((t) =>
        t === 'i32'
          ? fc.nat({ max: 0xffffffff })
          : t === 'i64'
            ? fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })
            : t === 'f32'
              ? fc.float({ noNaN: true }).map(Math.fround)
              : fc.double({ noNaN: true }),
      ),
    ),
    result: fc.option(fc.nat({ max: 0xffffffff }), { nil: null }),
    writes: fc.array(fc.record({ address: fc.nat({ max: 0xffffffff }), bytes: fc.uint8Array({ maxLength: 40 }) }), { maxLength: 4 }),
    output: fc.array(fc.record({ stream: fc.constantFrom(1 as const, 2 as const), bytes: fc.uint8Array({ maxLength: 40 }) }), { maxLength: 3 }),
  }),
);

describe('input log encoding', () => {
  test.prop([fc.array(call, { maxLength: 30 })])('decodes exactly what was encoded', (calls) => {
    const w = new ByteWriter(16);
    for (const c of calls) encodeImportCall(w, c.functionIndex, c.time, c.args, c.result, c.writes, c.output, paramTypes[c.functionIndex]);
    const decoded = decodeImportCalls(w.finish(), 7, (f) => paramTypes[f]);
    expect(decoded).toEqual(calls.map((c, i) => ({ ...c, index: 7 + i })));
  });

  test('a call naming a non-import is reported as damage', () => {
    const w = new ByteWriter();
    encodeImportCall(w, 9, null, [], 0, [], [], []);
    expect(() => decodeImportCalls(w.finish(), 0, () => undefined)).toThrow(/not an import/);
  });

  test('truncated data is reported, not misread', () => {
    const w = new ByteWriter();
    encodeImportCall(w, 0, 5n, [1, 2n, 3], 0, [{ address: 8, bytes: new Uint8Array([1, 2, 3]) }], [], paramTypes[0]);
    const bytes = w.finish();
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(() => decodeImportCalls(bytes.subarray(0, cut), 0, (f) => paramTypes[f])).toThrow();
    }
  });
});
