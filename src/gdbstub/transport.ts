/**
 * The byte pipe a connection talks over: a TCP socket in the server, an in-memory pair in tests.
 * Deliberately tiny so protocol code runs without a real peer.
 */
import type { Socket } from 'node:net';

/** Events a transport reports to its one user. */
export interface TransportListener {
  data(chunk: Uint8Array): void;
  /** The peer went away or {@link Transport.end} completed; called once. */
  closed(): void;
}

/** A bidirectional byte stream to one client. */
export interface Transport {
  /** Starts delivering events; call once. */
  start(listener: TransportListener): void;
  /** Queues bytes for the peer. Never throws: a dead peer shows up as `closed`. */
  write(bytes: Uint8Array): void;
  /** Ends the connection after the queued bytes are sent. Idempotent. */
  end(): void;
}

/** A {@link Transport} over a connected socket. */
export function socketTransport(socket: Socket): Transport {
  return {
    start(listener) {
      let done = false;
      const closed = () => {
        if (!done) { done = true; listener.closed(); }
      };
      socket.on('data', (chunk: Buffer) => listener.data(chunk));
      socket.on('error', () => socket.destroy());
      socket.on('close', closed);
    },
    write(bytes) {
      if (socket.writable) socket.write(bytes);
    },
    end() {
      // Half-closing is not enough: LLDB keeps its side open after `W`, and the next client
      // waits until this socket is fully closed. Closing once our bytes are out is safe.
      socket.end(() => socket.destroy());
    },
  };
}

/** The far end of an in-memory transport: what a test client holds. */
export interface MemoryPeer {
  /** Delivers bytes to the transport's listener (synchronously). */
  send(bytes: Uint8Array | string): void;
  /** Everything the transport wrote, in order, as it arrives. */
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Called once when either side ended the connection. */
  onClose(listener: () => void): void;
  /** Simulates the client closing the connection. */
  close(): void;
  /** True once either side ended the connection. */
  readonly ended: boolean;
}

/** A connected in-memory pair: `transport` for the connection under test, `peer` for the test. */
export function memoryTransportPair(): { transport: Transport; peer: MemoryPeer } {
  let listener: TransportListener | null = null;
  let receiver: (chunk: Uint8Array) => void = () => {};
  let peerClosed: () => void = () => {};
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    listener?.closed();
    peerClosed();
  };
  const transport: Transport = {
    start(l) { listener = l; },
    write(bytes) { if (!ended) receiver(Uint8Array.from(bytes)); },
    end: finish,
  };
  const peer: MemoryPeer = {
    send(bytes) {
      if (!ended) listener?.data(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    },
    onData(l) { receiver = l; },
    onClose(l) { peerClosed = l; },
    close: finish,
    get ended() { return ended; },
  };
  return { transport, peer };
}
