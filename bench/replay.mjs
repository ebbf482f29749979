// Replay-engine benchmark (issue 4's performance list), on bench/programs/compress.wasm with
// arguments `1 1` (one LZ77 round trip over 1 MiB: about 6.5e8 executed instructions, the
// smallest run of the largest bench program above 1e8), recorded with `--detail full`.
//
// Measures, in this process through the library (dist/):
//   - plain run (node:wasi, test/fixtures/plainRun.mjs) wall time: the unit for ratios;
//   - opening the trace and the first state (frames, globals, 4 KiB of memory, output at time 0),
//     side by side: (a) without a stored timeline index (the pass over every event; `storedIndex:
//     'none'`), (b) the first open of the trace, which runs the pass and stores the index in it,
//     (c) with the stored index (read from the trace, pages loaded on demand); (a) and (c) three
//     times each, median and range; storing the index on its own (`timeline.storeIndex()`);
//     and the stored index's size against the trace file's;
//   - the same seeded latencies below from (a), from (c) at once after the open (while the
//     stored index's chunks and pages are still being read ahead on a worker), and from (c)
//     once that reading ahead has finished:
//   - the full state at uniformly random times (frames with locals and operand stacks, globals,
//     a 4 KiB memory window at the innermost frame's first i32 local): p50, p95;
//   - one reverse single-step and one reverse source-line step (stepOver backward by line)
//     from random times: p50, p95;
//   - reverse-continue from the end to a breakpoint hit near the start (main's first line);
//   - peak RSS of this process against the program's final linear memory size.
// Latencies are reported as wall time and as this process's CPU time: on a shared machine the
// wall time includes waiting for a core, the CPU time does not.
// Times are wall-clock on a shared machine: read the ratios, and rerun when it is noisy.
// Usage: node bench/replay.mjs [--samples N] [--seed S]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, option, quantile, seededRandom } from './latencyKit.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { openReplay } = await import(path.join(repoRoot, 'dist/src/index.js'));

const samples = option('--samples', 60);
const random = seededRandom(option('--seed', 1));

const program = ['bench/programs/compress.wasm', '1', '1'];
const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-replay-'));
const trace = path.join(work, 'compress.wtrace');

/** Wall time and this process's CPU time (user + system) of `fn`: on a shared machine the CPU time is the steadier one. */
function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, value };
}

function node(argv) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-1000)}`);
  return (performance.now() - t0) / 1000;
}


try {
  const plain = node(['test/fixtures/plainRun.mjs', ...program]);
  const recordFull = node(['bin/wtrace.js', 'record', '--detail', 'full', '-o', trace, ...program.slice(0, 1), '--', ...program.slice(1)]);
  const plain2 = node(['test/fixtures/plainRun.mjs', ...program]);
  const plainS = Math.min(plain, plain2);

  /** Opens the trace with `storedIndex` and shows the first state; the replay, the time it took and where its index came from. */
  async function openFirst(storedIndex) {
    let timeline = null;
    const t0 = performance.now();
    const replay = await openReplay(trace, { storedIndex, onTimelineOpen: (t) => (timeline = t) });
    const origin = timeline.indexOrigin;
    replay.frames();
    replay.globals();
    replay.readMemory(0, Math.min(4096, replay.memorySize()));
    replay.output();
    return { ms: performance.now() - t0, replay, origin, timeline };
  }
  /** Three opens with `storedIndex`: median and range of open + first state (each replay closed). */
  async function opens(storedIndex) {
    const ms = [];
    for (let i = 0; i < 3; i++) {
      const o = await openFirst(storedIndex);
      if (storedIndex === 'read' && o.origin.source !== 'stored') throw new Error(`expected the stored index, got ${JSON.stringify(o.origin)}`);
      ms.push(o.ms);
      o.replay.close();
    }
    ms.sort((a, b) => a - b);
    return { median: ms[1], min: ms[0], max: ms[2] };
  }
  const noIndex = await opens('none');
  const storing = await openFirst('read-write');
  if (!storing.origin.written) throw new Error(`the index was not stored: ${JSON.stringify(storing.origin)}`);
  const storedBytes = storing.origin.storedBytes;
  storing.replay.close();
  const passOnly = await openFirst('none');
  const storeOnly = timed(() => passOnly.timeline.storeIndex());
  if (!storeOnly.value.written) throw new Error(`the index was not stored: ${JSON.stringify(storeOnly.value)}`);
  passOnly.replay.close();
  const withIndex = await opens('read');
  const traceBytes = statSync(trace).size;

  /** The seeded latencies on `r` (the same times for every replay). */
  function latencies(r, times) {
    const state = [];
    const back1 = [];
    const backLine = [];
    const cpu = { state: [], back1: [], backLine: [] };
    for (const t of times) {
      const s = timed(() => {
        r.seek(t);
        const frames = r.frames();
        r.globals();
        const local = frames[0]?.locals.find((v) => v.type === 'i32');
        const address = Math.min(Math.max(0, local?.value ?? 0), r.memorySize() - 4096);
        r.readMemory(address, 4096);
        return frames.length;
      });
      const b1 = timed(() => { r.stepInstruction('backward'); r.frames(); });
      r.seek(t);
      r.frames();
      const bl = timed(() => { r.stepOver('backward', 'line'); r.frames(); });
      for (const [list, key, m] of [[state, 'state', s], [back1, 'back1', b1], [backLine, 'backLine', bl]]) {
        list.push(m.ms);
        cpu[key].push(m.cpu);
      }
    }
    return { state, back1, backLine, cpu };
  }
  const fresh = await openFirst('none');
  const end = fresh.replay.end;
  const times = Array.from({ length: samples }, () => BigInt(Math.floor(random() * Number(end))));
  const fromPass = latencies(fresh.replay, times);
  fresh.replay.close();
  const cold = await openFirst('read');
  const fromCold = latencies(cold.replay, times);
  cold.replay.close();
  const stored = await openFirst('read');
  const waitStart = performance.now();
  await stored.timeline.prefetched();
  const readAheadMs = stored.ms + (performance.now() - waitStart);
  const r = stored.replay;
  const fromStored = latencies(r, times);

  r.seek(end);
  const bp = r.addBreakpoint({ kind: 'function', name: '__original_main' });
  const reverse = timed(() => r.continue('backward'));
  r.removeBreakpoint(bp.id);
  const memory = (() => { r.seek(end); return r.memorySize(); })();
  const rss = process.resourceUsage().maxRSS * 1024;

  console.log(`## replay engine on compress 1 1 (${end.toLocaleString('en-US')} instructions), ${samples} random times`);
  console.log(`| measure | value |`);
  console.log(`|---|---:|`);
  console.log(`| plain run (node:wasi) | ${plainS.toFixed(2)} s |`);
  console.log(`| record --detail full | ${recordFull.toFixed(2)} s (${(recordFull / plainS).toFixed(2)}x plain) |`);
  const range = (o) => `${fmt(o.median)} (${fmt(o.min)}-${fmt(o.max)})`;
  console.log(`| open + first state, (a) no stored index (the pass over every event) | ${range(noIndex)} (${(noIndex.median / 1000 / plainS).toFixed(2)}x plain) |`);
  console.log(`| open + first state, (b) first open: the pass, then storing the index | ${fmt(storing.ms)} |`);
  console.log(`| storing the index alone (timeline.storeIndex after a pass): wall, CPU | ${fmt(storeOnly.ms)}, ${fmt(storeOnly.cpu)} |`);
  console.log(`| open + first state, (c) with the stored index | ${range(withIndex)} (${(withIndex.median / noIndex.median).toFixed(2)}x (a)) |`);
  console.log(`| stored index size / trace file (with it) | ${(storedBytes / 2 ** 20).toFixed(1)} MiB / ${(traceBytes / 2 ** 20).toFixed(1)} MiB; ${(storedBytes / (traceBytes - storedBytes)).toFixed(2)}x the trace without it |`);
  const row = (wall, spent) =>
    `${fmt(quantile(wall, 0.5))} / ${fmt(quantile(wall, 0.95))} | ${fmt(quantile(spent, 0.5))} / ${fmt(quantile(spent, 0.95))}`;
  console.log(`| (c) reading ahead (chunks, pages) on a worker finished after | ${fmt(readAheadMs)} |`);
  console.log(`| (latencies, p50 / p95: wall time, then this process's CPU time) | | |`);
  for (const [label, key] of [['state at a random time', 'state'], ['reverse single step', 'back1'], ['reverse line step', 'backLine']]) {
    console.log(`| ${label}, (a) index built in this process | ${row(fromPass[key], fromPass.cpu[key])} |`);
    console.log(`| ${label}, (c) stored index, at once after the open | ${row(fromCold[key], fromCold.cpu[key])} |`);
    console.log(`| ${label}, (c) stored index, after the reading ahead | ${row(fromStored[key], fromStored.cpu[key])} |`);
  }
  console.log(`| reverse-continue from the end to main's entry | ${fmt(reverse.ms)} (stopped: ${reverse.value.kind} at ${reverse.value.time}) |`);
  console.log(`| peak RSS / final linear memory | ${(rss / 2 ** 20).toFixed(0)} MiB / ${(memory / 2 ** 20).toFixed(1)} MiB = ${(rss / memory).toFixed(1)}x |`);
  r.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
