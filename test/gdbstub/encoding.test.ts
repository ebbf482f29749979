/**
 * The small pure pieces behind the replies: the StopEvent -> stop reply table, reply spelling,
 * LLDB's Wasm address space, value bytes, and return addresses decoded from call instructions.
 */
import { describe, expect, it } from 'vitest';
import {
  codeAddress, decodeWasmAddress, encodeReply, encodeStopReply, moduleBase, stopReplyFor,
} from '../../src/gdbstub/index.js';
import type { StopEvent } from '../../replay/engine/types.js';
import { returnOffset } from '../../src/gdbstub/callSites.js';
import { valueBytes } from '../../src/gdbstub/wasmValues.js';

const plain = { errorStrings: false, threadsInStopReply: false };
const pc = 0x4000000000000157n;
const bp = { id: 1, spec: { kind: 'pc', pc: 0x157 } as const, pcs: [0x157], note: null };

describe('stop replies', () => {
  const rows: Array<[string, StopEvent, string]> = [
    ['breakpoint', { kind: 'breakpoint', time: 5n, breakpoint: bp }, 'T05thread:1;00:5701000000000040;swbreak:;'],
    ['watchpoint', { kind: 'watchpoint', time: 5n, watchpoint: { id: 2, address: 0x400, size: 4 }, pc: 0x150, oldBytes: new Uint8Array(4), newBytes: new Uint8Array(4) }, 'T05thread:1;00:5701000000000040;watch:400;'],
    ['step', { kind: 'step', time: 5n }, 'T05thread:1;00:5701000000000040;'],
    ['trap', { kind: 'trap', time: 5n, message: 'oops' }, 'T0bthread:1;00:5701000000000040;description:6f6f7073;'],
    ['complete', { kind: 'complete', time: 5n, exitCode: 42 }, 'W2a'],
    ['complete without code', { kind: 'complete', time: 5n, exitCode: null }, 'W00'],
    ['complete, code past 255', { kind: 'complete', time: 5n, exitCode: 257 }, 'W01'],
    ['start boundary', { kind: 'history-boundary', time: 0n, boundary: 'start' }, 'T00thread:1;00:5701000000000040;replaylog:begin;'],
    ['end boundary', { kind: 'history-boundary', time: 9n, boundary: 'end' }, 'T00thread:1;00:5701000000000040;replaylog:end;'],
    ['interrupted', { kind: 'interrupted', time: 5n }, 'T02thread:1;00:5701000000000040;'],
  ];
  it.each(rows)('%s', (_, event, expected) => {
    expect(encodeStopReply(stopReplyFor(event, pc), plain)).toBe(expected);
  });

  it('lists threads and thread pcs once QListThreadsInStopReply is on', () => {
    const stop = stopReplyFor({ kind: 'step', time: 1n }, pc);
    expect(encodeStopReply(stop, { errorStrings: false, threadsInStopReply: true }))
      .toBe('T05thread:1;00:5701000000000040;threads:1;thread-pcs:4000000000000157;');
  });
});

describe('reply spelling', () => {
  it('spells errors with and without error strings', () => {
    const e = { kind: 'error', code: 2, message: 'no' } as const;
    expect(encodeReply(e, plain)).toBe('E02');
    expect(encodeReply(e, { ...plain, errorStrings: true })).toBe('E02;6e6f');
    expect(encodeReply({ kind: 'error', code: 0x45, message: '' }, { ...plain, errorStrings: true })).toBe('E45');
  });

  it('spells the rest', () => {
    expect(encodeReply({ kind: 'binary', bytes: Uint8Array.of(0x24, 0) }, plain)).toEqual(Uint8Array.of(0x24, 0));
    expect(encodeReply({ kind: 'binary', bytes: new Uint8Array(0) }, plain)).toBe('OK');
    expect(encodeReply({ kind: 'thread-list', threads: [1, 0x1f] }, plain)).toBe('m1,1f');
    expect(encodeReply({ kind: 'xfer-chunk', data: 'abc', last: false }, plain)).toBe('mabc');
    expect(encodeReply({ kind: 'stop', stop: { kind: 'terminated', signal: 9 } }, plain)).toBe('X09');
  });
});

describe('Wasm addresses', () => {
  it('encodes and decodes both spaces', () => {
    expect(codeAddress(0, 0x133)).toBe(0x4000000000000133n);
    expect(codeAddress(3, 0x10)).toBe(0x4000000300000010n);
    expect(moduleBase(1)).toBe(0x4000000100000000n);
    expect(decodeWasmAddress(0x4000000300000010n)).toEqual({ space: 'object', moduleId: 3, offset: 0x10 });
    expect(decodeWasmAddress(0x400n)).toEqual({ space: 'memory', moduleId: 0, offset: 0x400 });
    expect(decodeWasmAddress(0xffff0110n)).toEqual({ space: 'memory', moduleId: 0, offset: 0xffff0110 });
    expect(decodeWasmAddress(0x8000000000000000n).space).toBe('global');
    expect(decodeWasmAddress(0xffffffffffffffffn)).toEqual({ space: 'invalid', moduleId: 0x3fffffff, offset: 0xffffffff });
    expect(() => decodeWasmAddress(1n << 64n)).toThrow(RangeError);
  });
});

describe('value bytes', () => {
  it('gives each type its native width, little-endian', () => {
    const hex = (v: Parameters<typeof valueBytes>[0]) => Buffer.from(valueBytes(v)).toString('hex');
    expect(hex({ type: 'i32', value: -1 })).toBe('ffffffff');
    expect(hex({ type: 'i32', value: 0x12345678 })).toBe('78563412');
    expect(hex({ type: 'i64', value: -2n })).toBe('feffffffffffffff');
    expect(hex({ type: 'f32', bits: 0x3f800000 })).toBe('0000803f');
    expect(hex({ type: 'f64', bits: 0x3ff0000000000000n })).toBe('000000000000f03f');
    expect(hex({ type: 'v128', bytes: Uint8Array.from({ length: 16 }, (_, i) => i) })).toBe('000102030405060708090a0b0c0d0e0f');
    expect(hex({ type: 'ref', refType: 0x70, isNull: false })).toBe('00000000');
  });
});

describe('return offsets', () => {
  it('skips a call instruction and its operands', () => {
    const bytes = Uint8Array.of(0x10, 0x85, 0x01, 0x11, 0x02, 0x00, 0x14, 0x03, 0x1a, 0x10, 0x80);
    expect(returnOffset(bytes, 0)).toBe(3); // call 133 (two-byte LEB)
    expect(returnOffset(bytes, 3)).toBe(6); // call_indirect type 2 table 0
    expect(returnOffset(bytes, 6)).toBe(8); // call_ref 3
    expect(returnOffset(bytes, 8)).toBe(8); // drop: not a call, stays
    expect(returnOffset(bytes, 9)).toBe(9); // truncated LEB: stays
    expect(returnOffset(bytes, 99)).toBe(99);
  });
});
