/**
 * Builds GDB remote packets: `$` + escaped (optionally run-length encoded) payload + `#` + two
 * hex checksum digits. Knows nothing of what payloads mean; the request handlers build them.
 */
import { ACK, ESCAPE, INTERRUPT, NACK, PACKET_END, PACKET_START, RUN_LENGTH } from './wireEvents.js';

/** Options for {@link encodePacket}. */
export interface EncodeOptions {
  /**
   * Compress runs of 4 or more equal bytes as `X*c`. Only replies may be compressed (the GDB
   * manual allows run-length encoding in stub responses, not in requests). Default false.
   */
  readonly runLength?: boolean;
}

/** The sum of `bytes` modulo 256: the checksum of a packet whose raw payload is `bytes`. */
export function packetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i];
  return sum & 0xff;
}

function needsEscape(b: number): boolean {
  // `*` is escaped even in requests: harmless there, and required in replies.
  return b === PACKET_START || b === PACKET_END || b === ESCAPE || b === RUN_LENGTH;
}

/** Extra copies one `*` may stand for: 3..97, never 6 or 7 (`#`, `$`) nor 96 (`}`). */
function runCount(left: number): number {
  const n = Math.min(left, 97);
  if (n === 96) return 95;
  if (n === 6 || n === 7) return 5;
  return n;
}

/**
 * A complete framed packet for `payload`. A string payload is taken as UTF-8 text; pass bytes
 * for binary data. `$ # } *` are escaped as `}` + (byte ^ 0x20); escaped bytes are never
 * run-length encoded, so any decoder that expands `*` on the raw stream (GDB, LLDB) agrees.
 */
export function encodePacket(payload: Uint8Array | string, options: EncodeOptions = {}): Uint8Array {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const out = new Uint8Array(bytes.length * 2 + 4);
  out[0] = PACKET_START;
  let o = options.runLength ? writeRunLength(bytes, out, 1) : writeEscaped(bytes, out, 1);
  const sum = packetChecksum(out, 1, o);
  out[o++] = PACKET_END;
  out[o++] = hexDigit(sum >> 4);
  out[o++] = hexDigit(sum & 0xf);
  return out.subarray(0, o);
}

/** Escapes only (the common case: replies of memory and registers); about 10x faster than {@link writeRunLength}. */
function writeEscaped(bytes: Uint8Array, out: Uint8Array, start: number): number {
  let o = start;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (needsEscape(b)) {
      out[o++] = ESCAPE;
      out[o++] = b ^ 0x20;
    } else out[o++] = b;
  }
  return o;
}

function writeRunLength(bytes: Uint8Array, out: Uint8Array, start: number): number {
  let o = start;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (needsEscape(b)) {
      out[o++] = ESCAPE;
      out[o++] = b ^ 0x20;
      i++;
      continue;
    }
    let run = 1;
    while (i + run < bytes.length && bytes[i + run] === b) run++;
    i += run;
    while (run > 0) {
      out[o++] = b;
      run--;
      if (run >= 3) {
        const n = runCount(run);
        out[o++] = RUN_LENGTH;
        out[o++] = n + 29;
        run -= n;
      }
    }
  }
  return o;
}

function hexDigit(d: number): number {
  return d < 10 ? 0x30 + d : 0x61 + d - 10;
}

/** The one-byte `+` acknowledgement. */
export const ACK_BYTES: Uint8Array = Uint8Array.of(ACK);
/** The one-byte `-` retransmission request. */
export const NACK_BYTES: Uint8Array = Uint8Array.of(NACK);
/** The one-byte interrupt a client sends to stop a running debuggee. */
export const INTERRUPT_BYTES: Uint8Array = Uint8Array.of(INTERRUPT);
