/**
 * The live host's own descriptor table. Guest fds are indexes into this table, never host fds:
 * fds 0-2 wrap the embedder's ByteSource/ByteSinks, so a guest that closes or renumbers its
 * stdio changes only this table and can never close or redirect Node's stdout. Preopens follow
 * at 3, 4, ...; new descriptors take the lowest free number, as POSIX does.
 */
import { closeSync } from 'node:fs';
import { DIRECTORY_RIGHTS, ALL_RIGHTS, STDIN_RIGHTS, STDOUT_RIGHTS } from './constants.js';
import { Errno } from './errno.js';
import { ErrnoError } from './hostErrors.js';
import type { ByteSink, ByteSource, Preopen } from './hostTypes.js';

interface EntryBase {
  /** Rights for operations on this descriptor. Only ever shrinks. */
  rightsBase: bigint;
  /** Rights that descriptors opened through this one may have. Only ever shrinks. */
  rightsInheriting: bigint;
  /** `fdflags` as last set by the guest (append is honoured; the sync flags are recorded only). */
  fdflags: number;
}

/** One of the guest's stdio streams: a source (stdin) or a sink (stdout, stderr). */
export interface StdioEntry extends EntryBase {
  readonly kind: 'stdio';
  readonly source: ByteSource | null;
  readonly sink: ByteSink | null;
}

/** A non-directory opened with path_open; owns `hostFd` and closes it when the entry goes. */
export interface FileEntry extends EntryBase {
  readonly kind: 'file';
  readonly hostFd: number;
  /** Host path at open time, for diagnostics only (the file may since have been renamed). */
  readonly hostPath: string;
  /** Preview1 filetype found at open time (regular file, character device, ...). */
  readonly filetype: number;
  /** Current offset for fd_read/fd_write/fd_seek: Node has no lseek, so the host keeps it. */
  position: number;
}

/**
 * A directory: a preopen or one opened with path_open. It holds no host fd; `hostPath` is the
 * root below which every path relative to this descriptor must stay.
 */
export interface DirectoryEntry extends EntryBase {
  readonly kind: 'directory';
  readonly hostPath: string;
  /** The name the guest sees through fd_prestat_dir_name; null when not a preopen. */
  readonly preopenPath: string | null;
}

export type FdEntry = StdioEntry | FileEntry | DirectoryEntry;

/** Stdio fds and preopens in the order preview1 guests (wasi-libc) expect to discover them. */
export class FdTable {
  private readonly entries = new Map<number, FdEntry>();

  constructor(stdin: ByteSource, stdout: ByteSink, stderr: ByteSink, preopens: readonly Preopen[]) {
    const stdio = (source: ByteSource | null, sink: ByteSink | null): StdioEntry => ({
      kind: 'stdio', source, sink, fdflags: 0,
      rightsBase: source ? STDIN_RIGHTS : STDOUT_RIGHTS, rightsInheriting: 0n,
    });
    this.entries.set(0, stdio(stdin, null));
    this.entries.set(1, stdio(null, stdout));
    this.entries.set(2, stdio(null, stderr));
    for (const p of preopens) {
      this.insert({
        kind: 'directory', hostPath: p.hostPath, preopenPath: p.guestPath, fdflags: 0,
        rightsBase: DIRECTORY_RIGHTS, rightsInheriting: ALL_RIGHTS,
      });
    }
  }

  /** The entry for `fd`, or undefined when the guest has no such descriptor. */
  get(fd: number): FdEntry | undefined {
    return this.entries.get(fd);
  }

  /** Like `get`, but answers errno `badf` for a descriptor that is not open. */
  require(fd: number): FdEntry {
    const entry = this.entries.get(fd);
    if (entry === undefined) throw new ErrnoError(Errno.badf);
    return entry;
  }

  /** Adds `entry` under the lowest free descriptor number and returns that number. */
  insert(entry: FdEntry): number {
    let fd = 0;
    while (this.entries.has(fd)) fd++;
    this.entries.set(fd, entry);
    return fd;
  }

  /** Removes `fd` and releases its host fd, if any. `badf` when it is not open. */
  close(fd: number): void {
    const entry = this.require(fd);
    this.entries.delete(fd);
    release(entry);
  }

  /**
   * fd_renumber: `to` (which must be open) is closed and `from` moves to its number. Renumbering
   * a descriptor onto itself is a no-op.
   */
  renumber(from: number, to: number): void {
    const entry = this.require(from);
    const replaced = this.require(to);
    if (from === to) return;
    this.entries.set(to, entry);
    this.entries.delete(from);
    release(replaced);
  }

  /** Closes every host fd the guest left open and empties the table. Idempotent. */
  closeAll(): void {
    for (const entry of this.entries.values()) release(entry);
    this.entries.clear();
  }
}

function release(entry: FdEntry): void {
  // Only files own a host fd; stdio sinks belong to the embedder and stay open.
  if (entry.kind === 'file') {
    try {
      closeSync(entry.hostFd);
    } catch {
      // Already gone (EBADF): nothing left to release.
    }
  }
}
