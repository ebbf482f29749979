/**
 * What a golden trace tells about the world its program saw, by meaning rather than call by
 * call: argv and environment, the preopened directory names, the bytes of stdin in order, what
 * is known of each file path (whether it opened, its known bytes by offset, its size, its stat),
 * each clock's readings in order, the random bytes as one stream, and the answers of the few
 * calls not modelled by meaning (directory listings, unlink, rename, ...) keyed by their paths.
 *
 * `wtrace rerun` builds one from the golden (replay/rerun/collectWorld.ts) and runs a module,
 * possibly a new build that makes different calls, on the rerun host (rerunHost.ts), which
 * answers from it. Plain data: it crosses to a worker thread by structured clone.
 */

/** What the golden learned about one guest path (`/data/input.txt`). */
export interface PathFacts {
  /** errno of the golden's first open of the path without `creat` (0: it opened); null when it never did. */
  openErrno: number | null;
  /** The path named a directory (opened with `directory`, or its stat or fdstat said so). */
  directory: boolean;
  /** Bytes the golden read from it, with their offsets, in the order read. */
  readonly content: { offset: number; bytes: Uint8Array }[];
  /** Its size, when a short read, a seek to the end or a stat told it. */
  size: number | null;
  /** errno of the golden's first stat of the path (0: it answered); null when it never stat'ed it. */
  statErrno: number | null;
  /** The 64-byte filestat of that first successful stat. */
  stat: Uint8Array | null;
}

/** The golden's answer to one call that the rerun host does not model by meaning. */
export interface LoggedAnswer {
  readonly result: number;
  /** Bytes the call returned through its buffer (fd_readdir, path_readlink), else null. */
  readonly data: Uint8Array | null;
}

export interface RerunWorld {
  /** argv as the golden's program saw it (argv[0] included). */
  readonly args: readonly string[];
  /** `NAME=VALUE` strings in order. */
  readonly env: readonly string[];
  /** Preopened directories by guest name, fds 3, 4, ... in this order. */
  readonly preopens: readonly string[];
  /** Every byte the golden read from stdin in order; `eof` when it saw the end of input. */
  readonly stdin: { readonly bytes: Uint8Array; readonly eof: boolean };
  /** By path key (`pathKey`). */
  readonly files: Map<string, PathFacts>;
  /** clock_time_get values by clock id, in the order read. */
  readonly clocks: Map<number, bigint[]>;
  /** clock_res_get values by clock id. */
  readonly resolutions: Map<number, bigint>;
  /** Every random byte handed out, in order. */
  readonly random: Uint8Array;
  /**
   * Every successful stat (path or descriptor) by path key, in order, including those after the
   * golden changed the path: templates for the rerun's own stats (times, inode, nlink).
   */
  readonly stats: Map<string, Uint8Array[]>;
  /** By `answerKey`: the golden's answers in the order it got them. */
  readonly answers: Map<string, LoggedAnswer[]>;
}

/** Facts for a path seen for the first time. */
export function emptyFacts(): PathFacts {
  return { openErrno: null, directory: false, content: [], size: null, statErrno: null, stat: null };
}

/**
 * The key of `guestPath` relative to the directory whose key is `dirKey`: the directory's key,
 * `/`, and the path's components with `.` dropped and `..` applied. Null when the path is
 * absolute or climbs above `dirKey` (the live host answers `perm` for both); `''` for an empty
 * path (`noent`). Symlinks are not modelled: paths are names.
 */
export function pathKey(dirKey: string, guestPath: string): string | null | '' {
  if (guestPath === '') return '';
  if (guestPath.startsWith('/')) return null;
  const parts: string[] = [];
  for (const c of guestPath.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(c);
  }
  if (parts.length === 0) return dirKey;
  return `${dirKey.replace(/\/+$/, '')}/${parts.join('/')}`;
}

/** The key under which the golden's answer to a call not modelled by meaning is kept. */
export function answerKey(name: string, ...parts: (string | number | bigint)[]): string {
  return [name, ...parts.map(String)].join('\u0000');
}
