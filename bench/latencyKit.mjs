// What the latency benches share (replay.mjs, variables.mjs, tuiLatency.mjs, tuiOpen.mjs,
// gdbstub.mjs): command-line options, a seeded random source (the same times for the same seed),
// quantiles and time text, and the bench trace they open.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Records the latency benches' trace into `trace`: `compress 1 1` (the smallest run of the
 * largest bench program above 1e8 instructions) with `--detail full`, by the built CLI.
 */
export function recordBenchTrace(trace) {
  const args = ['bin/wtrace.js', 'record', '--detail', 'full', '-o', trace, 'bench/programs/compress.wasm', '--', '1', '1'];
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`record failed: ${r.stderr}`);
}

/** The value after `name` in this process's arguments, else `fallback`; `toNumber` keeps numbers numbers. */
export function option(name, fallback, toNumber = true) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  return toNumber ? Number(args[i + 1]) : args[i + 1];
}

/** A linear congruential source in [0, 1) starting from `seed`: reproducible random times. */
export function seededRandom(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** The `q` quantile of `xs` (the element at floor(q * n) of the sorted list). */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Milliseconds as `12.3 ms` or `1.23 s`. */
export function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
