/**
 * The detail chunks' compression, on its own so that a thread that only compresses (the
 * recorder's main thread) need not load SQLite.
 */
import * as zlib from 'node:zlib';

/**
 * zstd level 1 (rr measured it at zlib-6 size for a tenth of the time). The output buffer is half
 * the input (events compress 3-5x), so zlib rarely joins output pieces (8 % faster measured).
 */
export function compressDetail(events: Uint8Array): Uint8Array {
  const chunkSize = Math.max(1 << 16, events.length >>> 1);
  return zlib.zstdCompressSync(events, { chunkSize, params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } });
}

/**
 * Decompresses a detail chunk. When the zstd frame header declares its size (ours always do:
 * one-shot compression), the output goes into one buffer of that size, which saves zlib the
 * copy that joins its 16 KiB output pieces (a tenth of opening a large trace).
 */
export function decompressDetail(data: Uint8Array): Buffer {
  const size = trustedContentSize(data);
  return zlib.zstdDecompressSync(data, size === null ? {} : { chunkSize: Math.max(64, size) });
}

/**
 * The size a frame declares, when it is one to allocate up front: a damaged header could declare
 * any size, so one beyond what a detail chunk can hold is not believed (null).
 */
export function trustedContentSize(frame: Uint8Array): number | null {
  const size = zstdContentSize(frame);
  return size !== null && size <= MAX_TRUSTED_SIZE ? size : null;
}

const ZSTD_MAGIC = 0xfd2fb528;
/** Detail chunks are a few MiB (the recorder batches to 4 MiB); a declared size beyond this is not believed. */
const MAX_TRUSTED_SIZE = 64 * 2 ** 20;

/** The content size a zstd frame header declares (RFC 8878, 3.1.1.1), or null when it declares none. */
export function zstdContentSize(frame: Uint8Array): number | null {
  if (frame.length < 5) return null;
  const magic = (frame[0] | (frame[1] << 8) | (frame[2] << 16) | (frame[3] << 24)) >>> 0;
  if (magic !== ZSTD_MAGIC) return null;
  const descriptor = frame[4];
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
  const sizeBytes = sizeFlag === 0 ? singleSegment : [1, 2, 4, 8][sizeFlag];
  if (sizeBytes === 0) return null;
  const at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
  if (frame.length < at + sizeBytes) return null;
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + frame[at + i];
  return sizeBytes === 2 ? size + 256 : size;
}
