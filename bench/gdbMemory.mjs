// gdbstub memory reads: how many `m` (hex) and `x` (binary) request/reply round trips per second
// the stub serves over loopback TCP, one request in flight at a time as LLDB sends them, in front
// of a minimal in-memory debuggee (no engine cost). Side by side in this one process: the same
// client against a plain TCP echo server answering every request with an equally long reply,
// which is the ceiling for any stub on this machine. Stub and echo alternate in 5 rounds per
// figure; the medians are printed. Build first (`npx tsc -p tsconfig.json`).
//
// Usage: node bench/gdbMemory.mjs [--seconds S]   (S: total per figure and side, default 2)
import net from 'node:net';
import os from 'node:os';
import { encodePacket, PacketDecoder, serveGdb } from '../dist/src/gdbstub/index.js';

const argv = process.argv.slice(2);
let seconds = 2;
if (argv.length === 2 && argv[0] === '--seconds' && /^\d+(\.\d+)?$/.test(argv[1])) seconds = Number(argv[1]);
else if (argv.length !== 0) {
  console.error('usage: node bench/gdbMemory.mjs [--seconds S]');
  process.exit(2);
}

/** Just enough of a Debuggee for memory reads: 1 MiB of memory, a 4 KiB module, one frame. */
function memoryOnlyDebuggee() {
  const memory = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
  const bytecode = new Uint8Array(4096);
  bytecode.set([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  return {
    module: { id: 0, name: 'bench.wasm', bytecode, definedFunctions: [] },
    end: 0n,
    now: 0n,
    frames: () => [{ depth: 0, funcIndex: 0, name: null, pc: 8, entryTime: 0n, locals: [], stack: [], source: null }],
    memorySize: () => memory.length,
    readMemory: (address, length) => memory.subarray(address, address + length),
    globals: () => [],
    breakpoints: () => [],
    watchpoints: () => [],
    removeBreakpoint: () => true,
    removeWatchpoint: () => true,
  };
}

/** A client that sends one packet, waits for its reply, and repeats for `seconds`. */
async function roundTrips(port, makeRequest, handshake, duration) {
  const socket = await new Promise((resolve) => {
    const s = net.createConnection({ host: '127.0.0.1', port, noDelay: true }, () => resolve(s));
  });
  const decoder = new PacketDecoder({ expandRunLength: true, maxPacketSize: 1 << 20 });
  let waiting = null;
  socket.on('data', (chunk) => {
    for (const e of decoder.push(chunk)) if (e.kind === 'packet' && waiting) { const w = waiting; waiting = null; w(e.payload); }
  });
  const ask = (payload) => new Promise((resolve) => { waiting = resolve; socket.write(encodePacket(payload)); });
  for (const p of handshake) await ask(p);
  let n = 0;
  let bytes = 0;
  const start = performance.now();
  const stopAt = start + duration * 1000;
  while (performance.now() < stopAt) {
    const reply = await ask(makeRequest(n));
    bytes += reply.length;
    n++;
  }
  const elapsed = (performance.now() - start) / 1000;
  socket.destroy();
  return { perSecond: n / elapsed, replyBytes: bytes / n };
}

/** The baseline: answers each framed request with a framed reply of `replyLength` bytes, nothing else. */
async function echoServer(replyLength) {
  const reply = encodePacket('a'.repeat(replyLength));
  const server = net.createServer({ noDelay: true }, (s) => {
    const decoder = new PacketDecoder();
    s.on('data', (chunk) => { for (const e of decoder.push(chunk)) if (e.kind === 'packet') s.write(reply); });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

const cases = [
  { name: 'm 0x200 (hex, LLDB chunk)', request: (i) => `m${((i * 0x200) & 0xfffff).toString(16)},200`, replyLength: 0x400 },
  { name: 'm 0x400 (hex)', request: (i) => `m${((i * 0x400) & 0xfffff).toString(16)},400`, replyLength: 0x800 },
  { name: 'x 0x200 (binary)', request: (i) => `x${((i * 0x200) & 0xfffff).toString(16)},200`, replyLength: 0x200 },
  { name: 'm 4 (a variable)', request: (i) => `m${((i * 4) & 0xfffff).toString(16)},4`, replyLength: 8 },
];

console.log(`Command: node bench/gdbMemory.mjs${seconds === 2 ? '' : ` --seconds ${seconds}`}`);
console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cpus), ${os.platform()} ${os.release()}`);
console.log(`${seconds} s per figure and side in ${5} alternated rounds (medians), one request in flight, loopback TCP\n`);
console.log('request                      | stub packets/s | echo packets/s | stub/echo | stub MB/s payload');
console.log('---------------------------- | -------------- | -------------- | --------- | -----------------');
const ROUNDS = 5;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const stub = await serveGdb(memoryOnlyDebuggee());
for (const c of cases) {
  const echo = await echoServer(c.replyLength);
  const ours = [];
  const base = [];
  let replyBytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const o = await roundTrips(stub.address.port, c.request, ['QStartNoAckMode'], seconds / ROUNDS);
    ours.push(o.perSecond);
    replyBytes = o.replyBytes;
    base.push((await roundTrips(echo.address().port, c.request, [], seconds / ROUNDS)).perSecond);
  }
  echo.close();
  const [o, b] = [median(ours), median(base)];
  console.log(`${c.name.padEnd(28)} | ${o.toFixed(0).padStart(14)} | ${b.toFixed(0).padStart(14)} | ${(o / b).toFixed(2).padStart(9)} | ${((o * replyBytes) / 1e6).toFixed(1).padStart(17)}`);
}
await stub.close();
