/**
 * poll_oneoff. Clock subscriptions become deadlines on the monotonic clock; fd_read/fd_write
 * subscriptions on files and stdio are always ready (regular files never block, and stdio is
 * the embedder's synchronous ByteSource/ByteSink, which cannot be polled). When nothing is
 * ready the call blocks the thread with Atomics.wait until the earliest deadline, then reports
 * every clock that has expired. Events are written in subscription order with one write.
 */
import { fstatSync } from 'node:fs';
import { Clockid, Eventtype, Rights, Subclockflags } from './constants.js';
import { Errno } from './errno.js';
import type { Clocks } from './clocks.js';
import type { FdEntry } from './fdTable.js';
import type { GuestMemory } from './guestMemory.js';
import { checkOutput, u32 } from './hostContext.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import { ErrnoError, toErrno } from './hostErrors.js';
import { EVENT_SIZE, SUBSCRIPTION_SIZE, encodeEvent } from './structs.js';

type Subscription =
  | { readonly userdata: bigint; readonly type: 'clock'; readonly deadline: bigint | null; readonly error: number }
  | { readonly userdata: bigint; readonly type: 'fd'; readonly eventtype: number; readonly fd: number };

/**
 * Decodes subscription `at` (userdata u64 @0, tag u8 @8; clock: id u32 @16, timeout u64 @24,
 * precision u64 @32, flags u16 @40; fd_readwrite: fd u32 @16). A clock with an unknown id
 * gets an immediate event carrying `inval` rather than failing the whole call.
 */
function decode(memory: GuestMemory, at: number, clocks: Clocks): Subscription {
  const userdata = memory.readU64(at);
  const tag = memory.readU8(at + 8);
  if (tag === Eventtype.clock) {
    const id = memory.readU32(at + 16);
    const timeout = memory.readU64(at + 24);
    const absolute = (memory.readU16(at + 40) & Subclockflags.abstime) !== 0;
    let remaining: bigint;
    try {
      const current = clocks.now(id); // also validates the clock id
      remaining = absolute ? timeout - current : timeout;
    } catch (error) {
      return { userdata, type: 'clock', deadline: null, error: toErrno(error) };
    }
    // Every clock's timeout is waited for as elapsed wall time on the monotonic clock.
    const deadline = clocks.now(Clockid.monotonic) + (remaining > 0n ? remaining : 0n);
    return { userdata, type: 'clock', deadline, error: Errno.success };
  }
  if (tag === Eventtype.fdRead || tag === Eventtype.fdWrite) {
    return { userdata, type: 'fd', eventtype: tag, fd: memory.readU32(at + 16) };
  }
  throw new ErrnoError(Errno.inval);
}

/** The event for an always-ready fd subscription: bytes available to read, or an error. */
function fdEvent(entry: FdEntry | undefined, sub: Subscription & { type: 'fd' }): Uint8Array {
  if (entry === undefined) return encodeEvent(sub.userdata, Errno.badf, sub.eventtype);
  if ((entry.rightsBase & Rights.pollFdReadwrite) === 0n) {
    return encodeEvent(sub.userdata, Errno.notcapable, sub.eventtype);
  }
  let nbytes = 0n;
  if (sub.eventtype === Eventtype.fdRead && entry.kind === 'file') {
    const size = fstatSync(entry.hostFd, { bigint: true }).size;
    nbytes = size > BigInt(entry.position) ? size - BigInt(entry.position) : 0n;
  }
  return encodeEvent(sub.userdata, Errno.success, sub.eventtype, nbytes);
}

/** poll_oneoff, keyed by preview1 name. */
export function pollOneoffFunctions(ctx: HostContext, clocks: Clocks): Record<string, RawHostFunction> {
  const { memory, table } = ctx;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const monotonic = () => clocks.now(Clockid.monotonic);
  return {
    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number): number {
      const n = u32(count);
      if (n === 0) throw new ErrnoError(Errno.inval);
      memory.bytes(u32(inPtr), n * SUBSCRIPTION_SIZE);
      checkOutput(memory, outPtr, n * EVENT_SIZE);
      checkOutput(memory, neventsPtr, 4);
      const subs: Subscription[] = [];
      for (let i = 0; i < n; i++) subs.push(decode(memory, u32(inPtr) + i * SUBSCRIPTION_SIZE, clocks));

      const immediate = subs.some((s) => s.type === 'fd' || s.deadline === null);
      const deadlines = subs.flatMap((s) => (s.type === 'clock' && s.deadline !== null ? [s.deadline] : []));
      if (!immediate && deadlines.length > 0) {
        const earliest = deadlines.reduce((a, b) => (a < b ? a : b));
        // Atomics.wait may wake early (ms rounding): loop until the deadline really passed.
        for (let left = earliest - monotonic(); left > 0n; left = earliest - monotonic()) {
          Atomics.wait(sleeper, 0, 0, Number(left) / 1e6);
        }
      }
      const now = monotonic();
      const events: Uint8Array[] = [];
      for (const sub of subs) {
        if (sub.type === 'fd') events.push(fdEvent(table.get(sub.fd), sub));
        else if (sub.deadline === null) events.push(encodeEvent(sub.userdata, sub.error, Eventtype.clock));
        else if (sub.deadline <= now) events.push(encodeEvent(sub.userdata, Errno.success, Eventtype.clock));
      }
      const out = new Uint8Array(events.length * EVENT_SIZE);
      events.forEach((e, i) => out.set(e, i * EVENT_SIZE));
      if (out.length > 0) memory.writeBytes(u32(outPtr), out);
      memory.writeU32(u32(neventsPtr), events.length);
      return Errno.success;
    },
  };
}
