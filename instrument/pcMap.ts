/**
 * Maps positions in an instrumented module back to the ORIGINAL module. V8 reports trap and call
 * sites as offsets and function indices of the module it runs (the instrumented one); every
 * report wtrace makes uses original pcs and function indices. The rewriters record where each
 * original instruction was copied (copyLog.ts); the rewritten module's own layout says where
 * each body starts.
 */
import type { RewrittenModule } from './copyLog.js';
import { decodePositions } from './positions.js';

export interface PcMap {
  /** The original pc of the instruction at `offset` in the instrumented module; null for inserted code. */
  originalPc(offset: number): number | null;
  /** The original index of instrumented function `index`; null for a function wtrace added. */
  originalFunction(index: number): number | null;
}

/**
 * The map of `rewritten`. Its pcs are read from the rewritten code (decoded once) at the first
 * `originalPc`: runs ask for the map before they start and use it only to report a trap, and on
 * a large module the decoding is a tenth of a second (bigmodule).
 */
export function pcMapFor(rewritten: RewrittenModule, originalImportedFunctions: number): PcMap {
  let map: Map<number, number> | undefined;
  const build = () => {
    const decoded = decodePositions(rewritten.bytes, 'instrumented module');
    const pcs = new Map<number, number>();
    decoded.functions.forEach((fn, i) => {
      const pairs = rewritten.copies[i];
      if (pairs === undefined) return; // a function wtrace added
      for (let k = 0; k < pairs.length; k += 2) pcs.set(fn.body.codeStart + pairs[k + 1], pairs[k]);
    });
    return pcs;
  };
  const added = rewritten.addedImports ?? 0;
  return {
    originalPc: (offset) => (map ??= build()).get(offset) ?? null,
    originalFunction(index) {
      if (index < originalImportedFunctions) return index;
      if (index < originalImportedFunctions + added) return null;
      return index - added;
    },
  };
}
