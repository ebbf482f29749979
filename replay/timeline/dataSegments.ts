/**
 * The bytes of the module's data segments, by segment index: what `memory.init` copies, needed
 * to replay an `init` event forward (the event itself carries only the bytes it overwrote).
 */
import { ByteReader } from '../../src/wasm/byteReader.js';
import { skipToEnd } from './globalTypes.js';

/** Decodes the data section of `bytes` (a valid module); views into `bytes`, not copies. */
export function readDataSegments(bytes: Uint8Array): Uint8Array[] {
  const r = new ByteReader(bytes, 8);
  const out: Uint8Array[] = [];
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    const end = r.offset + size;
    if (id === 11) {
      const s = new ByteReader(bytes, r.offset, end);
      for (let n = s.u32(), i = 0; i < n; i++) {
        const flags = s.u32();
        if (flags === 2) s.u32(); // memory index
        if (flags !== 1) skipToEnd(s, bytes, s.u8()); // the active segment's offset expression
        const length = s.u32();
        out.push(bytes.subarray(s.offset, s.offset + length));
        s.offset += length;
      }
    }
    r.offset = end;
  }
  return out;
}
