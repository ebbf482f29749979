/** Values, locations and stop messages as the panes and the status line print them. */
import { describe, expect, it } from 'vitest';
import { describeMotion } from '../../tui/commands.js';
import type { GlobalState, StopEvent } from '../../tui/engineApi.js';
import { describeFrame, displayPath, shortFile } from '../../tui/format/location.js';
import { formatStop } from '../../tui/format/stop.js';
import { formatGlobalValue, formatTime, formatValue } from '../../tui/format/values.js';
import { FakeDebuggee } from './fakeDebuggee.js';

describe('formatValue', () => {
  it.each([
    [{ type: 'i32', value: 7 }, '7'],
    [{ type: 'i32', value: 42 }, '42 (0x2a)'],
    [{ type: 'i32', value: 0xffffffff }, '-1 (0xffffffff)'],
    [{ type: 'i32', value: -2 }, '-2 (0xfffffffe)'],
    [{ type: 'i64', value: 2n ** 64n - 1n }, '-1 (0xffffffffffffffff)'],
    [{ type: 'f32', bits: 0x3fc00000 }, '1.5'],
    [{ type: 'f32', bits: 0x7fc00000 }, 'nan'],
    [{ type: 'f64', bits: 0xbff0000000000000n }, '-1'],
    [{ type: 'f64', bits: 0x8000000000000000n }, '-0'],
    [{ type: 'f64', bits: 0x7ff0000000000000n }, 'inf'],
    [{ type: 'v128', bytes: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]) }, '0xff000000000000000000000000000001'],
    [{ type: 'ref', refType: 0x70, isNull: true }, 'null'],
    [{ type: 'ref', refType: 0x70, isNull: false }, '<funcref>'],
  ] as const)('%o is %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });

  it('formats globals, unknown ones as ?', () => {
    const g = (type: string, value: number | bigint | null, bytes: Uint8Array | null = new Uint8Array(4)): GlobalState =>
      ({ index: 0, type, mutable: true, known: 'set', bytes, value });
    expect(formatGlobalValue(g('i32', 65536))).toBe('65536 (0x10000)');
    expect(formatGlobalValue(g('i64', -5n))).toBe('-5 (0xfffffffffffffffb)');
    expect(formatGlobalValue(g('f64', 2))).toBe('2');
    expect(formatGlobalValue(g('i32', null, null))).toBe('?');
    expect(formatGlobalValue(g('v128', null, new Uint8Array([1, 2])))).toBe('0x0201');
  });

  it('groups times by thousands', () => {
    expect(formatTime(0n)).toBe('0');
    expect(formatTime(1234567n)).toBe('1,234,567');
  });
});

describe('locations', () => {
  it('shows base names in frames and messages, whole paths in the code pane title', () => {
    expect(shortFile('a.c')).toBe('a.c');
    expect(shortFile('./src/a.c')).toBe('a.c');
    expect(shortFile('/home/me/src/a.c')).toBe('a.c');
    expect(shortFile('C:\\src\\a.c')).toBe('a.c');
    expect(displayPath('./src/a.c')).toBe('src/a.c');
  });

  it('describes frames by source, else pc', () => {
    const withLines = new FakeDebuggee({ startAt: 12n });
    expect(withLines.frames().map((f) => describeFrame(withLines.module, f))).toEqual([
      'debug_target.c:4 in divide', 'debug_target.c:10 in main', 'pc 0x90 in _start',
    ]);
  });
});

describe('formatStop', () => {
  const d = new FakeDebuggee({ startAt: 12n });
  const bp = { id: 3, spec: { kind: 'function', name: 'divide' }, pcs: [0x50], note: null } as const;
  it.each<[StopEvent, string]>([
    [{ kind: 'breakpoint', time: 12n, breakpoint: bp }, 'breakpoint 3 at debug_target.c:4 in divide'],
    [{ kind: 'step', time: 12n }, 'now at debug_target.c:4 in divide'],
    [{ kind: 'trap', time: 12n, message: 'integer divide by zero' }, 'trap: integer divide by zero at debug_target.c:4 in divide'],
    [{ kind: 'complete', time: 12n, exitCode: 3 }, 'program finished with exit code 3'],
    [{ kind: 'complete', time: 12n, exitCode: null }, 'program finished'],
    [{ kind: 'history-boundary', time: 0n, boundary: 'start' }, 'history boundary: start of recording'],
    [{ kind: 'history-boundary', time: 48n, boundary: 'end' }, 'history boundary: end of recording'],
    [{ kind: 'interrupted', time: 12n }, 'interrupted at debug_target.c:4 in divide'],
    [
      { kind: 'watchpoint', time: 12n, watchpoint: { id: 2, address: 0x1000, size: 4 }, pc: 0x73, oldBytes: new Uint8Array([0, 0, 0, 0]), newBytes: new Uint8Array([12, 0, 0, 0]) },
      'watchpoint 2: 0x1000 (4 bytes) 00 00 00 00 -> 0c 00 00 00 by debug_target.c:10 in main',
    ],
    [
      { kind: 'watchpoint', time: 12n, watchpoint: { id: 2, address: 0x1000, size: 1 }, pc: null, oldBytes: new Uint8Array([0]), newBytes: new Uint8Array([1]) },
      'watchpoint 2: 0x1000 (1 bytes) 00 -> 01 by the host (an import call)',
    ],
  ])('%#: %s', (event, text) => {
    expect(formatStop(event, d)).toBe(text);
  });

  it('describes running motions', () => {
    expect(describeMotion({ kind: 'continue', direction: 'backward' })).toBe('continue backward');
    expect(describeMotion({ kind: 'stepOver', direction: 'forward', unit: 'instruction' })).toBe('step over (instruction)');
    expect(describeMotion({ kind: 'seek', time: 12345n })).toBe('go to time 12,345');
  });
});
