/**
 * Incremental decoder for the GDB remote wire: fed byte chunks split anywhere, it reports
 * packets, acks, interrupts and framing errors in order. It never throws on input and never
 * buffers more than its limit; it does not interpret payloads or send anything.
 */
import { packetChecksum } from './packetEncoder.js';
import {
  ACK, DEFAULT_MAX_PACKET_SIZE, ESCAPE, INTERRUPT, NACK, PACKET_END, PACKET_START, RUN_LENGTH,
  type WireEvent,
} from './wireEvents.js';

/** Options for {@link PacketDecoder}. */
export interface DecoderOptions {
  /** Largest payload accepted, raw and after run-length expansion. Default 64 KiB. */
  readonly maxPacketSize?: number;
  /**
   * Expand `X*c` runs. Only replies may be run-length encoded, so a stub decoding requests
   * leaves this off (default) and a `*` stays literal; a client decoding replies turns it on.
   */
  readonly expandRunLength?: boolean;
}

const enum State { Idle, Payload, Checksum1, Checksum2, Discard, DiscardChecksum1, DiscardChecksum2 }

/**
 * Frame decoder with state carried across {@link push} calls. Bytes outside packets other than
 * `+`, `-`, 0x03 and `$` are skipped silently (line noise, a telnet user's newline).
 */
export class PacketDecoder {
  private readonly limit: number;
  private readonly expandRunLength: boolean;
  private readonly raw: Uint8Array;
  /** Scratch space for run-length expansion, allocated once (not per packet: limits may be MiBs). */
  private readonly expanded: Uint8Array | null;
  private rawLength = 0;
  private state = State.Idle;
  private checksumHigh = 0;

  constructor(options: DecoderOptions = {}) {
    this.limit = options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE;
    this.expandRunLength = options.expandRunLength ?? false;
    this.raw = new Uint8Array(this.limit);
    this.expanded = this.expandRunLength ? new Uint8Array(this.limit) : null;
  }

  /** Decodes `chunk` and returns the events completed by it (possibly none). */
  push(chunk: Uint8Array): WireEvent[] {
    const events: WireEvent[] = [];
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i], events);
    return events;
  }

  /** True while a packet has started but not ended: bytes are held waiting for the rest. */
  get inPacket(): boolean {
    return this.state !== State.Idle;
  }

  private byte(b: number, events: WireEvent[]): void {
    switch (this.state) {
      case State.Idle:
        if (b === PACKET_START) this.startPacket();
        else if (b === ACK) events.push({ kind: 'ack' });
        else if (b === NACK) events.push({ kind: 'nack' });
        else if (b === INTERRUPT) events.push({ kind: 'interrupt' });
        return;
      case State.Payload:
        if (b === PACKET_END) this.state = State.Checksum1;
        else if (b === PACKET_START) this.restart(events);
        else if (this.rawLength === this.limit) {
          events.push({ kind: 'oversized', limit: this.limit });
          this.state = State.Discard;
        } else this.raw[this.rawLength++] = b;
        return;
      case State.Checksum1:
        if (b === PACKET_START) return this.restart(events);
        this.checksumHigh = b;
        this.state = State.Checksum2;
        return;
      case State.Checksum2:
        if (b === PACKET_START) return this.restart(events);
        this.state = State.Idle;
        return this.finish(this.checksumHigh, b, events);
      case State.Discard:
        // An unescaped `$` can only start a packet, so it is a safe point to resynchronise.
        if (b === PACKET_START) this.startPacket();
        else if (b === PACKET_END) this.state = State.DiscardChecksum1;
        return;
      case State.DiscardChecksum1:
      case State.DiscardChecksum2:
        if (b === PACKET_START) this.startPacket();
        else this.state = this.state === State.DiscardChecksum1 ? State.DiscardChecksum2 : State.Idle;
        return;
    }
  }

  private startPacket(): void {
    this.rawLength = 0;
    this.state = State.Payload;
  }

  private restart(events: WireEvent[]): void {
    events.push({ kind: 'malformed', reason: 'packet cut short by a new "$"' });
    this.startPacket();
  }

  private finish(high: number, low: number, events: WireEvent[]): void {
    const computed = packetChecksum(this.raw, 0, this.rawLength);
    const received = String.fromCharCode(high, low);
    if (!/^[0-9a-fA-F]{2}$/.test(received) || parseInt(received, 16) !== computed) {
      events.push({ kind: 'bad-checksum', computed, received });
      return;
    }
    events.push(this.decodePayload());
  }

  /** Undoes `}` escapes and, if enabled, `*` runs, on the checksummed raw bytes. */
  private decodePayload(): WireEvent {
    const raw = this.raw;
    const n = this.rawLength;
    const out = this.expanded ?? new Uint8Array(n);
    let o = 0;
    for (let i = 0; i < n; i++) {
      const b = raw[i];
      if (b === ESCAPE) {
        if (++i === n) return { kind: 'malformed', reason: 'escape "}" at the end of a packet' };
        out[o++] = raw[i] ^ 0x20;
      } else if (b === RUN_LENGTH && this.expandRunLength) {
        if (o === 0) return { kind: 'malformed', reason: 'run-length "*" with no byte to repeat' };
        if (++i === n) return { kind: 'malformed', reason: 'run-length "*" at the end of a packet' };
        const count = raw[i] - 29;
        if (count < 1 || raw[i] > 0x7e) return { kind: 'malformed', reason: `bad run-length count byte 0x${raw[i].toString(16)}` };
        if (o + count > this.limit) return { kind: 'oversized', limit: this.limit };
        out.fill(out[o - 1], o, o + count);
        o += count;
      } else out[o++] = b;
    }
    return { kind: 'packet', payload: out.slice(0, o) };
  }
}
