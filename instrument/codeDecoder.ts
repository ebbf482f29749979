/**
 * Decodes one function body into its instructions with their original byte offsets. It knows
 * each opcode's immediates only well enough to find the next instruction and to keep the few
 * immediates instrumenting needs (label depths, callees); it checks no types.
 */
import { ByteReader, WasmDecodeError } from '../src/wasm/byteReader.js';
import type { BodySpan } from './moduleLayout.js';
import { skipLeb } from './moduleLayout.js';
import { PREFIX_FD_OPCODES } from './simdOpcodes.js';
import { PREFIX_FC_OPCODES, SINGLE_BYTE_OPCODES, type OpcodeInfo } from './wasmOpcodes.js';

/** One decoded instruction. */
export interface Instruction {
  /** Byte offset of the opcode, counted from the `\0asm` magic (what `wasm-objdump -d` prints). */
  readonly offset: number;
  /** Offset just past the immediates: the next instruction's offset. */
  readonly end: number;
  /** wabt's mnemonic, e.g. `i32.load`, `br_table`. */
  readonly name: string;
  /** The opcode byte, or `0xfc00 | n` / `0xfd0000 | n` for prefixed opcodes. */
  readonly code: number;
  /** The first u32 immediate where there is one (label depth, function index, ...), else -1. */
  readonly index: number;
  /** `br_table`: the labels, default last. `try_table`: the catch clauses' labels. */
  readonly labels?: readonly number[];
  /** Loads and stores: the memarg's static offset. */
  readonly memoryOffset?: number;
}

/** The body uses an opcode outside the supported set; decoding of that body stops there. */
export class UnknownOpcodeError extends WasmDecodeError {}

/** Decodes every instruction of `body`, from its first instruction through its final `end`. */
export function decodeBody(bytes: Uint8Array, body: BodySpan): Instruction[] {
  const r = new ByteReader(bytes, body.codeStart, body.end);
  const out: Instruction[] = [];
  while (!r.atEnd()) out.push(decodeInstruction(r));
  const last = out[out.length - 1];
  if (!last || last.name !== 'end') throw new WasmDecodeError('function body does not end with `end`', body.end);
  return out;
}

/** Decodes the instruction at `r.offset` and moves past it. */
export function decodeInstruction(r: ByteReader): Instruction {
  const offset = r.offset;
  const byte = r.u8();
  let info: OpcodeInfo | undefined;
  let code = byte;
  if (byte === 0xfc) {
    const sub = r.u32();
    info = PREFIX_FC_OPCODES.get(sub);
    code = 0xfc00 | sub;
  } else if (byte === 0xfd) {
    const sub = r.u32();
    info = PREFIX_FD_OPCODES.get(sub);
    code = 0xfd0000 | sub;
  } else {
    info = SINGLE_BYTE_OPCODES.get(byte);
  }
  if (!info) {
    const hex = code.toString(16).padStart(2, '0');
    throw new UnknownOpcodeError(`unsupported opcode 0x${hex} at offset 0x${offset.toString(16)}`, offset);
  }
  const { index, labels, memoryOffset } = readImmediates(r, info);
  return { offset, end: r.offset, name: info.name, code, index, labels, memoryOffset };
}

interface Immediates {
  index: number;
  labels?: number[];
  memoryOffset?: number;
}

function readImmediates(r: ByteReader, info: OpcodeInfo): Immediates {
  switch (info.immediate) {
    case 'none':
      return { index: -1 };
    case 'blockType':
      skipBlockType(r);
      return { index: -1 };
    case 'index':
      return { index: r.u32() };
    case 'index2': {
      const index = r.u32();
      r.u32();
      return { index };
    }
    case 'brTable': {
      const n = r.u32();
      const labels: number[] = [];
      for (let i = 0; i <= n; i++) labels.push(r.u32());
      return { index: -1, labels };
    }
    case 'memArg':
    case 'memArgLane': {
      const align = r.u32();
      const memory = align & 0x40 ? r.u32() : 0;
      const memoryOffset = Number(r.u64());
      if (info.immediate === 'memArgLane') r.u8();
      return { index: memory, memoryOffset };
    }
    case 'i32':
    case 'i64':
      skipLeb(r);
      return { index: -1 };
    case 'f32':
      r.offset += 4;
      return { index: -1 };
    case 'f64':
      r.offset += 8;
      return { index: -1 };
    case 'v128':
      r.offset += 16;
      return { index: -1 };
    case 'lane':
      r.u8();
      return { index: -1 };
    case 'selectTypes': {
      const n = r.u32();
      for (let i = 0; i < n; i++) skipHeapOrValType(r);
      return { index: -1 };
    }
    case 'heapType':
      skipHeapOrValType(r);
      return { index: -1 };
    case 'tryTable':
      return { index: -1, labels: readCatchClauses(r) };
  }
}

/** `0x40`, a one-byte value type, or a signed LEB type index. */
function skipBlockType(r: ByteReader): void {
  r.s33();
}

function skipHeapOrValType(r: ByteReader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.s33();
}

/** try_table catch clauses: 0 catch tag l, 1 catch_ref tag l, 2 catch_all l, 3 catch_all_ref l. */
function readCatchClauses(r: ByteReader): number[] {
  skipBlockType(r);
  const n = r.u32();
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.u8();
    if (kind === 0 || kind === 1) r.u32();
    else if (kind !== 2 && kind !== 3) throw new WasmDecodeError(`unknown catch clause kind ${kind}`, r.offset - 1);
    labels.push(r.u32());
  }
  return labels;
}
