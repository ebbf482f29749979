/**
 * Whether the terminal UI can run here. The CLI calls `assertInteractiveTerminal` before it
 * opens a trace, so a script that pipes `wtrace replay` gets a clear error instead of a screen
 * of escape codes.
 */
import { ExitCode, WtraceError } from '../src/errors.js';

/** The UI needs a terminal on both ends: raw keys in, a screen out. */
export class NotATerminalError extends WtraceError {
  constructor(which: 'stdin' | 'stdout') {
    super(
      'not-a-terminal',
      `the replay UI needs an interactive terminal, but ${which} is not a TTY. ` +
        'To debug from a script or another tool, use `wtrace replay --gdb PORT FILE` (LLDB, GDB remote) ' +
        'or `wtrace query FILE "SQL"`; `wtrace replay --verify FILE` checks a trace without a UI.',
      ExitCode.usage,
    );
  }
}

/** The streams `runTui` draws on. */
export interface TerminalStreams {
  readonly stdin: { readonly isTTY?: boolean };
  readonly stdout: { readonly isTTY?: boolean };
}

/** Throws `NotATerminalError` unless both stdin and stdout are TTYs. */
export function assertInteractiveTerminal(streams: TerminalStreams): void {
  if (!streams.stdout.isTTY) throw new NotATerminalError('stdout');
  if (!streams.stdin.isTTY) throw new NotATerminalError('stdin');
}
