/**
 * serveGdb over real TCP: binding, one client at a time with the next one continuing where the
 * replay is, stop points released on disconnect, a client vanishing mid-packet, and a fuzz
 * property: random, truncated, corrupted and oversized input is answered or the connection is
 * closed cleanly, never a crash or a hang, and the server serves the next client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { encodePacket, serveGdb, type GdbServer } from '../../src/gdbstub/index.js';
import { FakeDebuggee, PC } from './fakeDebuggee.js';
import { tcpClient, type GdbTestClient } from './gdbClient.js';

const code = (pc: number) => (0x4000000000000000n + BigInt(pc)).toString(16);

let debuggee: FakeDebuggee;
let server: GdbServer;
const log: string[] = [];

beforeAll(async () => {
  debuggee = new FakeDebuggee();
  server = await serveGdb(debuggee, { log: (l) => log.push(l) });
});
afterAll(() => server.close());

/** Resolves with the first reply equal to `want`, or null if the stub closed first; rejects after `ms`. */
async function replyOrClose(client: GdbTestClient, want: string, ms = 3000): Promise<string | null> {
  const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no "${want}" and no close within ${ms} ms`)), ms));
  const wait = (async () => {
    for (;;) {
      const r = await client.next();
      if (r === null || r.payload === want) return r?.payload ?? null;
    }
  })();
  return Promise.race([wait, deadline]);
}

async function closeClient(socket: { end(): void; destroyed: boolean }, client: GdbTestClient): Promise<void> {
  socket.end();
  while (!client.isClosed) await client.next();
}

describe('serveGdb', () => {
  it('binds 127.0.0.1 on a free port by default', () => {
    expect(server.address.host).toBe('127.0.0.1');
    expect(server.address.port).toBeGreaterThan(0);
  });

  it('serves one client at a time; the next continues where the replay is, without the old stop points', async () => {
    const first = await tcpClient(server.address.port);
    expect(await first.client.request('QStartNoAckMode')).toBe('OK');
    await first.client.request(`Z0,${code(PC.addConst)},1`);
    await first.client.request('Z2,100,4');
    expect(await first.client.request('c')).toMatch(/^T05thread:1;00:3a/);
    const time = debuggee.now;

    const second = await tcpClient(server.address.port);
    const answered = second.client.request('qC');
    await new Promise((r) => setTimeout(r, 100));
    expect(second.client.unread).toBe(0); // waiting in line
    await closeClient(first.socket, first.client);
    expect(await answered).toBe('QC1');
    expect(debuggee.now).toBe(time);
    expect(debuggee.breakpoints()).toEqual([]);
    expect(debuggee.watchpoints()).toEqual([]);
    expect(await second.client.request('?')).toMatch(/^T05thread:1;00:3a/);
    await closeClient(second.socket, second.client);
  });

  it('survives a client that vanishes in the middle of a packet', async () => {
    const a = await tcpClient(server.address.port);
    a.client.sendRaw('$qSupported:multipro');
    a.socket.destroy();
    const b = await tcpClient(server.address.port);
    expect(await b.client.request('qC')).toBe('QC1');
    await closeClient(b.socket, b.client);
  });

  it('rejects when the port is taken', async () => {
    await expect(serveGdb(debuggee, { port: server.address.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const frame = (payload: string) => latin1(encodePacket(Buffer.from(payload, 'latin1')));
const PREFIXES = [
  'm', 'x', 'M', 'p', 'g', 'c', 's', 'C', 'S', 'bc', 'bs', 'Z0,', 'z0,', 'Z2,', 'H', 'T', 'v', 'vCont;', 'qXfer:libraries:read::',
  'qXfer:memory-map:read::', 'qWasmLocal:', 'qWasmGlobal:', 'qWasmStackValue:', 'qWasmCallStack:', 'qMemoryRegionInfo:',
  'qRegisterInfo', 'qThreadStopInfo', 'qSupported:', 'QStartNoAckMode', 'QEnableErrorStrings', '?', 'D', 'k', 'vKill',
];
const arg = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF,;:-xp.instance$#}*\x03'.split('')), maxLength: 24 });
const piece = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map(latin1),
  fc.tuple(fc.constantFrom(...PREFIXES), arg).map(([p, a]) => frame(p + a)),
  fc.tuple(fc.constantFrom(...PREFIXES), arg, fc.nat()).map(([p, a, n]) => { const f = frame(p + a); return f.slice(0, n % f.length); }),
  fc.tuple(fc.constantFrom(...PREFIXES), arg).map(([p, a]) => frame(p + a).slice(0, -2) + 'zz'),
  fc.string({ maxLength: 40 }).map((s) => frame(s)),
  fc.constantFrom('+', '-', '\x03', '$', '#', '}', '$#00', '$' + 'm'.repeat(70_000) + '#00'),
);

describe('serveGdb under random input', () => {
  it('answers or closes cleanly, never hangs, and serves the next client', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 4 }), async (pieces, cuts) => {
        const bytes = pieces.join('');
        const { client, socket } = await tcpClient(server.address.port);
        let at = 0;
        for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((x, y) => x - y), bytes.length]) {
          if (cut > at) socket.write(Buffer.from(bytes.slice(at, cut), 'latin1'));
          at = Math.max(at, cut);
        }
        // `$` ends whatever frame the input left open, so this probe always gets through.
        socket.write(Buffer.from(frame('qC'), 'latin1'));
        const got = await replyOrClose(client, 'QC1');
        expect(got === 'QC1' || client.isClosed).toBe(true);
        if (!client.isClosed) await closeClient(socket, client);

        const next = await tcpClient(server.address.port);
        expect(await next.client.request('qC')).toBe('QC1');
        expect(debuggee.breakpoints()).toEqual([]);
        expect(debuggee.watchpoints()).toEqual([]);
        await closeClient(next.socket, next.client);
      }),
      { numRuns: 300 },
    );
    expect(log.filter((l) => l.startsWith('internal error'))).toEqual([]);
  }, 120_000);
});
