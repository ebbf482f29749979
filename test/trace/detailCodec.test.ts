/**
 * Detail chunk compression: the zstd frame header's declared size is read right for every size
 * class of the field (1, 2, 4 bytes; the 2-byte form is offset by 256), a frame that declares
 * none or is not zstd gives null, and decompression round-trips either way.
 */
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressDetail, decompressDetail, trustedContentSize, zstdContentSize } from '../../src/trace/detailCodec.js';

describe('detail chunk codec', () => {
  it.each([0, 1, 255, 256, 300, 65791, 65792, 70_000, 5_000_000])('declares and round-trips %i bytes', (n) => {
    const data = new Uint8Array(n).map((_, i) => (i * 31 + (i >> 9)) & 0xff);
    const frame = compressDetail(data);
    expect(zstdContentSize(frame)).toBe(n);
    expect(Buffer.from(decompressDetail(frame)).equals(Buffer.from(data))).toBe(true);
  });

  it('does not believe a damaged header that declares a huge size', () => {
    const header = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x80, 0x58, 0x00, 0x00, 0x00, 0x40]); // declares 1 GiB
    expect(zstdContentSize(header)).toBe(2 ** 30);
    expect(trustedContentSize(header)).toBeNull();
    expect(trustedContentSize(compressDetail(new Uint8Array(5_000_000)))).toBe(5_000_000);
    expect(() => decompressDetail(header)).toThrow(); // the frame is cut: zstd says so
  });

  it('gives null for a frame without a declared size, and for bytes that are not zstd', () => {
    // A streamed frame (compressed through a stream, size unknown at its start) may declare none.
    const streamed = zlib.zstdCompressSync(Buffer.alloc(1000, 3), { params: { [zlib.constants.ZSTD_c_contentSizeFlag]: 0 } });
    expect(zstdContentSize(streamed)).toBeNull();
    expect(Buffer.from(decompressDetail(streamed)).equals(Buffer.alloc(1000, 3))).toBe(true);
    expect(zstdContentSize(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toBeNull();
    expect(zstdContentSize(new Uint8Array([0x28, 0xb5]))).toBeNull();
  });
});
