/**
 * The four preview1 clocks, read with nanosecond resolution. Realtime is the wall clock at host
 * creation plus the monotonic time elapsed since, so it has hrtime's ns resolution (Date.now
 * alone only has ms) and never jumps backward during a run.
 */
import { Clockid } from './constants.js';
import { Errno } from './errno.js';
import { ErrnoError } from './hostErrors.js';

export interface Clocks {
  /** Current time of clock `id` in ns; `inval` for an unknown clock id. */
  now(id: number): bigint;
  /** Resolution of clock `id` in ns; `inval` for an unknown clock id. */
  resolution(id: number): bigint;
}

/** CPU time in ns from a Node `cpuUsage()`-shaped result (microseconds). */
function cpuNs(usage: { user: number; system: number }): bigint {
  return BigInt(usage.user + usage.system) * 1000n;
}

/** Clocks whose realtime epoch is taken now. */
export function createClocks(): Clocks {
  const hrtimeAtStart = process.hrtime.bigint();
  const epochNsAtStart = BigInt(Date.now()) * 1_000_000n;
  return {
    now(id: number): bigint {
      switch (id) {
        case Clockid.realtime: return epochNsAtStart + (process.hrtime.bigint() - hrtimeAtStart);
        case Clockid.monotonic: return process.hrtime.bigint();
        case Clockid.processCputime: return cpuNs(process.cpuUsage());
        case Clockid.threadCputime: return cpuNs(process.threadCpuUsage());
        default: throw new ErrnoError(Errno.inval);
      }
    },
    resolution(id: number): bigint {
      switch (id) {
        case Clockid.realtime:
        case Clockid.monotonic: return 1n;
        // cpuUsage reports microseconds.
        case Clockid.processCputime:
        case Clockid.threadCputime: return 1000n;
        default: throw new ErrnoError(Errno.inval);
      }
    },
  };
}
