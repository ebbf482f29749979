// `wtrace diff` benchmark (issue 7): bench/programs/compress.wasm with arguments `1 1` (the
// largest bench trace, as bench/replay.mjs records it: about 6.5e8 instructions, 4.7 million
// detail events) recorded twice with `--detail full`, and the two recordings compared at each
// level, in this process through the library (dist/, `diffHere`: no worker start-up).
//
// Measures, as medians of --rounds alternated rounds:
//   - plain run (node:wasi, test/fixtures/plainRun.mjs) wall time: the unit for ratios;
//   - reading both traces once, two ways: decompressing every detail chunk and walking its
//     events without decoding them (`scanDetailEvents`: the least any reader of every event
//     does), and decoding every event into objects (`decodeDetailEvents`: what the timeline's
//     index pass does);
//   - `diff` at levels 1, 2 and 3 of the two identical recordings (the full walk: nothing
//     stops early), as ratios to the plain run and to the scan; levels 2 and 3 again with the
//     fast path off (equal chunks walked on one side only), which is what runs through chunks
//     that differ;
//   - peak RSS of a child process running the level-3 diff, against one that only loads wtrace.
// Times are wall-clock on a shared machine: read the ratios, and rerun when it is noisy.
// Usage: node bench/diff.mjs [--rounds N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = (p) => import(path.join(repoRoot, 'dist', p));
const { diffHere } = await lib('replay/diff.js');
const { TraceReader } = await lib('src/trace/index.js');
const { decodeDetailEvents, scanDetailEvents } = await lib('instrument/index.js');
const { fastPath } = await lib('replay/diff/lockstep.js');

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;

const program = ['bench/programs/compress.wasm', '1', '1'];
const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-diff-'));
const traces = [path.join(work, 'a.wtrace'), path.join(work, 'b.wtrace')];

function node(argv) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-1000)}`);
  return performance.now() - t0;
}

function timed(fn) {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** Every detail chunk of both traces, decompressed and handed to `visit`. */
function readBoth(visit) {
  let events = 0;
  for (const file of traces) {
    const reader = TraceReader.open(file);
    try {
      for (const chunk of reader.detailChunks()) events += visit(chunk.events);
    } finally {
      reader.close();
    }
  }
  return events;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

try {
  for (const t of traces) node(['bin/wtrace.js', 'record', '--detail', 'full', '-o', t, program[0], '--', ...program.slice(1)]);
  const samples = { plain: [], scan: [], decode: [], 1: [], 2: [], 3: [], '2 slow': [], '3 slow': [] };
  let events = 0;
  let compared = {};
  for (let round = 0; round < rounds; round++) {
    samples.plain.push(node(['test/fixtures/plainRun.mjs', ...program]));
    const scan = timed(() => readBoth((bytes) => scanDetailEvents(bytes).count));
    samples.scan.push(scan.ms);
    events = scan.value;
    samples.decode.push(timed(() => readBoth((bytes) => decodeDetailEvents(bytes).length)).ms);
    for (const level of [1, 2, 3]) {
      const r = timed(() => diffHere(traces[0], traces[1], { level }));
      if (!r.value.equal) throw new Error(`level ${level}: the two recordings differ`);
      samples[level].push(r.ms);
      compared[level] = r.value.eventsCompared ?? r.value.callsCompared;
    }
    fastPath.enabled = false;
    for (const level of [2, 3]) {
      const r = timed(() => diffHere(traces[0], traces[1], { level }));
      if (r.value.eventsCompared !== compared[level]) throw new Error(`level ${level} without the fast path compared another number of items`);
      samples[`${level} slow`].push(r.ms);
    }
    fastPath.enabled = true;
  }
  const plain = median(samples.plain);
  const scan = median(samples.scan);
  console.log(`compress ${program.slice(1).join(' ')}: ${events.toLocaleString('en-US')} detail events in the two traces, ${rounds} rounds, medians`);
  console.log(`plain run (node:wasi)          ${fmt(plain).padStart(9)}   1.00x`);
  console.log(`read both: scan events         ${fmt(scan).padStart(9)}   ${(scan / plain).toFixed(2)}x`);
  console.log(`read both: decode events       ${fmt(median(samples.decode)).padStart(9)}   ${(median(samples.decode) / plain).toFixed(2)}x`);
  const what = { 1: 'import calls', 2: 'enters, exits, calls', 3: 'events and calls' };
  for (const level of [1, 2, 3]) {
    const ms = median(samples[level]);
    console.log(
      `diff --level ${level}                ${fmt(ms).padStart(9)}   ${(ms / plain).toFixed(2)}x plain, ${(ms / scan).toFixed(2)}x scan` +
        `  (${compared[level].toLocaleString('en-US')} ${what[level]} alike)`,
    );
  }
  for (const level of [2, 3]) {
    const ms = median(samples[`${level} slow`]);
    console.log(`diff --level ${level}, no fast path  ${fmt(ms).padStart(9)}   ${(ms / plain).toFixed(2)}x plain, ${(ms / scan).toFixed(2)}x scan`);
  }
  const rss = (code) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `${code}; console.log(process.resourceUsage().maxRSS)`], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return Number(r.stdout.trim().split('\n').at(-1)) / 1024;
  };
  const load = `const { diffHere } = await import(${JSON.stringify(path.join(repoRoot, 'dist/replay/diff.js'))})`;
  const base = rss(load);
  const level3 = rss(`${load}; diffHere(${JSON.stringify(traces[0])}, ${JSON.stringify(traces[1])}, { level: 3 })`);
  console.log(`peak RSS, level-3 diff         ${level3.toFixed(0)} MiB (${base.toFixed(0)} MiB after loading wtrace only)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
