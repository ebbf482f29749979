/**
 * Return addresses for `qWasmCallStack`: LLDB treats every frame but the innermost as a return
 * address (it looks up `address - 1` for the line, and `finish` puts a breakpoint there), while
 * the engine gives a caller's pending call instruction. This decodes the call's length from the
 * original bytes. Pure; reads only the bytes it is given.
 */

const CALL = 0x10;
const CALL_INDIRECT = 0x11;
const CALL_REF = 0x14;

/**
 * Offset of the byte after the call instruction at `pc` in `bytecode` (`call f`,
 * `call_indirect t tbl`, `call_ref t`). Any other or truncated instruction gives `pc` itself:
 * a caller frame the engine reports elsewhere keeps its own position.
 */
export function returnOffset(bytecode: Uint8Array, pc: number): number {
  const operands = bytecode[pc] === CALL || bytecode[pc] === CALL_REF ? 1 : bytecode[pc] === CALL_INDIRECT ? 2 : 0;
  if (operands === 0) return pc;
  let at = pc + 1;
  for (let i = 0; i < operands; i++) {
    const end = skipLeb(bytecode, at);
    if (end === null) return pc;
    at = end;
  }
  return at;
}

/** End of the unsigned LEB128 (at most 5 bytes, a u32) starting at `at`, or null if truncated. */
function skipLeb(bytes: Uint8Array, at: number): number | null {
  for (let i = 0; i < 5 && at + i < bytes.length; i++) {
    if ((bytes[at + i] & 0x80) === 0) return at + i + 1;
  }
  return null;
}
