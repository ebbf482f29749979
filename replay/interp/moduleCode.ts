/**
 * `ModuleCode`: the original module, decoded once for interpretation. Module structure is
 * decoded eagerly (moduleDecoder.ts); each function body is compiled on first use
 * (compileFunction.ts). It also owns the value stack the interpreter computes in and the
 * dropped-data-segment flags (`memory.init`/`data.drop` state of the one instance the code is
 * used for at a time). It holds no other instance state: memory, globals and tables are the
 * host's.
 */
import { compileFunction, typesAt, type CompiledFunction, type TypesAt } from './compileFunction.js';
import { InterpStateError } from './errors.js';
import { decodeModule, type DecodedModule } from './moduleDecoder.js';
import { mnemonic } from './opcodes.js';
import type { ActivationState, CallTarget, Value } from './types.js';
import { InlineFrames } from './inlineFrames.js';
import { ValueStack } from './valueStack.js';
import { hasType, typeName, zeroValue, type FuncType } from './valueTypes.js';

/** One instruction of a function, for hosts and front ends. */
export interface InstructionInfo {
  /** Original offset. */
  readonly pc: number;
  /** Index in the function's instruction list. */
  readonly index: number;
  /** wabt's mnemonic (`i32.add`, `br_table`, ...). */
  readonly name: string;
  /** The opcode byte, or `0xfc00 | n`. */
  readonly opcode: number;
}

/** The call an activation is about to make (see `ModuleCode.pendingCall`). */
export interface PendingCall {
  readonly target: CallTarget;
  readonly args: readonly Value[];
  /** `return_call` / `return_call_indirect`: the caller returns the callee's results. */
  readonly tail: boolean;
}

export class ModuleCode {
  readonly module: DecodedModule;
  /** The interpreter's slots (shared by all activations of this code; see valueStack.ts). */
  readonly stack = new ValueStack();
  /** Frames of callees the interpreter runs inline (inlineFrames.ts). */
  readonly inline = new InlineFrames();
  /**
   * 1 where data segment i is dropped (`data.drop`; active segments after instantiation): its
   * length reads as 0 for `memory.init`. A host that instantiates sets these (`ProgramHost`
   * does); all start at 0.
   */
  readonly droppedData: Uint8Array;
  private readonly compiled: (CompiledFunction | undefined)[] = [];
  private readonly directTargets: CallTarget[] = [];

  private constructor(readonly bytes: Uint8Array) {
    this.module = decodeModule(bytes);
    this.droppedData = new Uint8Array(this.module.data.length);
  }

  /** Decodes `bytes` (a valid module). Throws `UnsupportedInstructionError` for module features it cannot run. */
  static from(bytes: Uint8Array): ModuleCode {
    return new ModuleCode(bytes);
  }

  /** Functions in the index space, imports included. */
  get functionCount(): number {
    return this.module.funcTypeIndices.length;
  }

  get importedFunctionCount(): number {
    return this.module.importedFunctionCount;
  }

  isImport(funcIndex: number): boolean {
    return funcIndex < this.module.importedFunctionCount;
  }

  /** The function's type: value type codes (valueTypes.ts; `typeName` names them). */
  functionType(funcIndex: number): FuncType {
    const t = this.module.types[this.module.funcTypeIndices[funcIndex]];
    if (!t) throw new InterpStateError(`no function ${funcIndex}`);
    return t;
  }

  /** Type codes of a defined function's parameters then declared locals. */
  localTypes(funcIndex: number): readonly number[] {
    return [...this.compiledFunction(funcIndex).localTypes];
  }

  /** The index of the exported function `name`, or undefined. */
  exportedFunction(name: string): number | undefined {
    return this.module.exports.find((e) => e.kind === 'func' && e.name === name)?.index;
  }

  /** The compiled body of a defined function (compiled on first use; throws `UnsupportedInstructionError`). */
  compiledFunction(funcIndex: number): CompiledFunction {
    const f = this.compiled[funcIndex];
    if (f) return f;
    if (this.isImport(funcIndex)) throw new InterpStateError(`function ${funcIndex} is an import: it has no code to interpret`);
    const body = this.module.bodies[funcIndex - this.module.importedFunctionCount];
    if (!body) throw new InterpStateError(`no function ${funcIndex}`);
    return (this.compiled[funcIndex] = compileFunction(this.module, this.bytes, body));
  }

  /**
   * The state of a fresh activation of `funcIndex` called with `args` when the program's time
   * is `time`: parameters from `args`, declared locals zero (null references), the function's
   * label, an empty operand stack, and `pc` at its first instruction.
   */
  entryState(funcIndex: number, args: readonly Value[], time: bigint): ActivationState {
    const f = this.compiledFunction(funcIndex);
    const params = f.type.params;
    if (args.length !== params.length || !args.every((a, i) => hasType(a, params[i]))) {
      throw new InterpStateError(`function ${funcIndex} takes (${params.map(typeName).join(', ')}), not (${args.map((a) => a.type).join(', ')})`);
    }
    const locals: Value[] = [...args];
    for (let i = params.length; i < f.localTypes.length; i++) locals.push(zeroValue(f.localTypes[i]));
    const pc = f.pcs[0];
    return { funcIndex, time, pc, locals, stack: [], labels: [{ kind: 'function', pc, height: 0 }] };
  }

  /** Index of the instruction at `pc` in `funcIndex`, or -1 if no instruction starts there. */
  indexOfPc(funcIndex: number, pc: number): number {
    const pcs = this.compiledFunction(funcIndex).pcs;
    let lo = 0;
    let hi = pcs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (pcs[mid] === pc) return mid;
      if (pcs[mid] < pc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The instruction at `pc` of `funcIndex`, or null if none starts there. */
  instructionAt(funcIndex: number, pc: number): InstructionInfo | null {
    const index = this.indexOfPc(funcIndex, pc);
    return index < 0 ? null : this.instruction(funcIndex, index);
  }

  /** Every instruction of `funcIndex`, in order. */
  instructions(funcIndex: number): InstructionInfo[] {
    const f = this.compiledFunction(funcIndex);
    return Array.from({ length: f.instructionCount }, (_, i) => this.instruction(funcIndex, i));
  }

  private instruction(funcIndex: number, index: number): InstructionInfo {
    const f = this.compiledFunction(funcIndex);
    return { pc: f.pcs[index], index, name: mnemonic(f.opcodes[index]), opcode: f.opcodes[index] };
  }

  /**
   * For the `block`, `loop` or `if` at `pc`: the pcs of its matching `else` (null without one)
   * and `end`. Null for any other instruction.
   */
  matchingEnd(funcIndex: number, pc: number): { readonly elsePc: number | null; readonly endPc: number } | null {
    const f = this.compiledFunction(funcIndex);
    const index = this.indexOfPc(funcIndex, pc);
    if (index < 0 || f.ends[index] < 0) return null;
    return { elsePc: f.elses[index] < 0 ? null : f.pcs[f.elses[index]], endPc: f.pcs[f.ends[index]] };
  }

  /**
   * The operand stack types (codes, bottom first) and labels (outermost first) before the
   * instruction at `pc`, as validation sees them. Walks at most a few dozen instructions from
   * a checkpoint the compiler kept.
   */
  typesAt(funcIndex: number, pc: number): TypesAt {
    const index = this.indexOfPc(funcIndex, pc);
    if (index < 0) throw new InterpStateError(`pc 0x${pc.toString(16)} is not an instruction of function ${funcIndex}`);
    const body = this.module.bodies[funcIndex - this.module.importedFunctionCount];
    return typesAt(this.module, this.bytes, body, this.compiledFunction(funcIndex), index);
  }

  /** The call target object for a direct call of `funcIndex` (shared, not allocated per call). */
  directTarget(funcIndex: number): CallTarget {
    return (this.directTargets[funcIndex] ??= { kind: 'direct', funcIndex });
  }

  /**
   * If the instruction at `state.pc` is a call (`call`, `call_indirect`, `return_call`,
   * `return_call_indirect`): its target and arguments as `run` would pass them to the host
   * (for `call_indirect`, the element index is the operand on top of the stack). Else null.
   * For an engine that steps into a call after `run` stopped with `call`.
   */
  pendingCall(state: ActivationState): PendingCall | null {
    const f = this.compiledFunction(state.funcIndex);
    const index = this.indexOfPc(state.funcIndex, state.pc);
    const op = f.opcodes[index];
    if (op < 0x10 || op > 0x13) return null;
    const a = f.code[index * 4 + 1];
    const indirect = op === 0x11 || op === 0x13;
    const type = indirect ? this.module.types[a] : this.functionType(a);
    const top = state.stack.length - (indirect ? 1 : 0);
    const args = state.stack.slice(top - type.params.length, top);
    let target: CallTarget;
    if (indirect) {
      const element = state.stack[state.stack.length - 1];
      const elementIndex = element.type === 'i32' ? element.value >>> 0 : 0;
      target = { kind: 'indirect', typeIndex: a, tableIndex: f.code[index * 4 + 2], elementIndex };
    } else target = this.directTarget(a);
    return { target, args, tail: op === 0x12 || op === 0x13 };
  }
}
