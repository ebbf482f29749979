/**
 * The session is the UI's one choke point: engine errors become status messages, a motion
 * asked for while one runs is dropped, and every motion resets the selection and remembers
 * the state before it.
 */
import { describe, expect, it } from 'vitest';
import { DebugSession } from '../../tui/session.js';
import { SourceFiles } from '../../tui/sourceFiles.js';
import { FakeDebuggee } from './fakeDebuggee.js';
import { FIXTURE_ROOT } from './renderApp.js';

function session(fake = new FakeDebuggee({ startAt: 12n })) {
  return { fake, s: new DebugSession(fake, new SourceFiles(FIXTURE_ROOT)) };
}

describe('DebugSession', () => {
  it('turns an engine error into an error message and keeps going', async () => {
    const { fake, s } = session();
    fake.stepOut = () => {
      throw new Error('DetailNeededError: needs `wtrace record --detail full`');
    };
    await s.motion({ kind: 'stepOut', direction: 'forward' });
    expect(s.getState()).toMatchObject({ busy: null, message: { kind: 'error', text: 'DetailNeededError: needs `wtrace record --detail full`' } });
    await s.motion({ kind: 'stepInto', direction: 'forward', unit: 'line' });
    expect(s.getState().message).toBeNull();
    expect(s.getState().lastStop).toEqual({ kind: 'step', time: 14n });
  });

  it('runs motions asked for while another runs in order, after it (typed-ahead keys)', async () => {
    const { fake, s } = session();
    const first = s.motion({ kind: 'continue', direction: 'forward' });
    const second = s.motion({ kind: 'continue', direction: 'backward' });
    expect(fake.motions()).toEqual([]);
    await first;
    expect(fake.motions()).toEqual([{ method: 'continue', args: ['forward'] }]);
    await second;
    expect(fake.motions()).toEqual([{ method: 'continue', args: ['forward'] }, { method: 'continue', args: ['backward'] }]);
  });

  it('drops motions beyond 16 waiting (a held-down key)', async () => {
    const { fake, s } = session();
    await Promise.all(Array.from({ length: 20 }, () => s.motion({ kind: 'stepInstruction', direction: 'forward' })));
    expect(fake.motions()).toHaveLength(16);
  });

  it('resets frame selection and cursor on a motion and keeps the state before it', async () => {
    const { s } = session();
    s.selectFrame(1);
    s.moveCursor(3);
    expect(s.getState()).toMatchObject({ frameIndex: 1, cursor: { kind: 'line', line: 13 } });
    await s.motion({ kind: 'seek', time: 20n });
    expect(s.getState()).toMatchObject({ frameIndex: 0, cursor: null, previous: { time: 12n } });
  });

  it('reports a query the engine refuses instead of throwing at the screen', () => {
    const { fake, s } = session();
    fake.frames = () => {
      throw new Error('no detail at this time');
    };
    expect(s.data()).toMatchObject({ frames: [], problems: ['no detail at this time'] });
    expect(s.codeTarget()).toMatchObject({ kind: 'empty' });
  });

  it('notifies subscribers with a new state object per change', () => {
    const { s } = session();
    const seen: number[] = [];
    const stop = s.subscribe(() => seen.push(s.getState().generation));
    s.report('hello');
    s.selectFrame(1);
    stop();
    s.selectFrame(1);
    expect(seen).toEqual([1, 2]);
  });
});
