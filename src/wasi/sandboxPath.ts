/**
 * Resolves a guest path relative to a directory descriptor without ever leaving it. The walk is
 * done component by component with lstat/readlink, so `..` and symlinks are interpreted here,
 * not by the kernel: an absolute path, a `..` above the root or a symlink whose target is
 * absolute or climbs out answers `perm`, as wasmtime does. It must not open or change anything.
 *
 * Race note: a host process that swaps a checked directory for a symlink between this walk and
 * the operation could redirect it; the guest itself cannot, since it is single-threaded here.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Errno } from './errno.js';
import { ErrnoError } from './hostErrors.js';

/** Linux's SYMLOOP_MAX: more symlinks than this in one lookup answers `loop`. */
const MAX_SYMLINKS = 40;

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * The host path that `guestPath` names below `root`. Symlinks in the middle are always followed
 * (inside the sandbox); the last component is followed only when `followFinal` is set or the
 * path ends in `/`. A trailing `/` is kept so the kernel still insists on a directory. A missing
 * last component is fine (it may be about to be created); a missing or non-directory component
 * before it answers `noent` or `notdir`.
 */
export function resolveInSandbox(root: string, guestPath: string, followFinal: boolean): string {
  if (guestPath === '') throw new ErrnoError(Errno.noent);
  // Node rejects paths with NUL itself; answer like a POSIX host would.
  if (guestPath.includes('\0')) throw new ErrnoError(Errno.inval);
  if (guestPath.startsWith('/')) throw new ErrnoError(Errno.perm);
  const trailingSlash = guestPath.endsWith('/');
  let pending = components(guestPath);
  const resolved: string[] = [];
  let symlinks = 0;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name === '..') {
      if (resolved.length === 0) throw new ErrnoError(Errno.perm);
      resolved.pop();
      continue;
    }
    const isLast = pending.length === 0;
    if (isLast && !followFinal && !trailingSlash) {
      resolved.push(name);
      break;
    }
    const candidate = join(root, ...resolved, name);
    let stats;
    try {
      stats = lstatSync(candidate);
    } catch (error) {
      if (isLast && (error as { code?: string }).code === 'ENOENT') {
        resolved.push(name);
        break;
      }
      throw error;
    }
    if (stats.isSymbolicLink()) {
      if (++symlinks > MAX_SYMLINKS) throw new ErrnoError(Errno.loop);
      const target = readlinkSync(candidate);
      if (target.startsWith('/')) throw new ErrnoError(Errno.perm);
      // The target replaces the link, relative to the link's directory (`resolved` as it is).
      pending = [...components(target), ...pending];
      continue;
    }
    if (!isLast && !stats.isDirectory()) throw new ErrnoError(Errno.notdir);
    resolved.push(name);
  }
  const host = join(root, ...resolved);
  return trailingSlash ? `${host}/` : host;
}
