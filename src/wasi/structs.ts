/**
 * Byte encoders and decoders for the preview1 structs the host exchanges with the guest
 * (little-endian, C layout as in legacy/preview1/docs.md). Each encoder returns the whole
 * struct, padding zeroed, so a host function writes it with one `writeBytes` and the recorder
 * logs one contiguous write.
 */
import type { BigIntStats } from 'node:fs';
import { Filetype } from './constants.js';
import type { GuestMemory } from './guestMemory.js';

export const FDSTAT_SIZE = 24;
export const FILESTAT_SIZE = 64;
export const PRESTAT_SIZE = 8;
export const DIRENT_SIZE = 24;
export const IOVEC_SIZE = 8;
export const SUBSCRIPTION_SIZE = 48;
export const EVENT_SIZE = 32;

/** What node:fs Stats, BigIntStats and Dirent share: the file-type predicates. */
export interface HasFileType {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}

/** The preview1 filetype of a host stat or directory entry (FIFOs have none: unknown). */
export function filetypeOf(st: HasFileType): number {
  if (st.isFile()) return Filetype.regularFile;
  if (st.isDirectory()) return Filetype.directory;
  if (st.isSymbolicLink()) return Filetype.symbolicLink;
  if (st.isCharacterDevice()) return Filetype.characterDevice;
  if (st.isBlockDevice()) return Filetype.blockDevice;
  if (st.isSocket()) return Filetype.socketStream;
  return Filetype.unknown;
}

/** fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16. */
export function encodeFdstat(filetype: number, flags: number, base: bigint, inheriting: bigint): Uint8Array {
  const out = new Uint8Array(FDSTAT_SIZE);
  const v = new DataView(out.buffer);
  v.setUint8(0, filetype);
  v.setUint16(2, flags, true);
  v.setBigUint64(8, base, true);
  v.setBigUint64(16, inheriting, true);
  return out;
}

/**
 * filestat: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
 * (all u64, times in nanoseconds). `st` null gives an all-zero stat of `filetype` (stdio).
 */
export function encodeFilestat(st: BigIntStats | null, filetype: number): Uint8Array {
  const out = new Uint8Array(FILESTAT_SIZE);
  const v = new DataView(out.buffer);
  v.setUint8(16, filetype);
  if (st !== null) {
    v.setBigUint64(0, BigInt.asUintN(64, st.dev), true);
    v.setBigUint64(8, BigInt.asUintN(64, st.ino), true);
    v.setBigUint64(24, st.nlink, true);
    v.setBigUint64(32, st.size, true);
    v.setBigUint64(40, BigInt.asUintN(64, st.atimeNs), true);
    v.setBigUint64(48, BigInt.asUintN(64, st.mtimeNs), true);
    v.setBigUint64(56, BigInt.asUintN(64, st.ctimeNs), true);
  }
  return out;
}

/** prestat for a directory preopen: tag u8 @0 (= dir, 0), pr_name_len u32 @4. */
export function encodePrestat(nameLength: number): Uint8Array {
  const out = new Uint8Array(PRESTAT_SIZE);
  new DataView(out.buffer).setUint32(4, nameLength, true);
  return out;
}

/** dirent header followed by the name: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20. */
export function encodeDirent(next: bigint, ino: bigint, name: Uint8Array, type: number): Uint8Array {
  const out = new Uint8Array(DIRENT_SIZE + name.length);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, next, true);
  v.setBigUint64(8, BigInt.asUintN(64, ino), true);
  v.setUint32(16, name.length, true);
  v.setUint8(20, type);
  out.set(name, DIRENT_SIZE);
  return out;
}

/** event: userdata u64 @0, error u16 @8, type u8 @10, fd_readwrite.nbytes u64 @16, .flags u16 @24. */
export function encodeEvent(userdata: bigint, error: number, type: number, nbytes = 0n): Uint8Array {
  const out = new Uint8Array(EVENT_SIZE);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, userdata, true);
  v.setUint16(8, error, true);
  v.setUint8(10, type);
  v.setBigUint64(16, nbytes, true);
  return out;
}

/** One `iovec`/`ciovec`: a guest buffer address and length. */
export interface Iovec {
  readonly buf: number;
  readonly len: number;
}

/** Reads `count` iovecs (buf u32 @0, buf_len u32 @4) starting at `ptr`. */
export function readIovecs(memory: GuestMemory, ptr: number, count: number): Iovec[] {
  memory.bytes(ptr, count * IOVEC_SIZE);
  const list: Iovec[] = [];
  for (let i = 0; i < count; i++) {
    const at = ptr + i * IOVEC_SIZE;
    list.push({ buf: memory.readU32(at), len: memory.readU32(at + 4) });
  }
  return list;
}
