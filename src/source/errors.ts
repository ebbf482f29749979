/**
 * Typed errors of the source layer: malformed DWARF in a module, and file:line requests that
 * cannot be answered. Library code throws them; only the CLI turns them into an exit.
 */
import { ExitCode, WtraceError } from '../errors.js';

/**
 * A DWARF section of the module is malformed (truncated, an unsupported version, a unit
 * length running past its section, an unknown form). `section` names it and `offset` is the
 * byte offset inside that section where reading failed.
 */
export class DwarfFormatError extends WtraceError {
  constructor(
    readonly section: string,
    readonly offset: number,
    detail: string,
  ) {
    super('bad-dwarf', `malformed DWARF in ${section} at offset 0x${offset.toString(16)}: ${detail}`, ExitCode.badInput);
  }
}

/** Why a file:line request failed; stable for scripts and tests. */
export type SourceLookupCode = 'unknown-source-file' | 'ambiguous-source-file' | 'no-code-at-line';

/**
 * A file:line request names no file of the line tables, names several (`candidates` lists
 * them), or asks for a line at or after which the file has no code. Exit code: usage, since
 * the request comes from the user.
 */
export class SourceLookupError extends WtraceError {
  constructor(
    code: SourceLookupCode,
    message: string,
    readonly candidates: readonly string[] = [],
  ) {
    super(code, message, ExitCode.usage);
  }
}
