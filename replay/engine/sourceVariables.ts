/**
 * C variables at the current time: the module's DWARF (src/source) says which variables are in
 * scope at a frame's pc, their types and location expressions; this evaluates the expressions
 * against the frame's Wasm locals and operand stack, the globals and linear memory the
 * debuggee reports at `now`, and formats the values. It reads the engine only through the
 * `Debuggee` API, so it adds nothing to how time moves.
 */
import {
  describeVariable, DwarfVariables, evaluateFrameBase, evaluateLocation, type EvaluatedLocation,
  type ExprContext, expressionAt, type MemoryReader, type VariableDecl, type WasmScalar, bytesToBig,
} from '../../src/source/index.js';
import type { Value } from '../interp/types.js';
import type { Debuggee, FrameView, SourceVariable } from './types.js';
import { valueBytes } from './values.js';

/** What this reads of the debuggee (a subset of `Debuggee`). */
type StopState = Pick<Debuggee, 'now' | 'frames' | 'globals' | 'memorySize' | 'readMemory'>;

export class SourceVariables {
  private dwarf: DwarfVariables | null | undefined;
  private memory: { time: bigint; bytes: Uint8Array } | null = null;
  private globalsAt: { time: bigint; globals: ReturnType<StopState['globals']> } | null = null;

  constructor(private readonly bytecode: Uint8Array) {}

  /** The module's DWARF variables (read on first use), or null without `.debug_info`. */
  get declarations(): DwarfVariables | null {
    if (this.dwarf === undefined) this.dwarf = DwarfVariables.fromModule(this.bytecode);
    return this.dwarf;
  }

  /** See `Debuggee.variables`. */
  variables(d: StopState, frameIndex: number): SourceVariable[] {
    const frames = d.frames();
    const frame = frames[frameIndex];
    if (!Number.isInteger(frameIndex) || frame === undefined) {
      throw new RangeError(`there is no frame ${frameIndex} at time ${d.now} (${frames.length} frame${frames.length === 1 ? '' : 's'})`);
    }
    const dwarf = this.declarations;
    const scope = dwarf?.scopeAt(frame.pc);
    if (!dwarf || !scope) return [];
    const memory = this.memoryReader(d);
    const globals = this.globalsOf(d);
    const base = new FrameContext(frame, globals, memory, null);
    const frameBase = scope.function.frameBase === null ? null : evaluateFrameBase(scope.function.frameBase, contextFor(base, scope.function.unit.addressAtIndex.bind(scope.function.unit)));
    const ctx = new FrameContext(frame, globals, memory, frameBase);
    const address = frame.pc - dwarf.codeOffset;
    return scope.variables.map((v) => this.value(v, contextFor(ctx, v.unit.addressAtIndex.bind(v.unit)), address, memory));
  }

  /** See `Debuggee.globalVariables`. */
  globalVariables(d: StopState, unit?: string): SourceVariable[] {
    const dwarf = this.declarations;
    if (!dwarf) return [];
    const wanted = dwarf.globals().filter((v) => unit === undefined || sameSourceFile(v.unitName, unit));
    if (wanted.length === 0) return [];
    const memory = this.memoryReader(d);
    const ctx = new FrameContext(null, this.globalsOf(d), memory, null);
    return wanted.map((v) => this.value(v, contextFor(ctx, v.unit.addressAtIndex.bind(v.unit)), 0, memory));
  }

  private value(v: VariableDecl, ctx: ExprContext, address: number, memory: MemoryReader): SourceVariable {
    let location: EvaluatedLocation;
    if (v.location !== null) {
      const expr = expressionAt(v.location, address);
      location = expr === null ? { kind: 'unavailable', reason: 'optimized out here' } : evaluateLocation(expr, ctx);
    } else if (v.constValue !== null) {
      location = { kind: 'value', bytes: v.constValue };
    } else {
      location = { kind: 'unavailable', reason: 'optimized out' };
    }
    // wasm-ld points the debug info of data it did not link at the tombstone address -1 (or -2).
    if (location.kind === 'memory' && location.address >= 0xfffffffe) location = { kind: 'unavailable', reason: 'not in the linked program' };
    const node = describeVariable(v.name, v.type, location, memory);
    return { ...node, kind: v.kind, declLine: v.declLine, unit: v.unitName, inlined: v.inlined };
  }

  /** The Wasm globals at `now`, asked once per time. */
  private globalsOf(d: StopState): ReturnType<StopState['globals']> {
    if (this.globalsAt?.time !== d.now) this.globalsAt = { time: d.now, globals: d.globals() };
    return this.globalsAt.globals;
  }

  /** Linear memory at `now`, copied once per time. */
  private memoryReader(d: StopState): MemoryReader {
    if (this.memory?.time !== d.now) this.memory = { time: d.now, bytes: d.readMemory(0, d.memorySize()) };
    const bytes = this.memory.bytes;
    return {
      readMemory: (address, length) => (address >= 0 && length >= 0 && address + length <= bytes.length ? bytes.subarray(address, address + length) : null),
    };
  }
}


function scalar(v: Value | undefined): WasmScalar | null {
  if (v === undefined || v.type === 'ref') return null;
  const bytes = valueBytes(v);
  return { bytes, value: bytesToBig(bytes) };
}

/** A frame's (or, for globals, no frame's) Wasm state as location expressions see it. */
class FrameContext {
  constructor(
    private readonly frame: FrameView | null,
    private readonly globals: ReturnType<StopState['globals']>,
    readonly memory: MemoryReader,
    readonly base: bigint | null,
  ) {}

  local(index: number): WasmScalar | null {
    return scalar(this.frame?.locals[index]);
  }

  operand(index: number): WasmScalar | null {
    return scalar(this.frame?.stack[index]);
  }

  global(index: number): WasmScalar | null {
    const g = this.globals.find((x) => x.index === index);
    if (g === undefined || g.bytes === null) return null;
    return { bytes: g.bytes, value: bytesToBig(g.bytes) };
  }
}

function contextFor(f: FrameContext, addressAtIndex: (i: number) => number): ExprContext {
  return {
    local: (i) => f.local(i),
    global: (i) => f.global(i),
    operand: (i) => f.operand(i),
    readMemory: (a, n) => f.memory.readMemory(a, n),
    addressAtIndex,
    frameBase: () => f.base,
  };
}

/** True when two source paths name the same file: a leading `./` ignored, either a path suffix of the other. */
export function sameSourceFile(a: string, b: string): boolean {
  const x = a.replace(/^(\.\/)+/, '');
  const y = b.replace(/^(\.\/)+/, '');
  return x === y || x.endsWith('/' + y) || y.endsWith('/' + x);
}
