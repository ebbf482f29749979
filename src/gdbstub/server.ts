/**
 * `wtrace replay --gdb`: a TCP server that lets GDB-remote clients (LLDB first) debug one
 * replay. One client is served at a time; others wait in line, and each next client finds the
 * replay where the previous one left it (without that client's breakpoints). The server never
 * closes or rewinds the debuggee: its owner does.
 *
 * Engine motions are synchronous, so while one runs the event loop is blocked: Ctrl-C (0x03)
 * from the client is read only after the motion returns, and is then ignored (the debuggee has
 * stopped already), unless it came in the same read as the motion request. See docs/gdbstub.md.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Debuggee } from '../../replay/engine/types.js';
import { GdbConnection, type ConnectionOptions } from './connection.js';
import { socketTransport } from './transport.js';

/** Options for {@link serveGdb}. */
export interface ServeOptions extends ConnectionOptions {
  /** Interface to bind; default `127.0.0.1` (a replay exposes the recorded program's memory). */
  readonly host?: string;
  /** Port; 0 (default) picks a free one, reported in `address`. */
  readonly port?: number;
  /** Called each time a served client's connection has ended (its stop points removed). */
  readonly onClientLeft?: () => void;
}

/** A listening gdbstub. */
export interface GdbServer {
  /** Where it listens (the port is the real one when 0 was asked). */
  readonly address: { readonly host: string; readonly port: number };
  /** Stops listening and drops the current and waiting clients; resolves once all are closed. */
  close(): Promise<void>;
}

/**
 * Listens for clients of `debuggee`. Resolves once listening; rejects if the address cannot be
 * bound (port in use, bad host).
 */
export function serveGdb(debuggee: Debuggee, options: ServeOptions = {}): Promise<GdbServer> {
  const log = options.log ?? (() => {});
  const waiting: Socket[] = [];
  const sockets = new Set<Socket>();
  let busy = false;

  const serveNext = (): void => {
    const socket = waiting.shift();
    if (!socket) { busy = false; return; }
    if (socket.destroyed) return serveNext();
    busy = true;
    log(`client ${socket.remoteAddress}:${socket.remotePort} connected`);
    const connection = new GdbConnection(socketTransport(socket), debuggee, options);
    socket.resume();
    void connection.closed.then(() => {
      log(`client ${socket.remoteAddress}:${socket.remotePort} left`);
      options.onClientLeft?.();
      serveNext();
    });
  };

  const server = createServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A waiting client that hangs up must not be served later (its 'error' must not go unhandled).
    socket.on('error', () => socket.destroy());
    waiting.push(socket);
    if (busy) log(`client ${socket.remoteAddress}:${socket.remotePort} waits: another client is connected`);
    else serveNext();
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', (error) => log(`server error: ${error.message}`));
      const info = server.address() as AddressInfo;
      resolve({
        address: { host: info.address, port: info.port },
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          for (const socket of sockets) socket.destroy();
        }),
      });
    });
  });
}
