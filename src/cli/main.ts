/**
 * The `wtrace` command line: builds the commander program from one file per subcommand and is
 * the only place that turns errors into messages and exit codes. `runCli` returns the exit code;
 * bin/wtrace.js exits with it.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, WtraceError } from '../errors.js';
import { WTRACE_VERSION } from '../trace/version.js';
import { registerDiff } from './diffCommand.js';
import { registerIndex } from './indexCommand.js';
import { registerInfo } from './infoCommand.js';
import { registerInstrument } from './instrumentCommand.js';
import { registerQuery } from './queryCommand.js';
import { registerRecord } from './recordCommand.js';
import { registerReplay } from './replayCommand.js';
import { registerRerun } from './rerunCommand.js';

export async function runCli(argv: readonly string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('wtrace')
    .description('record and replay (time-travel debug) WebAssembly WASI programs')
    .version(WTRACE_VERSION)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerRecord(program, setExit);
  registerInfo(program, setExit);
  registerReplay(program, setExit);
  registerInstrument(program, setExit);
  registerQuery(program, setExit);
  registerDiff(program, setExit);
  registerIndex(program, setExit);
  registerRerun(program, setExit);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (e) {
    return exitCodeOf(e);
  }
}

/** Prints one line for a known error; a stack only for wtrace's own bugs. */
function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) {
    // commander has printed its message already; help and version are not errors.
    return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (e instanceof WtraceError) {
    process.stderr.write(`wtrace: ${e.message}\n`);
    return e.exitCode;
  }
  process.stderr.write(`wtrace: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  return ExitCode.internal;
}
