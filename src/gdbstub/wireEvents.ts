/**
 * The frames and errors the GDB remote wire decoder reports, and the protocol's special bytes.
 * Pure types and constants: no parsing of packet meaning happens here or anywhere near here.
 */

/** `$`: starts a packet. */
export const PACKET_START = 0x24;
/** `#`: ends a packet's payload; two hex checksum digits follow. */
export const PACKET_END = 0x23;
/** `}`: the next byte is the original byte XOR 0x20. */
export const ESCAPE = 0x7d;
/** `*`: run-length marker in replies; the next byte minus 29 is the number of extra copies. */
export const RUN_LENGTH = 0x2a;
/** `+`: the peer received a packet intact. */
export const ACK = 0x2b;
/** `-`: the peer wants the last packet sent again. */
export const NACK = 0x2d;
/** Ctrl-C sent outside any packet: the client asks the stub to stop the debuggee. */
export const INTERRUPT = 0x03;

/** Raw payload limit used when none is given: 64 KiB, well above LLDB's 0x400-byte reads. */
export const DEFAULT_MAX_PACKET_SIZE = 64 * 1024;

/**
 * One thing the decoder saw on the wire, in arrival order.
 *
 * The three error kinds (`bad-checksum`, `oversized`, `malformed`) each mean "a packet was sent
 * but none was received": in ack mode the server answers `-` (or, for `oversized`, an error
 * reply, since a retransmission would be just as large); the decoder has already resynchronised.
 */
export type WireEvent =
  /** A packet whose checksum matched; `payload` is unescaped (and run-length expanded if enabled). */
  | { readonly kind: 'packet'; readonly payload: Uint8Array }
  /** `+` outside a packet. Still reported in no-ack mode, where the server ignores it. */
  | { readonly kind: 'ack' }
  /** `-` outside a packet. */
  | { readonly kind: 'nack' }
  /** Byte 0x03 outside a packet. Inside a packet 0x03 is ordinary data. */
  | { readonly kind: 'interrupt' }
  /** The two digits after `#` are not the sum of the raw payload bytes modulo 256. */
  | { readonly kind: 'bad-checksum'; readonly computed: number; readonly received: string }
  /**
   * The packet grew past `limit` bytes (raw, or after run-length expansion). Reported as soon as
   * the limit is crossed; the rest of that frame, up to its checksum or the next `$`, is dropped.
   */
  | { readonly kind: 'oversized'; readonly limit: number }
  /** A frame that cannot be decoded: a `$` inside a packet, a dangling `}` or `*`, a bad count. */
  | { readonly kind: 'malformed'; readonly reason: string };
