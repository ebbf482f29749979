/**
 * The instructions the interpreter loop hands to helpers because they go through the host or
 * touch many bytes: calls, `memory.grow/fill/copy/init`, `data.drop`, and the table
 * instructions. Each takes the frame, the function executing (the root's or an inline
 * callee's), the instruction's code index, the stack pointer and the instruction's time
 * (already counted), and returns the new stack pointer. They check and
 * trap before they change anything, so a trapping instruction leaves the slots as they were.
 */
import type { CompiledFunction } from './compiledCode.js';
import { UnsupportedInstructionError, InterpStateError, TrapError } from './errors.js';
import { fetchMemory, needMemory, dropMemory, type Frame } from './frame.js';
import { FC, mnemonic } from './opcodes.js';
import type { CallTarget, TableHost } from './types.js';
import { hasType, typeName, type FuncType } from './valueTypes.js';

/**
 * `call`, `call_indirect`, `return_call`, `return_call_indirect` at code index `ip`: pops the
 * arguments (and the element index), asks the host, pushes the results and sets `fr.t0` to the
 * time the callee returned at (and `fr.n` to 0). The memory is dropped: the callee may have
 * changed or replaced it.
 */
export function callHost(fr: Frame, fn: CompiledFunction, ip: number, sp: number, time: bigint): number {
  const c = fn.code;
  const op = c[ip];
  const a = c[ip + 1];
  const m = fr.code;
  const st = m.stack;
  let target: CallTarget;
  let type: FuncType;
  if (op === 0x10 || op === 0x12) {
    target = m.directTarget(a);
    type = m.functionType(a);
  } else {
    sp--;
    target = { kind: 'indirect', typeIndex: a, tableIndex: c[ip + 2], elementIndex: st.i32[sp << 1] >>> 0 };
    type = m.module.types[a];
  }
  const base = sp - type.params.length;
  const args = st.readAll(base, type.params);
  const out = fr.host.call(time, target, args);
  const results = out.results;
  if (results.length !== type.results.length || !results.every((v, k) => hasType(v, type.results[k]))) {
    throw new InterpStateError(`the host's call of ${describe(target)} returned (${results.map((v) => v.type).join(', ')}), not (${type.results.map(typeName).join(', ')})`);
  }
  for (let k = 0; k < results.length; k++) st.write(base + k, results[k]);
  fr.t0 = out.time;
  fr.n = 0;
  dropMemory(fr);
  return base + results.length;
}

function describe(t: CallTarget): string {
  return t.kind === 'direct' ? `function ${t.funcIndex}` : `table ${t.tableIndex}[${t.elementIndex}]`;
}

/** `memory.grow`, `memory.size`, `memory.fill`, `memory.copy`, `memory.init`, `data.drop`. */
export function memoryOp(fr: Frame, fn: CompiledFunction, ip: number, sp: number, time: bigint): number {
  const c = fn.code;
  const op = c[ip];
  const w = fr.code.stack.i32;
  if (op === 0x3f) {
    w[sp << 1] = (fr.memLen < 0 ? fetchMemory(fr, time) : fr.memLen) / 65536;
    return sp + 1;
  }
  if (op === 0x40) {
    const k = (sp - 1) << 1;
    w[k] = fr.host.grow(time, w[k] >>> 0);
    dropMemory(fr);
    return sp;
  }
  if (op === FC + 9) {
    fr.code.droppedData[c[ip + 1]] = 1;
    return sp;
  }
  const k = (sp - 3) << 1;
  const d = w[k] >>> 0;
  const x = w[k + 2] >>> 0;
  const n = w[k + 4] >>> 0;
  const write = !fr.knowsWrites;
  if (op === FC + 11) {
    needMemory(fr, time, d + n);
    if (write) fr.mem!.fill(x & 0xff, d, d + n);
  } else if (op === FC + 10) {
    needMemory(fr, time, Math.max(d, x) + n);
    if (write) fr.mem!.copyWithin(d, x, x + n);
  } else {
    const seg = c[ip + 1];
    const bytes = fr.code.droppedData[seg] ? new Uint8Array(0) : fr.code.module.data[seg].bytes;
    if (x + n > bytes.length) throw new TrapError('out of bounds memory access');
    needMemory(fr, time, d + n);
    if (write) fr.mem!.set(bytes.subarray(x, x + n), d);
  }
  if (!write) fr.memLen = -1; // the host's memory has the effect; read it again
  return sp - 3;
}

function tableMethod<K extends keyof TableHost>(fr: Frame, fn: CompiledFunction, ip: number, name: K): NonNullable<TableHost[K]> {
  const f = fr.host[name];
  if (typeof f !== 'function') {
    throw new UnsupportedInstructionError(mnemonic(fn.opcodes[ip >> 2]), fn.pcs[ip >> 2], `the host has no ${name}`);
  }
  return f.bind(fr.host) as NonNullable<TableHost[K]>;
}

/** `table.get/set/init/copy/grow/size/fill` and `elem.drop`, through the host's `TableHost` methods. */
export function tableOp(fr: Frame, fn: CompiledFunction, ip: number, sp: number, time: bigint): number {
  const c = fn.code;
  const op = c[ip];
  const a = c[ip + 1];
  const st = fr.code.stack;
  const w = st.i32;
  const u = (slot: number) => w[slot << 1] >>> 0;
  const refType = (table: number) => fr.code.module.tables[table].refType;
  switch (op) {
    case 0x25: st.write(sp - 1, tableMethod(fr, fn, ip, 'tableGet')(time, a, u(sp - 1))); return sp;
    case 0x26: tableMethod(fr, fn, ip, 'tableSet')(time, a, u(sp - 2), st.read(sp - 1, refType(a))); return sp - 2;
    case FC + 12: tableMethod(fr, fn, ip, 'tableInit')(time, c[ip + 2], a, u(sp - 3), u(sp - 2), u(sp - 1)); return sp - 3;
    case FC + 13: tableMethod(fr, fn, ip, 'elemDrop')(time, a); return sp;
    case FC + 14: tableMethod(fr, fn, ip, 'tableCopy')(time, a, c[ip + 2], u(sp - 3), u(sp - 2), u(sp - 1)); return sp - 3;
    case FC + 15: {
      const r = tableMethod(fr, fn, ip, 'tableGrow')(time, a, st.read(sp - 2, refType(a)), u(sp - 1));
      st.write(sp - 2, { type: 'i32', value: r | 0 });
      return sp - 1;
    }
    case FC + 16: st.write(sp, { type: 'i32', value: tableMethod(fr, fn, ip, 'tableSize')(time, a) | 0 }); return sp + 1;
    case FC + 17: tableMethod(fr, fn, ip, 'tableFill')(time, a, u(sp - 3), st.read(sp - 2, refType(a)), u(sp - 1)); return sp - 3;
    default: throw new InterpStateError(`not a table opcode: ${op}`);
  }
}

