/**
 * The oracle for line tables: runs Debian llvm-16's `llvm-dwarfdump-16` and parses its text.
 * Paths are completed here from the printed directory and file tables and each unit's
 * `DW_AT_comp_dir`, following LLVM's documented rule, written out independently of
 * src/source (only the `.`-component clean-up is shared in spirit: see `tidy`).
 */
import { execFileSync, spawnSync } from 'node:child_process';

export const DWARFDUMP = 'llvm-dwarfdump-16';

export interface DumpRow {
  /** DWARF address (code-section relative), as printed. */
  readonly address: number;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly endSequence: boolean;
}

export interface DumpTable {
  readonly offset: number;
  readonly version: number;
  /** Rows grouped by sequence; each ends with its end_sequence row. */
  readonly sequences: DumpRow[][];
}

export function haveDwarfdump(): boolean {
  return spawnSync(DWARFDUMP, ['--version']).status === 0;
}

function dump(args: string[]): string {
  // stderr (warnings about hand-made damage) is captured, not shown.
  return execFileSync(DWARFDUMP, args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `DW_AT_stmt_list` -> `DW_AT_comp_dir` of every unit's root DIE. */
function compDirs(file: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const unit of dump(['--debug-info', '--recurse-depth=0', file]).split(/Compile Unit:/).slice(1)) {
    const stmt = /DW_AT_stmt_list\s+\((0x[0-9a-f]+)\)/.exec(unit);
    const dir = /DW_AT_comp_dir\s+\("(.*)"\)/.exec(unit);
    if (stmt && dir) out.set(parseInt(stmt[1], 16), dir[1]);
  }
  return out;
}

const quoted = (line: string) => /"(.*)"\s*$/.exec(line)![1];

/** Removes `.` components after the first and doubled slashes, as SourceMap documents. */
function tidy(path: string): string {
  return path.split('/').filter((p, i) => i === 0 || (p !== '.' && p !== '')).join('/');
}

/** Every line table of `file`, its rows with resolved file paths. */
export function dumpLineTables(file: string): DumpTable[] {
  const dirsByUnit = compDirs(file);
  const tables: DumpTable[] = [];
  // Verbose, for the files DW_LNE_define_file adds, which only the opcode listing shows.
  for (const text of dump(['--debug-line', '-v', file]).split(/^debug_line\[/m).slice(1)) {
    const offset = parseInt(text, 16);
    const version = Number(/version: (\d+)/.exec(text)![1]);
    const dirs = new Map<number, string>();
    const files = new Map<number, { name: string; dir: number }>();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const d = /^include_directories\[\s*(\d+)\] = /.exec(lines[i]);
      if (d) dirs.set(Number(d[1]), quoted(lines[i]));
      const f = /^file_names\[\s*(\d+)\]:/.exec(lines[i]);
      if (f) files.set(Number(f[1]), { name: quoted(lines[i + 1]), dir: Number(/dir_index: (\d+)/.exec(lines[i + 2])![1]) });
    }
    let next = files.size + (version >= 5 ? 0 : 1);
    const compDir = dirsByUnit.get(offset) ?? '';
    const pathOf = (index: number): string => {
      const entry = files.get(index);
      if (!entry) return `<file ${index} of the line table at 0x${offset.toString(16)}>`;
      if (entry.name.startsWith('/')) return tidy(entry.name);
      const dir = entry.dir === 0 && version < 5 ? '' : (dirs.get(entry.dir) ?? '');
      // LLVM puts the compilation directory in front of a relative directory, except before
      // version 5's directory 0, which is the compilation directory itself.
      const withComp = (version < 5 || entry.dir !== 0) && !dir.startsWith('/');
      return tidy([withComp ? compDir : '', dir, entry.name].filter((p) => p !== '').join('/'));
    };
    const sequences: DumpRow[][] = [];
    let current: DumpRow[] = [];
    for (const l of lines) {
      const defined = /DW_LNE_define_file \((.*), dir=(\d+),/.exec(l);
      if (defined) files.set(next++, { name: defined[1], dir: Number(defined[2]) });
      const m = /^\s*0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s*(.*)$/.exec(l);
      if (!m) continue;
      const flags = m[5].split(/\s+/);
      const row = {
        address: parseInt(m[1], 16), file: pathOf(Number(m[4])), line: Number(m[2]), column: Number(m[3]),
        isStmt: flags.includes('is_stmt'), endSequence: flags.includes('end_sequence'),
      };
      current.push(row);
      if (row.endSequence) {
        sequences.push(current);
        current = [];
      }
    }
    tables.push({ offset, version, sequences });
  }
  return tables;
}

export interface DumpSubprogram {
  readonly name: string;
  readonly lowPc: number;
  readonly highPc: number;
}

/** Subprograms with a low and high pc (dead code left out), named directly or via abstract_origin/specification. */
export function dumpSubprograms(file: string): DumpSubprogram[] {
  const out: DumpSubprogram[] = [];
  for (const die of dump(['--debug-info', file]).split(/\n(?=0x[0-9a-f]+:)/)) {
    if (!/^0x[0-9a-f]+:\s+DW_TAG_subprogram/.test(die)) continue;
    const low = /DW_AT_low_pc\s+\((0x[0-9a-f]+)\)/.exec(die);
    const high = /DW_AT_high_pc\s+\((0x[0-9a-f]+)\)/.exec(die);
    const name = /DW_AT_name\s+\("(.*)"\)/.exec(die) ?? /DW_AT_(?:abstract_origin|specification)\s+\(0x[0-9a-f]+ "(.*)"\)/.exec(die);
    if (low && high) out.push({ name: name?.[1] ?? '', lowPc: parseInt(low[1], 16), highPc: parseInt(high[1], 16) });
  }
  return out;
}
