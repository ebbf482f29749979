/**
 * Hex helpers for packet fields: byte strings (`m` replies, `qXfer` data), text fields
 * (`triple:` and `name:` in `qHostInfo`), and little-endian register values (`p0`, expedited
 * `00:` in stop replies). Decoders return `undefined` on bad input instead of throwing, so the
 * request parser can answer with an error reply.
 */

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Lowercase hex, two digits per byte. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Bytes of an even-length hex string (either case); `undefined` if odd or not hex. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (!HEX.test(hex)) return undefined;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Hex of the UTF-8 encoding of `text` (ASCII in practice: triples, module names). */
export function stringToHex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

/** Text from hex-encoded UTF-8; `undefined` if not hex. Invalid UTF-8 becomes U+FFFD. */
export function hexToString(hex: string): string | undefined {
  const bytes = hexToBytes(hex);
  return bytes && Buffer.from(bytes).toString('utf8');
}

/**
 * `value` as `byteWidth` bytes, least significant first, in hex: `littleEndianHex(0x1234n, 4)`
 * is `"34120000"`. Throws RangeError if the value is negative or does not fit.
 */
export function littleEndianHex(value: bigint | number, byteWidth: number): string {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(8 * byteWidth)) {
    throw new RangeError(`${value} does not fit in ${byteWidth} unsigned bytes`);
  }
  let out = '';
  for (let i = 0; i < byteWidth; i++) {
    out += Number(v & 0xffn).toString(16).padStart(2, '0');
    v >>= 8n;
  }
  return out;
}

/** The unsigned value of little-endian hex bytes; `undefined` if empty, odd-length or not hex. */
export function parseLittleEndianHex(hex: string): bigint | undefined {
  const bytes = hexToBytes(hex);
  if (!bytes || bytes.length === 0) return undefined;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}
