/**
 * The path_* functions except path_open: every guest path is resolved by sandboxPath.ts below
 * the directory descriptor's own root before node:fs sees it, so no call can reach outside
 * the preopens. Checks run in the order badf, notdir, notcapable, then the path itself.
 */
import {
  linkSync, lstatSync, lutimesSync, mkdirSync, readlinkSync, renameSync, rmdirSync, symlinkSync,
  unlinkSync,
} from 'node:fs';
import { Lookupflags, Rights } from './constants.js';
import { Errno } from './errno.js';
import type { Clocks } from './clocks.js';
import type { DirectoryEntry } from './fdTable.js';
import { timesToSet } from './fileTimes.js';
import { checkOutput, readPath, requireRights, u32, u64 } from './hostContext.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import { ErrnoError } from './hostErrors.js';
import { resolveInSandbox } from './sandboxPath.js';
import { encodeFilestat, filetypeOf } from './structs.js';

/** The directory entry for `fd`: `badf` when not open, `notdir` when not a directory. */
export function directoryEntry(ctx: HostContext, fd: number): DirectoryEntry {
  const entry = ctx.table.require(u32(fd));
  if (entry.kind !== 'directory') throw new ErrnoError(Errno.notdir);
  return entry;
}

/**
 * Checks `rights` on directory `fd` and resolves the guest path (ptr, len) below it. The last
 * component is followed only if `follow`.
 */
export function hostPath(
  ctx: HostContext, fd: number, rights: bigint, ptr: number, len: number, follow: boolean,
): string {
  const dir = directoryEntry(ctx, fd);
  requireRights(dir, rights);
  return resolveInSandbox(dir.hostPath, readPath(ctx.memory, ptr, len), follow);
}

const follows = (lookupflags: number) => (u32(lookupflags) & Lookupflags.symlinkFollow) !== 0;

/** The path functions other than path_open, keyed by preview1 name. */
export function pathFunctions(ctx: HostContext, clocks: Clocks): Record<string, RawHostFunction> {
  const { memory } = ctx;
  return {
    path_create_directory(fd: number, path: number, len: number): number {
      mkdirSync(hostPath(ctx, fd, Rights.pathCreateDirectory, path, len, false));
      return Errno.success;
    },

    path_filestat_get(fd: number, flags: number, path: number, len: number, bufPtr: number): number {
      const target = hostPath(ctx, fd, Rights.pathFilestatGet, path, len, follows(flags));
      checkOutput(memory, bufPtr, 64);
      // lstat: when following, the resolver already replaced a final symlink by its target.
      const st = lstatSync(target, { bigint: true });
      memory.writeBytes(u32(bufPtr), encodeFilestat(st, filetypeOf(st)));
      return Errno.success;
    },

    path_filestat_set_times(
      fd: number, flags: number, path: number, len: number, atim: bigint, mtim: bigint, fst: number,
    ): number {
      const target = hostPath(ctx, fd, Rights.pathFilestatSetTimes, path, len, follows(flags));
      const t = timesToSet(lstatSync(target, { bigint: true }), u64(atim), u64(mtim), u32(fst), clocks.now(0));
      lutimesSync(target, t.atime, t.mtime);
      return Errno.success;
    },

    path_link(
      oldFd: number, oldFlags: number, oldPath: number, oldLen: number,
      newFd: number, newPath: number, newLen: number,
    ): number {
      const from = hostPath(ctx, oldFd, Rights.pathLinkSource, oldPath, oldLen, follows(oldFlags));
      const to = hostPath(ctx, newFd, Rights.pathLinkTarget, newPath, newLen, false);
      linkSync(from, to);
      return Errno.success;
    },

    path_readlink(fd: number, path: number, len: number, bufPtr: number, bufLen: number, usedPtr: number): number {
      const link = hostPath(ctx, fd, Rights.pathReadlink, path, len, false);
      checkOutput(memory, bufPtr, u32(bufLen));
      checkOutput(memory, usedPtr, 4);
      const contents = readlinkSync(link, { encoding: 'buffer' });
      // Like POSIX readlink (and current wasmtime): silently truncate to the buffer.
      const n = Math.min(contents.length, u32(bufLen));
      if (n > 0) memory.writeBytes(u32(bufPtr), contents.subarray(0, n));
      memory.writeU32(u32(usedPtr), n);
      return Errno.success;
    },

    path_remove_directory(fd: number, path: number, len: number): number {
      rmdirSync(hostPath(ctx, fd, Rights.pathRemoveDirectory, path, len, false));
      return Errno.success;
    },

    path_rename(fd: number, oldPath: number, oldLen: number, newFd: number, newPath: number, newLen: number): number {
      const from = hostPath(ctx, fd, Rights.pathRenameSource, oldPath, oldLen, false);
      const to = hostPath(ctx, newFd, Rights.pathRenameTarget, newPath, newLen, false);
      renameSync(from, to);
      return Errno.success;
    },

    path_symlink(oldPath: number, oldLen: number, fd: number, newPath: number, newLen: number): number {
      // The link's contents are stored as given; they are checked when followed, not here.
      const contents = readPath(memory, oldPath, oldLen);
      if (contents.includes('\0')) throw new ErrnoError(Errno.inval);
      symlinkSync(contents, hostPath(ctx, fd, Rights.pathSymlink, newPath, newLen, false));
      return Errno.success;
    },

    path_unlink_file(fd: number, path: number, len: number): number {
      unlinkSync(hostPath(ctx, fd, Rights.pathUnlinkFile, path, len, false));
      return Errno.success;
    },
  };
}
