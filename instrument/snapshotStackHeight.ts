/**
 * Operand-stack heights of one function body, statically: for each instruction, how many
 * values are on the function's operand stack right before it (every enclosing block's values
 * and block parameters included). Snapshots (`snapshotPlan.ts`) are taken only at the start of
 * a loop body whose height is 0, so that the locals alone are the activation's state.
 *
 * The analysis walks the body once, as a validator does, with per-instruction pop/push counts
 * (`snapshotStackEffects.ts`) and block types. Where it cannot tell (an instruction outside its
 * table, the start of a legacy `catch`, whose tag values it does not read) or where the stack is
 * polymorphic (dead code after `br`, `return`, `unreachable`, a throw), the height is unknown
 * (`null`) until the enclosing block's `else`/`end`, where the block type makes it known again.
 * It does not validate: on a valid body the heights are exact; an inconsistency it meets (a
 * block ending at a height its type does not give, a pop below the block's base) is reported in
 * `problems`, and a caller must then trust nothing of that function.
 */
import { ByteReader } from '../src/wasm/byteReader.js';
import type { Instruction } from './codeDecoder.js';
import { stackEffect, type FunctionSignatures } from './snapshotStackEffects.js';

export type { FunctionSignatures } from './snapshotStackEffects.js';

/** The heights of one body. */
export interface StackHeights {
  /** Height before each instruction (same index as the instructions); `null` where unknown or unreachable. */
  readonly before: readonly (number | null)[];
  /** Inconsistencies met (empty for a valid body and a correct table). */
  readonly problems: readonly string[];
}

interface Frame {
  /** Where the block starts (-1: the function). */
  readonly offset: number;
  /** Height below the block's parameters, or null when the block starts at an unknown height. */
  readonly base: number | null;
  readonly params: number;
  readonly results: number;
}

const EMPTY_BLOCK_TYPE = -64; // 0x40 read as s33; other negative values are single value types

/** Parameter and result counts of the block type right after the opcode at `ins.offset`. */
function blockType(bytes: Uint8Array, ins: Instruction, signatures: FunctionSignatures): { params: number; results: number } | undefined {
  const t = new ByteReader(bytes, ins.offset + 1, ins.end).s33();
  if (t === EMPTY_BLOCK_TYPE) return { params: 0, results: 0 };
  if (t < 0) return { params: 0, results: 1 };
  return signatures.types[t];
}

/**
 * Heights before every instruction of a body (`instructions`: the whole body, final `end`
 * included), whose function returns `resultCount` values.
 */
export function stackHeights(
  bytes: Uint8Array,
  instructions: readonly Instruction[],
  signatures: FunctionSignatures,
  resultCount: number,
): StackHeights {
  const before: (number | null)[] = [];
  const problems: string[] = [];
  const frames: Frame[] = [{ offset: -1, base: 0, params: 0, results: resultCount }];
  let h: number | null = 0;
  const at = (ins: Instruction) => `0x${ins.offset.toString(16)}`;
  /** Checks the height where a block's arm ends against its type. */
  const expectEnd = (ins: Instruction, f: Frame) => {
    if (h !== null && f.base !== null && h !== f.base + f.results) {
      problems.push(`${ins.name} at ${at(ins)}: height ${h}, but the block at ${f.offset} ends at ${f.base + f.results}`);
    }
  };
  const open = (ins: Instruction, popped: number) => {
    const type = blockType(bytes, ins, signatures);
    let base: number | null = h === null || type === undefined ? null : h - popped - type.params;
    if (base !== null && base < (frames[frames.length - 1].base ?? 0)) {
      problems.push(`${ins.name} at ${at(ins)}: block parameters below the enclosing block`);
      base = null;
    }
    const params = type?.params ?? 0;
    frames.push({ offset: ins.offset, base, params, results: type?.results ?? 0 });
    h = base === null ? null : base + params;
  };
  for (const ins of instructions) {
    before.push(h);
    const top = frames[frames.length - 1];
    switch (ins.name) {
      case 'block':
      case 'loop':
      case 'try':
      case 'try_table':
        open(ins, 0);
        break;
      case 'if':
        open(ins, 1);
        break;
      case 'else':
        expectEnd(ins, top);
        h = top.base === null ? null : top.base + top.params;
        break;
      case 'catch':
        expectEnd(ins, top);
        h = null; // the tag's values: not read here
        break;
      case 'catch_all':
        expectEnd(ins, top);
        h = top.base;
        break;
      case 'end':
      case 'delegate':
        expectEnd(ins, top);
        frames.pop();
        h = top.base === null ? null : top.base + top.results;
        if (frames.length === 0) return { before, problems };
        break;
      case 'br':
      case 'br_table':
      case 'return':
      case 'unreachable':
      case 'throw':
      case 'rethrow':
      case 'throw_ref':
      case 'return_call':
      case 'return_call_indirect':
        h = null; // what follows up to the block's end is unreachable
        break;
      default: {
        const e = stackEffect(ins, signatures);
        if (h === null) break;
        if (e === undefined) {
          h = null;
        } else if (h - e.pop < (top.base ?? 0)) {
          problems.push(`${ins.name} at ${at(ins)}: pops ${e.pop} of ${h - (top.base ?? 0)} values of its block`);
          h = null;
        } else {
          h = h - e.pop + e.push;
        }
      }
    }
  }
  problems.push('the body does not end with the function\'s `end`');
  return { before, problems };
}

/**
 * Offsets of the `loop`s whose body starts with an empty operand stack (height 0 before the
 * loop's first body instruction, hence no loop parameters either). Empty when the analysis met
 * any inconsistency in the function: then nothing about its heights is trusted.
 */
export function emptyStackLoops(
  bytes: Uint8Array,
  instructions: readonly Instruction[],
  signatures: FunctionSignatures,
  resultCount: number,
): Set<number> {
  const { before, problems } = stackHeights(bytes, instructions, signatures, resultCount);
  const loops = new Set<number>();
  if (problems.length > 0) return loops;
  instructions.forEach((ins, i) => {
    if (ins.name === 'loop' && before[i + 1] === 0) loops.add(ins.offset);
  });
  return loops;
}
