/**
 * Rewriting a finished trace in one step: a replacement is written as a new trace file beside
 * the original (`replacementPath`), then `replaceTrace` gives it the original's provenance and
 * renames it over the original, which is atomic on a POSIX file system. Until that rename the
 * original is not touched at all, so a failure, a divergence, Ctrl-C or SIGKILL leaves it byte
 * for byte as it was (at worst a stray replacement file, which `discardReplacement` removes).
 * A process that has the original open keeps reading the original.
 *
 * Must not: write to the original file, or rename anything but a finished replacement.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { OutputError } from '../errors.js';

/** The recording's own facts, copied from the original: when, by what and where it was recorded. */
const PROVENANCE = ['started_at', 'finished_at', 'stub_unknown', 'wtrace_version', 'node_version', 'arch', 'platform'];

/**
 * Where a replacement of `file` is written: beside the real file (symbolic links resolved), named
 * `<file>.<tag>-<pid>.tmp`. Throws `OutputError` when the trace or its directory is read-only.
 */
export function replacementPath(file: string, tag: string): string {
  const real = fs.realpathSync(file);
  for (const [what, target] of [['the trace', real], ['its directory', path.dirname(real)]] as const) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch {
      throw new OutputError(`${file}: ${what} is read-only; not changing it`);
    }
  }
  return `${real}.${tag}-${process.pid}.tmp`;
}

/**
 * Puts the finished (closed) trace `replacement` in place of `original`: first copies the
 * original's provenance (recording times, recorder versions and machine, `stub_unknown`, and its
 * `meta` rows) into it and adds `marks` to its `meta`, then gives it the original's permissions
 * and renames it over the original (the real file, when `original` is a symbolic link).
 */
export function replaceTrace(original: string, replacement: string, marks: Readonly<Record<string, string>>): void {
  const real = fs.realpathSync(original);
  const db = new Database(replacement, { fileMustExist: true });
  try {
    // As the trace writer (no fsync anywhere): SQLite's default would fsync the whole new file
    // (hundreds of MB of detail the writer left to the OS) to commit a few meta rows.
    db.pragma('synchronous = OFF');
    db.prepare('ATTACH DATABASE ? AS original').run(real);
    db.transaction(() => {
      const columns = PROVENANCE.join(', ');
      db.exec(`UPDATE main.recording SET (${columns}) = (SELECT ${columns} FROM original.recording WHERE id = 1) WHERE id = 1`);
      db.exec(`INSERT OR REPLACE INTO main.meta (key, value) SELECT key, value FROM original.meta WHERE key <> 'format_version'`);
      const mark = db.prepare('INSERT OR REPLACE INTO main.meta (key, value) VALUES (?, ?)');
      for (const [key, value] of Object.entries(marks)) mark.run(key, value);
    })();
    db.exec('DETACH DATABASE original');
  } finally {
    db.close();
  }
  fs.chmodSync(replacement, fs.statSync(real).mode & 0o7777);
  fs.renameSync(replacement, real);
}

/** Removes a replacement that will not be used, with any journal SQLite left beside it. */
export function discardReplacement(replacement: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(replacement + suffix, { force: true });
}
