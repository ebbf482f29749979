/**
 * A reference for probe runs: a trimmed copy of referenceCounter.ts (i32 code, locals, globals,
 * block/loop/if/else, br/br_if/br_table, return, call, drop, select, nop, unreachable) that steps
 * a pc through the ORIGINAL instructions one at a time and tells `onStep` the pc and the count
 * of instructions executed before it, each time an instruction is about to execute. It shares no
 * code with the rewriter (timeCounter.ts, probe/), and applies docs/instrumentation.md's rules by
 * construction: a marker is "executed" only when the stepping pc lands on it.
 */
import type { ModulePositions } from '../../instrument/positions.js';
import type { Instruction } from '../../instrument/codeDecoder.js';

export interface StepRun {
  readonly results: number[];
  /** Instructions executed in total (at a trap: including the trapping one). */
  readonly count: number;
  readonly trapped: boolean;
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
  'i32.rem_u': (a, b) => {
    if (b === 0) throw new Trap('remainder by zero');
    return ((a >>> 0) % (b >>> 0)) | 0;
  },
  'i32.shl': (a, b) => a << b,
};

/**
 * Runs function `funcIndex` with `args`. `count` starts at `start` (the time of the probe
 * module's `__wtrace_time` when the export is called). Import calls return nothing.
 */
export function runStepping(
  bytes: Uint8Array,
  positions: ModulePositions,
  funcIndex: number,
  args: number[],
  onStep: (pc: number, before: number) => void,
  start = 0,
): StepRun {
  const { layout } = positions;
  const globals: number[] = [];
  let count = start;
  const byIndex = new Map(positions.functions.map((f) => [f.funcIndex, f]));
  const blockArity = (ins: Instruction) => (bytes[ins.offset + 1] === 0x40 ? 0 : 1);

  const call = (index: number, params: number[]): number[] => {
    if (index < layout.importedFunctionCount) return [];
    const fn = byIndex.get(index)!;
    const code = fn.instructions;
    const { ends, elses } = matchOf(code);
    const locals = [...params, ...new Array<number>(fn.body.localCount).fill(0)];
    const stack: number[] = [];
    const labels: Label[] = [{ kind: 'function', pc: code.length - 1, height: 0, arity: fn.body.resultCount }];
    const pop = () => stack.pop()!;
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
      onStep(ins.offset, count);
      count++;
      let next: number | 'return' = pc + 1;
      const n = ins.name;
      if (n in BINARY) {
        const b = pop();
        stack.push(BINARY[n](pop(), b));
      } else if (n === 'i32.const') stack.push(readSleb32(bytes, ins.offset + 1));
      else if (n === 'i32.eqz') stack.push(+(pop() === 0));
      else if (n === 'local.get') stack.push(locals[ins.index]);
      else if (n === 'local.set') locals[ins.index] = pop();
      else if (n === 'local.tee') locals[ins.index] = stack[stack.length - 1];
      else if (n === 'global.get') stack.push(globals[ins.index] ?? 0);
      else if (n === 'global.set') globals[ins.index] = pop();
      else if (n === 'drop') pop();
      else if (n === 'select') {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(c ? a : b);
      } else if (n === 'nop') {
        // nothing
      } else if (n === 'block' || n === 'loop') labels.push({ kind: n, pc, height: stack.length, arity: blockArity(ins) });
      else if (n === 'if') {
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
      } else if (n === 'else') next = ends.get(labels.pop()!.pc)! + 1;
      else if (n === 'end') {
        if (labels.pop()!.kind === 'function') next = 'return';
      } else if (n === 'br') next = branch(ins.index);
      else if (n === 'br_if') {
        if (pop()) next = branch(ins.index);
      } else if (n === 'br_table') {
        const i = pop() >>> 0;
        const table = ins.labels!;
        next = branch(table[Math.min(i, table.length - 1)]);
      } else if (n === 'return') next = 'return';
      else if (n === 'call') {
        const callee = byIndex.get(ins.index);
        const arity = callee ? callee.body.paramCount : 0;
        stack.push(...call(ins.index, stack.splice(stack.length - arity, arity)));
      } else if (n === 'unreachable') throw new Trap('unreachable');
      else throw new Error(`probe reference: ${n} is not supported`);
      if (next === 'return') return stack.slice(stack.length - fn.body.resultCount);
      pc = next;
    }
  };

  try {
    return { results: call(funcIndex, args), count, trapped: false };
  } catch (e) {
    if (e instanceof Trap) return { results: [], count, trapped: true };
    throw e;
  }
}

/** Matching `else`/`end` index for each structured instruction. */
function matchOf(code: readonly Instruction[]) {
  const ends = new Map<number, number>();
  const elses = new Map<number, number>();
  const open: number[] = [];
  code.forEach((ins, i) => {
    if (ins.name === 'block' || ins.name === 'loop' || ins.name === 'if') open.push(i);
    else if (ins.name === 'else') elses.set(open[open.length - 1], i);
    else if (ins.name === 'end' && open.length > 0) ends.set(open.pop()!, i);
  });
  return { ends, elses };
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
