/**
 * The wasm32 DWARF expression evaluator on hand-assembled expressions, each encoded here from
 * the DWARF 5 operation table (section 7.7.1) and LLVM's `DW_OP_WASM_location` (0xed: kind 0
 * local, 1 global, 2 operand stack, 3 global with a fixed 4-byte index), against a frame whose
 * locals, globals and memory are given by the test.
 */
import { describe, expect, it } from 'vitest';
import { bytesToBig, evaluateFrameBase, evaluateLocation, type ExprContext, type WasmScalar } from '../../src/source/index.js';

const i32 = (v: number): WasmScalar => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, v >>> 0, true);
  return { bytes, value: bytesToBig(bytes) };
};
const i64 = (v: bigint): WasmScalar => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return { bytes, value: bytesToBig(bytes) };
};

const memory = new Uint8Array(0x2000);
new DataView(memory.buffer).setUint32(0x1000, 0x1234, true);
new DataView(memory.buffer).setUint32(0x1234, 0xcafe, true);

function ctx(frameBase: bigint | null = 0x1000n): ExprContext {
  const locals = [i32(7), i32(0x1800), i64(-5n)];
  const globals = new Map([[0, i32(0x1f00)], [300, i32(0x10)]]);
  const stack = [i32(11), i32(22)];
  return {
    local: (i) => locals[i] ?? null,
    global: (i) => globals.get(i) ?? null,
    operand: (i) => stack[i] ?? null,
    readMemory: (a, n) => (a + n <= memory.length ? memory.subarray(a, a + n) : null),
    addressAtIndex: (i) => [0x400, 0x500][i],
    frameBase: () => frameBase,
  };
}

const ev = (bytes: number[], c = ctx()) => evaluateLocation(Uint8Array.from(bytes), c);

describe('wasm32 locations as clang emits them', () => {
  it('DW_OP_fbreg counts from the frame base', () => {
    expect(ev([0x91, 0x0c])).toEqual({ kind: 'memory', address: 0x100c }); // fbreg +12
    expect(ev([0x91, 0x7c])).toEqual({ kind: 'memory', address: 0x0ffc }); // fbreg -4
    expect(ev([0x91, 0xab, 0x01])).toEqual({ kind: 'memory', address: 0x10ab }); // fbreg +171 (two-byte SLEB)
  });

  it('a frame base is a Wasm local (clang -O0) or the stack-pointer global, with DW_OP_stack_value', () => {
    expect(evaluateFrameBase(Uint8Array.from([0xed, 0x00, 0x01, 0x9f]), ctx(null))).toBe(0x1800n); // local 1
    expect(evaluateFrameBase(Uint8Array.from([0xed, 0x03, 0x00, 0x00, 0x00, 0x00, 0x9f]), ctx(null))).toBe(0x1f00n); // global 0, u32 index
    expect(evaluateFrameBase(Uint8Array.from([0xed, 0x01, 0xac, 0x02, 0x9f]), ctx(null))).toBe(0x10n); // global 300, ULEB index
  });

  it('a Wasm local, global or operand with DW_OP_stack_value is the value itself', () => {
    expect(ev([0xed, 0x00, 0x00, 0x9f])).toMatchObject({ kind: 'value' });
    const local = ev([0xed, 0x00, 0x00, 0x9f]);
    expect(local.kind === 'value' && bytesToBig(local.bytes.subarray(0, 4))).toBe(7n);
    const wide = ev([0xed, 0x00, 0x02, 0x9f]);
    expect(wide.kind === 'value' && BigInt.asIntN(64, bytesToBig(wide.bytes))).toBe(-5n);
    const operand = ev([0xed, 0x02, 0x01, 0x9f]);
    expect(operand.kind === 'value' && bytesToBig(operand.bytes.subarray(0, 4))).toBe(22n);
    // Without stack_value, a lone Wasm location still names the value (like a register).
    const lone = ev([0xed, 0x00, 0x00]);
    expect(lone).toEqual({ kind: 'value', bytes: i32(7).bytes });
  });

  it('addresses: DW_OP_addr, DW_OP_addrx through .debug_addr, plus_uconst, deref', () => {
    expect(ev([0x03, 0x00, 0x10, 0x00, 0x00])).toEqual({ kind: 'memory', address: 0x1000 });
    expect(ev([0xa1, 0x01])).toEqual({ kind: 'memory', address: 0x500 });
    expect(ev([0x03, 0x00, 0x10, 0x00, 0x00, 0x23, 0x08])).toEqual({ kind: 'memory', address: 0x1008 });
    expect(ev([0x03, 0x00, 0x10, 0x00, 0x00, 0x06])).toEqual({ kind: 'memory', address: 0x1234 }); // *(0x1000)
    expect(ev([0x03, 0x00, 0x10, 0x00, 0x00, 0x06, 0x06])).toEqual({ kind: 'memory', address: 0xcafe });
    expect(ev([0x03, 0x34, 0x12, 0x00, 0x00, 0x94, 0x01])).toEqual({ kind: 'memory', address: 0xfe }); // deref_size 1 of 0xcafe
  });

  it('constants, arithmetic, stack operations and branches', () => {
    const value = (bytes: number[]) => {
      const r = ev([...bytes, 0x9f]);
      return r.kind === 'value' ? BigInt.asIntN(64, bytesToBig(r.bytes)) : r;
    };
    expect(value([0x35])).toBe(5n); // lit5
    expect(value([0x09, 0xfe])).toBe(-2n); // const1s -2
    expect(value([0x11, 0x7f])).toBe(-1n); // consts -1
    expect(value([0x35, 0x33, 0x1c])).toBe(2n); // 5 - 3
    expect(value([0x35, 0x33, 0x1e])).toBe(15n); // 5 * 3
    expect(value([0x35, 0x12, 0x22])).toBe(10n); // dup, plus
    expect(value([0x35, 0x33, 0x16, 0x1c])).toBe(-2n); // swap: 3 - 5
    expect(value([0x35, 0x33, 0x2d])).toBe(0n); // 5 < 3
    // lit1; bra +1 (taken) over lit7; lit9 -> 9
    expect(value([0x31, 0x28, 0x01, 0x00, 0x37, 0x39])).toBe(9n);
    // skip +1 over lit7; lit8 -> 8
    expect(value([0x2f, 0x01, 0x00, 0x37, 0x38])).toBe(8n);
    expect(ev([0x9e, 0x02, 0xaa, 0xbb])).toEqual({ kind: 'value', bytes: Uint8Array.from([0xaa, 0xbb]) }); // implicit_value
  });

  it('DW_OP_piece assembles a value from parts; an empty piece is optimised out', () => {
    const r = ev([0xed, 0x00, 0x00, 0x9f, 0x93, 0x04, 0x91, 0x00, 0x93, 0x04, 0x93, 0x02]);
    expect(r.kind).toBe('pieces');
    if (r.kind !== 'pieces') return;
    expect(r.pieces.map((p) => [p.size, p.location?.kind ?? null])).toEqual([[4, 'value'], [4, 'memory'], [2, null]]);
  });
});

describe('what it cannot evaluate is unavailable with a reason, never a crash', () => {
  it.each([
    ['a register', [0x50], /no registers/],
    ['a register-relative address', [0x71, 0x04], /no registers/],
    ['an entry value', [0xa3, 0x01, 0x50, 0x9f], /entry value/],
    ['TLS', [0x9b], /thread-local/],
    ['an unknown operation', [0xfa], /unsupported DWARF operation 0xfa/],
    ['a truncated operand', [0x03, 0x00], /truncated/],
    ['stack underflow', [0x22], /underflow/],
    ['a branch outside the expression', [0x2f, 0x40, 0x00], /branch outside/],
    ['an endless loop', [0x2f, 0xfd, 0xff], /does not terminate/],
    ['a missing local', [0xed, 0x00, 0x09, 0x9f], /local 9 is not available/],
    ['fbreg without a frame base', [0x91, 0x08], /without a frame base/],
    ['a deref outside memory', [0x0c, 0x00, 0x00, 0x01, 0x00, 0x06], /outside linear memory/],
    ['an empty expression', [], /optimized out/],
  ])('%s', (_what, bytes, reason) => {
    const r = evaluateLocation(Uint8Array.from(bytes), ctx(bytes[0] === 0x91 ? null : 0x1000n));
    expect(r.kind).toBe('unavailable');
    expect(r.kind === 'unavailable' && r.reason).toMatch(reason);
  });
});
