/**
 * One connection's view of the GDB remote wire: the incremental {@link PacketDecoder}, the
 * encoder, and whether acks are still expected. Packet letters stop here: the server above
 * turns payloads into a typed request union and never sees framing, escapes or checksums.
 * The codec sends nothing itself; the server writes the bytes it returns.
 */
import { PacketDecoder, type DecoderOptions } from './packetDecoder.js';
import { encodePacket, type EncodeOptions } from './packetEncoder.js';
import type { WireEvent } from './wireEvents.js';

export { PacketDecoder, type DecoderOptions } from './packetDecoder.js';
export {
  ACK_BYTES, INTERRUPT_BYTES, NACK_BYTES, encodePacket, packetChecksum, type EncodeOptions,
} from './packetEncoder.js';
export {
  ACK, DEFAULT_MAX_PACKET_SIZE, ESCAPE, INTERRUPT, NACK, PACKET_END, PACKET_START, RUN_LENGTH,
  type WireEvent,
} from './wireEvents.js';
export {
  bytesToHex, hexToBytes, hexToString, littleEndianHex, parseLittleEndianHex, stringToHex,
} from './hexEncoding.js';

/**
 * Decoder plus ack-mode flag for one connection. Acks are expected from the start; after the
 * server has answered `QStartNoAckMode` with `OK` (and written that reply with its `+`), it
 * calls {@link disableAcks}. Stray `+`/`-` still arrive as events afterwards; the server
 * ignores them. Checksums are verified in both modes.
 */
export class WireCodec {
  private readonly decoder: PacketDecoder;
  private acks = true;

  constructor(options: DecoderOptions = {}) {
    this.decoder = new PacketDecoder(options);
  }

  /** Decodes a chunk read from the transport; see {@link PacketDecoder.push}. */
  push(chunk: Uint8Array): WireEvent[] {
    return this.decoder.push(chunk);
  }

  /** True until {@link disableAcks}: the server must answer each packet with `+` or `-`. */
  get acksExpected(): boolean {
    return this.acks;
  }

  /** Switches to no-ack mode for the rest of the connection (there is no way back). */
  disableAcks(): void {
    this.acks = false;
  }

  /** A framed reply; replies may be run-length encoded (`{ runLength: true }`). */
  encode(payload: Uint8Array | string, options?: EncodeOptions): Uint8Array {
    return encodePacket(payload, options);
  }
}
