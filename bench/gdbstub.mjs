// gdbstub on the largest bench trace: bench/programs/compress.wasm `1 1` recorded with
// `--detail full` (as bench/replay.mjs does). The real CLI serves it (`wtrace replay --gdb` in a
// child process); this process is the client, speaking over loopback TCP as lldb-22 does.
//
// Measures:
//   - connect -> first stop: lldb-22's handshake (captured packet order) up to the first
//     `qWasmCallStack` answer; and, with lldb-22 installed, the real `process connect` (LLDB's
//     run with the command minus its run without, medians of 3: includes LLDB reading the DWARF);
//   - `continue` to a breakpoint hit (main's last line, compress.c:158, reached after the whole
//     compress/decompress round trip) from the start, against the engine's own `continue` to it
//     (in this process);
//   - `bc` across the whole recording (end -> start boundary), against the engine's own;
//   - `m` reads per second at the breakpoint stop (0x200 bytes as LLDB reads, and 4 bytes as a variable
//     read), one request in flight, against a plain TCP server answering each request with a
//     reply of the same length (the loopback ceiling, in a child process like the stub).
// Build first (`npm run build`). Usage: node bench/gdbstub.mjs [--seconds S] [--trace T]
// (S: seconds per `m` figure and side, default 2; T: reuse a recorded trace of compress 1 1).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchTrace } from './latencyKit.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { openReplay } = await import(path.join(repoRoot, 'dist/src/index.js'));
const { encodePacket, PacketDecoder } = await import(path.join(repoRoot, 'dist/src/gdbstub/index.js'));

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const seconds = Number(option('--seconds', '2'));
const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-gdbstub-'));
const trace = option('--trace', path.join(work, 'compress.wtrace'));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const hasLldb = spawnSync('sh', ['-c', 'command -v lldb-22']).status === 0;

/** A child process printing `PORT <n>` once it listens; resolves with the port. */
function listeningChild(argv, pattern) {
  const child = spawn(process.execPath, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const look = (d) => { text += d; const m = pattern.exec(text); if (m) resolve({ child, port: Number(m[1]) }); };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`${argv.join(' ')} exited ${code}: ${text}`)));
  });
}

/** A GDB-remote client: one request in flight, replies decoded; acks until no-ack mode. */
async function connect(port) {
  const socket = await new Promise((resolve, reject) => {
    const s = net.createConnection({ host: '127.0.0.1', port, noDelay: true }, () => resolve(s));
    s.on('error', reject);
  });
  const decoder = new PacketDecoder({ expandRunLength: true, maxPacketSize: 1 << 20 });
  let waiting = null;
  let acking = true;
  socket.on('data', (chunk) => {
    for (const e of decoder.push(chunk)) {
      if (e.kind !== 'packet') continue;
      if (acking) socket.write('+');
      if (waiting) { const w = waiting; waiting = null; w(Buffer.from(e.payload).toString('latin1')); }
    }
  });
  socket.on('close', () => { if (waiting) { const w = waiting; waiting = null; w(null); } });
  const ask = (payload) => new Promise((resolve) => { if (process.env.BENCH_DEBUG) console.error(`-> ${payload}`); waiting = resolve; socket.write(encodePacket(payload)); });
  return {
    ask,
    noAck: async () => { const r = await ask('QStartNoAckMode'); acking = false; return r; },
    close: () => socket.destroy(),
  };
}

/** lldb-22's connect sequence (docs/gdbstub.md, reference), up to the first call stack. */
async function lldbHandshake(c) {
  await c.noAck();
  for (const p of ['qSupported:xmlRegisters=i386,arm,mips,arc;multiprocess+;swbreak+;hwbreak+', 'QThreadSuffixSupported', 'QListThreadsInStopReply',
    'qHostInfo', 'vCont?', 'qVAttachOrWaitSupported', 'QEnableErrorStrings', 'qProcessInfo', '?', 'qRegisterInfo0', 'qRegisterInfo1',
    'qStructuredDataPlugins', 'qShlibInfoAddr', 'qXfer:libraries:read::0,ffff', 'x0,0', 'x4000000000000000,200', 'x4000000000000008,400',
    'qSymbol::', 'jThreadsInfo', 'qWasmCallStack:1']) await c.ask(p);
}

/** Round trips of `request(i)` per second for `duration` seconds on one connection. */
async function perSecond(c, request, duration) {
  let n = 0;
  const stopAt = performance.now() + duration * 1000;
  const t0 = performance.now();
  while (performance.now() < stopAt) { await c.ask(request(n)); n++; }
  return n / ((performance.now() - t0) / 1000);
}

const ECHO = `const net=require('node:net');const s=net.createServer({noDelay:true},(c)=>{let b='';c.on('data',(d)=>{b+=d.toString('latin1');for(;;){const i=b.indexOf('#');if(i<0||b.length<i+3)break;const req=b.slice(b.indexOf('$')+1,i);b=b.slice(i+3);const m=/^m[0-9a-f]+,([0-9a-f]+)$/.exec(req);const body=m?'a'.repeat(parseInt(m[1],16)*2):'OK';let sum=0;for(const ch of body)sum=(sum+ch.charCodeAt(0))&255;c.write('$'+body+'#'+sum.toString(16).padStart(2,'0'));}});});s.listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port));`;

try {
  if (!option('--trace', null)) {
    recordBenchTrace(trace);
  }
  // The engine alone, in this process: the breakpoint's pc and the baselines.
  const replay = await openReplay(trace);
  const bp = replay.addBreakpoint({ kind: 'line', file: 'compress.c', line: 158 }); // main's `return 0` (slides to 159)
  const pc = bp.pcs[0];
  // What the stub needs at a stop is the stop and the frames (the pc; LLDB asks the call stack).
  let t0 = performance.now();
  const engineForward = replay.continue('forward');
  replay.frames();
  const engineForwardMs = performance.now() - t0;
  replay.removeBreakpoint(bp.id);
  replay.seek(replay.end);
  replay.frames();
  t0 = performance.now();
  const engineBack = replay.continue('backward');
  replay.frames();
  const engineBackMs = performance.now() - t0;
  const end = replay.end;
  replay.close();

  const { child: stub, port } = await listeningChild(['bin/wtrace.js', 'replay', '--gdb', '127.0.0.1:0', trace], /listening on 127\.0\.0\.1:(\d+)/);
  const code = (0x4000000000000000n + BigInt(pc)).toString(16);

  t0 = performance.now();
  let c = await connect(port);
  await lldbHandshake(c);
  const firstStopMs = performance.now() - t0;

  await c.ask(`Z0,${code},1`);
  t0 = performance.now();
  const hit = await c.ask('c');
  const forwardMs = performance.now() - t0;
  await c.ask('qWasmCallStack:1');
  const forwardShownMs = performance.now() - t0;
  await c.ask(`z0,${code},1`);

  // `m` reads at this stop, late in the recording, beside the echo server.
  const { child: echo, port: echoPort } = await listeningChild(['-e', ECHO], /PORT (\d+)/);
  const e = await connect(echoPort);
  const size = 1 << 20; // compress's buffers live in the first MiB of its memory
  const cases = [
    { name: 'm 0x200 (LLDB chunk)', request: (i) => `m${((i * 0x200) % size).toString(16)},200` },
    { name: 'm 4 (a variable)', request: (i) => `m${((i * 4) % size).toString(16)},4` },
  ];
  const rows = [];
  for (const k of cases) {
    const ours = [];
    const base = [];
    for (let round = 0; round < 5; round++) {
      ours.push(await perSecond(c, k.request, seconds / 5));
      base.push(await perSecond(e, k.request, seconds / 5));
    }
    rows.push([k.name, median(ours), median(base)]);
  }
  e.close();
  echo.kill();

  const exit = await c.ask('c'); // to the end: `W`, and the stub closes the connection
  if (!hit.includes('swbreak') || !exit?.startsWith('W')) throw new Error(`expected a breakpoint stop then the exit, got ${hit} then ${exit}`);
  c.close();
  c = await connect(port);
  await c.noAck();
  t0 = performance.now();
  const boundary = await c.ask('bc');
  const backwardMs = performance.now() - t0;
  await c.ask('qWasmCallStack:1');
  const backwardShownMs = performance.now() - t0;

  c.close();
  stub.kill('SIGINT');

  let lldb = null;
  if (hasLldb) {
    const { child: stub2, port: port2 } = await listeningChild(['bin/wtrace.js', 'replay', '--gdb', '127.0.0.1:0', trace], /listening on 127\.0\.0\.1:(\d+)/);
    const run = (extra) => {
      const s = performance.now();
      const r = spawnSync('lldb-22', ['--no-lldbinit', ...extra, '-o', 'quit'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      const ms = performance.now() - s;
      if (extra.length > 0 && !/Process 1 stopped/.test(r.stdout)) throw new Error(`lldb-22 did not connect:\n${r.stdout}${r.stderr}`);
      return ms;
    };
    const withConnect = [], without = [];
    for (let i = 0; i < 3; i++) {
      withConnect.push(run(['-o', `process connect --plugin wasm connect://127.0.0.1:${port2}`]));
      without.push(run([]));
    }
    lldb = median(withConnect) - median(without);
    stub2.kill('SIGINT');
  }

  console.log(`Command: node bench/gdbstub.mjs${seconds === 2 ? '' : ` --seconds ${seconds}`}`);
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cpus), load ${os.loadavg()[0].toFixed(1)}`);
  console.log(`compress 1 1, ${end.toLocaleString('en-US')} instructions; stub = \`wtrace replay --gdb\` (child process), client over loopback\n`);
  console.log('| measure | stub | + qWasmCallStack | engine alone (motion + frames) | stub / engine |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| connect -> first stop (lldb-22's handshake, raw client) | | ${fmt(firstStopMs)} | | |`);
  if (lldb !== null) console.log(`| \`process connect\` in lldb-22 (its run with it minus without) | | ${fmt(lldb)} | | |`);
  console.log(`| \`c\` from the start to compress.c:158 (${hit.slice(0, 3)}) | ${fmt(forwardMs)} | ${fmt(forwardShownMs)} | ${fmt(engineForwardMs)} (${engineForward.kind}) | ${(forwardShownMs / engineForwardMs).toFixed(2)} |`);
  console.log(`| \`bc\` from the end across the recording (${boundary.includes('replaylog:begin') ? 'boundary' : boundary.slice(0, 12)}) | ${fmt(backwardMs)} | ${fmt(backwardShownMs)} | ${fmt(engineBackMs)} (${engineBack.kind}) | ${(backwardShownMs / engineBackMs).toFixed(2)} |`);
  console.log(`\n(end of the recording reached with \`${exit}\`)\n`);
  console.log('| request at the compress.c:158 stop | stub packets/s | echo packets/s | stub / echo |');
  console.log('|---|---:|---:|---:|');
  for (const [name, o, b] of rows) console.log(`| ${name} | ${o.toFixed(0)} | ${b.toFixed(0)} | ${(o / b).toFixed(2)} |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
