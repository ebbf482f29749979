/**
 * The opcodes (single-byte ones) of the code the instrumenting compiler emits around original
 * instructions: named once for the emitters (eventWriter.ts, detailEmitter.ts, snapshot*.ts).
 */
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const LOCAL_TEE = 0x22;
export const GLOBAL_GET = 0x23;
export const GLOBAL_SET = 0x24;
export const I32_CONST = 0x41;
export const I64_CONST = 0x42;
export const I32_EQ = 0x46;
export const I32_NE = 0x47;
export const I32_GT_U = 0x4b;
export const I32_GE_U = 0x4f;
export const I64_LT_S = 0x53;
export const I64_GT_U = 0x56;
export const I64_LE_U = 0x58;
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const I32_OR = 0x72;
export const I64_ADD = 0x7c;
export const I64_SUB = 0x7d;
export const I64_OR = 0x84;
export const I64_SHL = 0x86;
export const I64_EXTEND_I32_U = 0xad;
export const I64_STORE16 = 0x3d;
export const MEMORY_SIZE = 0x3f;
export const BLOCK = 0x02;
export const IF = 0x04;
export const ELSE = 0x05;
export const END = 0x0b;
export const BR_IF = 0x0d;
export const CALL = 0x10;
/** The empty block type. */
export const VOID = 0x40;
