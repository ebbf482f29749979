/**
 * Renders the UI at a fixed size against a debuggee with ink-testing-library, and presses keys
 * the way a terminal sends them, waiting until the UI has settled after each.
 */
import { stripVTControlCharacters } from 'node:util';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { App } from '../../tui/components/App.js';
import type { Debuggee } from '../../tui/engineApi.js';
import { DebugSession } from '../../tui/session.js';
import { SourceFiles } from '../../tui/sourceFiles.js';
import { ThemeContext } from '../../tui/theme.js';

/** Source root of the fixtures, relative to the repository (vitest runs there). */
export const FIXTURE_ROOT = 'test/tui/fixtures';

// Colour on for every test: ANSI output must not depend on whether vitest runs in a terminal.
chalk.level = 3;

export interface RenderOptions {
  readonly columns?: number;
  readonly rows?: number;
  /** False: as under NO_COLOR. */
  readonly color?: boolean;
  readonly sourceRoot?: string;
}

/** A rendered UI and the ways a test drives and reads it. */
export interface RenderedApp {
  readonly session: DebugSession;
  readonly stdin: { write(data: string): void };
  unmount(): void;
  /** The last frame with ANSI codes, as a terminal gets it. */
  ansi(): string;
  /** The last frame as plain text (for layout). */
  text(): string;
  /** Types `keys` one at a time, letting each motion and render finish. */
  press(...keys: string[]): Promise<void>;
  /** Types text into a prompt (in one write, as a paste arrives) and presses Enter. */
  answer(text: string): Promise<void>;
}

export function renderApp(debuggee: Debuggee, options: RenderOptions = {}): RenderedApp {
  const session = new DebugSession(debuggee, new SourceFiles(options.sourceRoot ?? FIXTURE_ROOT));
  const size = { columns: options.columns ?? 80, rows: options.rows ?? 24 };
  const app = createElement(App, { session, traceName: 'debug_target.wtrace', size });
  const instance = render(createElement(ThemeContext.Provider, { value: { color: options.color ?? true } }, app));
  // ink's waitUntilRenderFlush writes '' and waits for the write callback, which the testing
  // library's stdout never calls (and it would record '' as the last frame).
  const record = instance.stdout.write;
  (instance.stdout as { write: unknown }).write = (frame: string, done?: unknown) => {
    if (frame !== '') record(frame);
    if (typeof done === 'function') done();
  };
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      instance.stdin.write(key);
      // ink holds a lone ESC for 20 ms in case it starts an escape sequence.
      if (key === KEYS.escape) await new Promise((resolve) => setTimeout(resolve, 30));
      await settle();
      while (session.getState().busy) await settle();
      await settle();
    }
  };
  return {
    session,
    stdin: instance.stdin,
    unmount: instance.unmount,
    ansi: () => instance.lastFrame() ?? '',
    text: () => stripVTControlCharacters(instance.lastFrame() ?? ''),
    press,
    async answer(text: string) {
      if (text !== '') {
        instance.stdin.write(text);
        await settle();
      }
      await press('\r');
    },
  };
}

/** One macrotask: ink and React have handled what was written. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Special keys as a terminal sends them. */
export const KEYS = { up: '\u001b[A', down: '\u001b[B', pageUp: '\u001b[5~', pageDown: '\u001b[6~', tab: '\t', escape: '\u001b', enter: '\r', backspace: '\u007f' };
