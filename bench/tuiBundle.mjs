// What bundling the terminal UI's module graph (tui/ with ink, React, yoga and the rest: about
// 180 modules after tui/load.ts's trim) into one file would save at `wtrace replay`'s start, not
// adopted (see BENCHMARKS.md "Terminal UI latency"). Bundles dist/tui/index.js with rolldown (in
// node_modules as a dependency of vitest; no bundler is a dependency of wtrace) into a temp
// directory, then imports the UI in fresh processes, alternating: through tui/load.ts as
// `wtrace replay` does, and the bundle; each with Node's compile cache off and warm.
// Usage: node bench/tuiBundle.mjs [--rounds N]   (default 7)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, option, quantile } from './latencyKit.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = option('--rounds', 7);
const rolldown = path.join(repoRoot, 'node_modules/.bin/rolldown');
if (!existsSync(rolldown)) {
  console.error('bench/tuiBundle.mjs needs rolldown in node_modules (it comes with vitest)');
  process.exit(2);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-bundle-'));
try {
  const out = path.join(work, 'bundle');
  const b = spawnSync(rolldown, [path.join(repoRoot, 'dist/tui/index.js'), '--format', 'esm', '--platform', 'node', '-d', out], { cwd: repoRoot, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`rolldown failed: ${b.stderr}`);
  const ways = {
    'tui/load.ts (as wtrace replay loads it)': `const { loadTui } = await import(${JSON.stringify(path.join(repoRoot, 'dist/tui/load.js'))}); await loadTui();`,
    'one bundled file': `await import(${JSON.stringify(path.join(out, 'index.js'))});`,
  };
  const caches = { off: { NODE_DISABLE_COMPILE_CACHE: '1' }, warm: { NODE_COMPILE_CACHE: path.join(work, 'cache') } };
  const times = {};
  for (let i = -1; i < rounds; i++) { // round -1 fills the warm cache and the OS file cache
    for (const [way, code] of Object.entries(ways)) {
      for (const [cache, env] of Object.entries(caches)) {
        const script = `const t = performance.now(); ${code} process.stdout.write(String(performance.now() - t));`;
        const base = { ...process.env, NODE_ENV: 'production' };
        delete base.NODE_COMPILE_CACHE;
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', env: { ...base, ...env } });
        if (r.status !== 0) throw new Error(`${way}: ${r.stderr}`);
        if (i >= 0) (times[`${way}, compile cache ${cache}`] ??= []).push(Number(r.stdout));
      }
    }
  }
  console.log(`## importing the terminal UI: ${rounds} fresh processes each, alternated, p50 (min-max)`);
  console.log('| how | import |');
  console.log('|---|---:|');
  for (const [label, xs] of Object.entries(times)) console.log(`| ${label} | ${fmt(quantile(xs, 0.5))} (${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}) |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
