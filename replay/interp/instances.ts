/**
 * What instances of a program are made of, as `ProgramHost` keeps them: functions, memories,
 * tables and globals that several instances may share (imports of one are exports of another),
 * and the `Store` that numbers function references and keeps the program's clock. References
 * everywhere in a store are `RefValue`s whose `ref` is a store function id (`funcref`) or the
 * embedder's extern id (`externref`).
 */
import type { CallOutcome, Value } from './types.js';
import type { FuncType } from './valueTypes.js';

/** A function as programs see it: callable at a time, with arguments; identified by `id` in its store. */
export interface FuncInstance {
  readonly kind: 'func';
  readonly type: FuncType;
  /** Its number in the store: the `ref` of a `funcref` to it. */
  readonly id: number;
  /** Calls it; `time` is the calling instruction's time (counted). */
  invoke(time: bigint, args: readonly Value[]): CallOutcome;
  /** For a function defined by a module instance: that instance (any object) and the function's index there. */
  readonly owner?: object;
  readonly funcIndex?: number;
}

export interface MemoryInstance {
  readonly kind: 'memory';
  /** The bytes; replaced (not resized) when the memory grows. */
  bytes: Uint8Array;
  /** Maximum in pages (null: the 65536-page limit of memory32). */
  readonly max: number | null;
}

export interface TableInstance {
  readonly kind: 'table';
  /** 0x70 funcref or 0x6f externref. */
  readonly refType: number;
  elements: Value[];
  readonly max: number | null;
}

export interface GlobalInstance {
  readonly kind: 'global';
  readonly type: number;
  readonly mutable: boolean;
  value: Value;
}

export type ExternInstance = FuncInstance | MemoryInstance | TableInstance | GlobalInstance;

/** Function ids and the clock shared by the instances of one program. */
export class Store {
  private readonly funcs: FuncInstance[] = [];
  /** The program's time: instructions executed so far by all its instances (see `ProgramHost.invoke`). */
  time = 0n;

  /** Adds a function; `make` receives its id. */
  addFunction(make: (id: number) => FuncInstance): FuncInstance {
    const f = make(this.funcs.length);
    this.funcs.push(f);
    return f;
  }

  /** The function with store id `id`. */
  func(id: number): FuncInstance {
    const f = this.funcs[id];
    if (!f) throw new RangeError(`no function with store id ${id}`);
    return f;
  }

  /** A host function: `fn` gets the arguments and the calling instruction's time; it executes no instructions. */
  hostFunction(type: FuncType, fn: (args: readonly Value[], time: bigint) => readonly Value[]): FuncInstance {
    return this.addFunction((id) => ({ kind: 'func', type, id, invoke: (time, args) => ({ results: fn(args, time), time }) }));
  }
}

/** A new memory of `min` pages. */
export function newMemory(min: number, max: number | null): MemoryInstance {
  return { kind: 'memory', bytes: new Uint8Array(min * 65536), max };
}

/** A new table of `min` null elements. */
export function newTable(refType: number, min: number, max: number | null): TableInstance {
  return { kind: 'table', refType, elements: new Array<Value>(min).fill({ type: 'ref', refType, isNull: true }), max };
}
