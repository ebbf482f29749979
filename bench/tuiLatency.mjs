// Terminal UI latency (issue 5's performance list), on bench/programs/compress.wasm `1 1`
// (6.5e8 executed instructions) recorded with `--detail full`, in a real terminal: tmux runs
// `wtrace replay TRACE` at 120x36, keys are sent with `send-keys` one at a time, and
// `capture-pane` is polled (every few ms) until the status line shows the new time.
//
// Measures (wall clock, from sending the key to the new frame on screen, including tmux's own
// round trips: capture-pane costs a few ms per poll):
//   - open: from starting the command to the first frame (`time 0 / END`), node start-up included;
//   - step back by line (`N`) from uniformly random times (reached first with `t`): p50, p95;
//   - reverse-continue (`C`) from the end to a breakpoint at main's entry, across the recording.
// Goals: step p95 <= 100 ms, reverse-continue <= 1.5 s, open <= 1 s.
// Usage: node bench/tuiLatency.mjs [--samples N] [--trace T]   (needs tmux)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, option, quantile, seededRandom } from './latencyKit.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samples = option('--samples', 30);
const random = seededRandom(1);

const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-tui-'));
const session = `wtrace-bench-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', a, { encoding: 'utf8' });
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


if (spawnSync('tmux', ['-V']).status !== 0) {
  console.error('bench/tuiLatency.mjs needs tmux');
  process.exit(2);
}

try {
  let trace = option('--trace', null, false);
  if (trace === null) {
    trace = path.join(work, 'compress.wtrace');
    const r = spawnSync(process.execPath, ['bin/wtrace.js', 'record', '--detail', 'full', '-o', trace, 'bench/programs/compress.wasm', '--', '1', '1'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`record failed: ${r.stderr}`);
  }
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
  const atEnd = waitFor((s) => timeOnScreen(s)?.[1] === timeOnScreen(s)?.[2], performance.now()).s;
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
} finally {
  spawnSync('tmux', ['kill-session', '-t', session]);
  rmSync(work, { recursive: true, force: true });
}
