/**
 * Maps byte offsets in an instrumented module back to the ORIGINAL module's pc. V8 reports trap
 * and call sites as offsets in the module it runs (the instrumented one); every report wtrace
 * makes is in original offsets. Original instructions are copied byte-exact and in order, so per
 * function the instrumented instruction list is the original list with counter code inserted
 * (timeCounter.ts): `local.get c; i64.const; i64.add; local.set c` and the flush `global.get t;
 * i64.const; i64.add; [local.get c; i64.add]; global.set t; [i64.const; local.set c]`, where `c`
 * is the added local and `t` the added time global, both beyond every original index.
 */
import type { Instruction } from './codeDecoder.js';
import { decodePositions, type ModulePositions } from './positions.js';

export interface PcMap {
  /** The original pc of the instruction at `offset` in the instrumented module; null for inserted code or outside any body. */
  originalPc(offset: number): number | null;
}

/** Builds the map for `instrumented`, made from the module `original` was decoded from. */
export function pcMapFor(original: ModulePositions, instrumented: Uint8Array): PcMap {
  const rewritten = decodePositions(instrumented, 'instrumented module');
  const t = original.layout.importedGlobalCount + original.layout.definedGlobalCount;
  const map = new Map<number, number>();
  original.functions.forEach((fn, i) => {
    const c = fn.body.paramCount + fn.body.localCount;
    const kept = withoutCounter(rewritten.functions[i].instructions, c, t);
    if (kept.length !== fn.instructions.length) return; // cannot align: leave unmapped, never guess
    for (let k = 0; k < kept.length; k++) {
      if (kept[k].name !== fn.instructions[k].name) return;
    }
    for (let k = 0; k < kept.length; k++) map.set(kept[k].offset, fn.instructions[k].offset);
  });
  return { originalPc: (offset) => map.get(offset) ?? null };
}

/** The instrumented body's instructions minus the counter code. */
function withoutCounter(instructions: readonly Instruction[], c: number, t: number): Instruction[] {
  const out: Instruction[] = [];
  const is = (i: number, name: string, index?: number) =>
    instructions[i]?.name === name && (index === undefined || instructions[i].index === index);
  for (let i = 0; i < instructions.length; i++) {
    if (is(i, 'local.get', c) && is(i + 1, 'i64.const') && is(i + 2, 'i64.add') && is(i + 3, 'local.set', c)) {
      i += 3;
    } else if (is(i, 'global.get', t) && is(i + 1, 'i64.const') && is(i + 2, 'i64.add')) {
      i += 3;
      if (is(i, 'local.get', c) && is(i + 1, 'i64.add')) i += 2;
      // is(i, 'global.set', t) holds here for code timeCounter.ts wrote
      if (is(i + 1, 'i64.const') && is(i + 2, 'local.set', c)) i += 2;
    } else {
      out.push(instructions[i]);
    }
  }
  return out;
}
