/**
 * One client on one transport: bytes -> wire events -> typed requests -> session -> framed
 * replies. Owns acks (and no-ack mode), retransmission on `-`, Ctrl-C, and framing errors.
 * Contract: whatever arrives, it answers or ends the connection cleanly; it never throws into
 * the transport and never leaves a request without a reply.
 */
import type { Debuggee } from '../../replay/engine/types.js';
import { ACK_BYTES, NACK_BYTES, WireCodec } from './wireCodec.js';
import { DEFAULT_MAX_PACKET_SIZE, type WireEvent } from './wireEvents.js';
import { parseRequest } from './requestParser.js';
import { encodeReply } from './replyEncoder.js';
import { ErrorCode, errorReply, type Reply } from './replies.js';
import { GdbSession } from './session.js';
import type { Transport } from './transport.js';

/** Options for {@link GdbConnection}. */
export interface ConnectionOptions {
  /** Largest request payload accepted (and advertised as `PacketSize`). Default 64 KiB. */
  readonly maxPacketSize?: number;
  /** Diagnostics: connection events, protocol errors, and with `logPackets` every packet. */
  readonly log?: (line: string) => void;
  /** Also log each request and reply (long ones shortened). */
  readonly logPackets?: boolean;
  /**
   * The module's name in the library list. Default `wtrace:NAME`, which is no file's name, so
   * LLDB reads the recorded image from the stub. A path to a file with the same bytes lets LLDB
   * load that file instead (launch mode, where LLDB's target is that file).
   */
  readonly libraryName?: string;
}

/** Serves one client until it leaves, kills or detaches. The debuggee is left where it is. */
export class GdbConnection {
  /** Resolves once the connection has ended and this client's stop points are removed. */
  readonly closed: Promise<void>;
  readonly session: GdbSession;
  private readonly codec: WireCodec;
  private lastFrame: Uint8Array | null = null;
  private ending = false;

  constructor(private readonly transport: Transport, debuggee: Debuggee, private readonly options: ConnectionOptions = {}) {
    const maxPacketSize = options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE;
    this.codec = new WireCodec({ maxPacketSize });
    this.session = new GdbSession(debuggee, { maxPacketSize, libraryName: options.libraryName });
    let resolveClosed!: () => void;
    this.closed = new Promise((resolve) => { resolveClosed = resolve; });
    transport.start({
      data: (chunk) => this.receive(chunk),
      closed: () => {
        this.ending = true;
        for (const error of this.session.end()) this.log(`removing a stop point failed: ${String(error)}`);
        resolveClosed();
      },
    });
  }

  private receive(chunk: Uint8Array): void {
    if (this.ending) return;
    const events = this.codec.push(chunk);
    for (let i = 0; i < events.length && !this.ending; i++) {
      try {
        this.event(events, i);
      } catch (error) {
        // A bug below: say so once, then end rather than risk a desynchronised stream.
        this.log(`internal error, closing the connection: ${error instanceof Error ? error.stack : String(error)}`);
        this.end();
      }
    }
  }

  private event(events: WireEvent[], index: number): void {
    const e = events[index];
    switch (e.kind) {
      case 'packet': return this.packet(e.payload, events, index);
      case 'ack': return;
      case 'nack': if (this.codec.acksExpected && this.lastFrame) this.transport.write(this.lastFrame); return;
      case 'interrupt': return this.log('Ctrl-C while stopped: ignored');
      case 'bad-checksum':
      case 'malformed': return this.framingError(`${e.kind === 'malformed' ? e.reason : `bad checksum ${e.received}, expected ${e.computed.toString(16).padStart(2, '0')}`}`);
      case 'oversized':
        if (this.codec.acksExpected) this.transport.write(ACK_BYTES);
        return this.send(errorReply(ErrorCode.framing, `packet larger than ${e.limit} bytes`));
    }
  }

  private packet(payload: Uint8Array, events: WireEvent[], index: number): void {
    if (this.codec.acksExpected) this.transport.write(ACK_BYTES);
    const text = Buffer.from(payload).toString('latin1');
    if (this.options.logPackets) this.log(`<- ${shorten(text)}`);
    const request = parseRequest(text);
    if (request.kind === 'resume') this.takeInterrupt(events, index);
    const answer = this.session.handle(request);
    this.send(answer.reply);
    if (request.kind === 'start-no-ack' && answer.reply.kind === 'ok') this.codec.disableAcks();
    if (answer.close) this.end();
  }

  /** A Ctrl-C later in the same batch as a motion request stops that motion before it starts. */
  private takeInterrupt(events: WireEvent[], index: number): void {
    const at = events.findIndex((e, i) => i > index && e.kind === 'interrupt');
    if (at < 0) return;
    events.splice(at, 1);
    this.session.interruptNextMotion();
  }

  private framingError(reason: string): void {
    this.log(`framing error: ${reason}`);
    // With acks the client resends; without them it waits for a reply, so it gets an error.
    if (this.codec.acksExpected) this.transport.write(NACK_BYTES);
    else this.send(errorReply(ErrorCode.framing, reason));
  }

  private send(reply: Reply): void {
    const payload = encodeReply(reply, this.session.state);
    if (this.options.logPackets) this.log(`-> ${shorten(typeof payload === 'string' ? payload : `<${payload.length} binary bytes>`)}`);
    this.lastFrame = this.codec.encode(payload);
    this.transport.write(this.lastFrame);
  }

  /** Ends the connection after what was written; stop points are released once it has closed. */
  end(): void {
    this.ending = true;
    this.transport.end();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 100)}... (${text.length} chars)` : text;
}
