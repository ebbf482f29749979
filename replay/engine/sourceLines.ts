/**
 * What the engine needs from a module's line table: the source position of a pc, whether a
 * line-table row starts at a pc (a line-step boundary), and the pcs of a source line. An
 * adapter over `src/source/` so motions stay independent of how DWARF is read.
 */
import { ExitCode, WtraceError } from '../../src/errors.js';
import type { SourceLocation } from './types.js';

export interface SourceLines {
  locationAt(pc: number): SourceLocation | null;
  /** True when a statement row of the line table starts exactly at `pc`. */
  isStatement(pc: number): boolean;
  /** The statement pcs of `file:line`, sliding to the next line with code (`line` says which). */
  pcsForLine(file: string, line: number): { readonly line: number; readonly pcs: readonly number[] };
}

/** A module without DWARF: no positions, every instruction is its own "line". */
export const NO_SOURCE: SourceLines = {
  locationAt: () => null,
  isStatement: () => true,
  pcsForLine: (file) => {
    throw new NoSourceError(`the module has no DWARF line table, so ${file} cannot be found; break by function name or pc instead`);
  },
};

/** A source position was asked of a module that cannot answer it. */
export class NoSourceError extends WtraceError {
  constructor(message: string) {
    super('no-source', message, ExitCode.usage);
  }
}
