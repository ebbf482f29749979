/**
 * LLDB's 64-bit address space for WebAssembly (reference/gdb-remote-wasm.md 2.1): bits 63..62
 * are the space (0 linear memory, 1 module image), bits 61..32 the module id, bits 31..0 the
 * offset. Pure arithmetic on bigints; no knowledge of what lives at an address.
 */

/** Which space an address names. `global` and `invalid` never hold readable bytes for us. */
export type WasmAddressSpace = 'memory' | 'object' | 'global' | 'invalid';

/** A decoded address. `offset` is always in [0, 2^32). */
export interface WasmAddress {
  readonly space: WasmAddressSpace;
  /** Module id (object space) or memory/instance id (memory space). */
  readonly moduleId: number;
  readonly offset: number;
}

const SPACES: readonly WasmAddressSpace[] = ['memory', 'object', 'global', 'invalid'];
const ADDRESS_MASK = (1n << 64n) - 1n;

/**
 * Splits a 64-bit address. Bits above 63 are an error the parser has already refused, so
 * `address` must be in [0, 2^64); throws RangeError otherwise.
 */
export function decodeWasmAddress(address: bigint): WasmAddress {
  if (address < 0n || address > ADDRESS_MASK) throw new RangeError(`address 0x${address.toString(16)} is not 64-bit`);
  return {
    space: SPACES[Number(address >> 62n)],
    moduleId: Number((address >> 32n) & 0x3fff_ffffn),
    offset: Number(address & 0xffff_ffffn),
  };
}

/** The object-space address of byte `offset` of module `moduleId`'s image: what LLDB calls a pc. */
export function codeAddress(moduleId: number, offset: number): bigint {
  return (1n << 62n) | (BigInt(moduleId) << 32n) | BigInt(offset >>> 0);
}

/** Start of module `moduleId`'s image (its `\0asm` magic) in LLDB's address space. */
export function moduleBase(moduleId: number): bigint {
  return codeAddress(moduleId, 0);
}
