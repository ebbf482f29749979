/**
 * What the rerun host's function groups share: guest memory, the virtual files, a descriptor
 * table like the live host's (stdio 0-2, preopens from 3, lowest free number for new ones, the
 * same rights), the golden's world, and `missing()`, which stops the run when the program asks
 * for input the golden never read.
 */
import { ALL_RIGHTS, DIRECTORY_RIGHTS, STDIN_RIGHTS, STDOUT_RIGHTS } from './constants.js';
import { Errno } from './errno.js';
import type { GuestMemory } from './guestMemory.js';
import { ErrnoError } from './hostErrors.js';
import type { ByteSink } from './hostTypes.js';
import type { VirtualFile, VirtualFiles } from './rerunFiles.js';
import type { LoggedAnswer, RerunWorld } from './rerunWorld.js';

/**
 * The program asked for input the golden trace never read (a file it never opened, bytes past
 * what it read, more stdin or random bytes). Thrown through the guest: the run ends there.
 */
export class RerunInputMissing extends Error {
  constructor(readonly what: string) {
    super(`input not in the golden trace: ${what}`);
  }
}

interface EntryBase {
  rightsBase: bigint;
  rightsInheriting: bigint;
  fdflags: number;
}
export interface RerunStdio extends EntryBase {
  readonly kind: 'stdio';
  readonly stream: 0 | 1 | 2;
}
export interface RerunDirectory extends EntryBase {
  readonly kind: 'directory';
  readonly key: string;
  /** The guest name of a preopen; null for a directory opened with path_open. */
  readonly preopen: string | null;
}
export interface RerunFile extends EntryBase {
  readonly kind: 'file';
  readonly file: VirtualFile;
  position: number;
}
export type RerunEntry = RerunStdio | RerunDirectory | RerunFile;

/** The rerun host's descriptor table. */
export class RerunFdTable {
  private readonly entries = new Map<number, RerunEntry>();
  constructor(preopens: readonly string[]) {
    const stdio = (stream: 0 | 1 | 2): RerunStdio => ({
      kind: 'stdio', stream, fdflags: 0, rightsBase: stream === 0 ? STDIN_RIGHTS : STDOUT_RIGHTS, rightsInheriting: 0n,
    });
    this.entries.set(0, stdio(0));
    this.entries.set(1, stdio(1));
    this.entries.set(2, stdio(2));
    for (const p of preopens) {
      this.insert({ kind: 'directory', key: p, preopen: p, fdflags: 0, rightsBase: DIRECTORY_RIGHTS, rightsInheriting: ALL_RIGHTS });
    }
  }
  get(fd: number): RerunEntry | undefined {
    return this.entries.get(fd);
  }
  /** `badf` when `fd` is not open. */
  require(fd: number): RerunEntry {
    const e = this.entries.get(fd);
    if (e === undefined) throw new ErrnoError(Errno.badf);
    return e;
  }
  insert(entry: RerunEntry): number {
    let fd = 0;
    while (this.entries.has(fd)) fd++;
    this.entries.set(fd, entry);
    return fd;
  }
  close(fd: number): void {
    this.require(fd);
    this.entries.delete(fd);
  }
  renumber(from: number, to: number): void {
    const entry = this.require(from);
    this.require(to);
    if (from === to) return;
    this.entries.set(to, entry);
    this.entries.delete(from);
  }
}

export interface RerunContext {
  readonly memory: GuestMemory;
  readonly world: RerunWorld;
  readonly files: VirtualFiles;
  readonly fds: RerunFdTable;
  readonly stdout: ByteSink;
  readonly stderr: ByteSink;
  /** The golden's stat of `key` at this turn (its n-th stat of the path for the rerun's n-th), else its last, else its first-seen `stat`. */
  statTemplate(key: string): Uint8Array | null;
  /** The golden's next answer under `key`, consumed; null when it has no more. */
  answer(key: string): LoggedAnswer | null;
}

/** Throws `notcapable` unless `entry` holds every right in `rights` (as the live host checks). */
export function requireRights(entry: { readonly rightsBase: bigint }, rights: bigint): void {
  if ((entry.rightsBase & rights) !== rights) throw new ErrnoError(Errno.notcapable);
}

/** Stops the run: the program wants something the golden never read. */
export function missing(what: string): never {
  throw new RerunInputMissing(what);
}

/** The golden's stats of each path in turn (the last one again when the rerun stats more often). */
export function statTemplates(world: RerunWorld, files: VirtualFiles): (key: string) => Uint8Array | null {
  const turn = new Map<string, number>();
  return (key) => {
    const list = world.stats.get(key);
    if (list === undefined || list.length === 0) return files.get(key).stat;
    const i = turn.get(key) ?? 0;
    turn.set(key, i + 1);
    return list[Math.min(i, list.length - 1)];
  };
}

/** Consumes the golden's answers under each key in order. */
export function answerQueue(world: RerunWorld): (key: string) => LoggedAnswer | null {
  const next = new Map<string, number>();
  return (key) => {
    const list = world.answers.get(key);
    const i = next.get(key) ?? 0;
    if (list === undefined || i >= list.length) return null;
    next.set(key, i + 1);
    return list[i];
  };
}
