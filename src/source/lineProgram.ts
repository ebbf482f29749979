/**
 * Runs one line table's program (DWARF 2-5 state machine: every standard opcode, special
 * opcodes, extended opcodes end_sequence, set_address, define_file, set_discriminator; unknown
 * standard and extended opcodes are skipped by their declared lengths) and returns its
 * sequences. Addresses are as written: for Wasm, relative to the code section's payload.
 * Rows after the last end_sequence belong to no sequence and are dropped (LLVM does the same).
 * `maximum_operations_per_instruction` is taken as 1, as LLVM 16 does: Wasm has no VLIW
 * bundles, so there is no op_index register.
 */
import { DwarfReader } from './dwarfReader.js';
import type { FileEntry, LineTableHeader } from './lineHeader.js';

/** Row flag bits. */
export const RowFlag = { isStmt: 1, endSequence: 2, prologueEnd: 4, epilogueBegin: 8, basicBlock: 16 } as const;

/** One sequence, struct-of-arrays; its last row is the end_sequence row (one past the last instruction). */
export interface LineSequence {
  readonly addresses: number[];
  /** File register as written (version 5: 0-based into `files`; earlier: 1-based). */
  readonly files: number[];
  readonly lines: number[];
  readonly columns: number[];
  /** `RowFlag` bits. */
  readonly flags: number[];
}

export interface LineProgramResult {
  readonly sequences: LineSequence[];
  /** The header's files plus any added by `DW_LNE_define_file`. */
  readonly files: readonly FileEntry[];
}

const enum Op {
  extended = 0, copy = 1, advancePc = 2, advanceLine = 3, setFile = 4, setColumn = 5, negateStmt = 6,
  setBasicBlock = 7, constAddPc = 8, fixedAdvancePc = 9, setPrologueEnd = 10, setEpilogueBegin = 11, setIsa = 12,
}
const enum ExtOp { endSequence = 1, setAddress = 2, defineFile = 3, setDiscriminator = 4 }

/** Runs the program of the unit `header` describes, reading `.debug_line` bytes `section`. */
export function runLineProgram(section: Uint8Array, header: LineTableHeader): LineProgramResult {
  const r = new DwarfReader(section, '.debug_line', header.programStart, header.end);
  const { minInstLength, lineBase, lineRange, opcodeBase, standardOpcodeLengths } = header;
  const files = [...header.files];
  const sequences: LineSequence[] = [];
  let seq = emptySequence();
  let address = 0, file = 1, line = 1, column = 0, flags = 0;
  const reset = () => {
    address = 0; file = 1; line = 1; column = 0;
    flags = header.defaultIsStmt ? RowFlag.isStmt : 0;
  };
  const emit = () => {
    seq.addresses.push(address);
    seq.files.push(file);
    seq.lines.push(line);
    seq.columns.push(column);
    seq.flags.push(flags);
    flags &= ~(RowFlag.basicBlock | RowFlag.prologueEnd | RowFlag.epilogueBegin);
  };
  const advance = (operationAdvance: number) => {
    address += minInstLength * operationAdvance;
  };
  const needLineRange = (at: number) => {
    if (lineRange === 0) r.fail('line_range is 0 but the program uses special opcodes', at);
  };
  reset();
  while (!r.atEnd()) {
    const at = r.offset;
    const op = r.u8();
    if (op >= opcodeBase) {
      needLineRange(at);
      const adjusted = op - opcodeBase;
      advance(Math.floor(adjusted / lineRange));
      line = (line + lineBase + (adjusted % lineRange)) >>> 0;
      emit();
      continue;
    }
    switch (op) {
      case Op.extended: {
        const len = r.uleb();
        if (len === 0) r.fail('extended opcode of length 0', at);
        const end = r.offset + len;
        if (end > r.end) r.fail('extended opcode runs past the end of its unit (truncated?)', at);
        const sub = r.u8();
        if (sub === ExtOp.endSequence) {
          flags |= RowFlag.endSequence;
          emit();
          sequences.push(seq);
          seq = emptySequence();
          reset();
        } else if (sub === ExtOp.setAddress) {
          address = r.uint(len - 1);
        } else if (sub === ExtOp.defineFile) {
          const name = r.cstring();
          files.push({ name, dirIndex: r.uleb() });
        } else if (sub === ExtOp.setDiscriminator) {
          r.uleb();
        }
        r.offset = end;
        break;
      }
      case Op.copy: emit(); break;
      case Op.advancePc: advance(r.uleb()); break;
      case Op.advanceLine: line = (line + r.sleb()) >>> 0; break;
      case Op.setFile: file = r.uleb(); break;
      case Op.setColumn: column = r.uleb(); break;
      case Op.negateStmt: flags ^= RowFlag.isStmt; break;
      case Op.setBasicBlock: flags |= RowFlag.basicBlock; break;
      case Op.constAddPc: needLineRange(at); advance(Math.floor((255 - opcodeBase) / lineRange)); break;
      case Op.fixedAdvancePc: address += r.u16(); break;
      case Op.setPrologueEnd: flags |= RowFlag.prologueEnd; break;
      case Op.setEpilogueBegin: flags |= RowFlag.epilogueBegin; break;
      case Op.setIsa: r.uleb(); break;
      default:
        // A standard opcode this reader does not know: skip its declared ULEB operands.
        for (let n = standardOpcodeLengths[op - 1], i = 0; i < n; i++) r.uleb();
    }
  }
  return { sequences, files };
}

function emptySequence(): LineSequence {
  return { addresses: [], files: [], lines: [], columns: [], flags: [] };
}
