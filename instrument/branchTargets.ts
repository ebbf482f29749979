/**
 * Which structured instructions of an original body some branch targets. Binaryen gives a
 * name only to blocks that are branch targets (the rest are indistinguishable from blocks it
 * adds itself), so `positionMap.ts` aligns only the targeted original `block`s. Branches in
 * dead code count: Binaryen keeps dead code when reading.
 */
import type { Instruction } from './codeDecoder.js';

const OPENERS = new Set(['block', 'loop', 'if', 'try', 'try_table']);

/** Indexes (into `instructions`) of `block`/`loop`/`if`/`try`/`try_table` instructions that a branch names. */
export function targetedStructures(instructions: readonly Instruction[]): Set<number> {
  const targeted = new Set<number>();
  const open: number[] = []; // opener indexes; the function's own label is below them
  const target = (depth: number) => {
    const at = open[open.length - 1 - depth];
    if (at !== undefined) targeted.add(at);
  };
  instructions.forEach((ins, i) => {
    if (OPENERS.has(ins.name)) {
      open.push(i);
      if (ins.name === 'try_table') for (const l of ins.labels ?? []) target(l + 1);
    } else if (ins.name === 'end' || ins.name === 'delegate') {
      open.pop();
    } else if (ins.name === 'br' || ins.name === 'br_if') {
      target(ins.index);
    } else if (ins.name === 'br_table') {
      for (const l of ins.labels ?? []) target(l);
    }
  });
  return targeted;
}
