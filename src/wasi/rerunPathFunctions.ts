/**
 * The rerun host's path functions. Paths are names (rerunWorld.ts `pathKey`), resolved below the
 * directory descriptor as the live host does (absolute or escaping: `perm`). What a call answers
 * is decided, in this order, by: what the rerun itself did to the path (created, wrote, removed,
 * renamed it); the golden's answer to the same call on the same path(s), in order; what the
 * golden learned about the path (it opened, its stat); otherwise the run stops (RerunInputMissing)
 * rather than guess. A path the golden never saw can still be created (`creat`): it starts empty.
 */
import { DIRECTORY_RIGHTS, FDFLAGS_ALL, FILE_RIGHTS, OFLAGS_ALL, Oflags, Rights } from './constants.js';
import { Errno } from './errno.js';
import { checkOutput, readPath, u32, u64 } from './hostContext.js';
import type { RawHostFunction } from './hostContext.js';
import { ErrnoError } from './hostErrors.js';
import { missing, requireRights, type RerunContext, type RerunDirectory, type RerunEntry } from './rerunContext.js';
import { virtualStat, type VirtualFile } from './rerunFiles.js';
import { answerKey, pathKey } from './rerunWorld.js';
import { FILESTAT_SIZE } from './structs.js';

const WRITE_RIGHTS = Rights.fdWrite | Rights.fdAllocate | Rights.fdFilestatSetSize;

/** True when the golden or the rerun knows whether `f` exists now. */
function knownState(f: VirtualFile): boolean {
  return f.changed || f.openErrno !== null || f.statErrno !== null;
}

/** The path functions, keyed by preview1 name. */
export function rerunPathFunctions(ctx: RerunContext): Record<string, RawHostFunction> {
  const { memory, files } = ctx;
  const directory = (fd: number): RerunDirectory => {
    const e = ctx.fds.require(u32(fd));
    if (e.kind !== 'directory') throw new ErrnoError(Errno.notdir);
    return e;
  };
  const resolve = (dir: RerunDirectory, ptr: number, len: number): string => {
    const key = pathKey(dir.key, readPath(memory, ptr, len));
    if (key === '') throw new ErrnoError(Errno.noent);
    if (key === null) throw new ErrnoError(Errno.perm);
    return key;
  };
  const keyOf = (fd: number, rights: bigint, ptr: number, len: number): string => {
    const dir = directory(fd);
    requireRights(dir, rights);
    return resolve(dir, ptr, len);
  };
  /** The golden's answer to `name` on these paths, applying `onSuccess`; stops the run when it has none. */
  const golden = (name: string, keys: string[], onSuccess: () => void): number => {
    const logged = ctx.answer(answerKey(name, ...keys));
    if (logged === null) missing(`${name} of ${keys.join(' and ')}, which the golden trace never did`);
    if (logged.result === Errno.success) onSuccess();
    return logged.result;
  };
  /** unlink and rmdir: from the rerun's own changes, else the golden's answer. */
  const remove = (name: string, key: string, wantDirectory: boolean): number => {
    const f = files.get(key);
    if (!f.changed) return golden(name, [key], () => files.remove(key));
    if (!f.exists) throw new ErrnoError(Errno.noent);
    if (f.directory !== wantDirectory) throw new ErrnoError(wantDirectory ? Errno.notdir : Errno.isdir);
    files.remove(key);
    return Errno.success;
  };

  return {
    path_open(
      fd: number, dirflags: number, path: number, pathLen: number, oflags: number,
      rightsBase: bigint, rightsInheriting: bigint, fdflags: number, openedFdPtr: number,
    ): number {
      void dirflags; // symlinks are not modelled
      const dir = directory(fd);
      const of = u32(oflags);
      const ff = u32(fdflags);
      if ((of & ~OFLAGS_ALL) !== 0 || (ff & ~FDFLAGS_ALL) !== 0) throw new ErrnoError(Errno.inval);
      let needed = Rights.pathOpen;
      if (of & Oflags.creat) needed |= Rights.pathCreateFile;
      if (of & Oflags.trunc) needed |= Rights.pathFilestatSetSize;
      requireRights(dir, needed);
      const key = resolve(dir, path, pathLen);
      checkOutput(memory, openedFdPtr, 4);
      const base = u64(rightsBase) & dir.rightsInheriting;
      const inheriting = u64(rightsInheriting) & dir.rightsInheriting;
      const creat = (of & Oflags.creat) !== 0;
      let f = files.get(key);
      if (!knownState(f) && !creat) missing(`${key}, which the golden trace never opened`);
      if (!f.changed && !creat && f.openErrno !== null && f.openErrno !== Errno.success && f.openErrno !== Errno.noent) {
        throw new ErrnoError(f.openErrno as never); // e.g. acces: the golden could not open it either
      }
      if (f.exists && creat && (of & Oflags.excl) !== 0) throw new ErrnoError(Errno.exist);
      if (!f.exists) {
        if (!creat) throw new ErrnoError(Errno.noent);
        if (of & Oflags.directory) throw new ErrnoError(Errno.inval);
        f = files.create(key, false);
      }
      let entry: RerunEntry;
      if (f.directory) {
        if ((of & Oflags.trunc) !== 0 || (base & WRITE_RIGHTS) !== 0n) throw new ErrnoError(Errno.isdir);
        entry = { kind: 'directory', key, preopen: null, fdflags: ff, rightsBase: base & DIRECTORY_RIGHTS, rightsInheriting: inheriting };
      } else {
        if (of & Oflags.directory) throw new ErrnoError(Errno.notdir);
        if (of & Oflags.trunc) {
          f.known.cut(0);
          f.size = 0;
          f.changed = true;
        }
        entry = { kind: 'file', file: f, position: 0, fdflags: ff, rightsBase: base & FILE_RIGHTS, rightsInheriting: inheriting };
      }
      memory.writeU32(u32(openedFdPtr), ctx.fds.insert(entry));
      return Errno.success;
    },

    path_filestat_get(fd: number, flags: number, path: number, len: number, bufPtr: number): number {
      void flags;
      const key = keyOf(fd, Rights.pathFilestatGet, path, len);
      checkOutput(memory, bufPtr, FILESTAT_SIZE);
      const f = files.get(key);
      if (!knownState(f)) missing(`the stat of ${key}, which the golden trace never looked at`);
      if (!f.changed && f.statErrno !== null && f.statErrno !== Errno.success) throw new ErrnoError(f.statErrno as never);
      if (!f.exists) throw new ErrnoError(Errno.noent);
      memory.writeBytes(u32(bufPtr), virtualStat(f, ctx.statTemplate(key)));
      return Errno.success;
    },

    path_filestat_set_times(fd: number, flags: number, path: number, len: number): number {
      void flags;
      const key = keyOf(fd, Rights.pathFilestatSetTimes, path, len);
      const f = files.get(key);
      if (f.changed) {
        if (!f.exists) throw new ErrnoError(Errno.noent);
        return Errno.success; // times are not modelled
      }
      return golden('path_filestat_set_times', [key], () => {});
    },

    path_create_directory(fd: number, path: number, len: number): number {
      const key = keyOf(fd, Rights.pathCreateDirectory, path, len);
      const f = files.get(key);
      if (!f.changed) return golden('path_create_directory', [key], () => files.create(key, true));
      if (f.exists) throw new ErrnoError(Errno.exist);
      files.create(key, true);
      return Errno.success;
    },

    path_remove_directory: (fd: number, path: number, len: number) =>
      remove('path_remove_directory', keyOf(fd, Rights.pathRemoveDirectory, path, len), true),

    path_unlink_file: (fd: number, path: number, len: number) =>
      remove('path_unlink_file', keyOf(fd, Rights.pathUnlinkFile, path, len), false),

    path_rename(fd: number, oldPath: number, oldLen: number, newFd: number, newPath: number, newLen: number): number {
      const from = keyOf(fd, Rights.pathRenameSource, oldPath, oldLen);
      const to = keyOf(newFd, Rights.pathRenameTarget, newPath, newLen);
      const f = files.get(from);
      if (!f.changed) return golden('path_rename', [from, to], () => files.rename(from, to));
      if (!f.exists) throw new ErrnoError(Errno.noent);
      files.rename(from, to);
      return Errno.success;
    },

    path_link(oldFd: number, oldFlags: number, oldPath: number, oldLen: number, newFd: number, newPath: number, newLen: number): number {
      void oldFlags;
      const from = keyOf(oldFd, Rights.pathLinkSource, oldPath, oldLen);
      const to = keyOf(newFd, Rights.pathLinkTarget, newPath, newLen);
      return golden('path_link', [from, to], () => {});
    },

    path_symlink(oldPath: number, oldLen: number, fd: number, newPath: number, newLen: number): number {
      const target = readPath(memory, oldPath, oldLen);
      const key = keyOf(fd, Rights.pathSymlink, newPath, newLen);
      return golden('path_symlink', [target, key], () => {});
    },

    path_readlink(fd: number, path: number, len: number, bufPtr: number, bufLen: number, usedPtr: number): number {
      const key = keyOf(fd, Rights.pathReadlink, path, len);
      checkOutput(memory, bufPtr, u32(bufLen));
      checkOutput(memory, usedPtr, 4);
      const logged = ctx.answer(answerKey('path_readlink', key));
      if (logged === null) missing(`path_readlink of ${key}, which the golden trace never did`);
      if (logged.result !== Errno.success) return logged.result;
      const data = (logged.data ?? new Uint8Array(0)).subarray(0, u32(bufLen));
      if (data.length > 0) memory.writeBytes(u32(bufPtr), data);
      memory.writeU32(u32(usedPtr), data.length);
      return Errno.success;
    },
  };
}
