/**
 * The interpreter's opcode numbering and the stack signatures of the numeric instructions.
 * An internal opcode is the instruction's byte for single-byte opcodes, `FC + n` for `0xfc n`,
 * and a few synthetic codes the compiler chooses where one original opcode needs two behaviours
 * (a branch to the function's own label is a return). Mnemonics come from instrument/'s table.
 */
import { PREFIX_FC_OPCODES, SINGLE_BYTE_OPCODES } from '../../instrument/wasmOpcodes.js';
import { PREFIX_FD_OPCODES } from '../../instrument/simdOpcodes.js';
import { F32, F64, I32, I64 } from './valueTypes.js';

/** `0xfc n` is internal opcode `FC + n` (n <= 17). */
export const FC = 0xe0;
/** `br` to the function's label: returns. */
export const BR_RETURN = 0x100;
/** `br_if` to the function's label: returns when taken. */
export const BR_IF_RETURN = 0x101;
/** The function's final `end`: returns. */
export const END_FUNC = 0x102;
/** `local.get/set/tee` of a 32-bit value (i32, f32, reference): one word to copy, not two. */
export const LOCAL_GET32 = 0x103;
export const LOCAL_SET32 = 0x104;
export const LOCAL_TEE32 = 0x105;

/** wabt's mnemonic of an original opcode (`code`: the byte, `0xfc00 | n`, `0xfd0000 | n`). */
export function mnemonic(code: number): string {
  if (code >= 0xfd0000) return PREFIX_FD_OPCODES.get(code - 0xfd0000)?.name ?? `0xfd ${code - 0xfd0000}`;
  if (code >= 0xfc00) return PREFIX_FC_OPCODES.get(code - 0xfc00)?.name ?? `0xfc ${code - 0xfc00}`;
  return SINGLE_BYTE_OPCODES.get(code)?.name ?? `0x${code.toString(16).padStart(2, '0')}`;
}

/** Operand and result types of a numeric instruction (no immediates, fixed signature). */
export interface NumericSignature {
  readonly pops: readonly number[];
  readonly push: number;
}

const TYPE_OF: Record<string, number> = { i32: I32, i64: I64, f32: F32, f64: F64 };
const UNARY = new Set(['clz', 'ctz', 'popcnt', 'abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt', 'extend8_s', 'extend16_s', 'extend32_s']);
const COMPARE = /^(eq|ne|lt|gt|le|ge)(_[su])?$/;
const CONVERSION = /_(i32|i64|f32|f64)(_[su])?$/;

/** The signature of a numeric mnemonic such as `i32.add`, `f64.convert_i64_u`, `i32.trunc_sat_f32_s`. */
function signatureOf(name: string): NumericSignature {
  const [t, op] = name.split('.');
  const type = TYPE_OF[t];
  if (op === 'eqz') return { pops: [type], push: I32 };
  if (COMPARE.test(op)) return { pops: [type, type], push: I32 };
  if (UNARY.has(op)) return { pops: [type], push: type };
  const conversion = CONVERSION.exec(op);
  if (conversion) return { pops: [TYPE_OF[conversion[1]]], push: type };
  return { pops: [type, type], push: type };
}

/** Signatures by internal opcode: 0x45..0xc4 and `FC + 0..7`. */
export const NUMERIC: ReadonlyMap<number, NumericSignature> = (() => {
  const out = new Map<number, NumericSignature>();
  for (let op = 0x45; op <= 0xc4; op++) out.set(op, signatureOf(SINGLE_BYTE_OPCODES.get(op)!.name));
  for (let n = 0; n <= 7; n++) out.set(FC + n, signatureOf(PREFIX_FC_OPCODES.get(n)!.name));
  return out;
})();
