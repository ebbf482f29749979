/**
 * What a WASI host is given and what it offers. The live host (real files, clocks, randomness)
 * and, later, the replay host (answers from a trace) both have this shape.
 */
import type { GuestMemory } from './guestMemory.js';

/** Where the guest's stdin bytes come from. */
export interface ByteSource {
  /** Reads up to `target.length` bytes into `target`; returns 0 at end of input. May block. */
  read(target: Uint8Array): number;
}

/** Where the guest's stdout or stderr bytes go. */
export interface ByteSink {
  /** Writes all of `data` (a view of guest memory: copy it if you keep it). */
  write(data: Uint8Array): void;
}

/** A host directory the guest sees under `guestPath` (wasmtime's `--dir HOST::GUEST`). */
export interface Preopen {
  readonly hostPath: string;
  readonly guestPath: string;
}

export interface WasiHostOptions {
  /** argv as the guest sees it, program name first. */
  readonly args: readonly string[];
  /** Environment as `NAME=VALUE` strings, in order. */
  readonly env: readonly string[];
  /** Preopened directories, given fds 3, 4, ... in this order. */
  readonly preopens: readonly Preopen[];
  readonly stdin: ByteSource;
  readonly stdout: ByteSink;
  readonly stderr: ByteSink;
}

/** A host import function as Wasm calls it: raw i32 (number) / i64 (bigint) params, errno result. */
export type WasiFunction = (...args: any[]) => number;

export interface WasiHost {
  /** The guest memory every function reads and writes; bind it after instantiation. */
  readonly memory: GuestMemory;
  /** Every `wasi_snapshot_preview1` function by name (see signatures.ts). */
  readonly functions: Readonly<Record<string, WasiFunction>>;
  /** Closes every host resource the guest left open. Idempotent. */
  close(): void;
}

/** Thrown by `proc_exit`: unwinds the guest; the embedder catches it and exits with `code`. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
  }
}
