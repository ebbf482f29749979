/**
 * A tiny reference interpreter that counts executed instructions by the rules of
 * docs/instrumentation.md, written independently of the rewriter (`timeCounter.ts`): it steps a
 * pc through the original instructions one at a time. Integer i32 code only: constants,
 * arithmetic and comparisons, locals, i32 globals, block/loop/if/else, br/br_if/br_table,
 * return, call (imports too), drop, select, nop, unreachable; with `options.memory`, also
 * i32.load/load8_u/store/store8, memory.size/grow/fill/copy. Values of other types are carried
 * opaquely (raw bits) through i64/f32/f64 constants, locals, calls, `call_indirect` (through
 * `options.table`), `return_call`, drop and branches, so that argument and result values can be
 * checked. Anything else throws.
 * `options.onEvent` sees what detail mode `full` logs, with the count at that instruction:
 * entries (with arguments) and normal exits (with results) of functions, stores,
 * memory.grow/fill/copy, global.set.
 */
import type { ModulePositions } from '../../instrument/positions.js';
import type { Instruction } from '../../instrument/codeDecoder.js';

/** The outcome of a reference run. */
export interface ReferenceRun {
  readonly results: number[];
  /** Instructions executed in total (at a trap: including the trapping `unreachable`). */
  readonly count: number;
  readonly trapped: boolean;
  /** The count at each import call, the call instruction included. */
  readonly importCalls: { readonly func: number; readonly count: number }[];
}

interface Label {
  readonly kind: string;
  readonly pc: number;
  readonly height: number;
  readonly arity: number;
}

class Trap extends Error {}

const BINARY: Record<string, (a: number, b: number) => number> = {
  'i32.add': (a, b) => (a + b) | 0, 'i32.sub': (a, b) => (a - b) | 0, 'i32.mul': (a, b) => Math.imul(a, b),
  'i32.and': (a, b) => a & b, 'i32.or': (a, b) => a | b, 'i32.xor': (a, b) => a ^ b,
  'i32.eq': (a, b) => +(a === b), 'i32.ne': (a, b) => +(a !== b), 'i32.lt_s': (a, b) => +(a < b),
  'i32.gt_s': (a, b) => +(a > b), 'i32.le_s': (a, b) => +(a <= b), 'i32.ge_s': (a, b) => +(a >= b),
  'i32.rem_u': (a, b) => ((a >>> 0) % (b >>> 0)) | 0, 'i32.shl': (a, b) => a << b,
};

/** A value: i32 as a number; other types as raw bits (f32: u32 bits; i64, f64: bigint). */
export type RefValue = number | { readonly t: 'i64'; readonly v: bigint } | { readonly t: 'f32'; readonly bits: number } | { readonly t: 'f64'; readonly bits: bigint };

/** What detail mode `full` should log at one executed instruction (see `runReference`). */
export interface ReferenceEvent {
  readonly kind: 'enter' | 'exit' | 'store' | 'grow' | 'fill' | 'copy' | 'globalSet';
  readonly pc: number;
  readonly count: number;
  /** enter/exit: the function; store: the effective address; fill/copy: the destination. */
  readonly detail: number;
  /** enter: the arguments; exit: the results (none for a tail call). */
  readonly values?: readonly RefValue[];
}

export interface ReferenceOptions {
  /** The initial linear memory (copied); enables the memory instructions. */
  readonly memory?: Uint8Array;
  /** The memory's maximum in pages (default 65536). */
  readonly maxPages?: number;
  /** Initial values of globals by index. */
  readonly globals?: readonly number[];
  /** The table `call_indirect` uses: function indices by slot. */
  readonly table?: readonly number[];
  readonly onEvent?: (e: ReferenceEvent) => void;
}

export function runReference(
  bytes: Uint8Array,
  positions: ModulePositions,
  funcIndex: number,
  args: number[],
  options: ReferenceOptions = {},
): ReferenceRun {
  const { layout } = positions;
  const globals: number[] = [...(options.globals ?? [])];
  let memory = options.memory ? options.memory.slice() : new Uint8Array(0);
  const view = () => new DataView(memory.buffer);
  const onEvent = options.onEvent ?? (() => {});
  const bounds = (address: number, n: number) => {
    if (address + n > memory.length) throw new Trap('out of bounds');
  };
  const importCalls: { func: number; count: number }[] = [];
  let count = 0;
  const byIndex = new Map(positions.functions.map((f) => [f.funcIndex, f]));
  /** Matching `else`/`end` index for each structured instruction. */
  const matchOf = (code: readonly Instruction[]) => {
    const ends = new Map<number, number>();
    const elses = new Map<number, number>();
    const open: number[] = [];
    code.forEach((ins, i) => {
      if (ins.name === 'block' || ins.name === 'loop' || ins.name === 'if') open.push(i);
      else if (ins.name === 'else') elses.set(open[open.length - 1], i);
      else if (ins.name === 'end' && open.length > 0) ends.set(open.pop()!, i);
    });
    return { ends, elses };
  };
  const blockArity = (ins: Instruction) => (bytes[ins.offset + 1] === 0x40 ? 0 : 1);

  const call = (index: number, params: RefValue[]): RefValue[] => {
    if (index < layout.importedFunctionCount) {
      importCalls.push({ func: index, count });
      return [];
    }
    const fn = byIndex.get(index)!;
    const code = fn.instructions;
    const { ends, elses } = matchOf(code);
    const locals: RefValue[] = [...params, ...new Array<number>(fn.body.localCount).fill(0)];
    const stack: RefValue[] = [];
    const labels: Label[] = [{ kind: 'function', pc: code.length - 1, height: 0, arity: fn.body.resultCount }];
    const pop = () => stack.pop() as number;
    onEvent({ kind: 'enter', pc: code[0].offset, count, detail: index, values: params });
    const branch = (depth: number): number | 'return' => {
      const label = labels[labels.length - 1 - depth];
      if (label.kind === 'function') return 'return';
      const arity = label.kind === 'loop' ? 0 : label.arity;
      const values = stack.splice(stack.length - arity, arity);
      stack.length = label.height;
      stack.push(...values);
      if (label.kind === 'loop') {
        labels.length = labels.length - depth;
        return label.pc + 1;
      }
      labels.length = labels.length - 1 - depth;
      return ends.get(label.pc)! + 1;
    };
    let pc = 0;
    for (;;) {
      const ins = code[pc];
      count++;
      let next: number | 'return' = pc + 1;
      const n = ins.name;
      if (n in BINARY) {
        const b = pop();
        stack.push(BINARY[n](pop(), b));
      } else if (n === 'i32.const') {
        stack.push(readSleb32(bytes, ins.offset + 1));
      } else if (n === 'i64.const') {
        stack.push({ t: 'i64', v: readSleb64(bytes, ins.offset + 1) });
      } else if (n === 'f32.const') {
        stack.push({ t: 'f32', bits: new DataView(bytes.buffer, bytes.byteOffset).getUint32(ins.offset + 1, true) });
      } else if (n === 'f64.const') {
        stack.push({ t: 'f64', bits: new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(ins.offset + 1, true) });
      } else if (n === 'i32.eqz') {
        stack.push(+(pop() === 0));
      } else if (n === 'local.get') {
        stack.push(locals[ins.index]);
      } else if (n === 'local.set') {
        locals[ins.index] = pop();
      } else if (n === 'local.tee') {
        locals[ins.index] = stack[stack.length - 1];
      } else if (n === 'global.get') {
        stack.push(globals[ins.index] ?? 0);
      } else if (n === 'global.set') {
        onEvent({ kind: 'globalSet', pc: ins.offset, count, detail: ins.index });
        globals[ins.index] = pop();
      } else if (n === 'i32.load' || n === 'i32.load8_u') {
        const address = (pop() >>> 0) + ins.memoryOffset!;
        bounds(address, n === 'i32.load' ? 4 : 1);
        stack.push(n === 'i32.load' ? view().getInt32(address, true) : memory[address]);
      } else if (n === 'i32.store' || n === 'i32.store8') {
        const value = pop();
        const address = (pop() >>> 0) + ins.memoryOffset!;
        bounds(address, n === 'i32.store' ? 4 : 1);
        onEvent({ kind: 'store', pc: ins.offset, count, detail: address });
        if (n === 'i32.store') view().setInt32(address, value, true);
        else memory[address] = value & 0xff;
      } else if (n === 'memory.size') {
        stack.push(memory.length / 65536);
      } else if (n === 'memory.grow') {
        const delta = pop() >>> 0;
        const old = memory.length / 65536;
        onEvent({ kind: 'grow', pc: ins.offset, count, detail: delta });
        if (old + delta > (options.maxPages ?? 65536)) stack.push(-1);
        else {
          const next = new Uint8Array((old + delta) * 65536);
          next.set(memory);
          memory = next;
          stack.push(old);
        }
      } else if (n === 'memory.fill' || n === 'memory.copy') {
        const size = pop() >>> 0;
        const x = pop();
        const dest = pop() >>> 0;
        bounds(dest, size);
        if (n === 'memory.copy') bounds(x >>> 0, size);
        onEvent({ kind: n === 'memory.fill' ? 'fill' : 'copy', pc: ins.offset, count, detail: dest });
        if (n === 'memory.fill') memory.fill(x & 0xff, dest, dest + size);
        else memory.copyWithin(dest, x >>> 0, (x >>> 0) + size);
      } else if (n === 'drop') {
        pop();
      } else if (n === 'select') {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(c ? a : b);
      } else if (n === 'nop') {
        // nothing
      } else if (n === 'block' || n === 'loop') {
        labels.push({ kind: n, pc, height: stack.length, arity: blockArity(ins) });
      } else if (n === 'if') {
        const c = pop();
        labels.push({ kind: n, pc, height: stack.length, arity: blockArity(ins) });
        if (!c) {
          const e = elses.get(pc);
          if (e !== undefined) next = e + 1;
          else {
            labels.pop();
            next = ends.get(pc)! + 1;
          }
        }
      } else if (n === 'else') {
        next = ends.get(labels.pop()!.pc)! + 1;
      } else if (n === 'end') {
        const label = labels.pop()!;
        if (label.kind === 'function') next = 'return';
      } else if (n === 'br') {
        next = branch(ins.index);
      } else if (n === 'br_if') {
        if (pop()) next = branch(ins.index);
      } else if (n === 'br_table') {
        const i = pop() >>> 0;
        const table = ins.labels!;
        next = branch(table[Math.min(i, table.length - 1)]);
      } else if (n === 'return') {
        next = 'return';
      } else if (n === 'call' || n === 'call_indirect') {
        const target = n === 'call' ? ins.index : options.table![pop()];
        const callee = byIndex.get(target);
        const arity = callee ? callee.body.paramCount : 0;
        stack.push(...call(target, stack.splice(stack.length - arity, arity)));
      } else if (n === 'return_call') {
        onEvent({ kind: 'exit', pc: ins.offset, count, detail: index, values: [] });
        const arity = byIndex.get(ins.index)!.body.paramCount;
        return call(ins.index, stack.splice(stack.length - arity, arity));
      } else if (n === 'unreachable') {
        throw new Trap('unreachable');
      } else {
        throw new Error(`reference interpreter: ${n} is not supported`);
      }
      if (next === 'return') {
        const results = stack.slice(stack.length - fn.body.resultCount);
        onEvent({ kind: 'exit', pc: ins.offset, count, detail: index, values: results });
        return results;
      }
      pc = next;
    }
  };

  try {
    const results = call(funcIndex, args) as number[];
    return { results, count, trapped: false, importCalls };
  } catch (e) {
    if (e instanceof Trap) return { results: [], count, trapped: true, importCalls };
    throw e;
  }
}

function readSleb32(bytes: Uint8Array, at: number): number {
  let result = 0;
  let shift = 0;
  let b: number;
  do {
    b = bytes[at++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 32 && b & 0x40) result |= -1 << shift;
  return result | 0;
}

function readSleb64(bytes: Uint8Array, at: number): bigint {
  let result = 0n;
  let shift = 0n;
  let b: number;
  do {
    b = bytes[at++];
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  if (shift < 64n && b & 0x40) result |= -1n << shift;
  return BigInt.asIntN(64, result);
}
