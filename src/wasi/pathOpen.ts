/**
 * path_open: opens a file or directory below a directory descriptor. The new descriptor's
 * rights are the requested ones intersected with the directory's inheriting rights (and with
 * what makes sense for the file type); oflags map to O_CREAT/O_EXCL/O_TRUNC and "directory"
 * is checked here. Without `symlink_follow` a final symlink answers `loop` (O_NOFOLLOW).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import {
  DIRECTORY_RIGHTS, FDFLAGS_ALL, FILE_RIGHTS, Fdflags, Lookupflags, OFLAGS_ALL, Oflags, Rights,
} from './constants.js';
import { Errno } from './errno.js';
import type { FdEntry } from './fdTable.js';
import { checkOutput, readPath, requireRights, u32, u64 } from './hostContext.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import { ErrnoError } from './hostErrors.js';
import { directoryEntry } from './pathFunctions.js';
import { resolveInSandbox } from './sandboxPath.js';
import { filetypeOf } from './structs.js';

/** Rights that need a host fd opened for writing. */
const WRITE_RIGHTS = Rights.fdWrite | Rights.fdAllocate | Rights.fdFilestatSetSize;

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
}

/** Host open(2) flags for a regular open with these rights and oflags. */
function hostOpenFlags(base: bigint, oflags: number, fdflags: number, follow: boolean): number {
  const read = (base & Rights.fdRead) !== 0n;
  const write =
    (base & WRITE_RIGHTS) !== 0n || (oflags & Oflags.trunc) !== 0 || (fdflags & Fdflags.append) !== 0;
  let flags = write ? (read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
  if (oflags & Oflags.creat) flags |= constants.O_CREAT;
  if (oflags & Oflags.excl) flags |= constants.O_EXCL;
  if (oflags & Oflags.trunc) flags |= constants.O_TRUNC;
  if (!follow) flags |= constants.O_NOFOLLOW;
  return flags;
}

/** path_open, keyed by preview1 name. */
export function pathOpenFunctions(ctx: HostContext): Record<string, RawHostFunction> {
  const { memory, table } = ctx;
  return {
    path_open(
      fd: number, dirflags: number, path: number, pathLen: number, oflags: number,
      rightsBase: bigint, rightsInheriting: bigint, fdflags: number, openedFdPtr: number,
    ): number {
      const dir = directoryEntry(ctx, fd);
      const of = u32(oflags);
      const ff = u32(fdflags);
      if ((of & ~OFLAGS_ALL) !== 0 || (ff & ~FDFLAGS_ALL) !== 0) throw new ErrnoError(Errno.inval);
      let needed = Rights.pathOpen;
      if (of & Oflags.creat) needed |= Rights.pathCreateFile;
      if (of & Oflags.trunc) needed |= Rights.pathFilestatSetSize;
      requireRights(dir, needed);
      const guestPath = readPath(memory, path, pathLen);
      checkOutput(memory, openedFdPtr, 4);
      const follow = (u32(dirflags) & Lookupflags.symlinkFollow) !== 0;
      const target = resolveInSandbox(dir.hostPath, guestPath, follow);
      const base = u64(rightsBase) & dir.rightsInheriting;
      const inheriting = u64(rightsInheriting) & dir.rightsInheriting;
      const creatExcl = (of & Oflags.creat) !== 0 && (of & Oflags.excl) !== 0;

      const st = lstatOrNull(target);
      if (st?.isSymbolicLink() && !follow) throw new ErrnoError(creatExcl ? Errno.exist : Errno.loop);
      let entry: FdEntry;
      if (st?.isDirectory()) {
        if (creatExcl) throw new ErrnoError(Errno.exist);
        if ((of & Oflags.trunc) !== 0 || (base & WRITE_RIGHTS) !== 0n) throw new ErrnoError(Errno.isdir);
        entry = {
          kind: 'directory', hostPath: target.replace(/\/+$/, '') || '/', preopenPath: null,
          fdflags: ff, rightsBase: base & DIRECTORY_RIGHTS, rightsInheriting: inheriting,
        };
      } else {
        if (of & Oflags.directory) {
          // Linux refuses O_CREAT|O_DIRECTORY with EINVAL; path_create_directory makes directories.
          const missing = (of & Oflags.creat) !== 0 ? Errno.inval : Errno.noent;
          throw new ErrnoError(st !== null ? Errno.notdir : missing);
        }
        const hostFd = openSync(target, hostOpenFlags(base, of, ff, follow), 0o666);
        let filetype: number;
        try {
          filetype = filetypeOf(fstatSync(hostFd));
        } catch (error) {
          closeQuietly(hostFd);
          throw error;
        }
        entry = {
          kind: 'file', hostFd, hostPath: target, filetype, position: 0, fdflags: ff,
          rightsBase: base & FILE_RIGHTS, rightsInheriting: inheriting,
        };
      }
      memory.writeU32(u32(openedFdPtr), table.insert(entry));
      return Errno.success;
    },
  };
}

function closeQuietly(hostFd: number): void {
  try {
    closeSync(hostFd);
  } catch {
    // Nothing more to release: the open already failed from the guest's point of view.
  }
}
