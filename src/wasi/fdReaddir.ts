/**
 * fd_readdir: directory listing as packed dirents. The listing starts with `.` and `..` (which
 * preview1 guests such as wasi-libc expect, unlike node:wasi), followed by the entries sorted
 * by name bytes so the same directory always lists the same way. Cookie n means "start at the
 * n-th entry"; each dirent's d_next is its index plus one. When the buffer is too small the
 * last entry is truncated and the buffer filled completely: bufused == buf_len tells the guest
 * to retry with a larger buffer.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { Filetype, Rights } from './constants.js';
import { Errno } from './errno.js';
import { checkOutput, requireRights, u32, u64 } from './hostContext.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import { ErrnoError } from './hostErrors.js';
import { encodeDirent, filetypeOf } from './structs.js';

interface Listed {
  /** Name bytes as the host stores them (not necessarily UTF-8). */
  readonly name: Buffer;
  readonly type: number;
}

function list(dir: string): Listed[] {
  const entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })
    .map((d) => ({ name: d.name, type: filetypeOf(d) }))
    .sort((a, b) => Buffer.compare(a.name, b.name));
  return [
    { name: Buffer.from('.'), type: Filetype.directory },
    { name: Buffer.from('..'), type: Filetype.directory },
    ...entries,
  ];
}

/** Inode of `name` inside `dir`, or 0 when it vanished since the listing. */
function inodeOf(dir: string, name: Buffer): bigint {
  try {
    return lstatSync(Buffer.concat([Buffer.from(`${dir}/`), name]), { bigint: true }).ino;
  } catch {
    return 0n;
  }
}

/** fd_readdir, keyed by preview1 name. */
export function fdReaddirFunctions(ctx: HostContext): Record<string, RawHostFunction> {
  const { memory, table } = ctx;
  return {
    fd_readdir(fd: number, bufPtr: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
      const entry = table.require(u32(fd));
      if (entry.kind !== 'directory') throw new ErrnoError(Errno.notdir);
      requireRights(entry, Rights.fdReaddir);
      const buf = u32(bufPtr);
      const size = u32(bufLen);
      checkOutput(memory, buf, size);
      checkOutput(memory, bufusedPtr, 4);
      const listing = list(entry.hostPath);
      const out = new Uint8Array(size);
      let used = 0;
      for (let i = u64(cookie); i < BigInt(listing.length) && used < size; i++) {
        const item = listing[Number(i)];
        const record = encodeDirent(i + 1n, inodeOf(entry.hostPath, item.name), item.name, item.type);
        const n = Math.min(record.length, size - used);
        out.set(record.subarray(0, n), used);
        used += n;
      }
      if (used > 0) memory.writeBytes(buf, out.subarray(0, used));
      memory.writeU32(u32(bufusedPtr), used);
      return Errno.success;
    },
  };
}
