/** The key table: one command per key, every motion in both directions, special keys by name. */
import { describe, expect, it } from 'vitest';
import { commandForKey, keyName, MOTION_KEYS, OTHER_KEYS } from '../../tui/keymap.js';

describe('keymap', () => {
  it('binds no key twice', () => {
    const keys = [...MOTION_KEYS.flatMap((m) => [m.forward, m.backward]), ...OTHER_KEYS.flatMap((o) => o.keys)];
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('gives every motion a forward key and its capital backward', () => {
    for (const m of MOTION_KEYS) {
      expect(m.backward).toBe(m.forward.toUpperCase());
      expect(commandForKey(m.forward, {})).toEqual({ kind: 'motion', motion: m.motion('forward') });
      expect(commandForKey(m.backward, {})).toEqual({ kind: 'motion', motion: m.motion('backward') });
      expect(m.motion('backward')).toMatchObject({ direction: 'backward' });
    }
  });

  it('steps by line with s/n and by instruction with i/o', () => {
    expect(commandForKey('s', {})).toEqual({ kind: 'motion', motion: { kind: 'stepInto', direction: 'forward', unit: 'line' } });
    expect(commandForKey('N', {})).toEqual({ kind: 'motion', motion: { kind: 'stepOver', direction: 'backward', unit: 'line' } });
    expect(commandForKey('i', {})).toEqual({ kind: 'motion', motion: { kind: 'stepInstruction', direction: 'forward' } });
    expect(commandForKey('O', {})).toEqual({ kind: 'motion', motion: { kind: 'stepOver', direction: 'backward', unit: 'instruction' } });
  });

  it('names special keys and ignores Ctrl and Meta chords', () => {
    expect(keyName('', { upArrow: true })).toBe('up');
    expect(keyName('', { pageDown: true })).toBe('pagedown');
    expect(commandForKey('', { upArrow: true })).toEqual({ kind: 'frame', delta: 1 });
    expect(commandForKey('', { tab: true })).toEqual({ kind: 'switchBottom' });
    expect(commandForKey('s', { ctrl: true })).toBeNull();
    expect(commandForKey('c', { meta: true })).toBeNull();
    expect(commandForKey('z', {})).toBeNull();
    expect(commandForKey('sn', {})).toBeNull();
  });

  it('g and G go to the ends, q quits, ? helps', () => {
    expect(commandForKey('g', {})).toEqual({ kind: 'motion', motion: { kind: 'seek', time: 0n } });
    expect(commandForKey('G', {})).toEqual({ kind: 'seekEnd' });
    expect(commandForKey('q', {})).toEqual({ kind: 'quit' });
    expect(commandForKey('?', {})).toEqual({ kind: 'help' });
  });
});
