/**
 * Where the rewriters put each original instruction: per defined function, pairs of (original
 * offset, offset in the rewritten body relative to its first instruction). pcMap.ts turns these
 * into a map from the rewritten module's offsets (what V8 reports) back to original pcs.
 */
import type { CopyObserver } from './timeCounter.js';

/** A rewritten module and the record of where its original instructions went. */
export interface RewrittenModule {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Per defined function (index order): flat pairs [originalOffset, relativeOffset, ...]. */
  readonly copies: readonly (readonly number[])[];
  /** Function imports added before the defined functions (they shift defined indices). */
  readonly addedImports?: number;
}

export class CopyLog {
  readonly functions: number[][] = [];

  /** Starts a function whose first instruction will be emitted at `codeStart` in its buffer. */
  startFunction(codeStart: number): CopyObserver {
    const pairs: number[] = [];
    this.functions.push(pairs);
    return (originalOffset, emittedAt) => pairs.push(originalOffset, emittedAt - codeStart);
  }
}
