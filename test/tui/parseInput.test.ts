/** The prompts' parsers: what is accepted, what it means, and the message for what is not. */
import { describe, expect, it } from 'vitest';
import { parseAddress, parseBreakpoint, parseTime, parseWatch } from '../../tui/parseInput.js';

describe('parseTime', () => {
  it.each([
    ['0', 0n], ['123', 123n], ['1,000', 1000n], ['1_000', 1000n], ['50%', 500n], ['12.5%', 125n], ['100%', 1000n],
    ['+10', 110n], ['-100', 0n], ['start', 0n], ['end', 1000n], [' END ', 1000n],
  ])('%s at now=100 of 1000 is %s', (text, time) => {
    expect(parseTime(text, 100n, 1000n)).toBe(time);
  });

  it.each([
    ['', /not a time/], ['abc', /not a time: "abc"/], ['1001', /time 1,001 is outside the recording \(0 to 1,000\)/],
    ['-101', /time -1 is outside/], ['101%', /at most 100%/],
  ])('refuses %j', (text, message) => {
    expect(() => parseTime(text, 100n, 1000n)).toThrow(message);
  });
});

describe('parseAddress', () => {
  it.each([
    ['0x1000', { kind: 'number', value: 0x1000, offset: 0 }],
    ['4096', { kind: 'number', value: 4096, offset: 0 }],
    ['l2', { kind: 'local', index: 2, offset: 0 }],
    ['local2 + 16', { kind: 'local', index: 2, offset: 16 }],
    ['g0-0x10', { kind: 'global', index: 0, offset: -16 }],
    ['GLOBAL1', { kind: 'global', index: 1, offset: 0 }],
    ['counter', { kind: 'variable', path: ['counter'], deref: false, offset: 0 }],
    ['rec.in.tag', { kind: 'variable', path: ['rec', 'in', 'tag'], deref: false, offset: 0 }],
    ['g_grid[1][2] + 4', { kind: 'variable', path: ['g_grid', '[1]', '[2]'], deref: false, offset: 4 }],
    ['*prec', { kind: 'variable', path: ['prec'], deref: true, offset: 0 }],
    ['* rec.next-0x8', { kind: 'variable', path: ['rec', 'next'], deref: true, offset: -8 }],
  ])('%s', (text, expr) => {
    expect(parseAddress(text)).toEqual(expr);
  });

  it('refuses what is not an address', () => {
    expect(() => parseAddress('main()')).toThrow('not an address: "main()" (try 0x1000, 4096, l2, g0+16, a C variable: counter, rec.x, arr[2], *p)');
    expect(() => parseAddress('')).toThrow(/not an address/);
    expect(() => parseAddress('a[b]')).toThrow(/not an address/);
    expect(() => parseAddress('**p')).toThrow(/not an address/);
  });
});

describe('parseBreakpoint', () => {
  it.each([
    ['0x12a', { kind: 'pc', pc: 0x12a }],
    ['*0x12A', { kind: 'pc', pc: 0x12a }],
    ['debug_target.c:12', { kind: 'line', file: 'debug_target.c', line: 12 }],
    ['src/a b.c:3', { kind: 'line', file: 'src/a b.c', line: 3 }],
    ['main', { kind: 'function', name: 'main' }],
    ['  divide ', { kind: 'function', name: 'divide' }],
  ])('%s', (text, spec) => {
    expect(parseBreakpoint(text)).toEqual(spec);
  });

  it('refuses empty and spaced names', () => {
    expect(() => parseBreakpoint(' ')).toThrow(/needs file:line/);
    expect(() => parseBreakpoint('two words')).toThrow(/not a breakpoint/);
  });
});

describe('parseWatch', () => {
  it('takes an address and an optional size (default 4)', () => {
    expect(parseWatch('0x1000')).toEqual({ address: { kind: 'number', value: 0x1000, offset: 0 }, size: null });
    expect(parseWatch('counter')).toEqual({ address: { kind: 'variable', path: ['counter'], deref: false, offset: 0 }, size: null });
    expect(parseWatch('l1+8 2')).toEqual({ address: { kind: 'local', index: 1, offset: 8 }, size: 2 });
    expect(() => parseWatch('0x10 0')).toThrow(/must be 1 to 4096/);
  });
});
