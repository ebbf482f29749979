/**
 * A minimal GDB-remote client for tests: frames requests, acks replies until no-ack mode (as
 * LLDB does), decodes replies (run-length expanded, as a real client would), and keeps a
 * transcript. Works over the in-memory transport (replies arrive synchronously) and over TCP.
 */
import { PacketDecoder, encodePacket } from '../../src/gdbstub/index.js';
import { createConnection, type Socket } from 'node:net';
import { memoryTransportPair, type MemoryPeer, type Transport } from '../../src/gdbstub/index.js';

/** One reply as the client saw it: whether the stub acked the request first, and the payload. */
export interface Received {
  readonly acked: boolean;
  readonly payload: string;
}

export class GdbTestClient {
  /** `-> request` and `<- [+] reply` lines, in order. */
  readonly transcript: string[] = [];
  private readonly decoder = new PacketDecoder({ expandRunLength: true, maxPacketSize: 1 << 18 });
  private readonly replies: Received[] = [];
  private waiters: Array<() => void> = [];
  private pendingAck = false;
  private acking = true;
  private closedFlag = false;

  constructor(private readonly write: (bytes: Uint8Array | string) => void) {}

  /** Feeds bytes the stub sent. */
  receive(chunk: Uint8Array): void {
    for (const e of this.decoder.push(chunk)) {
      if (e.kind === 'ack') this.pendingAck = true;
      else if (e.kind === 'packet') {
        if (this.acking) this.write('+');
        this.replies.push({ acked: this.pendingAck, payload: Buffer.from(e.payload).toString('latin1') });
        this.pendingAck = false;
      }
    }
    this.wake();
  }

  /** The stub closed the connection. */
  closed(): void {
    this.closedFlag = true;
    this.wake();
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** Sends `payload` as a packet and resolves with the next reply (null if the stub closed instead). */
  async request(payload: string): Promise<string | null> {
    this.transcript.push(`-> ${payload}`);
    this.write(encodePacket(Buffer.from(payload, 'latin1')));
    const reply = await this.next();
    if (payload === 'QStartNoAckMode' && reply?.payload === 'OK') this.acking = false;
    this.transcript.push(reply === null ? '<- (closed)' : `<- ${reply.acked ? '+ ' : ''}${shown(payload, reply.payload)}`);
    return reply?.payload ?? null;
  }

  /** Sends raw bytes (no framing) and records them in the transcript. */
  sendRaw(bytes: string, label = JSON.stringify(bytes)): void {
    this.transcript.push(`-> raw ${label}`);
    this.write(bytes);
  }

  /** The next reply, waiting for it if needed; null once the stub closed with none left. */
  async next(): Promise<Received | null> {
    while (this.replies.length === 0 && !this.closedFlag) await new Promise<void>((r) => this.waiters.push(r));
    return this.replies.shift() ?? null;
  }

  /** Replies received and not yet taken by {@link request} or {@link next}. */
  get unread(): number {
    return this.replies.length;
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}

/** Binary (`x`) replies as `binary:<hex>` so transcripts stay text. */
function shown(request: string, reply: string): string {
  const binary = request.startsWith('x') && reply !== 'OK' && !/^E[0-9a-f]{2}(;|$)/.test(reply);
  return binary ? `binary:${Buffer.from(reply, 'latin1').toString('hex')}` : reply;
}

/** A client wired to an in-memory transport; pass `transport` to the connection under test. */
export function memoryClient(): { client: GdbTestClient; transport: Transport; peer: MemoryPeer } {
  const { transport, peer } = memoryTransportPair();
  const client = new GdbTestClient((bytes) => peer.send(bytes));
  peer.onData((chunk) => client.receive(chunk));
  peer.onClose(() => client.closed());
  return { client, transport, peer };
}

/** A client over TCP to `port` on 127.0.0.1; resolves once connected. */
export function tcpClient(port: number): Promise<{ client: GdbTestClient; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port, noDelay: true }, () => resolve({ client, socket }));
    const client = new GdbTestClient((bytes) => { if (!socket.destroyed) socket.write(bytes); });
    socket.on('data', (chunk: Buffer) => client.receive(chunk));
    socket.on('close', () => client.closed());
    socket.on('error', (error) => { client.closed(); reject(error); });
  });
}

/**
 * For golden files: error strings decoded (`E02;"message"`), then long hex runs shortened to
 * `<hex N bytes>`. Short values stay as sent.
 */
export function normaliseTranscript(lines: readonly string[]): string {
  return lines
    .map((l) => l.replace(/^(<- E[0-9a-f]{2});([0-9a-f]+)$/, (_, head: string, hex: string) => `${head};"${Buffer.from(hex, 'hex').toString('utf8')}"`))
    .map((l) => l.replace(/[0-9a-f]{65,}/g, (h) => `<hex ${h.length / 2} bytes>`))
    .join('\n') + '\n';
}
