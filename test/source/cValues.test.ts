/**
 * C value formatting (`describeVariable`) and type spelling (`typeName`) on types built here
 * and bytes placed in a memory the test owns, so each expected text follows from C's rules
 * (two's complement, IEEE 754, little-endian wasm32) written in the test.
 */
import { describe, expect, it } from 'vitest';
import { type CType, describeVariable, type EvaluatedLocation, typeName } from '../../src/source/index.js';

const base = (name: string, size: number, encoding: number): CType => ({ kind: 'base', name, size, encoding });
const INT = base('int', 4, 0x05);
const UINT = base('unsigned int', 4, 0x07);
const CHAR = base('char', 1, 0x06);
const UCHAR = base('unsigned char', 1, 0x08);
const SHORT = base('short', 2, 0x05);
const BOOL = base('_Bool', 1, 0x02);
const FLOAT = base('float', 4, 0x04);
const DOUBLE = base('double', 8, 0x04);
const LLONG = base('long long', 8, 0x05);
const ptr = (target: CType): CType => ({ kind: 'pointer', size: 4, target });
const constOf = (target: CType): CType => ({ kind: 'qualified', qualifier: 'const', target });
const array = (element: CType, ...counts: (number | null)[]): CType => ({ kind: 'array', element, counts });
const COLOR: CType = { kind: 'enum', name: 'color', size: 4, signed: false, enumerators: [{ name: 'RED', value: 0 }, { name: 'GREEN', value: 5 }] };
const POINT: CType = { kind: 'struct', name: 'point', size: 8, members: [{ name: 'x', type: INT, offset: 0 }, { name: 'y', type: INT, offset: 4 }] };

const mem = new Uint8Array(256);
const view = new DataView(mem.buffer);
const memory = { readMemory: (a: number, n: number) => (a >= 0 && a + n <= mem.length ? mem.subarray(a, a + n) : null) };
const at = (address: number): EvaluatedLocation => ({ kind: 'memory', address });
const show = (type: CType, address: number) => describeVariable('v', type, at(address), memory);

describe('scalars', () => {
  it('integers are signed or unsigned by their type', () => {
    view.setInt32(0, -2, true);
    expect(show(INT, 0).value).toBe('-2');
    expect(show(UINT, 0).value).toBe('4294967294');
    view.setInt16(8, -1234, true);
    expect(show(SHORT, 8).value).toBe('-1234');
    view.setBigInt64(16, -5000000000n, true);
    expect(show(LLONG, 16).value).toBe('-5000000000');
  });

  it('chars as a number and a quoted character, with C escapes', () => {
    mem.set([65, 9, 0xfd, 39], 24);
    expect(show(CHAR, 24).value).toBe("65 'A'");
    expect(show(CHAR, 25).value).toBe("9 '\\t'");
    expect(show(CHAR, 26).value).toBe("-3 '\\xfd'");
    expect(show(UCHAR, 26).value).toBe("253 '\\xfd'");
    expect(show(CHAR, 27).value).toBe("39 '\\''");
  });

  it('_Bool, float, double', () => {
    mem[28] = 1;
    expect(show(BOOL, 28).value).toBe('true');
    view.setFloat32(32, 1.5, true);
    expect(show(FLOAT, 32).value).toBe('1.5');
    view.setFloat64(40, -0.25, true);
    expect(show(DOUBLE, 40).value).toBe('-0.25');
    view.setFloat64(48, NaN, true);
    expect(show(DOUBLE, 48).value).toBe('NaN');
  });

  it('enums by name, or the number when no enumerator matches', () => {
    view.setUint32(56, 5, true);
    expect(show(COLOR, 56).value).toBe('GREEN');
    view.setUint32(56, 7, true);
    expect(show(COLOR, 56).value).toBe('7');
  });

  it('pointers in hex; a char pointer with its string, cut after a few characters', () => {
    view.setUint32(60, 0x80, true);
    mem.set(new TextEncoder().encode('hello\0'), 0x80);
    expect(show(ptr(INT), 60).value).toBe('0x00000080');
    expect(show(ptr(constOf(CHAR)), 60).value).toBe('0x00000080 "hello"');
    expect(describeVariable('v', ptr(CHAR), at(60), memory, { elements: 64, depth: 4, preview: 3 }).value).toBe('0x00000080 "hel"...');
    view.setUint32(64, 0, true);
    expect(show(ptr(CHAR), 64).value).toBe('0x00000000');
    view.setUint32(68, 0xffff0000, true);
    expect(show(ptr(CHAR), 68).value).toBe('0xffff0000');
  });
});

describe('aggregates', () => {
  it('arrays: a summary and one child per element; char arrays as strings', () => {
    [10, 20, 30].forEach((v, i) => view.setInt32(0x90 + 4 * i, v, true));
    const a = show(array(INT, 3), 0x90);
    expect(a.value).toBe('{10, 20, 30}');
    expect(a.children.map((c) => `${c.name}=${c.value}@${c.address}`)).toEqual(['[0]=10@144', '[1]=20@148', '[2]=30@152']);
    const grid = show(array(INT, 1, 3), 0x90);
    expect(grid.value).toBe('{{10, 20, 30}}');
    expect(grid.children[0].type).toBe('int[3]');
    mem.set([104, 105, 0, 0], 0xa0);
    expect(show(array(CHAR, 4), 0xa0).value).toBe('"hi"');
    mem.set([0, 0, 0x80, 0x3f], 0xa4);
    expect(show(array(UCHAR, 4), 0xa4).value).toBe('"\\0\\0\\x80?"');
    mem.set([97, 0, 116, 0, 0, 0], 0xa8); // a reused buffer: "a", then what an older word left
    expect(show(array(CHAR, 6), 0xa8).value).toBe('"a\\0t"');
  });

  it('structs and unions: members by name, nested, with bit fields', () => {
    view.setInt32(0xb0, 3, true);
    view.setInt32(0xb4, -4, true);
    const p = show(POINT, 0xb0);
    expect(p.value).toBe('{x = 3, y = -4}');
    expect(p.children.map((c) => [c.name, c.type, c.value, c.address])).toEqual([['x', 'int', '3', 0xb0], ['y', 'int', '-4', 0xb4]]);
    // flags : 3 at bit 0, mode : 5 at bit 3 of one unsigned: 5 | 17 << 3.
    mem[0xc0] = 5 | (17 << 3);
    const bits: CType = { kind: 'struct', name: 'bits', size: 4, members: [
      { name: 'flags', type: UINT, offset: 0, bitSize: 3, bitOffset: 0 },
      { name: 'mode', type: UINT, offset: 0, bitSize: 5, bitOffset: 3 },
    ] };
    expect(show(bits, 0xc0).value).toBe('{flags = 5, mode = 17}');
    const outer: CType = { kind: 'struct', name: 'outer', size: 12, members: [{ name: 'p', type: POINT, offset: 0 }, { name: 'c', type: COLOR, offset: 8 }] };
    view.setUint32(0xb8, 0, true);
    expect(show(outer, 0xb0).value).toBe('{p = {x = 3, y = -4}, c = RED}');
    const num: CType = { kind: 'union', name: 'number', size: 4, members: [{ name: 'i', type: INT, offset: 0 }, { name: 'f', type: FLOAT, offset: 0 }] };
    view.setFloat32(0xc4, 1, true);
    expect(show(num, 0xc4).value).toBe('{i = 1065353216, f = 1}');
  });
});

describe('pointers open to what they point at', () => {
  it('a data pointer has one child, *p; null, void, char and function pointers have none', () => {
    view.setInt32(0xe0, 3, true);
    view.setInt32(0xe4, -4, true);
    view.setUint32(0xe8, 0xe0, true);
    const p = show(ptr(POINT), 0xe8);
    expect(p.value).toBe('0x000000e0');
    expect(p.children.map((c) => [c.name, c.type, c.value, c.address])).toEqual([['*v', 'struct point', '{x = 3, y = -4}', 0xe0]]);
    expect(show(ptr({ kind: 'void' }), 0xe8).children).toEqual([]);
    expect(show(ptr(CHAR), 0xe8).children).toEqual([]);
    view.setUint32(0xec, 0, true);
    expect(show(ptr(POINT), 0xec).children).toEqual([]);
    // A pointer to itself stops after the depth limit.
    const self = { kind: 'pointer', size: 4, target: INT } as { kind: 'pointer'; size: number; target: CType };
    self.target = self;
    view.setUint32(0xf0, 0xf0, true);
    let node = show(self, 0xf0);
    let levels = 0;
    while (node.children.length > 0) {
      node = node.children[0];
      levels++;
    }
    expect(levels).toBe(4);
  });
});

describe('where the value is', () => {
  it('a value held in a Wasm local (no address), pieces, and unavailable locations', () => {
    const local = describeVariable('n', INT, { kind: 'value', bytes: Uint8Array.from([5, 0, 0, 0, 0, 0, 0, 0]) }, memory);
    expect([local.value, local.address, local.available]).toEqual(['5', null, true]);
    view.setInt32(0xd0, 9, true);
    const pieces = describeVariable('p', POINT, { kind: 'pieces', pieces: [{ size: 4, location: { kind: 'value', bytes: Uint8Array.from([1, 0, 0, 0]) } }, { size: 4, location: { kind: 'memory', address: 0xd0 } }] }, memory);
    expect(pieces.value).toBe('{x = 1, y = 9}');
    const gone = describeVariable('q', INT, { kind: 'unavailable', reason: 'optimized out' }, memory);
    expect([gone.value, gone.available]).toEqual(['<unavailable: optimized out>', false]);
    const outside = show(INT, 1000);
    expect(outside.available).toBe(false);
    expect(outside.value).toMatch(/0x000003e8 is outside linear memory/);
  });
});

describe('C spelling of types', () => {
  it.each<[CType, string]>([
    [ptr(constOf(CHAR)), 'const char *'],
    [constOf(ptr(CHAR)), 'char *const'],
    [array(ptr(INT), 4), 'int *[4]'],
    [ptr(array(INT, 3)), 'int (*)[3]'],
    [ptr({ kind: 'function', result: INT, params: [INT, ptr(CHAR)], variadic: false }), 'int (*)(int, char *)'],
    [ptr({ kind: 'function', result: { kind: 'void' }, params: [], variadic: false }), 'void (*)(void)'],
    [array(INT, 2, 3), 'int[2][3]'],
    [ptr(POINT), 'struct point *'],
    [{ kind: 'typedef', name: 'count_t', target: UINT }, 'count_t'],
    [{ kind: 'union', name: null, size: 4, members: [] }, 'union {...}'],
  ])('%#: %s', (t, spelled) => {
    expect(typeName(t)).toBe(spelled);
  });
});
