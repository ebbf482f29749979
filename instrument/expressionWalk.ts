/**
 * Walks a Binaryen expression tree in evaluation order: children before their parent, children
 * left to right as the binary encodes them (a store's address before its value, a call's
 * operands before a call_indirect's table index). That is the order in which a decoder meets
 * the corresponding original instructions, which `positionMap.ts` relies on.
 */
import binaryen from 'binaryen';
import { expressionId, expressionIdName, expressionInfo, type ExpressionRef } from './binaryenModule.js';

/**
 * Child fields per expression id, in evaluation order. Array-valued fields hold several children.
 * binaryen.js exports no id (and no field getters) for try_table, throw_ref, table.fill and
 * table.copy; those rows drop out and walking such a function fails with a clear error.
 */
const CHILD_FIELDS = new Map<number, readonly string[]>(([
  [binaryen.BlockId, ['children']],
  [binaryen.IfId, ['condition', 'ifTrue', 'ifFalse']],
  [binaryen.LoopId, ['body']],
  [binaryen.BreakId, ['value', 'condition']],
  [binaryen.SwitchId, ['value', 'condition']],
  [binaryen.CallId, ['operands']],
  [binaryen.CallIndirectId, ['operands', 'target']],
  [binaryen.LocalGetId, []],
  [binaryen.LocalSetId, ['value']],
  [binaryen.GlobalGetId, []],
  [binaryen.GlobalSetId, ['value']],
  [binaryen.LoadId, ['ptr']],
  [binaryen.StoreId, ['ptr', 'value']],
  [binaryen.ConstId, []],
  [binaryen.UnaryId, ['value']],
  [binaryen.BinaryId, ['left', 'right']],
  [binaryen.SelectId, ['ifTrue', 'ifFalse', 'condition']],
  [binaryen.DropId, ['value']],
  [binaryen.ReturnId, ['value']],
  [binaryen.MemorySizeId, []],
  [binaryen.MemoryGrowId, ['delta']],
  [binaryen.NopId, []],
  [binaryen.UnreachableId, []],
  [binaryen.SIMDExtractId, ['vec']],
  [binaryen.SIMDReplaceId, ['vec', 'value']],
  [binaryen.SIMDShuffleId, ['left', 'right']],
  [binaryen.SIMDTernaryId, ['a', 'b', 'c']],
  [binaryen.SIMDShiftId, ['vec', 'shift']],
  [binaryen.SIMDLoadId, ['ptr']],
  [binaryen.SIMDLoadStoreLaneId, ['ptr', 'vec']],
  [binaryen.MemoryInitId, ['dest', 'offset', 'size']],
  [binaryen.DataDropId, []],
  [binaryen.MemoryCopyId, ['dest', 'source', 'size']],
  [binaryen.MemoryFillId, ['dest', 'value', 'size']],
  [binaryen.RefNullId, []],
  [binaryen.RefIsNullId, ['value']],
  [binaryen.RefFuncId, []],
  [binaryen.TableGetId, ['index']],
  [binaryen.TableSetId, ['index', 'value']],
  [binaryen.TableSizeId, []],
  [binaryen.TableGrowId, ['value', 'delta']],
  [binaryen.TableFillId, ['index', 'value', 'size']],
  [binaryen.TableCopyId, ['dest', 'source', 'size']],
  [binaryen.TryId, ['body', 'catchBodies']],
  [binaryen.TryTableId, ['body']],
  [binaryen.ThrowId, ['operands']],
  [binaryen.RethrowId, []],
  [binaryen.ThrowRefId, ['exnref']],
  [binaryen.TupleMakeId, ['operands']],
  [binaryen.TupleExtractId, ['tuple']],
  [binaryen.PopId, []],
] as [number | undefined, string[]][]).filter((row): row is [number, string[]] => typeof row[0] === 'number'));

/** The children of `expr` in evaluation order; throws on an expression kind this walk does not know. */
export function childrenOf(expr: ExpressionRef): ExpressionRef[] {
  const id = expressionId(expr);
  const fields = CHILD_FIELDS.get(id);
  if (!fields) throw new Error(`expression walk: unknown Binaryen expression ${expressionIdName(id)}`);
  if (fields.length === 0) return [];
  const info = expressionInfo(expr);
  const out: ExpressionRef[] = [];
  for (const field of fields) {
    const v = info[field];
    if (Array.isArray(v)) out.push(...(v as ExpressionRef[]).filter((x) => x));
    else if (typeof v === 'number' && v !== 0) out.push(v);
  }
  return out;
}

/**
 * Visits every expression under `root`: `enter` before its children (pre-order, the order of
 * `block`/`loop`/`if` start instructions), `leave` after them (post-order, the order of
 * operations). Iterative, so deep trees do not exhaust the JS stack.
 */
export function walkExpressions(
  root: ExpressionRef,
  visit: { enter?: (e: ExpressionRef) => void; leave?: (e: ExpressionRef) => void },
): void {
  const stack: { expr: ExpressionRef; children: ExpressionRef[] | undefined; next: number }[] = [
    { expr: root, children: undefined, next: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (!top.children) {
      visit.enter?.(top.expr);
      top.children = childrenOf(top.expr);
    }
    if (top.next < top.children.length) {
      stack.push({ expr: top.children[top.next++], children: undefined, next: 0 });
    } else {
      visit.leave?.(top.expr);
      stack.pop();
    }
  }
}
