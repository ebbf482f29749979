/**
 * The first frame after open does not wait for the module's DWARF: ink writes it before the
 * session asks whether the module has C globals (a read of all of `.debug_info`, 50-100 ms on a
 * large module), and the frame after it shows the C variables view that answer picks. Rendered
 * with ink itself into a terminal kept in memory, so the order of frame writes and debuggee
 * calls is the real one.
 */
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { App } from '../../tui/components/App.js';
import type { SourceVariable } from '../../tui/engineApi.js';
import { DebugSession } from '../../tui/session.js';
import { SourceFiles } from '../../tui/sourceFiles.js';
import { ThemeContext } from '../../tui/theme.js';
import { FakeDebuggee } from './fakeDebuggee.js';
import { FIXTURE_ROOT, settle } from './renderApp.js';

/** A module with one C global; every `globalVariables` call is logged next to the frames written. */
class WithGlobals extends FakeDebuggee {
  constructor(
    private readonly log: string[],
    private readonly fail = false,
  ) {
    super();
  }

  override globalVariables(): readonly SourceVariable[] {
    this.log.push('globalVariables');
    if (this.fail) throw new Error('bad .debug_info: unit at 0x0 runs past the section');
    return [{ name: 'counter', type: 'int', kind: 'global', declLine: 1, unit: 'debug_target.c', value: '0', available: true, address: 0x2000, size: 4, children: [], inlined: null }];
  }
}

/** A TTY of 80x24 in memory: each write is one entry of `log`, its text in `frames`. */
function terminal(log: string[]) {
  const frames: string[] = [];
  const stdout = {
    isTTY: true,
    columns: 80,
    rows: 24,
    write(chunk: string, encoding?: unknown, done?: unknown) {
      const text = stripVTControlCharacters(String(chunk));
      if (text.trim() !== '') {
        log.push('frame');
        frames.push(text);
      }
      for (const cb of [encoding, done]) if (typeof cb === 'function') cb();
      return true;
    },
    on: () => stdout,
    off: () => stdout,
    once: () => stdout,
    addListener: () => stdout,
    removeListener: () => stdout,
    emit: () => false,
    listenerCount: () => 0,
  };
  const stdin = {
    isTTY: true,
    setRawMode() {},
    setEncoding() {},
    ref() {},
    unref() {},
    resume() {},
    pause() {},
    read: () => null,
    on: () => stdin,
    off: () => stdin,
    addListener: () => stdin,
    removeListener: () => stdin,
    listenerCount: () => 0,
  };
  return { stdout, stdin, frames };
}

function open(fail = false) {
  const log: string[] = [];
  const debuggee = new WithGlobals(log, fail);
  const session = new DebugSession(debuggee, new SourceFiles(FIXTURE_ROOT));
  const { stdout, stdin, frames } = terminal(log);
  const app = createElement(ThemeContext.Provider, { value: { color: false } }, createElement(App, { session, traceName: 'dt.wtrace' }));
  const instance = render(app, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    patchConsole: false,
    interactive: true,
    maxFps: 60,
  });
  return { log, frames, instance };
}

/** Waits past ink's frame throttle (1000 / maxFps ms) for the trailing frame. */
const afterThrottle = async () => {
  await new Promise((resolve) => setTimeout(resolve, 40));
  await settle();
};

describe('the first frame after open', () => {
  it('is written before the module is asked for its C globals; the next frame shows the C view they pick', async () => {
    const { log, frames, instance } = open();
    await afterThrottle();
    instance.unmount();
    expect(log.slice(0, 2)).toEqual(['frame', 'globalVariables']);
    expect(log.filter((e) => e === 'globalVariables')).toHaveLength(1); // asked once, not per frame
    // At time 0 the program is in _start (no line info): the first frame shows Wasm locals ...
    expect(frames[0]).toMatch(/Locals: #0 _start/);
    expect(frames[0]).toMatch(/▶#0 _start/);
    expect(frames[0]).toMatch(/time 0 \/ 48/);
    // ... and the frame after the check the C variables view, the default once DWARF shows.
    expect(frames.at(-1)).toMatch(/Variables: #0 _start/);
  });

  it('shows DWARF the engine cannot read as a problem on the next frame, not a crash', async () => {
    const { log, frames, instance } = open(true);
    await afterThrottle();
    instance.unmount();
    expect(log.slice(0, 2)).toEqual(['frame', 'globalVariables']);
    expect(frames.at(-1)).toMatch(/bad \.debug_info: unit at 0x0 runs past the section/);
    expect(frames.at(-1)).toMatch(/Locals: #0 _start/);
  });
});
