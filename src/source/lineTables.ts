/**
 * Reads every line table of `.debug_line` and resolves each table's file entries to paths.
 *
 * The tables are read one after another from the start of the section, not only at the
 * offsets compile units name in `DW_AT_stmt_list`. That is sound: each unit states its own
 * length, and wasm-ld concatenates the objects' `.debug_line` contributions without padding
 * (llvm-dwarfdump reads the section the same way). `.debug_info` is read only for each unit's
 * compilation directory, which versions 2-4 need to complete relative paths; a table no unit
 * names gets paths without it.
 */
import { readCompileUnits, type DebugInfoSections } from './debugInfo.js';
import { DwarfReader } from './dwarfReader.js';
import { type FileEntry, type LineTableHeader, readLineTableHeader } from './lineHeader.js';
import { type LineSequence, runLineProgram } from './lineProgram.js';
import { isAbsolute, joinPath, normalizePath } from './paths.js';

export interface LineTable {
  readonly header: LineTableHeader;
  readonly sequences: LineSequence[];
  /** The path of each file register value (index = the value rows carry); `undefined` where no entry exists (index 0 before version 5). */
  readonly paths: readonly (string | undefined)[];
}

/** Reads all tables in section order. `sections` gives `.debug_info` and the string sections. */
export function readLineTables(debugLine: Uint8Array, sections: DebugInfoSections): LineTable[] {
  const compDirs = new Map<number, string>();
  for (const cu of readCompileUnits(sections)) {
    if (cu.stmtList !== undefined && cu.compDir !== undefined) compDirs.set(cu.stmtList, cu.compDir);
  }
  const r = new DwarfReader(debugLine, '.debug_line');
  const tables: LineTable[] = [];
  while (!r.atEnd()) {
    const header = readLineTableHeader(r, sections);
    const { sequences, files } = runLineProgram(debugLine, header);
    const compDir = compDirs.get(header.offset) ?? '';
    const first = header.version >= 5 ? 0 : 1;
    const paths: (string | undefined)[] = Array.from({ length: first }, () => undefined);
    for (const f of files) paths.push(filePath(header, f, compDir));
    tables.push({ header, sequences, paths });
  }
  return tables;
}

/**
 * LLVM's rule (`DWARFDebugLine::Prologue::getFileNameByIndex`, absolute-path kind): an
 * absolute name stands alone; otherwise directory + name, with the compilation directory in
 * front when the directory is relative (version 5's directory 0 *is* the compilation
 * directory, so it gets no prefix). Then `normalizePath`.
 */
export function filePath(header: LineTableHeader, entry: FileEntry, compDir: string): string {
  if (isAbsolute(entry.name)) return normalizePath(entry.name);
  const dirs = header.directories;
  let dir = '';
  if (header.version >= 5) {
    if (entry.dirIndex < dirs.length) dir = dirs[entry.dirIndex];
  } else if (entry.dirIndex > 0 && entry.dirIndex <= dirs.length) {
    dir = dirs[entry.dirIndex - 1];
  }
  const prefix = (header.version < 5 || entry.dirIndex !== 0) && !isAbsolute(dir) ? compDir : '';
  return normalizePath(joinPath(prefix, dir, entry.name));
}
