/**
 * The live WASI preview1 host: real files below the preopens, real clocks and randomness, and
 * stdio routed to the embedder's ByteSource/ByteSinks. It follows the preview1 specification
 * rather than node:wasi (errno values, ns file times, `.`/`..` in listings) and never touches
 * the process's own file descriptors. The function groups live in their own files; this file
 * assembles them and owns the single place where exceptions become errno results.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { argsEnvFunctions } from './argsEnv.js';
import { clockRandomProcFunctions } from './clockRandomProc.js';
import { createClocks } from './clocks.js';
import { fdFunctions } from './fdFunctions.js';
import { fdIoFunctions } from './fdIo.js';
import { fdReaddirFunctions } from './fdReaddir.js';
import { FdTable } from './fdTable.js';
import { GuestMemory } from './guestMemory.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import { toErrno } from './hostErrors.js';
import type { Preopen, WasiFunction, WasiHost, WasiHostOptions } from './hostTypes.js';
import { pathFunctions } from './pathFunctions.js';
import { pathOpenFunctions } from './pathOpen.js';
import { pollOneoffFunctions } from './pollOneoff.js';
import { WASI_SIGNATURES } from './signatures.js';

/** Absolute host paths for the preopens; `InputError` names a preopen that is not a directory. */
function checkPreopens(preopens: readonly Preopen[]): Preopen[] {
  return preopens.map((p) => {
    const hostPath = resolve(p.hostPath);
    let isDirectory = false;
    try {
      isDirectory = statSync(hostPath).isDirectory();
    } catch (error) {
      throw new InputError('bad-preopen', `preopen ${p.hostPath}: ${(error as Error).message}`, { cause: error });
    }
    if (!isDirectory) throw new InputError('bad-preopen', `preopen ${p.hostPath}: not a directory`);
    return { hostPath, guestPath: p.guestPath };
  });
}

/** Wraps a raw host function: thrown errno answers, guest faults and fs errors become results. */
function guard(name: string, raw: RawHostFunction): WasiFunction {
  const fn = (...args: unknown[]): number => {
    try {
      return raw(...args);
    } catch (error) {
      // WasiExit and host bugs are rethrown by toErrno.
      return toErrno(error);
    }
  };
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/**
 * Creates a live host. Throws `InputError` when a preopen is missing or not a directory. Bind
 * `host.memory` to the instance's memory before the guest's first call, and call `close()`
 * when the run ends (it releases every host fd the guest left open).
 */
export function createLiveHost(options: WasiHostOptions): WasiHost {
  const memory = new GuestMemory();
  const table = new FdTable(options.stdin, options.stdout, options.stderr, checkPreopens(options.preopens));
  const ctx: HostContext = { memory, table, options };
  const clocks = createClocks();
  const raw: Record<string, RawHostFunction> = {
    ...argsEnvFunctions(ctx),
    ...clockRandomProcFunctions(ctx, clocks),
    ...fdFunctions(ctx, clocks),
    ...fdIoFunctions(ctx),
    ...fdReaddirFunctions(ctx),
    ...pathFunctions(ctx, clocks),
    ...pathOpenFunctions(ctx),
    ...pollOneoffFunctions(ctx, clocks),
  };
  const functions: Record<string, WasiFunction> = {};
  for (const { name } of WASI_SIGNATURES) {
    const fn = raw[name];
    if (fn === undefined) throw new Error(`live WASI host lacks ${name}`);
    functions[name] = guard(name, fn);
  }
  return {
    memory,
    functions: Object.freeze(functions),
    close: () => table.closeAll(),
  };
}
