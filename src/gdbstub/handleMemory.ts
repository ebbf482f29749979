/**
 * Reads: the pc register, linear memory (addresses below 2^32), the module image (object space),
 * region descriptions and the qXfer documents. Everything is read-only and answers for the
 * debuggee's current time.
 */
import { littleEndianHex } from './hexEncoding.js';
import { ErrorCode, errorReply, type Reply } from './replies.js';
import type { SessionState } from './sessionState.js';
import { decodeWasmAddress, moduleBase } from './wasmAddress.js';
import { libraryListXml, memoryMapXml, xferChunk, type MemoryRange } from './xferDocuments.js';

/** `p<n>` (register 0 only) and `g`: the pc as 8 little-endian bytes. */
export function readPc(s: SessionState, register: number): Reply {
  if (register !== 0) return errorReply(ErrorCode.noSuchValue, `no register ${register}: the pc (0) is the only one`);
  return { kind: 'hex', bytes: Buffer.from(littleEndianHex(s.pc(), 8), 'hex') };
}

/**
 * `m`/`x`: up to `length` bytes at `address`. A read that starts inside a region and runs past
 * its end is answered short; one that starts outside every region is an error. Reads are capped
 * at the packet size, which is also a short reply.
 */
export function readMemory(s: SessionState, address: bigint, length: number, binary: boolean): Reply {
  const bytes = length === 0 ? new Uint8Array(0) : readRegion(s, address, Math.min(length, s.maxPacketSize));
  if (bytes === null) return errorReply(ErrorCode.badAddress, `cannot read 0x${address.toString(16)}: outside linear memory and the module image`);
  return binary ? { kind: 'binary', bytes } : { kind: 'hex', bytes };
}

function readRegion(s: SessionState, address: bigint, length: number): Uint8Array | null {
  const a = decodeWasmAddress(address);
  const { debuggee } = s;
  if (a.space === 'memory' && a.moduleId === 0) return s.memory.read(a.offset, length);
  if (a.space === 'object' && a.moduleId === debuggee.module.id) {
    const image = debuggee.module.bytecode;
    return a.offset < image.length ? image.subarray(a.offset, a.offset + length) : null;
  }
  return null;
}

/** The readable ranges now: linear memory (read-write) and the module image (read-execute). */
function regions(s: SessionState): Array<MemoryRange & { permissions: string }> {
  const out: Array<MemoryRange & { permissions: string }> = [];
  const memory = s.memory.memorySize();
  if (memory > 0) out.push({ type: 'ram', start: 0n, length: BigInt(memory), permissions: 'rw' });
  const image = s.debuggee.module.bytecode.length;
  out.push({ type: 'rom', start: moduleBase(s.debuggee.module.id), length: BigInt(image), permissions: 'rx' });
  return out;
}

/**
 * `qMemoryRegionInfo:<addr>`: the region holding `address`, or the unmapped gap around it (no
 * `permissions` key: LLDB's convention for "nothing here").
 */
export function memoryRegionInfo(s: SessionState, address: bigint): Reply {
  let gapStart = 0n;
  for (const r of regions(s)) {
    if (address < r.start) return regionPairs(gapStart, r.start - gapStart, null);
    if (address < r.start + r.length) return regionPairs(r.start, r.length, r.permissions);
    gapStart = r.start + r.length;
  }
  return regionPairs(gapStart, (1n << 64n) - gapStart, null);
}

function regionPairs(start: bigint, size: bigint, permissions: string | null): Reply {
  const pairs: Array<[string, string]> = [['start', start.toString(16)], ['size', size.toString(16)]];
  if (permissions) pairs.push(['permissions', permissions]);
  return { kind: 'pairs', pairs };
}

/** `qXfer:libraries:read` and `qXfer:memory-map:read`; other objects are not served (empty reply). */
export function xferRead(s: SessionState, object: string, offset: number, length: number): Reply {
  if (object === 'libraries') {
    const { module } = s.debuggee;
    return xferChunk(libraryListXml([{ name: s.libraryName ?? libraryName(module.name), base: moduleBase(module.id) }]), offset, length);
  }
  if (object === 'memory-map') return xferChunk(memoryMapXml(regions(s)), offset, length);
  return { kind: 'empty' };
}

/**
 * The name the library list gives the module. LLDB loads a library whose name is an existing
 * file instead of reading the image from the stub, so a rebuilt `app.wasm` next to the user
 * would shadow the recorded one; the `wtrace:` prefix makes the name no file's name.
 */
export function libraryName(moduleName: string): string {
  return `wtrace:${moduleName}`;
}
