/**
 * The values the timeline hands out. All are immutable snapshots; frames are shared between
 * answers (a stack is a linked list through `caller`), so keep them as long as you like.
 */

/** A raw Wasm value as the input log holds it: i32 as an unsigned number, i64 as an unsigned bigint, floats as numbers. */
export type RawValue = number | bigint;

/**
 * An argument or result value as the detail events decode it (instrument's `DetailValue`:
 * `{type: 'i32', value}`, `{type: 'f64', bits}`, ...), passed through unchanged.
 */
export type EventValue = { readonly type: string; readonly [field: string]: unknown };

/** One activation on the call stack at some time. */
export interface Frame {
  /** Original function index (imports first, as in the name section). */
  readonly funcIndex: number;
  /** From the module's name section; null when it has none for this function. */
  readonly name: string | null;
  /** Time of the `enter` event: for a Wasm caller, the time of its call instruction. */
  readonly entryTime: bigint;
  /** Original byte offset of the function's first instruction. */
  readonly entryPc: number;
  /** Argument values when the trace's enter events carry them, else null. */
  readonly args: readonly EventValue[] | null;
  /** The frame that called this one; null for the outermost frame (e.g. `_start`). */
  readonly caller: Frame | null;
  /** 1 for the outermost frame, caller.depth + 1 otherwise. */
  readonly depth: number;
}

/** One activation of a function from entry to exit (`callsOf`). */
export interface CallRecord {
  readonly frame: Frame;
  /** Time of the `exit` event (the returning instruction); null if it never returned (trap, proc_exit). */
  readonly exitTime: bigint | null;
  readonly exitPc: number | null;
  /** Result values when the trace's exit events carry them, else null. */
  readonly results: readonly EventValue[] | null;
}

/** What wrote a byte of linear memory: a detail event, or the host during an import call. */
export type WriteKind = 'store' | 'fill' | 'copy' | 'init' | 'host';

/** One write covering the byte asked about (`lastWriteBefore`, `nextWriteAfter`). */
export interface WriteRecord {
  readonly kind: WriteKind;
  /** The instruction's time (for `host`: the time of the import call). */
  readonly time: bigint;
  /** Original byte offset of the writing instruction; null for `host` (see `importCall`). */
  readonly pc: number | null;
  /** Index of the import call for `host` writes, else null. */
  readonly importCall: number | null;
  /** The whole write: its first address and length in bytes. */
  readonly address: number;
  readonly size: number;
  /** The byte asked about, before and after the write. */
  readonly oldValue: number;
  readonly newValue: number;
}

/** One logged import call with its time and the bytes its host writes replaced. */
export interface ImportCallRecord {
  /** Position in the input log, from 0. */
  readonly index: number;
  /** Time of the call instruction that invoked the import. */
  readonly time: bigint;
  readonly functionIndex: number;
  /** `module.name` of the import (`wasi_snapshot_preview1.fd_write`). */
  readonly name: string;
  readonly args: readonly RawValue[];
  /** The i32 result as unsigned; null when the call did not return (proc_exit, a trap). */
  readonly result: number | null;
  /** Bytes the call wrote to stdout (1) or stderr (2), in order. */
  readonly output: readonly { readonly stream: 1 | 2; readonly bytes: Uint8Array }[];
  /** Host writes in order, with the bytes they overwrote (computed while indexing). */
  readonly writes: readonly { readonly address: number; readonly bytes: Uint8Array; readonly oldBytes: Uint8Array }[];
}

/** How a global's value at some time is known. */
export type GlobalKnowledge =
  /** The value a `global.set` at or before the time wrote. */
  | 'set'
  /** Not set yet: the module's constant initializer, or the old value of the first later `global.set`. */
  | 'initial'
  /** Imported, or initialized by an expression wtrace does not evaluate, and never set before the time. */
  | 'unknown';

/** A global's value at one time (`globalsAt`). */
export interface GlobalState {
  readonly index: number;
  /** Value type from the module; `v128` and reference types carry no value. */
  readonly type: string;
  readonly mutable: boolean;
  readonly known: GlobalKnowledge;
  /** Little-endian bytes of the value (4, 8 or 16), or null when unknown or reference-typed. */
  readonly bytes: Uint8Array | null;
  /** Typed value: i32 as signed number, i64 as signed bigint, f32/f64 as number; null for v128 or unknown. */
  readonly value: number | bigint | null;
}

/** How an activation ended (`Timeline.activationEnd`). */
export interface ActivationEnd {
  /** Time of its returning instruction. */
  readonly time: bigint;
  readonly pc: number;
  /** Result values as the exit event carries them (null for older traces without them). */
  readonly results: readonly EventValue[] | null;
}
