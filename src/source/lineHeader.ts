/**
 * The header of one `.debug_line` unit (a line table), DWARF versions 2 to 5: the program's
 * parameters and its directory and file tables. Version 5 describes directory and file entries
 * with content types and forms (DW_LNCT_path as string, strp or line_strp; directory_index;
 * MD5 as data16; anything else skipped by form); versions 2 to 4 use NUL-terminated lists.
 */
import { type DwarfReader, readUnitStart } from './dwarfReader.js';
import { readForm, type StringSections, type UnitEncoding } from './forms.js';

/** A file entry as written: its name and the index of its directory in `directories`. */
export interface FileEntry {
  readonly name: string;
  /** Version 5: index into `directories` (0 = the compilation directory). Versions 2-4: 1-based, 0 = the compilation directory. */
  readonly dirIndex: number;
}

export interface LineTableHeader {
  /** Offset of the unit in `.debug_line`: what a CU's `DW_AT_stmt_list` holds. */
  readonly offset: number;
  readonly version: number;
  readonly offsetSize: 4 | 8;
  /** From the version 5 header; 4 (wasm32) for earlier versions, whose `set_address` carries its own size. */
  readonly addressSize: number;
  readonly minInstLength: number;
  readonly maxOpsPerInst: number;
  readonly defaultIsStmt: boolean;
  readonly lineBase: number;
  readonly lineRange: number;
  readonly opcodeBase: number;
  /** Operand counts of standard opcodes 1..opcodeBase-1 (index 0 is opcode 1). */
  readonly standardOpcodeLengths: readonly number[];
  /** Include directories as written. Version 5: index 0 is the compilation directory. */
  readonly directories: readonly string[];
  /** File entries as written; `DW_LNE_define_file` appends to the copy the program runs with. Version 5 rows index it from 0, earlier versions from 1. */
  readonly files: readonly FileEntry[];
  /** Section offset of the first opcode. */
  readonly programStart: number;
  /** Section offset one past the unit's last byte. */
  readonly end: number;
}

const LNCT_path = 1;
const LNCT_directory_index = 2;

/** Reads the header of the unit at `r.offset` and leaves `r` at the unit's end. */
export function readLineTableHeader(r: DwarfReader, strings: StringSections): LineTableHeader {
  const { offset, unit: u, offsetSize, end, version } = readUnitStart(r, 'line table');
  let addressSize = 4;
  if (version >= 5) {
    addressSize = u.u8();
    if (![1, 2, 4, 8].includes(addressSize)) u.fail(`unsupported address size ${addressSize}`, u.offset - 1);
    u.u8(); // segment selector size
  }
  const headerLength = u.offsetOf(offsetSize);
  const programStart = u.offset + headerLength;
  const h = u.slice(u.offset, programStart);
  const minInstLength = h.u8();
  const maxOpsPerInst = version >= 4 ? h.u8() : 1;
  const defaultIsStmt = h.u8() !== 0;
  const lineBase = h.s8();
  const lineRange = h.u8();
  const opcodeBaseAt = h.offset;
  const opcodeBase = h.u8();
  if (opcodeBase === 0) h.fail('opcode_base is 0', opcodeBaseAt);
  const standardOpcodeLengths = Array.from({ length: opcodeBase - 1 }, () => h.u8());
  const unit: UnitEncoding = { version, offsetSize, addressSize };
  let directories: string[];
  let files: FileEntry[];
  if (version >= 5) {
    directories = readEntries(h, unit, strings).map((e) => e.name);
    files = readEntries(h, unit, strings);
  } else {
    directories = [];
    for (let d = h.cstring(); d !== ''; d = h.cstring()) directories.push(d);
    files = [];
    for (let name = h.cstring(); name !== ''; name = h.cstring()) {
      files.push({ name, dirIndex: h.uleb() });
      h.uleb(); // modification time
      h.uleb(); // length
    }
  }
  return {
    offset, version, offsetSize, addressSize, minInstLength, maxOpsPerInst, defaultIsStmt, lineBase, lineRange,
    opcodeBase, standardOpcodeLengths, directories, files, programStart, end,
  };
}

/** A version 5 entry list: its format (content type, form pairs), then the entries. */
function readEntries(h: DwarfReader, unit: UnitEncoding, strings: StringSections): FileEntry[] {
  const formats: [type: number, form: number][] = [];
  for (let n = h.u8(), i = 0; i < n; i++) formats.push([h.uleb(), h.uleb()]);
  const countAt = h.offset;
  const count = h.uleb();
  // Each entry takes at least one byte unless every form is empty: a larger count is damage
  // (and would otherwise loop for a very long time).
  if (count > h.remaining()) h.fail(`${count} entries cannot fit in the header`, countAt);
  const entries: FileEntry[] = [];
  for (let i = 0; i < count; i++) {
    let name = '';
    let dirIndex = 0;
    for (const [type, form] of formats) {
      const at = h.offset;
      const value = readForm(h, form, unit, strings);
      if (type === LNCT_path) {
        if (typeof value !== 'string') h.fail(`DW_LNCT_path in unsupported form 0x${form.toString(16)}`, at);
        name = value;
      } else if (type === LNCT_directory_index) {
        if (typeof value !== 'number') h.fail(`DW_LNCT_directory_index in unsupported form 0x${form.toString(16)}`, at);
        dirIndex = value;
      }
    }
    entries.push({ name, dirIndex });
  }
  return entries;
}
