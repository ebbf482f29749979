/**
 * Data transfer on descriptors: fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell.
 * Guest buffers are filled only through `GuestMemory.fill`, so the recorder sees exactly the
 * bytes a read produced. Stdio goes to the embedder's ByteSource/ByteSinks, never a host fd.
 * Files keep their own offset (FileEntry.position) because Node has no lseek.
 */
import { fstatSync, readSync, writevSync } from 'node:fs';
import { Fdflags, Rights, Whence } from './constants.js';
import { Errno } from './errno.js';
import type { FdEntry, FileEntry, StdioEntry } from './fdTable.js';
import type { GuestMemory } from './guestMemory.js';
import { checkOutput, requireRights, s64, safeNumber, u32, u64 } from './hostContext.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import { ErrnoError } from './hostErrors.js';
import { readIovecs, type Iovec } from './structs.js';

/** Directories cannot be read or written as byte streams (POSIX: EISDIR). */
function streamEntry(entry: FdEntry): FileEntry | StdioEntry {
  if (entry.kind === 'directory') throw new ErrnoError(Errno.isdir);
  return entry;
}

/** Seekable entries only: stdio is a stream (`spipe`), directories have no offset (`isdir`). */
function seekableEntry(entry: FdEntry): FileEntry {
  if (entry.kind === 'stdio') throw new ErrnoError(Errno.spipe);
  if (entry.kind === 'directory') throw new ErrnoError(Errno.isdir);
  return entry;
}

/**
 * Fills the iovecs in order through `read(target, doneSoFar)`; stops after the first short read
 * (end of input or a partial read), as readv does. Returns the total bytes read.
 */
function readIntoIovecs(
  memory: GuestMemory, iovecs: Iovec[], read: (target: Uint8Array, done: number) => number,
): number {
  let total = 0;
  for (const iov of iovecs) {
    const n = memory.fill(iov.buf, iov.len, (target) => read(target, total));
    total += n;
    if (n < iov.len) break;
  }
  return total;
}

/** Views of the iovecs' bytes (zero-length ones dropped). */
function gather(memory: GuestMemory, iovecs: Iovec[]): Uint8Array[] {
  return iovecs.filter((iov) => iov.len > 0).map((iov) => memory.bytes(iov.buf, iov.len));
}

function writeToStdio(entry: StdioEntry, data: Uint8Array[]): number {
  if (entry.sink === null) throw new ErrnoError(Errno.badf);
  let total = 0;
  for (const chunk of data) {
    entry.sink.write(chunk);
    total += chunk.length;
  }
  return total;
}

function writeToFile(entry: FileEntry, data: Uint8Array[], position: number): number {
  return data.length === 0 ? 0 : writevSync(entry.hostFd, data, position);
}

/** The descriptor I/O functions, keyed by preview1 name. */
export function fdIoFunctions(ctx: HostContext): Record<string, RawHostFunction> {
  const { memory, table } = ctx;
  return {
    fd_read(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
      const entry = streamEntry(table.require(u32(fd)));
      requireRights(entry, Rights.fdRead);
      const iovecs = readIovecs(memory, u32(iovs), u32(iovsLen));
      checkOutput(memory, nreadPtr, 4);
      let total: number;
      if (entry.kind === 'stdio') {
        const source = entry.source;
        if (source === null) throw new ErrnoError(Errno.badf);
        total = readIntoIovecs(memory, iovecs, (t) => source.read(t));
      } else {
        const start = entry.position;
        total = readIntoIovecs(memory, iovecs, (t, done) => readSync(entry.hostFd, t, 0, t.length, start + done));
        entry.position = start + total;
      }
      memory.writeU32(u32(nreadPtr), total);
      return Errno.success;
    },

    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
      const entry = streamEntry(table.require(u32(fd)));
      requireRights(entry, Rights.fdWrite);
      const data = gather(memory, readIovecs(memory, u32(iovs), u32(iovsLen)));
      checkOutput(memory, nwrittenPtr, 4);
      let total: number;
      if (entry.kind === 'stdio') {
        total = writeToStdio(entry, data);
      } else {
        // Append is emulated (the host fd is not O_APPEND) so fd_fdstat_set_flags can toggle it.
        const append = (entry.fdflags & Fdflags.append) !== 0;
        const start = append ? fstatSync(entry.hostFd).size : entry.position;
        total = writeToFile(entry, data, start);
        entry.position = start + total;
      }
      memory.writeU32(u32(nwrittenPtr), total);
      return Errno.success;
    },

    fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
      const entry = seekableEntry(table.require(u32(fd)));
      requireRights(entry, Rights.fdRead | Rights.fdSeek);
      const iovecs = readIovecs(memory, u32(iovs), u32(iovsLen));
      checkOutput(memory, nreadPtr, 4);
      const start = safeNumber(u64(offset));
      const total = readIntoIovecs(memory, iovecs, (t, done) => readSync(entry.hostFd, t, 0, t.length, start + done));
      memory.writeU32(u32(nreadPtr), total);
      return Errno.success;
    },

    fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
      const entry = seekableEntry(table.require(u32(fd)));
      requireRights(entry, Rights.fdWrite | Rights.fdSeek);
      const data = gather(memory, readIovecs(memory, u32(iovs), u32(iovsLen)));
      checkOutput(memory, nwrittenPtr, 4);
      const total = writeToFile(entry, data, safeNumber(u64(offset)));
      memory.writeU32(u32(nwrittenPtr), total);
      return Errno.success;
    },

    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      const entry = seekableEntry(table.require(u32(fd)));
      const delta = s64(offset);
      // Asking for the current offset is a tell, which the fd_tell right alone allows.
      const isTell = delta === 0n && u32(whence) === Whence.cur;
      if (!isTell || (entry.rightsBase & Rights.fdTell) === 0n) requireRights(entry, Rights.fdSeek);
      checkOutput(memory, newOffsetPtr, 8);
      let base: bigint;
      switch (u32(whence)) {
        case Whence.set: base = 0n; break;
        case Whence.cur: base = BigInt(entry.position); break;
        case Whence.end: base = fstatSync(entry.hostFd, { bigint: true }).size; break;
        default: throw new ErrnoError(Errno.inval);
      }
      const next = base + delta;
      if (next < 0n) throw new ErrnoError(Errno.inval);
      entry.position = safeNumber(next);
      memory.writeU64(u32(newOffsetPtr), next);
      return Errno.success;
    },

    fd_tell(fd: number, offsetPtr: number): number {
      const entry = seekableEntry(table.require(u32(fd)));
      requireRights(entry, Rights.fdTell);
      memory.writeU64(u32(offsetPtr), BigInt(entry.position));
      return Errno.success;
    },
  };
}
