/**
 * Descriptor metadata and lifetime: fd_advise, fd_allocate, fd_close, fd_datasync, fd_sync,
 * fd_fdstat_get/set_flags/set_rights, fd_filestat_get/set_size/set_times, fd_prestat_get,
 * fd_prestat_dir_name, fd_renumber. Stdio entries answer as character devices with zeroed
 * stat fields: they are the embedder's streams, not host files.
 */
import {
  closeSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, futimesSync, openSync, statSync,
  utimesSync, type BigIntStats,
} from 'node:fs';
import { ADVICE_MAX, FDFLAGS_ALL, Filetype, Rights } from './constants.js';
import { Errno } from './errno.js';
import type { Clocks } from './clocks.js';
import type { FdEntry } from './fdTable.js';
import { timesToSet } from './fileTimes.js';
import { checkOutput, requireRights, safeNumber, u32, u64 } from './hostContext.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import { ErrnoError } from './hostErrors.js';
import { encodeFdstat, encodeFilestat, encodePrestat } from './structs.js';

function filetypeOfEntry(entry: FdEntry): number {
  if (entry.kind === 'stdio') return Filetype.characterDevice;
  if (entry.kind === 'directory') return Filetype.directory;
  return entry.filetype;
}

/** Host stat of a file or directory entry (ns times); null for stdio. */
function statEntry(entry: FdEntry): BigIntStats | null {
  if (entry.kind === 'file') return fstatSync(entry.hostFd, { bigint: true });
  if (entry.kind === 'directory') return statSync(entry.hostPath, { bigint: true });
  return null;
}

/** Runs `action` on a host fd for `entry`: its own for files, a temporary one for directories. */
function withHostFd(entry: FdEntry, action: (hostFd: number) => void): void {
  if (entry.kind === 'file') return action(entry.hostFd);
  if (entry.kind === 'stdio') throw new ErrnoError(Errno.inval);
  const hostFd = openSync(entry.hostPath, 'r');
  try {
    action(hostFd);
  } finally {
    closeSync(hostFd);
  }
}

/** The descriptor metadata functions, keyed by preview1 name. */
export function fdFunctions(ctx: HostContext, clocks: Clocks): Record<string, RawHostFunction> {
  const { memory, table } = ctx;
  const fileOnly = (fd: number, right: bigint) => {
    const entry = table.require(u32(fd));
    requireRights(entry, right);
    if (entry.kind !== 'file') throw new ErrnoError(entry.kind === 'directory' ? Errno.isdir : Errno.inval);
    return entry;
  };
  return {
    fd_advise(fd: number, offset: bigint, len: bigint, advice: number): number {
      const entry = table.require(u32(fd));
      requireRights(entry, Rights.fdAdvise);
      if (u32(advice) > ADVICE_MAX) throw new ErrnoError(Errno.inval);
      // Advice is only a hint: Node offers no posix_fadvise, and ignoring it is correct.
      void offset;
      void len;
      return Errno.success;
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): number {
      const entry = fileOnly(fd, Rights.fdAllocate);
      if (u64(len) === 0n) throw new ErrnoError(Errno.inval);
      // No fallocate in Node: extending the size has the observable effect (zeros up to the end).
      const end = safeNumber(u64(offset) + u64(len));
      if (end > fstatSync(entry.hostFd).size) ftruncateSync(entry.hostFd, end);
      return Errno.success;
    },

    fd_close(fd: number): number {
      table.close(u32(fd));
      return Errno.success;
    },

    fd_datasync(fd: number): number {
      const entry = table.require(u32(fd));
      requireRights(entry, Rights.fdDatasync);
      withHostFd(entry, fdatasyncSync);
      return Errno.success;
    },

    fd_sync(fd: number): number {
      const entry = table.require(u32(fd));
      requireRights(entry, Rights.fdSync);
      withHostFd(entry, fsyncSync);
      return Errno.success;
    },

    fd_fdstat_get(fd: number, bufPtr: number): number {
      const entry = table.require(u32(fd));
      const bytes = encodeFdstat(filetypeOfEntry(entry), entry.fdflags, entry.rightsBase, entry.rightsInheriting);
      memory.writeBytes(u32(bufPtr), bytes);
      return Errno.success;
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const entry = table.require(u32(fd));
      requireRights(entry, Rights.fdFdstatSetFlags);
      if ((u32(flags) & ~FDFLAGS_ALL) !== 0) throw new ErrnoError(Errno.inval);
      entry.fdflags = u32(flags);
      return Errno.success;
    },

    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): number {
      const entry = table.require(u32(fd));
      const b = u64(base);
      const i = u64(inheriting);
      // Rights can only be dropped, never gained.
      if ((b & ~entry.rightsBase) !== 0n || (i & ~entry.rightsInheriting) !== 0n) {
        throw new ErrnoError(Errno.notcapable);
      }
      entry.rightsBase = b;
      entry.rightsInheriting = i;
      return Errno.success;
    },

    fd_filestat_get(fd: number, bufPtr: number): number {
      const entry = table.require(u32(fd));
      requireRights(entry, Rights.fdFilestatGet);
      checkOutput(memory, bufPtr, 64);
      memory.writeBytes(u32(bufPtr), encodeFilestat(statEntry(entry), filetypeOfEntry(entry)));
      return Errno.success;
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      const entry = fileOnly(fd, Rights.fdFilestatSetSize);
      ftruncateSync(entry.hostFd, safeNumber(u64(size)));
      return Errno.success;
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): number {
      const entry = table.require(u32(fd));
      requireRights(entry, Rights.fdFilestatSetTimes);
      const current = statEntry(entry);
      if (current === null) throw new ErrnoError(Errno.inval);
      const t = timesToSet(current, u64(atim), u64(mtim), u32(flags), clocks.now(0));
      if (entry.kind === 'file') futimesSync(entry.hostFd, t.atime, t.mtime);
      else if (entry.kind === 'directory') utimesSync(entry.hostPath, t.atime, t.mtime);
      return Errno.success;
    },

    fd_prestat_get(fd: number, bufPtr: number): number {
      const entry = table.require(u32(fd));
      if (entry.kind !== 'directory' || entry.preopenPath === null) throw new ErrnoError(Errno.badf);
      const nameLength = new TextEncoder().encode(entry.preopenPath).length;
      memory.writeBytes(u32(bufPtr), encodePrestat(nameLength));
      return Errno.success;
    },

    fd_prestat_dir_name(fd: number, pathPtr: number, pathLen: number): number {
      const entry = table.require(u32(fd));
      if (entry.kind !== 'directory' || entry.preopenPath === null) throw new ErrnoError(Errno.badf);
      const name = new TextEncoder().encode(entry.preopenPath);
      if (u32(pathLen) < name.length) throw new ErrnoError(Errno.nametoolong);
      // Exactly the name, no NUL: the guest knows the length from fd_prestat_get.
      if (name.length > 0) memory.writeBytes(u32(pathPtr), name);
      return Errno.success;
    },

    fd_renumber(from: number, to: number): number {
      table.renumber(u32(from), u32(to));
      return Errno.success;
    },
  };
}
