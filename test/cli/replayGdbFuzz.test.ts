/**
 * Random and truncated packets at the real `wtrace replay --gdb` serving a real recording (the
 * fake-debuggee fuzz in test/gdbstub/server.test.ts covers the protocol layers more densely):
 * whatever a client sends, including motions, breakpoints, watchpoints and Wasm queries with
 * random arguments that reach the real engine, the server answers or closes the connection, the
 * next client is served from where the replay is, and the server never logs an internal error.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePacket } from '../../src/gdbstub/index.js';
import { wtrace } from '../helpers/run.js';
import { tcpClient, type GdbTestClient } from '../gdbstub/gdbClient.js';
import { serveDebugTarget, type ReplayServer } from './lldbSession.js';

let server: ReplayServer;

beforeAll(async () => {
  server = await serveDebugTarget();
}, 60_000);

afterAll(() => server?.stop());

const frame = (payload: string) => Buffer.from(encodePacket(Buffer.from(payload, 'latin1'))).toString('latin1');
const PREFIXES = [
  'm', 'x', 'p', 'g', 'c', 's', 'bc', 'bs', 'vCont;s:', 'vCont;c', 'Z0,40000000000001', 'Z0,', 'z0,', 'Z2,', 'z2,',
  'qWasmLocal:', 'qWasmGlobal:', 'qWasmStackValue:', 'qWasmCallStack:', 'qMemoryRegionInfo:', 'qXfer:libraries:read::',
  'qXfer:memory-map:read::', 'qRegisterInfo', 'qSupported:', 'QStartNoAckMode', '?', 'H', 'T', 'D', 'k',
];
const arg = fc.string({ unit: fc.constantFrom(...'0123456789abcdef,;:-x'.split('')), maxLength: 20 });
const piece = fc.oneof(
  fc.tuple(fc.constantFrom(...PREFIXES), arg).map(([p, a]) => frame(p + a)),
  fc.tuple(fc.constantFrom(...PREFIXES), arg, fc.nat()).map(([p, a, n]) => { const f = frame(p + a); return f.slice(0, n % f.length); }),
  fc.tuple(fc.constantFrom(...PREFIXES), arg).map(([p, a]) => frame(p + a).slice(0, -2) + 'zz'),
  fc.uint8Array({ maxLength: 32 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom('+', '-', '\x03', '$', '#', '}'),
  fc.constantFrom('c', 'bc', 's', 'bs', 'vCont;s:1', 'qWasmCallStack:1', 'qWasmLocal:0;0', 'Z0,40000000000001f5,1', 'Z2,e80,4').map(frame),
);
/** Stop replies seen across all runs: proof that the random input moved the real replay. */
let stops = 0;

/** The next reply equal to `want`, or null once the stub closed; fails after `ms`. */
async function replyOrClose(client: GdbTestClient, want: string, ms = 20_000): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no "${want}" and no close within ${ms} ms`)), ms); });
  const wait = (async () => {
    for (;;) {
      const r = await client.next();
      if (r !== null && /^(T[0-9a-f]{2}|W)/.test(r.payload)) stops++;
      if (r === null || r.payload === want) return r?.payload ?? null;
    }
  })();
  try {
    return await Promise.race([wait, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('wtrace replay --gdb under random input', () => {
  it('answers or closes, then serves the next client where the replay is', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 8 }), async (pieces) => {
        const { client, socket } = await tcpClient(server.port);
        socket.write(Buffer.from(pieces.join(''), 'latin1'));
        socket.write(Buffer.from(frame('qC'), 'latin1')); // `$` ends any frame left open
        expect([null, 'QC1']).toContain(await replyOrClose(client, 'QC1'));
        socket.end();
        while (!client.isClosed) await client.next();

        const next = await tcpClient(server.port);
        expect(await next.client.request('qC')).toBe('QC1');
        expect(await next.client.request('?')).toMatch(/^T[0-9a-f]{2}thread:1;00:[0-9a-f]{16};/);
        next.socket.end();
        while (!next.client.isClosed) await next.client.next();
      }),
      { numRuns: 60 },
    );
    expect(server.stderr()).not.toMatch(/internal error/);
    expect(stops).toBeGreaterThan(10);
  }, 300_000);
});
