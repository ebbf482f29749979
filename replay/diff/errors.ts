/**
 * What `diff` refuses at levels 2 and 3, each with a stable code and the CLI's exit code for
 * bad input (3): a trace without detail events, one whose detail leaves part of the run out, and
 * (level 3) traces of two different modules.
 */
import { ExitCode, WtraceError } from '../../src/errors.js';

export class DiffInputError extends WtraceError {
  constructor(code: 'detail-needed' | 'detail-coverage' | 'different-modules', message: string) {
    super(code, message, ExitCode.badInput);
  }

  /** `file` was recorded with `--detail inputs` and not indexed since. */
  static detailNeeded(file: string, level: number): DiffInputError {
    return new DiffInputError(
      'detail-needed',
      `${file}: recorded with --detail inputs; diff --level ${level} compares detail events, which this trace does not have yet: ` +
        `build them with \`wtrace index ${file}\` (or record with \`--detail full\`)`,
    );
  }

  /** `file`'s detail events cover only part of the run (`--window`, `--last`). */
  static partialDetail(file: string, level: number): DiffInputError {
    return new DiffInputError(
      'detail-coverage',
      `${file}: recorded with --window or --last, so its detail events leave part of the run out; diff --level ${level} needs the whole run ` +
        `(record again with \`--detail full\` and no window)`,
    );
  }

  /** Level 3 compares instructions and positions, which only mean the same thing in the same module. */
  static differentModules(a: string, b: string, shaA: string, shaB: string): DiffInputError {
    return new DiffInputError(
      'different-modules',
      `${a} and ${b} are recordings of different modules (sha256 ${shaA.slice(0, 12)}… and ${shaB.slice(0, 12)}…); ` +
        'diff --level 3 compares instructions and memory addresses, which only correspond within one module: ' +
        'use --level 2 (the call tree by function name) or --level 1 (observable behaviour)',
    );
  }
}
