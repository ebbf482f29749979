#!/usr/bin/env node
// The wtrace command. Needs Node 24+ (multi-memory, JSPI, zstd) and the build in dist/
// (made by `npm install` / `npm run build`). The only place that exits the process.
import { appendFileSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`wtrace: needs Node.js 24 or newer, this is ${process.version} (see README: "Node 24")\n`);
  process.exit(2);
}
performance.mark('wtrace:bin', { detail: process.threadCpuUsage() });
// V8's compiled code for every module loaded below, kept between runs: a warm start skips
// compiling their top-level code (tens of ms of the terminal UI's start-up; BENCHMARKS.md). Keyed by
// Node's version inside the directory; NODE_COMPILE_CACHE=DIR picks another directory and
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. A directory we cannot write only means no cache.
try {
  module.enableCompileCache(path.join(os.tmpdir(), `wtrace-compile-cache${process.getuid ? `-${process.getuid()}` : ''}`));
} catch {
  // an old or unusual Node build without the cache: start as before
}
// WTRACE_TIMING=FILE: at exit, append one JSON line to FILE with Node's start-up milestones and
// wtrace's `wtrace:` performance marks (ms since the process started; the main thread's CPU ms
// at each in `cpu`), for bench/tuiLatency.mjs.
if (process.env.WTRACE_TIMING) {
  const file = process.env.WTRACE_TIMING;
  process.on('exit', () => {
    const { nodeStart, v8Start, environment, bootstrapComplete } = performance.nodeTiming;
    const ours = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('wtrace:'));
    const marks = Object.fromEntries(ours.map((m) => [m.name.slice(7), m.startTime]));
    // The main thread's CPU time (user + system) at each mark: what the open costs on a machine
    // that is busy with other work too, where wall time also counts waiting for a CPU.
    const cpu = Object.fromEntries(ours.map((m) => [m.name.slice(7), m.detail ? (m.detail.user + m.detail.system) / 1000 : null]));
    try {
      appendFileSync(file, `${JSON.stringify({ command: process.argv[2] ?? null, node: { nodeStart, v8Start, environment, bootstrapComplete }, marks, cpu })}\n`);
    } catch {
      // timing is for benches: never fail a run over it
    }
  });
}
// Ctrl-C: stop at once with 130. A recording in progress keeps every chunk it committed and
// reads as incomplete (SQLite commits are atomic, so nothing half-written remains).
process.on('SIGINT', () => {
  process.stderr.write('\nwtrace: interrupted\n');
  process.exit(130);
});
// React (the terminal UI) is 5x slower per frame in its development build.
process.env.NODE_ENV ??= 'production';
const { runCli } = await import('../dist/src/cli/main.js');
performance.mark('wtrace:cli-loaded', { detail: process.threadCpuUsage() });
process.exitCode = await runCli(process.argv.slice(2));
