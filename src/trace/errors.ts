/** Errors of the trace layer: a file that is not a trace, from another version, or damaged. */
import { ExitCode, WtraceError } from '../errors.js';

/** The file is not a wtrace trace, or its contents are damaged. */
export class TraceFormatError extends WtraceError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super('bad-trace', `${file}: ${problem}`, ExitCode.badTrace, options);
  }
}

/** The file is a trace of another format version than this wtrace reads. */
export class TraceVersionError extends WtraceError {
  constructor(file: string, readonly found: number, readonly supported: number) {
    super(
      'trace-version',
      `${file}: trace format version ${found}, but this wtrace reads version ${supported}` +
        (found > supported ? ' (recorded by a newer wtrace: upgrade)' : ' (recorded by an older wtrace: record it again)'),
      ExitCode.badTrace,
    );
  }
}

/**
 * The trace is incomplete (the recorder stopped before the end of the run: killed, crashed,
 * interrupted) and the operation needs the whole run.
 */
export class IncompleteTraceError extends WtraceError {
  constructor(file: string, what: string) {
    super('incomplete-trace', `${file}: is incomplete (the recorder stopped before the end of the run): ${what}`, ExitCode.badTrace);
  }
}
