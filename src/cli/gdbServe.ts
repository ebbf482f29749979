/**
 * `wtrace replay --gdb [HOST:]PORT`: serves the replay to LLDB until interrupted (Ctrl-C).
 * Prints where it listens and the exact LLDB command on stderr.
 *
 * `wtrace --lldb-launch=PORT replay APP.wasm [TRACE]`: LLDB's launch mode. LLDB's `wasm`
 * platform starts its "runtime" as `<runtime-path> <port-arg><PORT> <runtime-args...> <module>
 * <program args...>` and connects to localhost:PORT; with port-arg `--lldb-launch=` and
 * runtime-args `replay`, that is this form. The module is the `.wasm` LLDB's target was created
 * from (LLDB cannot create a target from a trace); the trace is the first program argument or
 * the newest `.wtrace` in the current directory, and must be a recording of that module. One
 * client is served; the process ends when it leaves. See docs/gdbstub.md ("Launch mode").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { serveGdb } from '../gdbstub/index.js';
import type { Debuggee } from '../../replay/index.js';

/** `[host:]port` → host and port; the host defaults to 127.0.0.1 (the replay exposes the program's memory). */
export function parseListenAddress(spec: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d+)$/.exec(spec);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--gdb needs [HOST:]PORT with a port in 0..65535, not '${spec}'`);
  return { host: m[1] || '127.0.0.1', port };
}

export async function serveFromCli(debuggee: Debuggee, { host, port }: { host: string; port: number }, trace: string): Promise<void> {
  const server = await serveGdb(debuggee, { host, port, log: (m) => process.stderr.write(`wtrace gdbstub: ${m}\n`) });
  const where = `${server.address.host}:${server.address.port}`;
  process.stderr.write(
    `wtrace: replaying ${trace} (time 0 of ${debuggee.end}); gdbstub listening on ${where}\n` +
      `  lldb-22, then: process connect --plugin wasm connect://${where}\n` +
      `  Ctrl-C stops the server.\n`,
  );
  await untilSignal(() => server.close());
}

/** What LLDB's launch mode asks for: the port, the module LLDB debugs, and the trace to replay. */
export interface LaunchRequest {
  readonly port: number;
  readonly module: string;
  readonly trace: string;
}

/**
 * Reads LLDB's launch arguments: `portSpec` from `--lldb-launch`, then the module path and at
 * most one program argument (the trace; default: `newestTrace()`). Usage errors name what LLDB
 * must be told instead (docs/gdbstub.md has the settings).
 */
export function parseLaunchArgs(portSpec: string, module: string | undefined, programArgs: readonly string[], newestTrace: () => string): LaunchRequest {
  const port = /^\d+$/.test(portSpec) ? Number(portSpec) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new UsageError(`--lldb-launch needs the port LLDB chose (1..65535), not '${portSpec}'`);
  if (module === undefined) throw new UsageError('--lldb-launch: no module path; LLDB passes the .wasm of its target (set runtime-args to `replay`)');
  if (!module.endsWith('.wasm')) throw new UsageError(`--lldb-launch: '${module}' is not a .wasm; create LLDB's target from the recorded module (\`target create app.wasm\`) and give the trace as the program argument (\`process launch -- app.wtrace\`)`);
  if (programArgs.length > 1) throw new UsageError(`--lldb-launch: one program argument (the trace) at most, not ${programArgs.length}: ${programArgs.join(' ')}`);
  return { port, module, trace: programArgs[0] ?? newestTrace() };
}

/** The module's bytes, read before the (possibly long) open of the trace. */
export function readLaunchModule(request: LaunchRequest): Buffer {
  try {
    return fs.readFileSync(request.module);
  } catch (error) {
    throw new InputError('no-input', `--lldb-launch: cannot read the module ${request.module}: ${(error as Error).message}`);
  }
}

/** Refuses a trace that is not a recording of the module (LLDB would show DWARF of other code). */
export function checkLaunchModule(debuggee: Debuggee, request: LaunchRequest, moduleBytes: Uint8Array): void {
  if (Buffer.compare(moduleBytes, debuggee.module.bytecode) !== 0) {
    throw new InputError('module-mismatch', `--lldb-launch: ${request.trace} is a recording of ${debuggee.module.name}, not of ${request.module} (the bytes differ); record this module or launch the recorded one`);
  }
}

/** Serves the replay to the one client LLDB connects on 127.0.0.1:PORT; resolves once it leaves (or on a signal). */
export async function serveForLldbLaunch(debuggee: Debuggee, request: LaunchRequest): Promise<void> {
  let stop = (): void => {};
  const left = new Promise<void>((resolve) => { stop = resolve; });
  const server = await serveGdb(debuggee, { host: '127.0.0.1', port: request.port, libraryName: path.resolve(request.module), onClientLeft: () => stop(), log: (m) => process.stderr.write(`wtrace gdbstub: ${m}\n`) });
  process.stderr.write(`wtrace: replaying ${request.trace} for LLDB on 127.0.0.1:${server.address.port} (launch mode: ends when LLDB leaves)\n`);
  await untilSignal(() => server.close(), left);
}

/** Waits for SIGINT/SIGTERM (or `done`), then runs `close`. */
async function untilSignal(close: () => Promise<void>, done?: Promise<void>): Promise<void> {
  let onSignal = (): void => {};
  const signalled = new Promise<void>((resolve) => { onSignal = resolve; });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await (done ? Promise.race([signalled, done]) : signalled);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  await close();
}
