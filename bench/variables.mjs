// What C variables add to a stop (issue 5's Variables pane), on bench/programs/compress.wasm
// `1 1` (clang -O2 -g: DWARF 4, location lists) recorded with `--detail full`.
//
// Measures, in this process through the library (dist/):
//   - the first `globalVariables()` call: reading the module's .debug_info tree and types once;
//   - at uniformly random times, the state a stop already pays for (frames with locals and
//     operand stacks, globals, 4 KiB of memory: bench/replay.mjs's "state at a random time", the
//     baseline), then, at the same time, `variables(i)` for every
//     frame (at most 8, as the terminal UI's change snapshot does) and `globalVariables()`:
//     p50 and p95 of each and of their ratio to the baseline;
//   - how many variables were read and how many of them were available.
// Times are wall-clock on a shared machine: read the ratios, and rerun when it is noisy.
// Usage: node bench/variables.mjs [--samples N] [--seed S]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, option, quantile, seededRandom } from './latencyKit.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { openReplay } = await import(path.join(repoRoot, 'dist/src/index.js'));

const samples = option('--samples', 10);
const random = seededRandom(option('--seed', 1));

const program = ['bench/programs/compress.wasm', '1', '1'];
const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-variables-'));
const trace = path.join(work, 'compress.wtrace');

const timed = (fn) => {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
};

try {
  const rec = spawnSync(process.execPath, ['bin/wtrace.js', 'record', '--detail', 'full', '-o', trace, program[0], '--', ...program.slice(1)], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (rec.status !== 0) throw new Error(`record exited ${rec.status}: ${rec.stderr.slice(-1000)}`);
  const r = await openReplay(trace);
  r.frames();
  const first = timed(() => r.globalVariables().length);
  const end = r.end;
  const baseline = [], locals = [], globals = [], ratio = [];
  let read = 0, available = 0;
  for (let k = 0; k < samples; k++) {
    const t = BigInt(Math.floor(random() * Number(end)));
    const state = timed(() => {
      r.seek(t);
      r.globals();
      const frames = r.frames();
      const local = frames[0]?.locals.find((v) => v.type === 'i32');
      r.readMemory(Math.min(Math.max(0, local?.value ?? 0), r.memorySize() - 4096), 4096);
      return frames.length;
    });
    const vars = timed(() => {
      const all = [];
      for (let i = 0; i < Math.min(state.value, 8); i++) all.push(...r.variables(i));
      return all;
    });
    const g = timed(() => r.globalVariables());
    for (const v of [...vars.value, ...g.value]) {
      read++;
      if (v.available) available++;
    }
    baseline.push(state.ms);
    locals.push(vars.ms);
    globals.push(g.ms);
    ratio.push((vars.ms + g.ms) / state.ms);
  }
  console.log(`## C variables on compress 1 1 (${end.toLocaleString('en-US')} instructions), ${samples} random times`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| first globalVariables() (reads .debug_info and types once) | ${fmt(first.ms)} (${first.value} globals) |`);
  console.log(`| state a stop already computes (frames, globals, 4 KiB of memory): p50 / p95 | ${fmt(quantile(baseline, 0.5))} / ${fmt(quantile(baseline, 0.95))} |`);
  console.log(`| variables() of up to 8 frames: p50 / p95 | ${fmt(quantile(locals, 0.5))} / ${fmt(quantile(locals, 0.95))} |`);
  console.log(`| globalVariables(): p50 / p95 | ${fmt(quantile(globals, 0.5))} / ${fmt(quantile(globals, 0.95))} |`);
  console.log(`| (variables + globals) / state: p50 / p95 | ${quantile(ratio, 0.5).toFixed(3)}x / ${quantile(ratio, 0.95).toFixed(3)}x |`);
  console.log(`| values read / available | ${read} / ${available} |`);
  r.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
