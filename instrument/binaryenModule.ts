/**
 * The only door to Binaryen: read a module with wtrace's supported feature set, walk function
 * bodies, write and validate. Other files of `instrument/` use this wrapper instead of the
 * `binaryen` package so that its quirks (feature flags, manual disposal, untyped expression
 * refs) stay in one place; no other layer may import Binaryen at all.
 */
import binaryen from 'binaryen';
import { UnsupportedWasmError } from '../src/errors.js';

const F = binaryen.Features;

/**
 * What wtrace supports: MVP plus mutable globals, sign extension, non-trapping float-to-int,
 * multi-value, bulk memory, reference types, SIMD, tail calls and exception handling.
 * `BulkMemoryOpt` (memory.copy/fill) and `CallIndirectOverlong` are Binaryen's names for parts
 * of bulk memory and reference types. Never `Features.All`: it lets Binaryen write encodings V8
 * rejects.
 */
export const SUPPORTED_FEATURES: number =
  F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.Multivalue | F.BulkMemory |
  F.BulkMemoryOpt | F.ReferenceTypes | F.CallIndirectOverlong | F.SIMD128 | F.TailCall |
  F.ExceptionHandling;

/** A Binaryen expression handle (a pointer into Binaryen's heap). */
export type ExpressionRef = number;

/** One defined function as Binaryen sees it. */
export interface BinaryenFunction {
  readonly name: string;
  /** Index in the function index space, imports first (Binaryen keeps the original order). */
  readonly index: number;
  readonly body: ExpressionRef;
  /** Parameters plus declared locals, including any scratch locals Binaryen added while reading. */
  readonly localCount: number;
}

/** A module read into Binaryen IR. Call `dispose()` when done: Binaryen's heap is not garbage collected. */
export class BinaryenModule {
  private constructor(private readonly module: binaryen.Module) {}

  /** Reads `wasm` with `SUPPORTED_FEATURES`; a module Binaryen cannot read or validate is an `UnsupportedWasmError`. */
  static read(wasm: Uint8Array, source = 'module'): BinaryenModule {
    let module: binaryen.Module;
    try {
      // The typings know only the one-argument form; the features argument exists at run time.
      const read = binaryen.readBinary as (data: Uint8Array, features: number) => binaryen.Module;
      module = read(wasm, SUPPORTED_FEATURES);
    } catch (e) {
      // binaryen.js throws a bare C++ exception handle; its own message went to stderr.
      const why = e instanceof Error ? e.message : "Binaryen's reader failed (its message is on stderr)";
      throw new UnsupportedWasmError(source, [`Binaryen cannot read it: ${why}`]);
    }
    return new BinaryenModule(module);
  }

  /** Defined functions (imports excluded) in index order. */
  definedFunctions(): BinaryenFunction[] {
    const out: BinaryenFunction[] = [];
    const n = this.module.getNumFunctions();
    for (let i = 0; i < n; i++) {
      const info = binaryen.getFunctionInfo(this.module.getFunctionByIndex(i));
      if (info.base) continue;
      const params = binaryen.expandType(info.params).length;
      out.push({ name: info.name, index: i, body: info.body, localCount: params + info.vars.length });
    }
    return out;
  }

  /** Every function's name (imports included) by function index. */
  functionNames(): string[] {
    const out: string[] = [];
    const n = this.module.getNumFunctions();
    for (let i = 0; i < n; i++) out.push(binaryen.getFunctionInfo(this.module.getFunctionByIndex(i)).name);
    return out;
  }

  /** True when Binaryen's validator accepts the module. */
  validate(): boolean {
    return this.module.validate() === 1;
  }

  /** Writes the module as a binary. */
  write(): Uint8Array {
    return this.module.emitBinary();
  }

  dispose(): void {
    this.module.dispose();
  }
}

/** The expression's kind, compared against `binaryen.XxxId`. Cheap, and works for every kind. */
export function expressionId(expr: ExpressionRef): number {
  return binaryen.getExpressionId(expr);
}

/**
 * Binaryen's description of one expression (`id`, `type`, and fields per kind). binaryen.js
 * throws here for some field-less kinds (`unreachable`): check `expressionId` first.
 */
export function expressionInfo(expr: ExpressionRef): binaryen.ExpressionInfo & Record<string, unknown> {
  return binaryen.getExpressionInfo(expr) as binaryen.ExpressionInfo & Record<string, unknown>;
}

/** Name of an expression id, for messages. */
export function expressionIdName(id: number): string {
  for (const [k, v] of Object.entries(binaryen)) if (k.endsWith('Id') && v === id) return k;
  return `id ${id}`;
}
