/**
 * Source files for the source pane, read from disk relative to a source root (the CLI's
 * `--source-root`, default the current directory). The line table names files as the compiler
 * saw them; this looks for that path under the root, then for its base name there, then (for an
 * absolute name) the path itself. Reads are cached, misses too: a file is read once per session.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A file found on disk, as lines ready to print (tabs expanded, control characters made visible). */
export interface SourceText {
  /** Where it was read from (as resolved from the root the user gave). */
  readonly path: string;
  /** Line 1 is `lines[0]`. */
  readonly lines: readonly string[];
}

const TAB_WIDTH = 4;

export class SourceFiles {
  private readonly cache = new Map<string, SourceText | null>();

  /**
   * `root` as the user gave it (shown in notes; relative paths are relative to the cwd).
   * `read` returns a file's text or throws; tests may pass their own.
   */
  constructor(
    readonly root: string = '.',
    private readonly read: (file: string) => string = (file) => fs.readFileSync(file, 'utf8'),
  ) {}

  /** The file the line table calls `file`, or null when none of the candidate paths is readable. */
  get(file: string): SourceText | null {
    if (!this.cache.has(file)) this.cache.set(file, this.load(file));
    return this.cache.get(file) ?? null;
  }

  private load(file: string): SourceText | null {
    for (const candidate of this.candidates(file)) {
      let text: string;
      try {
        text = this.read(candidate);
      } catch {
        continue;
      }
      return { path: candidate, lines: splitLines(text) };
    }
    return null;
  }

  private candidates(file: string): string[] {
    const base = path.basename(file);
    const list = path.isAbsolute(file)
      ? [path.join(this.root, base), file]
      : [path.join(this.root, file), path.join(this.root, base)];
    return [...new Set(list)];
  }
}

/** Lines of a text file, without the final empty line a trailing newline leaves. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/).map(printable);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Tabs to spaces (stops every 4 columns); other control characters as `^X` (C1 as U+FFFD) so they cannot move the cursor. */
export function printable(line: string): string {
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(TAB_WIDTH - (out.length % TAB_WIDTH));
    else if (ch < ' ' || ch === '\x7f') out += '^' + String.fromCharCode((ch.charCodeAt(0) + 64) & 0x7f);
    else if (ch >= '\x80' && ch <= '\x9f') out += '\ufffd'; // C1 controls (0x9b is CSI on some terminals)
    else out += ch;
  }
  return out;
}
