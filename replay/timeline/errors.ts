/**
 * Typed errors of the timeline (replay/timeline/): what a trace must hold for the timeline to
 * answer, and which questions are out of bounds. Each has a stable `code` and the CLI exit code.
 */
import { ExitCode, WtraceError } from '../../src/errors.js';

/**
 * The trace was recorded with `--detail inputs`: it has no detail events or keyframes, so the
 * timeline cannot answer yet. Building detail by re-execution is a later step (issue 4).
 */
export class DetailNeededError extends WtraceError {
  constructor(file: string) {
    super(
      'detail-needed',
      `${file}: recorded with --detail inputs; the timeline needs detail events: build them with \`wtrace index ${file}\` (or record with \`--detail full\`)`,
      ExitCode.badInput,
    );
  }
}

/**
 * The trace's detail events do not cover the whole run from a keyframe at time 0 (recorded with
 * `--window` or `--last`), or they do not rebuild the keyframes they lie between. `problem`
 * says which.
 */
export class TimelineCoverageError extends WtraceError {
  constructor(file: string, problem: string) {
    super('detail-coverage', `${file}: ${problem}`, ExitCode.badTrace);
  }
}

/** A time outside [0, end], or an import-call number outside the log. */
export class TimeOutOfRangeError extends WtraceError {
  constructor(message: string) {
    super('out-of-range', message, ExitCode.usage);
  }
}
