/**
 * What every group of host functions shares: guest memory, the descriptor table, the options,
 * and small helpers for argument conversion, rights checks and path reading. Host functions in
 * the groups may throw (ErrnoError, GuestFault, node:fs errors); liveHost.ts catches at one
 * choke point and returns the errno.
 */
import { Errno } from './errno.js';
import type { FdEntry, FdTable } from './fdTable.js';
import type { GuestMemory } from './guestMemory.js';
import { ErrnoError } from './hostErrors.js';
import type { WasiHostOptions } from './hostTypes.js';

export interface HostContext {
  readonly memory: GuestMemory;
  readonly table: FdTable;
  readonly options: WasiHostOptions;
}

/** A host function before errno conversion: returns an errno or throws. */
export type RawHostFunction = (...args: any[]) => number;

/** An i32 argument as unsigned (pointers, lengths, fds, flags arrive signed from Wasm). */
export function u32(value: number): number {
  return value >>> 0;
}

/** An i64 argument as unsigned. Accepts numbers too, for callers that are not Wasm. */
export function u64(value: bigint | number): bigint {
  return BigInt.asUintN(64, BigInt(value));
}

/** An i64 argument as signed (filedelta). */
export function s64(value: bigint | number): bigint {
  return BigInt.asIntN(64, BigInt(value));
}

/** Throws `notcapable` unless `entry` holds every right in `rights`. */
export function requireRights(entry: FdEntry, rights: bigint): void {
  if ((entry.rightsBase & rights) !== rights) throw new ErrnoError(Errno.notcapable);
}

/** Reads a guest path: `fault` when out of bounds, `ilseq` when not UTF-8. */
export function readPath(memory: GuestMemory, ptr: number, len: number): string {
  const bytes = memory.bytes(u32(ptr), u32(len));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ErrnoError(Errno.ilseq);
  }
}

/**
 * Checks that `len` bytes at `ptr` lie inside guest memory without writing them, so that a
 * function with side effects can refuse a bad result pointer before acting.
 */
export function checkOutput(memory: GuestMemory, ptr: number, len: number): void {
  memory.bytes(u32(ptr), len);
}

/** A JS number for a u64 offset or size that Node can take; `fbig` beyond 2^53. */
export function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ErrnoError(Errno.fbig);
  return Number(value);
}
