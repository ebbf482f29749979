/**
 * Applying memory effects forward on a copy of linear memory: detail events read in place by a
 * scanner, and the host writes of import calls. A grow reallocates.
 */
import { EventKind, type DetailScanner } from '../../instrument/index.js';
import type { ImportCallRecord } from './types.js';

const PAGE = 65536;

/** Linear memory being rebuilt: `bytes` is replaced when it grows. */
export class MemoryImage {
  constructor(public bytes: Uint8Array) {}

  /**
   * Applies the event a scanner stands on, read from its bytes (no event object): the replay's
   * hot path. Events without a memory effect are ignored. Returns the written range's size
   * (0 for none) and leaves its start in `lastAddress`, for page tracking.
   */
  applyScanned(s: DetailScanner): number {
    const b = s.bytes;
    const p = s.payload;
    const m = this.bytes;
    const kind = s.kind;
    if (kind >= EventKind.store1 && kind <= EventKind.store16) {
      const width = s.storeWidth;
      const address = s.u32(p);
      const from = p + 4;
      if (address + width > m.length) throw new RangeError(`store of ${width} bytes at ${address} outside memory of ${m.length} bytes`);
      for (let i = 0; i < width; i++) m[address + i] = b[from + i];
      this.lastAddress = address;
      return width;
    }
    switch (kind) {
      case EventKind.fill: {
        const dest = s.u32(p);
        const size = s.u32(p + 4);
        m.fill(b[p + 8], dest, dest + size);
        this.lastAddress = dest;
        return size;
      }
      case EventKind.copy: {
        const dest = s.u32(p);
        const source = s.u32(p + 4);
        const size = s.u32(p + 8);
        m.copyWithin(dest, source, source + size);
        this.lastAddress = dest;
        return size;
      }
      case EventKind.init: {
        const dest = s.u32(p);
        const size = s.u32(p + 12);
        m.set(this.segmentBytes(s.u32(p + 4), s.u32(p + 8), size), dest);
        this.lastAddress = dest;
        return size;
      }
      case EventKind.grow: {
        const result = s.u32(p + 8) | 0;
        if (result !== -1) {
          const grown = new Uint8Array((s.u32(p) + s.u32(p + 4)) * PAGE);
          grown.set(m);
          this.bytes = grown;
        }
        return 0;
      }
      default:
        return 0;
    }
  }

  /** Start of the range the last `applyScanned` wrote. */
  lastAddress = 0;

  /** The host's writes of one import call, in order. */
  applyCall(call: ImportCallRecord): void {
    for (const w of call.writes) this.bytes.set(w.bytes, w.address);
  }

  /** The module's data segments, for `memory.init` forward (the event carries only old bytes). */
  segments: readonly Uint8Array[] = [];

  private segmentBytes(segment: number, offset: number, size: number): Uint8Array {
    const data = this.segments[segment];
    if (data === undefined || offset + size > data.length) throw new Error(`memory.init of data segment ${segment} outside the module's segments`);
    return data.subarray(offset, offset + size);
  }
}
