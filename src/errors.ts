/**
 * Typed errors shared by every layer. Each carries a stable `code` (for scripts and tests) and
 * the process exit code the CLI uses for it. Only `src/cli/` turns them into an exit; library
 * code throws them and never prints.
 */

/** Stable exit codes of the `wtrace` command itself (a recorded program's own code passes through). */
export const ExitCode = {
  ok: 0,
  /** `diff`: the two executions differ. */
  different: 1,
  /** Bad command line: unknown option, missing argument, malformed value. */
  usage: 2,
  /** An input file is missing, unreadable, not Wasm, invalid, or uses an unsupported feature. */
  badInput: 3,
  /** A trace file is not a trace, is from another format version, or is damaged. */
  badTrace: 4,
  /** An output could not be written (directory missing or read-only, path taken by a non-trace). */
  badOutput: 5,
  /** Re-execution diverged from the recording. */
  divergence: 6,
  /** Internal error: a bug in wtrace. */
  internal: 70,
  /** The recorded program trapped: 128 + SIGABRT, as `wasmtime run` exits on Unix. */
  trap: 134,
  /** Interrupted by SIGINT (Ctrl-C). */
  interrupted: 130,
} as const;

/** Base class: a message for humans, a stable machine code, and the CLI exit code. */
export class WtraceError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** The command line asks for something malformed or impossible. */
export class UsageError extends WtraceError {
  constructor(message: string) {
    super('usage', message, ExitCode.usage);
  }
}

/** An input file (module, directory) is missing or unusable. */
export class InputError extends WtraceError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, ExitCode.badInput, options);
  }
}

/** A module uses an import or feature wtrace cannot record; `problems` lists every one found. */
export class UnsupportedWasmError extends WtraceError {
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super(
      'unsupported-wasm',
      `${file}: unsupported WebAssembly: ${problems.join('; ')}`,
      ExitCode.badInput,
    );
    this.problems = problems;
  }
}

/** An output path cannot be written. */
export class OutputError extends WtraceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad-output', message, ExitCode.badOutput, options);
  }
}

/** Re-execution from a trace's input log did not do what the recording did. */
export class ReplayDivergenceError extends WtraceError {
  constructor(message: string) {
    super('divergence', message, ExitCode.divergence);
  }
}
