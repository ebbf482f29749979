/**
 * Source positions of a module: module pc <-> file:line:column, from its DWARF line tables.
 * Pure data built once from the module bytes; lookups are binary searches over typed arrays
 * (the replay engine asks `locationAt` for every instruction while it steps by lines).
 *
 * Every pc here is a module offset counted from the `\0asm` magic (what `wasm-objdump -d`
 * prints): DWARF's code-section-relative address plus the code section's payload offset.
 */
import { SourceLookupError } from './errors.js';
import { type LineTable, readLineTables } from './lineTables.js';
import { RowFlag } from './lineProgram.js';
import { type FunctionBody, functionBodies, readModuleSections } from './moduleSections.js';
import { matchPaths } from './paths.js';
import { lastAtOrBelow } from './search.js';

/** A source position. Lines and columns start at 1; column 0 means "the whole line". */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One row of the line tables, for listing (a `lines` SQL view). */
export interface LineRow extends SourceLocation {
  readonly pc: number;
  /** A recommended breakpoint / line-step position. */
  readonly isStmt: boolean;
  /** The row that ends a sequence: `pc` is one past its last instruction; it locates nothing. */
  readonly endSequence: boolean;
}

/** What `pcsForLine` found: the line it used (the asked one, or the next with code) and its pcs. */
export interface LinePcs {
  /** The matching file's full path as the line table spells it. */
  readonly file: string;
  readonly line: number;
  /** Sorted, distinct. */
  readonly pcs: number[];
}

/** Sequences that start at these addresses are dead code (wasm-ld's tombstones, or 0 from older linkers). */
function isTombstone(address: number): boolean {
  return address === 0 || address >= 0xfffffffe;
}

export class SourceMap {
  private readonly locations: (SourceLocation | undefined)[];
  private byFile: Map<number, Map<number, number[]>> | undefined;

  private constructor(
    private readonly fileNames: readonly string[],
    /** Per row, in order of sequence start: pc, file id, line, column, `RowFlag` bits. */
    private readonly pc: Float64Array,
    private readonly file: Uint32Array,
    private readonly line: Uint32Array,
    private readonly column: Uint32Array,
    private readonly flags: Uint8Array,
    /** Lookup index: `starts[i]` begins the range of row `startRow[i]` (-1: no row, a gap). */
    private readonly starts: Float64Array,
    private readonly startRow: Int32Array,
    /** pcs of rows with is_stmt and a line, sorted, distinct. */
    private readonly stmtPcs: Float64Array,
    private readonly bodies: readonly FunctionBody[],
  ) {
    this.locations = new Array(line.length);
  }

  /**
   * Reads `bytes`' `.debug_line` (with `.debug_info` for compilation directories). Returns null
   * when the module has no `.debug_line` or no code section. Throws `DwarfFormatError` for a
   * malformed DWARF section and `WasmDecodeError` when the module's sections are damaged.
   */
  static fromModule(bytes: Uint8Array): SourceMap | null {
    const sections = readModuleSections(bytes);
    const debugLine = sections.debug.get('.debug_line');
    if (debugLine === undefined || sections.codePayloadOffset === undefined) return null;
    const d = sections.debug;
    const tables = readLineTables(debugLine, {
      info: d.get('.debug_info'), abbrev: d.get('.debug_abbrev'), debugStr: d.get('.debug_str'),
      lineStr: d.get('.debug_line_str'), strOffsets: d.get('.debug_str_offsets'), addr: d.get('.debug_addr'),
    });
    return SourceMap.build(tables, sections.codePayloadOffset, functionBodies(sections));
  }

  private static build(tables: LineTable[], codeOffset: number, bodies: FunctionBody[]): SourceMap {
    const fileIds = new Map<string, number>();
    const fileNames: string[] = [];
    const fileId = (table: LineTable, value: number): number => {
      const name = table.paths[value] ?? `<file ${value} of the line table at 0x${table.header.offset.toString(16)}>`;
      let id = fileIds.get(name);
      if (id === undefined) fileIds.set(name, (id = fileNames.push(name) - 1));
      return id;
    };
    const seqs = tables
      .flatMap((table) => table.sequences.map((seq) => ({ table, seq })))
      .filter(({ seq }) => !isTombstone(seq.addresses[0]))
      .sort((a, b) => a.seq.addresses[0] - b.seq.addresses[0]);
    const n = seqs.reduce((sum, { seq }) => sum + seq.addresses.length, 0);
    const pc = new Float64Array(n), file = new Uint32Array(n), line = new Uint32Array(n);
    const column = new Uint32Array(n), flags = new Uint8Array(n);
    const starts: number[] = [], startRow: number[] = [], stmt: number[] = [];
    let row = 0;
    for (const { table, seq } of seqs) {
      for (let i = 0; i < seq.addresses.length; i++, row++) {
        const at = seq.addresses[i] + codeOffset;
        pc[row] = at;
        file[row] = fileId(table, seq.files[i]);
        line[row] = seq.lines[i];
        column[row] = Math.min(seq.columns[i], 0xffffffff);
        flags[row] = seq.flags[i];
        // The last row at an address wins (as in LLVM); a later sequence overrides an overlapping earlier one.
        while (starts.length > 0 && starts[starts.length - 1] >= at) {
          starts.pop();
          startRow.pop();
        }
        const end = (seq.flags[i] & RowFlag.endSequence) !== 0;
        starts.push(at);
        startRow.push(end ? -1 : row);
        if (!end && seq.lines[i] > 0 && seq.flags[i] & RowFlag.isStmt) stmt.push(at);
      }
    }
    const stmtPcs = Float64Array.from(new Set(stmt)).sort();
    return new SourceMap(fileNames, pc, file, line, column, flags, Float64Array.from(starts), Int32Array.from(startRow), stmtPcs, bodies);
  }

  /**
   * The position of the row whose range covers `pc` (from its address up to the next row's),
   * or null when `pc` is outside every sequence or the row has line 0 (code no source line
   * accounts for). The same object is returned for the same row: do not mutate it.
   */
  locationAt(pc: number): SourceLocation | null {
    const i = lastAtOrBelow(this.starts, pc);
    if (i < 0) return null;
    const row = this.startRow[i];
    if (row < 0 || this.line[row] === 0) return null;
    return (this.locations[row] ??= { file: this.fileNames[this.file[row]], line: this.line[row], column: this.column[row] });
  }

  /**
   * Whether a row with is_stmt and a nonzero line starts exactly at `pc`: where a line step
   * stops. A function's first row starts at its body (before the local declarations), which
   * is no instruction, so the first instruction of a function is usually not a statement:
   * stepping into a call stops after the prologue, at the first statement.
   */
  isStatement(pc: number): boolean {
    const i = lastAtOrBelow(this.stmtPcs, pc);
    return i >= 0 && this.stmtPcs[i] === pc;
  }

  /**
   * The is_stmt pcs of `line` in `file` (a full path, or a suffix of one at a `/` boundary:
   * `debug_target.c` names `./test/fixtures/c/debug_target.c`). A line without code yields
   * the next line of the same file that has some, and says so in `line`. A function's entry
   * row, which sits before the local declarations, is given as the function's first
   * instruction, so every pc is an instruction's. Several pcs are normal (a `for` line has its
   * initialisation, test and increment).
   * Throws `SourceLookupError`: `unknown-source-file`, `ambiguous-source-file` (with the
   * candidates), or `no-code-at-line` when neither the line nor any later one has code.
   */
  pcsForLine(file: string, line: number): LinePcs {
    const matches = matchPaths(this.files(), file);
    if (matches.length === 0) throw new SourceLookupError('unknown-source-file', `no line table mentions a file named ${file}`);
    if (matches.length > 1) {
      throw new SourceLookupError('ambiguous-source-file', `${file} names several files: ${matches.join(', ')}`, matches);
    }
    const path = matches[0];
    const lines = this.lineIndex().get(this.fileNames.indexOf(path))!;
    let best: number | undefined;
    for (const l of lines.keys()) if (l >= line && (best === undefined || l < best)) best = l;
    if (best === undefined) {
      const last = lines.size > 0 ? ` (the last line with code is ${Math.max(...lines.keys())})` : '';
      throw new SourceLookupError('no-code-at-line', `${path}:${line}: no code at or after this line${last}`);
    }
    return { file: path, line: best, pcs: lines.get(best)! };
  }

  /** The files that have at least one row with a line, sorted. */
  files(): string[] {
    return [...this.lineIndex().keys()].map((id) => this.fileNames[id]).sort();
  }

  /** Every row, sequences in address order, rows in program order (end_sequence rows included). */
  *rows(): IterableIterator<LineRow> {
    for (let i = 0; i < this.pc.length; i++) {
      const f = this.flags[i];
      yield {
        pc: this.pc[i], file: this.fileNames[this.file[i]], line: this.line[i], column: this.column[i],
        isStmt: (f & RowFlag.isStmt) !== 0, endSequence: (f & RowFlag.endSequence) !== 0,
      };
    }
  }

  /** file id -> line -> sorted distinct is_stmt pcs (entry rows moved to the first instruction). */
  private lineIndex(): Map<number, Map<number, number[]>> {
    if (this.byFile) return this.byFile;
    const byFile = new Map<number, Map<number, number[]>>();
    for (let i = 0; i < this.pc.length; i++) {
      if (this.line[i] === 0 || this.flags[i] & RowFlag.endSequence) continue;
      let lines = byFile.get(this.file[i]);
      if (lines === undefined) byFile.set(this.file[i], (lines = new Map()));
      if (!(this.flags[i] & RowFlag.isStmt)) continue;
      const pcs = lines.get(this.line[i]) ?? [];
      lines.set(this.line[i], pcs);
      pcs.push(this.instructionPc(this.pc[i]));
    }
    for (const lines of byFile.values()) {
      for (const [l, pcs] of lines) lines.set(l, [...new Set(pcs)].sort((a, b) => a - b));
    }
    return (this.byFile = byFile);
  }

  /** `pc`, or the first instruction of the function when `pc` lies in its local declarations. */
  private instructionPc(pc: number): number {
    let lo = 0, hi = this.bodies.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.bodies[mid];
      if (pc < b.start) hi = mid - 1;
      else if (pc >= b.end) lo = mid + 1;
      else return pc < b.codeStart ? b.codeStart : pc;
    }
    return pc;
  }
}
