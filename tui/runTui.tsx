/**
 * `wtrace replay FILE`: the terminal UI over an open debuggee. Draws full screen (the terminal's
 * alternate screen), follows resizes, and resolves when the user quits (q or Ctrl-C), with the
 * terminal restored. It does not close the debuggee: the caller opened it and closes it.
 */
import { render } from 'ink';
import type { Debuggee } from './engineApi.js';
import { App } from './components/App.js';
import { DebugSession } from './session.js';
import { SourceFiles } from './sourceFiles.js';
import { assertInteractiveTerminal } from './terminal.js';
import { ThemeContext, themeFromEnv } from './theme.js';

export interface TuiOptions {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  /** Where source files named by the line table are looked up (default: the current directory). */
  readonly sourceRoot?: string;
  /** The trace as the user named it, for the header. */
  readonly traceName: string;
  /** Environment for NO_COLOR (default: `process.env`). */
  readonly env?: Record<string, string | undefined>;
}

/**
 * Runs the UI until the user quits. Throws `NotATerminalError` (exit code 2, pointing to
 * `wtrace replay --gdb` and `wtrace query`) before drawing anything when stdin or stdout is
 * not a TTY.
 */
export async function runTui(debuggee: Debuggee, options: TuiOptions): Promise<void> {
  assertInteractiveTerminal(options);
  const session = new DebugSession(debuggee, new SourceFiles(options.sourceRoot ?? '.'));
  const theme = themeFromEnv(options.env ?? process.env);
  // `wtrace:` marks time the open (bin/wtrace.js writes them out under WTRACE_TIMING).
  performance.mark('wtrace:render-start', { detail: process.threadCpuUsage() });
  let drawn = false;
  const instance = render(
    <ThemeContext.Provider value={theme}>
      <App session={session} traceName={options.traceName} />
    </ThemeContext.Provider>,
    {
      stdin: options.stdin,
      stdout: options.stdout,
      alternateScreen: true,
      exitOnCtrlC: true,
      patchConsole: false,
      interactive: true,
      // A motion's answer is drawn at most 1000/maxFps ms after it is known: 60 keeps that under
      // 17 ms (ink's default, 30, added up to 33 ms to every step measured by bench/tuiLatency.mjs).
      maxFps: 60,
      onRender: () => {
        if (!drawn) performance.mark('wtrace:first-frame', { detail: process.threadCpuUsage() });
        drawn = true;
      },
    },
  );
  await instance.waitUntilExit();
}
