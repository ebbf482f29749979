/**
 * The rerun host's descriptor functions: the same checks and answers as the live host (rights,
 * `badf`, `spipe`, `isdir`, fdstat and prestat layouts), but data comes from the golden's world:
 * stdin as one byte stream, files by path and offset from the bytes the golden read, writes kept
 * in the virtual files (never on disk) and in the trace's output. Listings come from the golden's
 * answer to the same (directory, cookie, buffer size).
 */
import { ADVICE_MAX, FDFLAGS_ALL, Fdflags, Filetype, Rights, Whence } from './constants.js';
import { Errno } from './errno.js';
import type { GuestMemory } from './guestMemory.js';
import { checkOutput, s64, safeNumber, u32, u64 } from './hostContext.js';
import type { RawHostFunction } from './hostContext.js';
import { ErrnoError } from './hostErrors.js';
import { missing, requireRights, type RerunContext, type RerunEntry, type RerunFile } from './rerunContext.js';
import { readFile, virtualStat, writeFile } from './rerunFiles.js';
import { answerKey } from './rerunWorld.js';
import { encodeFdstat, encodeFilestat, encodePrestat, FILESTAT_SIZE, readIovecs, type Iovec } from './structs.js';

function filetypeOfEntry(e: RerunEntry): number {
  if (e.kind === 'stdio') return Filetype.characterDevice;
  if (e.kind === 'directory') return Filetype.directory;
  return e.file.directory ? Filetype.directory : Filetype.regularFile;
}

/** Copies `bytes` into the iovecs in order; returns how many fit. */
function scatter(memory: GuestMemory, iovecs: Iovec[], bytes: Uint8Array): number {
  let done = 0;
  for (const iov of iovecs) {
    if (done >= bytes.length) break;
    const n = Math.min(iov.len, bytes.length - done);
    if (n > 0) memory.writeBytes(iov.buf, bytes.subarray(done, done + n));
    done += n;
  }
  return done;
}

function gather(memory: GuestMemory, iovecs: Iovec[]): Uint8Array {
  const total = iovecs.reduce((n, iov) => n + iov.len, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const iov of iovecs) {
    out.set(memory.bytes(iov.buf, iov.len), at);
    at += iov.len;
  }
  return out;
}

function fileOf(e: RerunEntry): RerunFile {
  if (e.kind === 'stdio') throw new ErrnoError(Errno.spipe);
  if (e.kind === 'directory') throw new ErrnoError(Errno.isdir);
  return e;
}

/** The descriptor functions, keyed by preview1 name. `stdin` reads the golden's stdin stream. */
export function rerunFdFunctions(ctx: RerunContext, stdin: (want: number) => Uint8Array): Record<string, RawHostFunction> {
  const { memory, fds } = ctx;
  const streamOf = (fd: number) => {
    const e = fds.require(u32(fd));
    if (e.kind === 'directory') throw new ErrnoError(Errno.isdir);
    return e;
  };
  const sink = (stream: 0 | 1 | 2) => (stream === 1 ? ctx.stdout : stream === 2 ? ctx.stderr : null);
  return {
    fd_read(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
      const e = streamOf(fd);
      requireRights(e, Rights.fdRead);
      const iovecs = readIovecs(memory, u32(iovs), u32(iovsLen));
      checkOutput(memory, nreadPtr, 4);
      const want = iovecs.reduce((n, iov) => n + iov.len, 0);
      let n: number;
      if (e.kind === 'stdio') {
        if (e.stream !== 0) throw new ErrnoError(Errno.badf);
        n = scatter(memory, iovecs, stdin(want));
      } else {
        n = scatter(memory, iovecs, readFile(e.file, e.position, want));
        e.position += n;
      }
      memory.writeU32(u32(nreadPtr), n);
      return Errno.success;
    },

    fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
      const e = fileOf(fds.require(u32(fd)));
      requireRights(e, Rights.fdRead | Rights.fdSeek);
      const iovecs = readIovecs(memory, u32(iovs), u32(iovsLen));
      checkOutput(memory, nreadPtr, 4);
      const want = iovecs.reduce((n, iov) => n + iov.len, 0);
      memory.writeU32(u32(nreadPtr), scatter(memory, iovecs, readFile(e.file, safeNumber(u64(offset)), want)));
      return Errno.success;
    },

    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
      const e = streamOf(fd);
      requireRights(e, Rights.fdWrite);
      const data = gather(memory, readIovecs(memory, u32(iovs), u32(iovsLen)));
      checkOutput(memory, nwrittenPtr, 4);
      if (e.kind === 'stdio') {
        const out = sink(e.stream);
        if (out === null) throw new ErrnoError(Errno.badf);
        if (data.length > 0) out.write(data);
      } else {
        const append = (e.fdflags & Fdflags.append) !== 0;
        if (append && e.file.size === null) missing(`the size of ${e.file.key} (to append to it), which the golden trace never learned`);
        const start = append ? e.file.size! : e.position;
        writeFile(e.file, start, data);
        e.position = start + data.length;
      }
      memory.writeU32(u32(nwrittenPtr), data.length);
      return Errno.success;
    },

    fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
      const e = fileOf(fds.require(u32(fd)));
      requireRights(e, Rights.fdWrite | Rights.fdSeek);
      const data = gather(memory, readIovecs(memory, u32(iovs), u32(iovsLen)));
      checkOutput(memory, nwrittenPtr, 4);
      writeFile(e.file, safeNumber(u64(offset)), data);
      memory.writeU32(u32(nwrittenPtr), data.length);
      return Errno.success;
    },

    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      const e = fileOf(fds.require(u32(fd)));
      const delta = s64(offset);
      const isTell = delta === 0n && u32(whence) === Whence.cur;
      if (!isTell || (e.rightsBase & Rights.fdTell) === 0n) requireRights(e, Rights.fdSeek);
      checkOutput(memory, newOffsetPtr, 8);
      let base: bigint;
      switch (u32(whence)) {
        case Whence.set: base = 0n; break;
        case Whence.cur: base = BigInt(e.position); break;
        case Whence.end:
          if (e.file.size === null) missing(`the size of ${e.file.key} (a seek from its end), which the golden trace never learned`);
          base = BigInt(e.file.size);
          break;
        default: throw new ErrnoError(Errno.inval);
      }
      const next = base + delta;
      if (next < 0n) throw new ErrnoError(Errno.inval);
      e.position = safeNumber(next);
      memory.writeU64(u32(newOffsetPtr), next);
      return Errno.success;
    },

    fd_tell(fd: number, offsetPtr: number): number {
      const e = fileOf(fds.require(u32(fd)));
      requireRights(e, Rights.fdTell);
      memory.writeU64(u32(offsetPtr), BigInt(e.position));
      return Errno.success;
    },

    fd_close(fd: number): number {
      fds.close(u32(fd));
      return Errno.success;
    },

    fd_renumber(from: number, to: number): number {
      fds.renumber(u32(from), u32(to));
      return Errno.success;
    },

    fd_fdstat_get(fd: number, bufPtr: number): number {
      const e = fds.require(u32(fd));
      memory.writeBytes(u32(bufPtr), encodeFdstat(filetypeOfEntry(e), e.fdflags, e.rightsBase, e.rightsInheriting));
      return Errno.success;
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const e = fds.require(u32(fd));
      requireRights(e, Rights.fdFdstatSetFlags);
      if ((u32(flags) & ~FDFLAGS_ALL) !== 0) throw new ErrnoError(Errno.inval);
      e.fdflags = u32(flags);
      return Errno.success;
    },

    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): number {
      const e = fds.require(u32(fd));
      const b = u64(base);
      const i = u64(inheriting);
      if ((b & ~e.rightsBase) !== 0n || (i & ~e.rightsInheriting) !== 0n) throw new ErrnoError(Errno.notcapable);
      e.rightsBase = b;
      e.rightsInheriting = i;
      return Errno.success;
    },

    fd_filestat_get(fd: number, bufPtr: number): number {
      const e = fds.require(u32(fd));
      requireRights(e, Rights.fdFilestatGet);
      checkOutput(memory, bufPtr, FILESTAT_SIZE);
      const stat =
        e.kind === 'stdio' ? encodeFilestat(null, Filetype.characterDevice) :
        e.kind === 'directory' ? virtualStat(ctx.files.get(e.key), ctx.statTemplate(e.key)) : virtualStat(e.file, ctx.statTemplate(e.file.key));
      memory.writeBytes(u32(bufPtr), stat);
      return Errno.success;
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      const e = fileOf(fds.require(u32(fd)));
      requireRights(e, Rights.fdFilestatSetSize);
      const n = safeNumber(u64(size));
      if (e.file.size !== null && n > e.file.size) e.file.known.set(e.file.size, new Uint8Array(n - e.file.size));
      e.file.known.cut(n);
      e.file.size = n;
      e.file.changed = true;
      return Errno.success;
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): number {
      const e = fileOf(fds.require(u32(fd)));
      requireRights(e, Rights.fdAllocate);
      if (u64(len) === 0n) throw new ErrnoError(Errno.inval);
      const end = safeNumber(u64(offset) + u64(len));
      if (e.file.size === null) missing(`the size of ${e.file.key} (fd_allocate), which the golden trace never learned`);
      if (end > e.file.size) {
        e.file.known.set(e.file.size, new Uint8Array(end - e.file.size));
        e.file.size = end;
        e.file.changed = true;
      }
      return Errno.success;
    },

    fd_advise(fd: number, offset: bigint, len: bigint, advice: number): number {
      requireRights(fds.require(u32(fd)), Rights.fdAdvise);
      if (u32(advice) > ADVICE_MAX) throw new ErrnoError(Errno.inval);
      void offset;
      void len;
      return Errno.success;
    },

    fd_sync(fd: number): number {
      const e = fds.require(u32(fd));
      requireRights(e, Rights.fdSync);
      if (e.kind === 'stdio') throw new ErrnoError(Errno.inval);
      return Errno.success;
    },

    fd_datasync(fd: number): number {
      const e = fds.require(u32(fd));
      requireRights(e, Rights.fdDatasync);
      if (e.kind === 'stdio') throw new ErrnoError(Errno.inval);
      return Errno.success;
    },

    // Times are not modelled: the call succeeds and changes nothing the rerun can observe.
    fd_filestat_set_times(fd: number): number {
      const e = fds.require(u32(fd));
      requireRights(e, Rights.fdFilestatSetTimes);
      if (e.kind === 'stdio') throw new ErrnoError(Errno.inval);
      return Errno.success;
    },

    fd_prestat_get(fd: number, bufPtr: number): number {
      const e = fds.require(u32(fd));
      if (e.kind !== 'directory' || e.preopen === null) throw new ErrnoError(Errno.badf);
      memory.writeBytes(u32(bufPtr), encodePrestat(new TextEncoder().encode(e.preopen).length));
      return Errno.success;
    },

    fd_prestat_dir_name(fd: number, pathPtr: number, pathLen: number): number {
      const e = fds.require(u32(fd));
      if (e.kind !== 'directory' || e.preopen === null) throw new ErrnoError(Errno.badf);
      const name = new TextEncoder().encode(e.preopen);
      if (u32(pathLen) < name.length) throw new ErrnoError(Errno.nametoolong);
      if (name.length > 0) memory.writeBytes(u32(pathPtr), name);
      return Errno.success;
    },

    fd_readdir(fd: number, bufPtr: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
      const e = fds.require(u32(fd));
      if (e.kind !== 'directory') throw new ErrnoError(Errno.notdir);
      requireRights(e, Rights.fdReaddir);
      checkOutput(memory, bufPtr, u32(bufLen));
      checkOutput(memory, bufusedPtr, 4);
      const logged = ctx.answer(answerKey('fd_readdir', e.key, u64(cookie), u32(bufLen)));
      if (logged === null) {
        missing(`a listing of ${e.key} (cookie ${u64(cookie)}, ${u32(bufLen)}-byte buffer) that the golden trace never made`);
      }
      if (logged.result !== Errno.success) return logged.result;
      const data = logged.data ?? new Uint8Array(0);
      if (data.length > 0) memory.writeBytes(u32(bufPtr), data);
      memory.writeU32(u32(bufusedPtr), data.length);
      return Errno.success;
    },
  };
}
