/**
 * Maps Binaryen expressions to the byte offsets of the original instructions they came from.
 * Binaryen keeps no original offsets, but within one function it keeps, per kind of operation,
 * the original order: a children-first walk meets loads, stores, calls, ... in the order a
 * decoder meets them in the bytes, and a pre-order walk meets `block`/`loop`/`if` in the order
 * of their start instructions. So each kind's two lists are zipped. A kind whose lists differ
 * in length in some function is reported in `mismatches` and left unmapped there, never guessed.
 */
import binaryen from 'binaryen';
import { expressionId, expressionInfo, type BinaryenFunction, type BinaryenModule, type ExpressionRef } from './binaryenModule.js';
import { targetedStructures } from './branchTargets.js';
import { walkExpressions } from './expressionWalk.js';
import type { FunctionPositions, ModulePositions } from './positions.js';

/** The kinds of operations the map covers. */
export type MappedKind =
  | 'load' | 'store' | 'call' | 'return_call' | 'call_indirect' | 'return_call_indirect'
  | 'local.set' | 'local.tee' | 'global.set' | 'memory.grow' | 'memory.fill' | 'memory.copy'
  | 'memory.init' | 'unreachable' | 'block' | 'loop' | 'if';

/** The result: offsets for mapped expressions, and every kind that could not be aligned. */
export interface PositionMap {
  /** Original offset (from the `\0asm` magic) of a mapped expression, or undefined. */
  offsetOf(expr: ExpressionRef): number | undefined;
  /** The kind under which an expression was mapped. */
  kindOf(expr: ExpressionRef): MappedKind | undefined;
  /** Number of mapped expressions per kind. */
  readonly counts: ReadonlyMap<MappedKind, number>;
  /** One line per function and kind whose Binaryen and original counts differ. */
  readonly mismatches: readonly string[];
}

const CONTROL_KINDS: ReadonlySet<MappedKind> = new Set(['block', 'loop', 'if']);

/** The kind of an original instruction, by its wabt mnemonic. */
export function kindOfInstruction(name: string): MappedKind | undefined {
  if (name === 'block' || name === 'loop' || name === 'if' || name === 'call' || name === 'return_call' ||
    name === 'call_indirect' || name === 'return_call_indirect' || name === 'local.set' ||
    name === 'local.tee' || name === 'global.set' || name === 'memory.grow' || name === 'memory.fill' ||
    name === 'memory.copy' || name === 'memory.init' || name === 'unreachable') return name;
  if (/\.(load|store)/.test(name)) return /\.store/.test(name) ? 'store' : 'load';
  return undefined;
}

/**
 * The kind of a Binaryen expression. `originalLocals` (parameters plus declared locals of the
 * original function) filters out writes to scratch locals Binaryen adds while reading stacky
 * code; those have no original instruction.
 */
function kindOfExpression(expr: ExpressionRef, originalLocals: number): MappedKind | undefined {
  const id = expressionId(expr);
  const info = () => expressionInfo(expr);
  switch (id) {
    case binaryen.LoadId:
    case binaryen.SIMDLoadId:
      return 'load';
    case binaryen.StoreId:
      return 'store';
    case binaryen.SIMDLoadStoreLaneId:
      return (info().op as number) >= binaryen.Store8LaneVec128 ? 'store' : 'load';
    case binaryen.CallId:
      return info().isReturn ? 'return_call' : 'call';
    case binaryen.CallIndirectId:
      return info().isReturn ? 'return_call_indirect' : 'call_indirect';
    case binaryen.LocalSetId:
    {
      const set = info();
      if ((set.index as number) >= originalLocals) return undefined;
      return set.isTee ? 'local.tee' : 'local.set';
    }
    case binaryen.GlobalSetId: return 'global.set';
    case binaryen.MemoryGrowId: return 'memory.grow';
    case binaryen.MemoryFillId: return 'memory.fill';
    case binaryen.MemoryCopyId: return 'memory.copy';
    case binaryen.MemoryInitId: return 'memory.init';
    case binaryen.UnreachableId: return 'unreachable';
    case binaryen.BlockId:
      // Binaryen wraps bodies and arms in unnamed blocks of its own; an original `block` that
      // something branches to keeps a name, and only those are aligned (see branchTargets.ts).
      return info().name ? 'block' : undefined;
    case binaryen.LoopId: return 'loop';
    case binaryen.IfId: return 'if';
    default: return undefined;
  }
}

/** Aligns every defined function of `module` with its decoded original code. */
export function buildPositionMap(module: BinaryenModule, positions: ModulePositions): PositionMap {
  const offsets = new Map<ExpressionRef, number>();
  const kinds = new Map<ExpressionRef, MappedKind>();
  const counts = new Map<MappedKind, number>();
  const mismatches: string[] = [];
  const originals = new Map(positions.functions.map((f) => [f.funcIndex, f]));
  for (const fn of module.definedFunctions()) {
    const original = originals.get(fn.index);
    if (!original) {
      mismatches.push(`function ${fn.index}: no original body`);
      continue;
    }
    alignFunction(fn, original, (kind, exprs, offs) => {
      if (exprs.length !== offs.length) {
        mismatches.push(`function ${fn.index} ${kind}: ${exprs.length} in Binaryen, ${offs.length} in the original`);
        return;
      }
      exprs.forEach((e, i) => {
        offsets.set(e, offs[i]);
        kinds.set(e, kind);
      });
      counts.set(kind, (counts.get(kind) ?? 0) + exprs.length);
    });
  }
  return { offsetOf: (e) => offsets.get(e), kindOf: (e) => kinds.get(e), counts, mismatches };
}

function alignFunction(
  fn: BinaryenFunction,
  original: FunctionPositions,
  zip: (kind: MappedKind, exprs: ExpressionRef[], offsets: number[]) => void,
): void {
  const originalLocals = original.body.paramCount + original.body.localCount;
  const exprs = new Map<MappedKind, ExpressionRef[]>();
  const add = (e: ExpressionRef, control: boolean) => {
    const kind = kindOfExpression(e, originalLocals);
    if (kind && CONTROL_KINDS.has(kind) === control) push(exprs, kind, e);
  };
  walkExpressions(fn.body, { enter: (e) => add(e, true), leave: (e) => add(e, false) });
  const offs = new Map<MappedKind, number[]>();
  const targeted = targetedStructures(original.instructions);
  original.instructions.forEach((ins, i) => {
    const kind = kindOfInstruction(ins.name);
    if (!kind || (kind === 'block' && !targeted.has(i))) return;
    push(offs, kind, ins.offset);
  });
  for (const kind of new Set([...exprs.keys(), ...offs.keys()])) zip(kind, exprs.get(kind) ?? [], offs.get(kind) ?? []);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
