// Terminal UI latency (issue 5's performance list), on bench/programs/compress.wasm `1 1`
// (6.5e8 executed instructions) recorded with `--detail full`, in a real terminal: tmux runs
// `wtrace replay TRACE` at 120x36, keys are sent with `send-keys` one at a time, and
// `capture-pane` is polled (every few ms) until the status line shows the new time.
//
// Measures (wall clock, from sending the key to the new frame on screen, including tmux's own
// round trips: capture-pane costs a few ms per poll):
//   - open: from starting the command to the first frame (`time 0 / END`), node start-up
//     included (the screen looked at every 5 ms), over `--opens N` opens (p50), alternated in the same run with two baselines
//     (`node -e` printing a line; `wtrace info TRACE`) and with Node's compile cache off, cold
//     (an empty cache directory each time) and warm (wtrace's default once it has run). Each
//     open's WTRACE_TIMING log splits it: start-up to the CLI, module loading, the engine's open,
//     the UI's modules, the first frame;
//   - step back by line (`N`) from uniformly random times (reached first with `t`): p50, p95;
//   - reverse-continue (`C`) from the end to a breakpoint at main's entry, across the recording.
// Goals: step p95 <= 100 ms, reverse-continue <= 1.5 s, open <= 1 s.
// Usage: node bench/tuiLatency.mjs [--samples N] [--opens N] [--only-open | --only-keys] [--trace T]
//   [--compare-cli OTHER/bin/wtrace.js]   (one more row: another build's replay, e.g. an older commit's)
// Needs tmux.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, option, quantile, recordBenchTrace, seededRandom } from './latencyKit.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samples = option('--samples', 30);
const opens = option('--opens', 5);
const onlyOpen = process.argv.includes('--only-open');
const onlyKeys = process.argv.includes('--only-keys');
const random = seededRandom(1);

const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-tui-'));
const session = `wtrace-bench-${process.pid}`;
// A tmux server of our own (-L): sessions of other tmux users come and go without touching it,
// and killing our last session cannot stop the server under the next new-session.
const socket = ['-L', session];
const tmux = (...a) => execFileSync('tmux', [...socket, ...a], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);
const key = (k) => tmux('send-keys', '-t', session, k);
const timeOnScreen = (s) => s.match(/time ([\d,]+) \/ ([\d,]+)/);
const toBig = (text) => BigInt(text.replaceAll(',', ''));

/** Polls until `test(screen)` holds; returns the wall time since `t0` and the screen. */
function waitFor(test, t0, limitMs = 120_000) {
  for (;;) {
    const s = screen();
    if (test(s)) return { ms: performance.now() - t0, s };
    if (performance.now() - t0 > limitMs) throw new Error(`screen never changed as expected:\n${s}`);
  }
}

/** Between two looks at an opening screen: a tmux client per look, back to back, would take a CPU from the open it measures. */
const POLL_MS = 5;
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs `command` in its own tmux session; the ms from starting it until `ready` shows on screen. */
function timeToScreen(command, ready, env = '') {
  const name = `${session}-open`;
  const t0 = performance.now();
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '36', '-c', repoRoot, `NO_COLOR=1 ${env} ${command}; sleep 60`);
  try {
    for (;;) {
      if (ready.test(tmux('capture-pane', '-p', '-t', name))) return { ms: performance.now() - t0, name };
      if (performance.now() - t0 > 120_000) throw new Error(`never showed ${ready}: ${command}`);
      pause(POLL_MS);
    }
  } finally {
    // A replay quits with q (writing its timing log at exit); anything else is simply killed.
    tmux('send-keys', '-t', name, 'q');
  }
}

/** Waits until `file` has `n` lines (a quitting replay appends its timing line at exit); the last one. */
function timingLine(file, n) {
  const t0 = performance.now();
  for (;;) {
    // Only whole lines: the replay may be writing the last one now.
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(0, -1) : [];
    if (lines.length >= n) return JSON.parse(lines[n - 1]);
    if (performance.now() - t0 > 20_000) throw new Error(`no timing line ${n} in ${file}`);
    pause(POLL_MS);
  }
}

/**
 * Opens the trace `opens` times in each mode, alternating modes so load changes hit all alike,
 * and prints the p50s: time to the screen for every mode, and the replay's parts from its log.
 */
function measureOpens(trace) {
  const node = JSON.stringify(process.execPath);
  const cli = `${node} ${JSON.stringify(path.join(repoRoot, 'bin/wtrace.js'))}`;
  const replay = `${cli} replay ${JSON.stringify(path.resolve(trace))}`;
  const log = path.join(work, 'timing.jsonl');
  const warm = path.join(work, 'cache-warm');
  const modes = [
    { label: '`node -e` printing a line (baseline)', command: `${node} -e "console.log('node ready')"`, ready: /node ready/ },
    { label: '`wtrace info TRACE` (baseline)', command: `${cli} info ${JSON.stringify(path.resolve(trace))}`, ready: /instructions\s+\d/ },
    { label: 'replay, compile cache off', timed: true, command: replay, ready: /time 0 \//, env: () => 'NODE_DISABLE_COMPILE_CACHE=1' },
    { label: 'replay, compile cache cold (empty)', timed: true, command: replay, ready: /time 0 \//, env: (i) => `NODE_COMPILE_CACHE=${JSON.stringify(path.join(work, `cache-cold-${i}`))}` },
    { label: 'replay, compile cache warm', timed: true, command: replay, ready: /time 0 \//, env: () => `NODE_COMPILE_CACHE=${JSON.stringify(warm)}` },
  ];
  const other = option('--compare-cli', null, false);
  if (other !== null) {
    // Another build's bin/wtrace.js (e.g. an older commit's checkout), with its own default cache.
    modes.push({ label: `replay by ${other}`, command: `${node} ${JSON.stringify(path.resolve(other))} replay ${JSON.stringify(path.resolve(trace))}`, ready: /time 0 \// });
  }
  let logged = 0;
  const results = modes.map(() => ({ screen: [], parts: [] }));
  for (let i = -1; i < opens; i++) { // round -1 is unmeasured: it fills the warm cache and the OS file cache
    modes.forEach((m, k) => {
      const env = `${m.timed ? `WTRACE_TIMING=${JSON.stringify(log)}` : ''} ${m.env?.(i) ?? ''}`;
      const { ms, name } = timeToScreen(m.command, m.ready, env);
      const line = m.timed ? timingLine(log, ++logged) : null;
      spawnSync('tmux', [...socket, 'kill-session', '-t', name]);
      if (i < 0) return;
      results[k].screen.push(ms);
      if (line) results[k].parts.push({ ms, ...line.marks, cpu: line.cpu });
    });
  }
  const p50 = (xs) => fmt(quantile(xs, 0.5));
  console.log(`## opening the trace to the first frame: ${opens} opens per row, alternated, p50 (min-max)`);
  console.log('| command | to the screen | start-up to the CLI | modules before the open | engine open | modules after it | first frame | screen without the engine open | main-thread CPU to the first frame (without the engine open) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  modes.forEach((m, k) => {
    const { screen: xs, parts } = results[k];
    const cells = [`${p50(xs)} (${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))})`];
    if (parts.length > 0) {
      const part = (f) => p50(parts.map(f));
      const open = (p) => p['engine-open'] - p['engine-loaded'];
      const openCpu = (p) => p.cpu['engine-open'] - p.cpu['engine-loaded'];
      cells.push(part((p) => p['cli-loaded']), part((p) => p['engine-loaded'] - p['cli-loaded']), part(open));
      cells.push(part((p) => p['tui-loaded'] - p['engine-open']), part((p) => p['first-frame'] - p['render-start']));
      cells.push(part((p) => p.ms - open(p)));
      cells.push(`${part((p) => p.cpu['first-frame'])} (${part((p) => p.cpu['first-frame'] - openCpu(p))})`);
    } else {
      cells.push('', '', '', '', '', '', '');
    }
    console.log(`| ${m.label} | ${cells.join(' | ')} |`);
  });
}

/** One session: its open, then steps back by line at random times and a reverse-continue. */
function measureKeys(trace) {
  const command = `NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repoRoot, 'bin/wtrace.js'))} replay ${JSON.stringify(path.resolve(trace))}; sleep 60`;
  const t0 = performance.now();
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '36', '-c', repoRoot, command);
  const opened = waitFor((s) => /time 0 \//.test(s), t0);
  const end = toBig(timeOnScreen(opened.s)[2]);

  const steps = [];
  for (let i = 0; i < samples; i++) {
    const t = BigInt(Math.floor(random() * Number(end)));
    key('t');
    waitFor((s) => /go to time/.test(s), performance.now(), 10_000);
    for (const c of t.toString()) key(c);
    key('Enter');
    const at = waitFor((s) => timeOnScreen(s)?.[1] === t.toLocaleString('en-US'), performance.now()).s;
    const before = timeOnScreen(at)[1];
    const k0 = performance.now();
    key('N');
    steps.push(waitFor((s) => { const m = timeOnScreen(s); return m !== null && m[1] !== before; }, k0).ms);
  }

  key('B');
  waitFor((s) => /file:line|function|0xPC/i.test(s), performance.now(), 10_000);
  for (const c of '__original_main') key(c);
  key('Enter');
  waitFor((s) => /breakpoint 1/i.test(s), performance.now(), 30_000);
  key('G');
  const atEnd = waitFor((s) => { const m = timeOnScreen(s); return m !== null && m[1] === m[2]; }, performance.now()).s;
  const endText = timeOnScreen(atEnd)[1];
  const c0 = performance.now();
  key('C');
  const reverse = waitFor((s) => { const m = timeOnScreen(s); return m !== null && m[1] !== endText; }, c0);
  key('q');

  console.log(`## terminal UI on compress 1 1 (${end.toLocaleString('en-US')} instructions), tmux 120x36, ${samples} random times`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| open to the first frame (node start-up included) | ${fmt(opened.ms)} |`);
  console.log(`| step back by line (N), key to new frame: p50 / p95 | ${fmt(quantile(steps, 0.5))} / ${fmt(quantile(steps, 0.95))} |`);
  console.log(`| reverse-continue (C) from the end to main's entry | ${fmt(reverse.ms)} (stopped at time ${timeOnScreen(reverse.s)[1]}) |`);
}

if (spawnSync('tmux', ['-V']).status !== 0) {
  console.error('bench/tuiLatency.mjs needs tmux');
  process.exit(2);
}

try {
  let trace = option('--trace', null, false);
  if (trace === null) {
    trace = path.join(work, 'compress.wtrace');
    recordBenchTrace(trace);
  }
  tmux('new-session', '-d', '-s', `${session}-keep`, 'sleep 3600'); // keeps the server up between sessions
  if (!onlyKeys) measureOpens(trace);
  if (!onlyOpen) {
    console.log();
    measureKeys(trace);
  }
} finally {
  spawnSync('tmux', [...socket, 'kill-server']);
  rmSync(work, { recursive: true, force: true });
}
