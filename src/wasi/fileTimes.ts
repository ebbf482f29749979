/**
 * The `fstflags` logic shared by fd_filestat_set_times and path_filestat_set_times: which of
 * atime/mtime to change and to what. Node's utimes family takes seconds as a double and has no
 * UTIME_OMIT, so an unchanged time is re-set from its current value; both lose precision below
 * about a microsecond (documented deviation: preview1 asks for nanoseconds).
 */
import type { BigIntStats } from 'node:fs';
import { FSTFLAGS_ALL, Fstflags } from './constants.js';
import { Errno } from './errno.js';
import { ErrnoError } from './hostErrors.js';

/** Seconds as Node's utimes wants them, computed without first losing the integer part. */
function toSeconds(ns: bigint): number {
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}

/**
 * The (atime, mtime) pair in seconds to pass to utimes. `inval` for unknown flags or when a
 * time is asked to be both given and "now".
 */
export function timesToSet(
  current: BigIntStats, atim: bigint, mtim: bigint, flags: number, nowNs: bigint,
): { atime: number; mtime: number } {
  if ((flags & ~FSTFLAGS_ALL) !== 0) throw new ErrnoError(Errno.inval);
  const both = (a: number, b: number) => (flags & a) !== 0 && (flags & b) !== 0;
  if (both(Fstflags.atim, Fstflags.atimNow) || both(Fstflags.mtim, Fstflags.mtimNow)) {
    throw new ErrnoError(Errno.inval);
  }
  const pick = (given: number, now: number, value: bigint, old: bigint): bigint =>
    (flags & now) !== 0 ? nowNs : (flags & given) !== 0 ? value : old;
  return {
    atime: toSeconds(pick(Fstflags.atim, Fstflags.atimNow, atim, current.atimeNs)),
    mtime: toSeconds(pick(Fstflags.mtim, Fstflags.mtimNow, mtim, current.mtimeNs)),
  };
}
