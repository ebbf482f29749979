/**
 * The rerun host's virtual files: for each guest path, the bytes known at each offset (from the
 * golden's reads, then overwritten by the rerun's own writes), its size when known, and whether
 * it exists. Nothing here touches the real file system. A read of bytes nobody knows is not
 * guessed: `readFile` stops the run (RerunInputMissing) naming the file and the bytes.
 * Also the reads, writes and stats of a virtual file the descriptor and path functions share.
 */
import { Filetype } from './constants.js';
import { missing } from './rerunContext.js';
import { emptyFacts, type PathFacts, type RerunWorld } from './rerunWorld.js';
import { encodeFilestat, FILESTAT_SIZE } from './structs.js';

/** Sorted, non-overlapping runs of known bytes, each growable at its end. */
export class KnownBytes {
  private runs: { start: number; buf: Uint8Array; length: number }[] = [];

  /** Records `bytes` at `offset` (newer bytes win over older ones). */
  set(offset: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const end = offset + bytes.length;
    const last = this.runs.at(-1);
    if (last !== undefined && last.start + last.length === offset) {
      // The common case: a sequential read or write right after the last run.
      if (last.buf.length < last.length + bytes.length) {
        const grown = new Uint8Array(Math.max(last.buf.length * 2, last.length + bytes.length));
        grown.set(last.buf.subarray(0, last.length));
        last.buf = grown;
      }
      last.buf.set(bytes, last.length);
      last.length += bytes.length;
      return;
    }
    // Merge every run that touches [offset, end) with the new bytes into one run.
    const touching = this.runs.filter((r) => r.start <= end && offset <= r.start + r.length);
    const start = Math.min(offset, ...touching.map((r) => r.start));
    const stop = Math.max(end, ...touching.map((r) => r.start + r.length));
    const merged = new Uint8Array(stop - start);
    for (const r of touching) merged.set(r.buf.subarray(0, r.length), r.start - start);
    merged.set(bytes, offset - start);
    this.runs = this.runs.filter((r) => !touching.includes(r));
    this.runs.push({ start, buf: merged, length: merged.length });
    this.runs.sort((a, b) => a.start - b.start);
  }

  /** The `length` bytes at `offset`, or null when any of them is unknown. */
  get(offset: number, length: number): Uint8Array | null {
    if (length === 0) return new Uint8Array(0);
    for (const r of this.runs) {
      if (r.start <= offset && offset + length <= r.start + r.length) {
        return r.buf.slice(offset - r.start, offset - r.start + length);
      }
    }
    return null;
  }

  /** Forgets every byte at or after `size` (a truncation). */
  cut(size: number): void {
    this.runs = this.runs.filter((r) => r.start < size);
    for (const r of this.runs) r.length = Math.min(r.length, size - r.start);
  }
}

/** One path as the rerun sees it now. */
export interface VirtualFile {
  readonly key: string;
  exists: boolean;
  directory: boolean;
  readonly known: KnownBytes;
  size: number | null;
  /** The golden's stat of the path (sizes are patched from `size` when answered). */
  stat: Uint8Array | null;
  /** errno the golden's stat got, when it failed and the rerun has not changed the path since. */
  statErrno: number | null;
  /** errno the golden's open got without `creat`; null when the golden never opened it so. */
  openErrno: number | null;
  /** True once the rerun created, wrote, truncated, renamed or removed it: the golden's answers no longer apply. */
  changed: boolean;
}

/** Every path the rerun has looked at, made lazily from the golden's facts. */
export class VirtualFiles {
  private readonly files = new Map<string, VirtualFile>();
  constructor(private readonly world: RerunWorld) {
    // A preopen is a directory that exists, whatever the golden did with it.
    for (const key of world.preopens) {
      const f = this.get(key);
      f.exists = true;
      f.directory = true;
      f.openErrno ??= 0;
    }
  }

  /** True when the golden learned anything about `key`. */
  goldenKnows(key: string): boolean {
    return this.world.files.has(key);
  }

  /** The file at `key` (made from the golden's facts on first use). */
  get(key: string): VirtualFile {
    let f = this.files.get(key);
    if (f === undefined) {
      const facts: PathFacts = this.world.files.get(key) ?? emptyFacts();
      const known = new KnownBytes();
      for (const c of facts.content) known.set(c.offset, c.bytes);
      const existsByGolden = facts.openErrno === 0 || facts.statErrno === 0;
      f = {
        key,
        exists: existsByGolden,
        directory: facts.directory,
        known,
        size: facts.size,
        stat: facts.stat,
        statErrno: facts.statErrno,
        openErrno: facts.openErrno,
        changed: false,
      };
      this.files.set(key, f);
    }
    return f;
  }

  /** Makes `key` a new empty file or directory the rerun created. */
  create(key: string, directory: boolean): VirtualFile {
    const f = this.get(key);
    f.exists = true;
    f.directory = directory;
    f.changed = true;
    f.size = 0;
    f.known.cut(0);
    f.stat = null;
    f.statErrno = null;
    return f;
  }

  /** Removes `key` (unlink, rmdir, the source of a rename). */
  remove(key: string): void {
    const f = this.get(key);
    f.exists = false;
    f.changed = true;
    f.size = null;
    f.known.cut(0);
  }

  /** Moves `from` to `to` with what is known of it. */
  rename(from: string, to: string): void {
    const src = this.get(from);
    const moved: VirtualFile = { ...src, key: to, changed: true };
    this.files.set(to, moved);
    this.files.set(from, { ...emptyFile(from), changed: true });
  }
}

/**
 * The filestat of a virtual file. The golden's stat of the same path at the same turn (its n-th
 * stat of it) is the template, so times, inode and link count read as they did; the file type and,
 * for a file the rerun changed, the size come from the rerun's own state.
 */
export function virtualStat(f: VirtualFile, template: Uint8Array | null): Uint8Array {
  if (!f.changed && template !== null) return template;
  if (!f.directory && f.size === null) missing(`the size of ${f.key}, which the golden trace never learned`);
  const out = template !== null ? template.slice() : encodeFilestat(null, f.directory ? Filetype.directory : Filetype.regularFile);
  const v = new DataView(out.buffer, out.byteOffset, FILESTAT_SIZE);
  if (template === null) v.setBigUint64(24, 1n, true); // nlink
  v.setUint8(16, f.directory ? Filetype.directory : Filetype.regularFile);
  if (!f.directory && f.size !== null) v.setBigUint64(32, BigInt(f.size), true);
  return out;
}

/** The bytes a read of `want` bytes at `offset` returns: a short read only at a known end of file. */
export function readFile(f: VirtualFile, offset: number, want: number): Uint8Array {
  const n = f.size === null ? want : Math.max(0, Math.min(want, f.size - offset));
  const bytes = f.known.get(offset, n);
  if (bytes === null) {
    missing(`bytes ${offset}..${offset + n} of ${f.key}, which the golden trace never read` + (f.size === null ? ' (size unknown)' : ` (size ${f.size})`));
  }
  return bytes;
}

/** Writes `data` into `f` at `offset`, keeping its size up to date. */
export function writeFile(f: VirtualFile, offset: number, data: Uint8Array): void {
  f.known.set(offset, data);
  f.changed = true;
  if (f.size !== null) f.size = Math.max(f.size, offset + data.length);
}

function emptyFile(key: string): VirtualFile {
  return {
    key, exists: false, directory: false, known: new KnownBytes(), size: null, stat: null, statErrno: null, openErrno: null, changed: true,
  };
}
