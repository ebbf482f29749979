/**
 * clock_res_get, clock_time_get, random_get, proc_exit, proc_raise, sched_yield and the sock_*
 * functions. There are no sockets in this host: sock_* answer `badf` for a closed descriptor
 * and `notsock` for any open one.
 */
import { randomFillSync } from 'node:crypto';
import { Errno } from './errno.js';
import type { Clocks } from './clocks.js';
import { checkOutput, u32 } from './hostContext.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import { ErrnoError } from './hostErrors.js';
import { WasiExit } from './hostTypes.js';

/** The clock, randomness, process and socket functions, keyed by preview1 name. */
export function clockRandomProcFunctions(ctx: HostContext, clocks: Clocks): Record<string, RawHostFunction> {
  const { memory, table } = ctx;
  const notSocket = (fd: number): number => {
    table.require(u32(fd));
    throw new ErrnoError(Errno.notsock);
  };
  return {
    clock_res_get(id: number, resolutionPtr: number): number {
      const resolution = clocks.resolution(u32(id));
      memory.writeU64(u32(resolutionPtr), resolution);
      return Errno.success;
    },

    clock_time_get(id: number, precision: bigint, timePtr: number): number {
      // `precision` is a permission to be coarse; reading at full precision satisfies any.
      void precision;
      checkOutput(memory, timePtr, 8);
      memory.writeU64(u32(timePtr), clocks.now(u32(id)));
      return Errno.success;
    },

    random_get(bufPtr: number, len: number): number {
      // Straight into guest memory; `fill` reports the bytes to the recorder.
      memory.fill(u32(bufPtr), u32(len), (target) => {
        randomFillSync(target);
        return target.length;
      });
      return Errno.success;
    },

    proc_exit(code: number): number {
      throw new WasiExit(u32(code));
    },

    proc_raise(signal: number): number {
      void signal;
      return Errno.nosys;
    },

    sched_yield(): number {
      return Errno.success;
    },

    sock_accept: (fd: number) => notSocket(fd),
    sock_recv: (fd: number) => notSocket(fd),
    sock_send: (fd: number) => notSocket(fd),
    sock_shutdown: (fd: number) => notSocket(fd),
  };
}
