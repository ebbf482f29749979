/**
 * The rerun host: a WASI preview1 host whose world is a golden trace's (rerunWorld.ts) instead
 * of the machine's. It answers by meaning, so a new build that reads with other buffer sizes or
 * in another order still gets the same data: argv and environment as recorded; stdin as one
 * byte stream; files by path and offset (rerunFdFunctions.ts, rerunPathFunctions.ts); each
 * clock's readings in order (then its last reading again: time stands still); random bytes as
 * one stream; sleeps (poll_oneoff clocks) end at once. Writes go to the embedder's sinks and
 * the virtual files, never to disk. When the program asks for something the golden never read,
 * the call throws `RerunInputMissing` and the run ends there (docs/rerun.md).
 */
import { argsEnvFunctions } from './argsEnv.js';
import { Clockid, Eventtype, Rights } from './constants.js';
import { Errno } from './errno.js';
import { FdTable } from './fdTable.js';
import { GuestMemory } from './guestMemory.js';
import { checkOutput, u32, type RawHostFunction } from './hostContext.js';
import { ErrnoError, toErrno } from './hostErrors.js';
import { WasiExit, type ByteSink, type WasiFunction, type WasiHost } from './hostTypes.js';
import { answerQueue, missing, RerunFdTable, statTemplates, type RerunContext, type RerunEntry } from './rerunContext.js';
import { rerunFdFunctions } from './rerunFdFunctions.js';
import { VirtualFiles } from './rerunFiles.js';
import { rerunPathFunctions } from './rerunPathFunctions.js';
import type { RerunWorld } from './rerunWorld.js';
import { WASI_SIGNATURES } from './signatures.js';
import { encodeEvent, EVENT_SIZE, SUBSCRIPTION_SIZE } from './structs.js';

export interface RerunHostOptions {
  /** Where the program's stdout and stderr go (the recorder's capture: nothing reaches the terminal). */
  readonly stdout: ByteSink;
  readonly stderr: ByteSink;
}

/** Resolutions the live host reports, for a clock the golden never asked about. */
const DEFAULT_RESOLUTION: Record<number, bigint> = { 0: 1n, 1: 1n, 2: 1000n, 3: 1000n };

/** Creates a rerun host answering from `world`. Bind `host.memory` before the guest's first call. */
export function createRerunHost(world: RerunWorld, options: RerunHostOptions): WasiHost {
  const memory = new GuestMemory();
  const files = new VirtualFiles(world);
  const ctx: RerunContext = {
    memory, world, files, fds: new RerunFdTable(world.preopens),
    stdout: options.stdout, stderr: options.stderr, answer: answerQueue(world), statTemplate: statTemplates(world, files),
  };
  const raw: Record<string, RawHostFunction> = {
    ...argsEnvFunctions(argsEnvContext(memory, world, options)),
    ...rerunFdFunctions(ctx, stdinReader(world)),
    ...rerunPathFunctions(ctx),
    ...clockRandomProc(ctx),
  };
  const functions: Record<string, WasiFunction> = {};
  for (const { name } of WASI_SIGNATURES) {
    const fn = raw[name];
    if (fn === undefined) throw new Error(`rerun WASI host lacks ${name}`);
    functions[name] = guard(name, fn);
  }
  return { memory, functions: Object.freeze(functions), close: () => {} };
}

const noInput = { read: () => 0 };

/** The live host's argv/environment functions read only `memory` and `options.args`/`env`; the table is never used. */
function argsEnvContext(memory: GuestMemory, world: RerunWorld, o: RerunHostOptions) {
  const options = { args: world.args, env: world.env, preopens: [], stdin: noInput, stdout: o.stdout, stderr: o.stderr };
  return { memory, options, table: new FdTable(noInput, o.stdout, o.stderr, []) };
}

/** Exceptions to errno like the live host; `RerunInputMissing` and `WasiExit` pass through (toErrno rethrows them). */
function guard(name: string, fn: RawHostFunction): WasiFunction {
  const wrapped = (...args: unknown[]): number => {
    try {
      return fn(...args);
    } catch (error) {
      return toErrno(error);
    }
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}

/** Serves the golden's stdin bytes in order: short reads are fine for a stream; past its data, only a seen end of input answers. */
function stdinReader(world: RerunWorld): (want: number) => Uint8Array {
  let at = 0;
  const { bytes, eof } = world.stdin;
  return (want) => {
    if (want === 0) return new Uint8Array(0);
    if (at >= bytes.length) {
      if (eof) return new Uint8Array(0);
      missing(`stdin past the ${bytes.length} bytes the golden trace read (it never saw the end of input)`);
    }
    const n = Math.min(want, bytes.length - at);
    at += n;
    return bytes.subarray(at - n, at);
  };
}

function clockRandomProc(ctx: RerunContext): Record<string, RawHostFunction> {
  const { memory, world } = ctx;
  const clockAt = new Map<number, number>();
  let randomAt = 0;
  const notSocket = (fd: number): number => {
    ctx.fds.require(u32(fd));
    throw new ErrnoError(Errno.notsock);
  };
  const validClock = (id: number) => {
    if (!(id in DEFAULT_RESOLUTION)) throw new ErrnoError(Errno.inval);
  };
  return {
    clock_res_get(id: number, resolutionPtr: number): number {
      validClock(u32(id));
      memory.writeU64(u32(resolutionPtr), world.resolutions.get(u32(id)) ?? DEFAULT_RESOLUTION[u32(id)]);
      return Errno.success;
    },

    clock_time_get(id: number, precision: bigint, timePtr: number): number {
      void precision;
      validClock(u32(id));
      checkOutput(memory, timePtr, 8);
      const readings = world.clocks.get(u32(id)) ?? [];
      if (readings.length === 0) missing(`a reading of clock ${clockName(u32(id))}, which the golden trace never read`);
      const i = clockAt.get(u32(id)) ?? 0;
      clockAt.set(u32(id), i + 1);
      memory.writeU64(u32(timePtr), readings[Math.min(i, readings.length - 1)]);
      return Errno.success;
    },

    random_get(bufPtr: number, len: number): number {
      const n = u32(len);
      checkOutput(memory, u32(bufPtr), n);
      if (randomAt + n > world.random.length) {
        missing(`random bytes ${randomAt}..${randomAt + n}; the golden trace handed out ${world.random.length}`);
      }
      if (n > 0) memory.writeBytes(u32(bufPtr), world.random.subarray(randomAt, randomAt + n));
      randomAt += n;
      return Errno.success;
    },

    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number): number {
      const n = u32(count);
      if (n === 0) throw new ErrnoError(Errno.inval);
      memory.bytes(u32(inPtr), n * SUBSCRIPTION_SIZE);
      checkOutput(memory, outPtr, n * EVENT_SIZE);
      checkOutput(memory, neventsPtr, 4);
      const events = pollEvents(ctx, u32(inPtr), n);
      const out = new Uint8Array(events.length * EVENT_SIZE);
      events.forEach((e, i) => out.set(e, i * EVENT_SIZE));
      if (out.length > 0) memory.writeBytes(u32(outPtr), out);
      memory.writeU32(u32(neventsPtr), events.length);
      return Errno.success;
    },

    proc_exit(code: number): number {
      throw new WasiExit(u32(code));
    },
    proc_raise: () => Errno.nosys,
    sched_yield: () => Errno.success,
    sock_accept: (fd: number) => notSocket(fd),
    sock_recv: (fd: number) => notSocket(fd),
    sock_send: (fd: number) => notSocket(fd),
    sock_shutdown: (fd: number) => notSocket(fd),
  };
}

function clockName(id: number): string {
  return Object.entries(Clockid).find(([, v]) => v === id)?.[0] ?? String(id);
}

/**
 * The events the live host would report, without waiting: descriptor subscriptions are ready
 * (as there), and when there are none, the clock subscriptions with the shortest timeout expire.
 */
function pollEvents(ctx: RerunContext, inPtr: number, n: number): Uint8Array[] {
  const { memory } = ctx;
  const fdEvents: Uint8Array[] = [];
  const clocks: { userdata: bigint; timeout: bigint; error: number }[] = [];
  for (let i = 0; i < n; i++) {
    const at = inPtr + i * SUBSCRIPTION_SIZE;
    const userdata = memory.readU64(at);
    const tag = memory.readU8(at + 8);
    if (tag === Eventtype.clock) {
      const id = memory.readU32(at + 16);
      const absolute = (memory.readU16(at + 40) & 1) !== 0;
      // An absolute deadline is compared with a clock the rerun does not run: treated as due now.
      clocks.push({ userdata, timeout: absolute ? 0n : memory.readU64(at + 24), error: id in DEFAULT_RESOLUTION ? Errno.success : Errno.inval });
    } else if (tag === Eventtype.fdRead || tag === Eventtype.fdWrite) {
      fdEvents.push(fdEvent(ctx.fds.get(memory.readU32(at + 16)), userdata, tag));
    } else throw new ErrnoError(Errno.inval);
  }
  const invalid = clocks.filter((c) => c.error !== Errno.success).map((c) => encodeEvent(c.userdata, c.error, Eventtype.clock));
  if (fdEvents.length > 0 || invalid.length > 0) return [...fdEvents, ...invalid];
  const soonest = clocks.reduce((m, c) => (c.timeout < m ? c.timeout : m), clocks[0]?.timeout ?? 0n);
  return clocks.filter((c) => c.timeout === soonest).map((c) => encodeEvent(c.userdata, Errno.success, Eventtype.clock));
}

function fdEvent(e: RerunEntry | undefined, userdata: bigint, type: number): Uint8Array {
  if (e === undefined) return encodeEvent(userdata, Errno.badf, type);
  if ((e.rightsBase & Rights.pollFdReadwrite) === 0n) return encodeEvent(userdata, Errno.notcapable, type);
  let nbytes = 0n;
  if (type === Eventtype.fdRead && e.kind === 'file' && e.file.size !== null && !e.file.directory) {
    nbytes = e.file.size > e.position ? BigInt(e.file.size - e.position) : 0n;
  }
  return encodeEvent(userdata, Errno.success, type, nbytes);
}
