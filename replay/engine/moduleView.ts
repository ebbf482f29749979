/**
 * The replayed module as front ends see it: original bytes, names, which function holds a pc,
 * source positions, and a disassembly in wasm-objdump's words.
 */
import { decodePositions, type FunctionPositions, type Instruction } from '../../instrument/index.js';
import { UsageError } from '../../src/errors.js';
import { ByteReader } from '../../src/wasm/byteReader.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import type { SourceLines } from './sourceLines.js';
import type { ModuleView, SourceLocation } from './types.js';

export class ReplayModule implements ModuleView {
  readonly id = 0;
  readonly definedFunctions: readonly number[];
  private readonly names: ReadonlyMap<number, string>;
  private readonly functions: readonly FunctionPositions[];
  private readonly starts: Int32Array;
  readonly importedFunctionCount: number;

  constructor(
    readonly bytecode: Uint8Array,
    readonly name: string,
    readonly lines: SourceLines,
  ) {
    const info = readModuleInfo(bytecode);
    this.names = info.functionNames;
    this.importedFunctionCount = info.importedFunctionCount;
    this.functions = decodePositions(bytecode, name).functions;
    this.definedFunctions = this.functions.map((f) => f.funcIndex);
    this.starts = Int32Array.from(this.functions.map((f) => f.body.start));
  }

  functionName(funcIndex: number): string | null {
    return this.names.get(funcIndex) ?? null;
  }

  /** The defined function called `name`; `UsageError` (with near names) when there is none. */
  definedFunctionNamed(name: string): number {
    const f = this.definedFunctions.find((i) => this.functionName(i) === name);
    if (f !== undefined) return f;
    const known = this.definedFunctions.map((i) => this.functionName(i)).filter((n) => n !== null && n.includes(name)).slice(0, 5);
    throw new UsageError(`no function named ${name}${known.length > 0 ? ` (did you mean ${known.join(', ')}?)` : ''}`);
  }

  /** The defined function's decoded body, or null for an import or an unknown index. */
  positions(funcIndex: number): FunctionPositions | null {
    return this.functions[funcIndex - this.importedFunctionCount] ?? null;
  }

  functionAt(pc: number): number | null {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] <= pc) lo = mid + 1;
      else hi = mid;
    }
    const f = this.functions[lo - 1];
    return f !== undefined && pc < f.body.end ? f.funcIndex : null;
  }

  /** The instruction starting exactly at `pc`, or null. */
  instructionAt(pc: number): Instruction | null {
    const f = this.functionAt(pc);
    if (f === null) return null;
    const list = this.positions(f)!.instructions;
    const i = lowerBound(list, pc);
    return list[i]?.offset === pc ? list[i] : null;
  }

  /** The first instruction at or after `pc` within the function holding it (a breakpoint's slip), or null. */
  instructionAtOrAfter(pc: number): Instruction | null {
    const f = this.functionAt(pc);
    if (f === null) return null;
    const list = this.positions(f)!.instructions;
    return list[lowerBound(list, pc)] ?? null;
  }

  sourceAt(pc: number): SourceLocation | null {
    return this.lines.locationAt(pc);
  }

  disassemble(funcIndex: number): readonly { readonly pc: number; readonly text: string }[] {
    const f = this.positions(funcIndex);
    if (f === null) return [];
    return f.instructions.map((i) => ({ pc: i.offset, text: this.describe(i) }));
  }

  /** `call 3 <foo>`, `local.get 1`, `br_table 0 1 2`: mnemonic and the immediates the decoder keeps. */
  describe(i: Instruction): string {
    if (i.labels !== undefined && i.name === 'br_table') return `${i.name} ${i.labels.join(' ')}`;
    if (i.name === 'call' || i.name === 'return_call') {
      const n = this.functionName(i.index);
      return `${i.name} ${i.index}${n === null ? '' : ` <${n}>`}`;
    }
    if (i.memoryOffset !== undefined) return i.memoryOffset === 0 ? i.name : `${i.name} offset=${i.memoryOffset}`;
    if (i.name.endsWith('.const')) return `${i.name} ${constantOf(this.bytecode, i)}`;
    return i.index >= 0 ? `${i.name} ${i.index}` : i.name;
  }
}

/** The immediate of an `i32/i64/f32/f64.const` as wasm-objdump prints it: i32 unsigned, i64 signed, floats as values. */
function constantOf(bytes: Uint8Array, i: Instruction): string {
  const r = new ByteReader(bytes, i.offset + 1, i.end);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (i.name === 'f32.const') return String(view.getFloat32(i.offset + 1, true));
  if (i.name === 'f64.const') return String(view.getFloat64(i.offset + 1, true));
  return i.name === 'i32.const' ? String(r.s32() >>> 0) : String(r.s64());
}

function lowerBound(list: readonly Instruction[], pc: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].offset < pc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
