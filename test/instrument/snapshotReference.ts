/**
 * A small stepping interpreter for the snapshot tests, written independently of the rewriter and
 * of the height analysis: it steps a pc through the original instructions, counts time by the
 * rules of docs/instrumentation.md (as referenceCounter.ts does), and reports every activation's
 * entry and every start of a loop body with the count before it, the activation's locals and the
 * DYNAMIC operand-stack height there (the values of every enclosing block included).
 *
 * Supported: i32/i64 constants, arithmetic and comparisons (a subset), f32/f64 constants, add
 * and conversions from i32; locals, i32 globals, i32.load/store, drop, select, nop, block/loop/if
 * with any block type (type indices: parameters and results), br/br_if/br_table with values,
 * return, call (imports: recorded, no results), unreachable (traps). Anything else throws.
 */
import type { DetailValue } from '../../instrument/index.js';
import type { ModulePositions } from '../../instrument/positions.js';
import type { Instruction } from '../../instrument/codeDecoder.js';

/** A loop body about to run: what a snapshot there must say. */
export interface LoopBodyStart {
  /** Instructions executed before the body's first instruction. */
  readonly count: number;
  /** The body's first instruction. */
  readonly pc: number;
  readonly func: number;
  /** Count at the activation's entry (its enter event's time). */
  readonly frameTime: number;
  readonly locals: readonly DetailValue[];
  /** Values on the activation's operand stack. */
  readonly height: number;
}

export interface SteppingRun {
  readonly count: number;
  readonly trapped: boolean;
  readonly results: readonly DetailValue[];
  readonly enters: readonly { readonly func: number; readonly count: number }[];
  readonly loopStarts: readonly LoopBodyStart[];
  /** The count at each import call (the call instruction included). */
  readonly importCalls: readonly number[];
}

class Trap extends Error {}

interface Label {
  readonly kind: 'function' | 'block' | 'loop' | 'if';
  readonly pc: number;
  /** Height below the block's parameters. */
  readonly height: number;
  readonly params: number;
  readonly results: number;
}

type Op = (a: DetailValue, b: DetailValue) => DetailValue;
const i32 = (value: number): DetailValue => ({ type: 'i32', value: value | 0 });
const i64 = (value: bigint): DetailValue => ({ type: 'i64', value: BigInt.asIntN(64, value) });
const n32 = (v: DetailValue) => (v as { value: number }).value;
const n64 = (v: DetailValue) => (v as { value: bigint }).value;
const f64FromBits = (bits: bigint) => new Float64Array(new BigUint64Array([bits]).buffer)[0];
const f64 = (x: number): DetailValue => ({ type: 'f64', bits: new BigUint64Array(new Float64Array([x]).buffer)[0] });
const f32 = (x: number): DetailValue => ({ type: 'f32', bits: new Uint32Array(new Float32Array([x]).buffer)[0] });
const f32FromBits = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0];

const BINARY: Record<string, Op> = {
  'i32.add': (a, b) => i32(n32(a) + n32(b)), 'i32.sub': (a, b) => i32(n32(a) - n32(b)), 'i32.mul': (a, b) => i32(Math.imul(n32(a), n32(b))),
  'i32.and': (a, b) => i32(n32(a) & n32(b)), 'i32.or': (a, b) => i32(n32(a) | n32(b)), 'i32.xor': (a, b) => i32(n32(a) ^ n32(b)),
  'i32.eq': (a, b) => i32(+(n32(a) === n32(b))), 'i32.ne': (a, b) => i32(+(n32(a) !== n32(b))),
  'i32.lt_s': (a, b) => i32(+(n32(a) < n32(b))), 'i32.gt_s': (a, b) => i32(+(n32(a) > n32(b))),
  'i32.le_s': (a, b) => i32(+(n32(a) <= n32(b))), 'i32.ge_s': (a, b) => i32(+(n32(a) >= n32(b))),
  'i32.lt_u': (a, b) => i32(+(n32(a) >>> 0 < n32(b) >>> 0)), 'i32.rem_u': (a, b) => i32((n32(a) >>> 0) % (n32(b) >>> 0)),
  'i32.shl': (a, b) => i32(n32(a) << n32(b)),
  'i64.add': (a, b) => i64(n64(a) + n64(b)), 'i64.sub': (a, b) => i64(n64(a) - n64(b)), 'i64.mul': (a, b) => i64(n64(a) * n64(b)),
  'i64.xor': (a, b) => i64(n64(a) ^ n64(b)), 'i64.eq': (a, b) => i32(+(n64(a) === n64(b))), 'i64.lt_s': (a, b) => i32(+(n64(a) < n64(b))),
  'f64.add': (a, b) => f64(f64FromBits((a as { bits: bigint }).bits) + f64FromBits((b as { bits: bigint }).bits)),
  'f32.add': (a, b) => f32(f32FromBits((a as { bits: number }).bits) + f32FromBits((b as { bits: number }).bits)),
};

const UNARY: Record<string, (a: DetailValue) => DetailValue> = {
  'i32.eqz': (a) => i32(+(n32(a) === 0)), 'i64.eqz': (a) => i32(+(n64(a) === 0n)),
  'i64.extend_i32_s': (a) => i64(BigInt(n32(a))), 'i64.extend_i32_u': (a) => i64(BigInt(n32(a) >>> 0)),
  'i32.wrap_i64': (a) => i32(Number(BigInt.asIntN(32, n64(a)))),
  'f64.convert_i32_s': (a) => f64(n32(a)), 'f32.convert_i32_s': (a) => f32(n32(a)),
};

/** The zero value of a local's type byte. */
function zero(type: number): DetailValue {
  switch (type) {
    case 0x7f: return i32(0);
    case 0x7e: return i64(0n);
    case 0x7d: return { type: 'f32', bits: 0 };
    case 0x7c: return { type: 'f64', bits: 0n };
    default: throw new Error(`snapshot reference: no locals of type 0x${type.toString(16)}`);
  }
}

/** Runs function `funcIndex` of the module `bytes` (decoded into `positions`) with `args`, over a fresh 64 KiB memory. */
export function runStepping(bytes: Uint8Array, positions: ModulePositions, funcIndex: number, args: readonly DetailValue[]): SteppingRun {
  const { types, functionTypes } = moduleTypes(bytes);
  const memory = new Uint8Array(65536);
  const mem = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  const globals = new Map<number, DetailValue>();
  const byIndex = new Map(positions.functions.map((f) => [f.funcIndex, f]));
  const enters: { func: number; count: number }[] = [];
  const loopStarts: LoopBodyStart[] = [];
  const importCalls: number[] = [];
  let count = 0;

  const blockType = (ins: Instruction) => {
    const b = bytes[ins.offset + 1];
    if (b === 0x40) return { params: 0, results: 0 };
    if (b >= 0x6f) return { params: 0, results: 1 };
    return types[readUleb(bytes, ins.offset + 1)];
  };

  const call = (index: number, params: DetailValue[]): DetailValue[] => {
    if (index < positions.layout.importedFunctionCount) {
      importCalls.push(count);
      return [];
    }
    const fn = byIndex.get(index)!;
    const code = fn.instructions;
    const { ends, elses } = matchOf(code);
    const locals: DetailValue[] = [...params, ...declaredLocalTypes(bytes, fn.body.start).map(zero)];
    const stack: DetailValue[] = [];
    const labels: Label[] = [{ kind: 'function', pc: code.length - 1, height: 0, params: 0, results: fn.body.resultCount }];
    const frameTime = count;
    enters.push({ func: index, count });
    const pop = () => stack.pop()!;
    const loopStart = (pc: number) => loopStarts.push({ count, pc: code[pc].offset, func: index, frameTime, locals: [...locals], height: stack.length });
    const branch = (depth: number): number | 'return' => {
      const label = labels[labels.length - 1 - depth];
      if (label.kind === 'function') return 'return';
      const arity = label.kind === 'loop' ? label.params : label.results;
      const values = stack.splice(stack.length - arity, arity);
      stack.length = label.height;
      stack.push(...values);
      if (label.kind === 'loop') {
        labels.length = labels.length - depth;
        loopStart(label.pc + 1);
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
      } else if (n in UNARY) {
        stack.push(UNARY[n](pop()));
      } else if (n === 'i32.const') {
        stack.push(i32(Number(readSleb(bytes, ins.offset + 1))));
      } else if (n === 'i64.const') {
        stack.push(i64(readSleb(bytes, ins.offset + 1)));
      } else if (n === 'f32.const') {
        stack.push({ type: 'f32', bits: new DataView(bytes.buffer, bytes.byteOffset).getUint32(ins.offset + 1, true) });
      } else if (n === 'f64.const') {
        stack.push({ type: 'f64', bits: new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(ins.offset + 1, true) });
      } else if (n === 'local.get') {
        stack.push(locals[ins.index]);
      } else if (n === 'local.set') {
        locals[ins.index] = pop();
      } else if (n === 'local.tee') {
        locals[ins.index] = stack[stack.length - 1];
      } else if (n === 'global.get') {
        stack.push(globals.get(ins.index) ?? i32(0));
      } else if (n === 'global.set') {
        globals.set(ins.index, pop());
      } else if (n === 'i32.load') {
        const address = (n32(pop()) >>> 0) + ins.memoryOffset!;
        if (address + 4 > memory.length) throw new Trap('out of bounds');
        stack.push(i32(mem.getInt32(address, true)));
      } else if (n === 'i32.store') {
        const value = n32(pop());
        const address = (n32(pop()) >>> 0) + ins.memoryOffset!;
        if (address + 4 > memory.length) throw new Trap('out of bounds');
        mem.setInt32(address, value, true);
      } else if (n === 'drop') {
        pop();
      } else if (n === 'select') {
        const c = n32(pop());
        const b = pop();
        const a = pop();
        stack.push(c ? a : b);
      } else if (n === 'nop') {
        // nothing
      } else if (n === 'block' || n === 'loop' || n === 'if') {
        const c = n === 'if' ? n32(pop()) : 1;
        const t = blockType(ins);
        labels.push({ kind: n, pc, height: stack.length - t.params, params: t.params, results: t.results });
        if (n === 'loop') loopStart(pc + 1);
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
        if (labels.pop()!.kind === 'function') next = 'return';
      } else if (n === 'br') {
        next = branch(ins.index);
      } else if (n === 'br_if') {
        if (n32(pop())) next = branch(ins.index);
      } else if (n === 'br_table') {
        const i = n32(pop()) >>> 0;
        next = branch(ins.labels![Math.min(i, ins.labels!.length - 1)]);
      } else if (n === 'return') {
        next = 'return';
      } else if (n === 'call') {
        const arity = types[functionTypes[ins.index]].params;
        stack.push(...call(ins.index, stack.splice(stack.length - arity, arity)));
      } else if (n === 'unreachable') {
        throw new Trap('unreachable');
      } else {
        throw new Error(`snapshot reference: ${n} is not supported`);
      }
      if (next === 'return') return stack.slice(stack.length - fn.body.resultCount);
      pc = next;
    }
  };

  try {
    const results = call(funcIndex, [...args]);
    return { count, trapped: false, results, enters, loopStarts, importCalls };
  } catch (e) {
    if (e instanceof Trap) return { count, trapped: true, results: [], enters, loopStarts, importCalls };
    throw e;
  }
}

/** Parameter and result counts of every type, and every function's type index (imports first). */
function moduleTypes(bytes: Uint8Array): { types: { params: number; results: number }[]; functionTypes: number[] } {
  const types: { params: number; results: number }[] = [];
  const functionTypes: number[] = [];
  let p = 8;
  const uleb = () => {
    const v = readUleb(bytes, p);
    while (bytes[p++] & 0x80);
    return v;
  };
  const skipName = () => {
    const n = uleb();
    p += n;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = uleb();
    const end = p + size;
    if (id === 1) {
      for (let i = 0, n = uleb(); i < n; i++) {
        p++; // 0x60
        const params = uleb();
        p += params; // one byte per value type here
        const results = uleb();
        p += results;
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let i = 0, n = uleb(); i < n; i++) {
        skipName();
        skipName();
        const kind = bytes[p++];
        if (kind !== 0) throw new Error('snapshot reference: only function imports');
        functionTypes.push(uleb());
      }
    } else if (id === 3) {
      for (let i = 0, n = uleb(); i < n; i++) functionTypes.push(uleb());
    }
    p = end;
  }
  return { types, functionTypes };
}

/** Matching `else` and `end` index of each structured instruction. */
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

/** One type byte per declared local (no reference types with heap types here). */
function declaredLocalTypes(bytes: Uint8Array, at: number): number[] {
  const out: number[] = [];
  let p = at;
  const uleb = () => {
    const v = readUleb(bytes, p);
    while (bytes[p++] & 0x80);
    return v;
  };
  for (let g = 0, groups = uleb(); g < groups; g++) {
    const n = uleb();
    const t = bytes[p++];
    for (let i = 0; i < n; i++) out.push(t);
  }
  return out;
}

function readUleb(bytes: Uint8Array, at: number): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return result;
  }
}

function readSleb(bytes: Uint8Array, at: number): bigint {
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
