// Instrumentation speed: times `instrument(bytes, { detail })` (the library entry, compiled in
// dist/) in both detail modes on each bench program, and prints per program and mode the first
// call (JIT still cold for that mode), the median of 5 further calls, ms per MB of input module
// (MB = 10^6 bytes) and the size of the instrumented module. All in this one process, one
// program and mode after the other; nothing else runs here. It only rewrites: no compilation by
// V8 and no run. Build first (`npx tsc -p tsconfig.json`).
//
// Usage: node bench/instrumentSpeed.mjs [--runs N]
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { instrument } from '../dist/instrument/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROGRAMS = ['compress', 'bigmodule', 'syscalls'];
const MODES = ['inputs', 'full'];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const argv = process.argv.slice(2);
let runs = 5;
if (argv.length === 2 && argv[0] === '--runs' && /^[1-9]\d*$/.test(argv[1])) runs = Number(argv[1]);
else if (argv.length !== 0) {
  console.error('usage: node bench/instrumentSpeed.mjs [--runs N]');
  process.exit(2);
}

async function timeOnce(bytes, detail) {
  const start = performance.now();
  const result = await instrument(bytes, { detail });
  return { ms: performance.now() - start, outBytes: result.bytes.length };
}

console.log(`Command: node bench/instrumentSpeed.mjs${runs === 5 ? '' : ` --runs ${runs}`}`);
console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cpus), ${os.platform()} ${os.release()}, ` +
  `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`instrument(bytes, { detail }) from dist/instrument/index.js; first call, then the median of ${runs} calls.\n`);
console.log('| program | module bytes | detail | first call (ms) | median (ms) | min-max (ms) | ms/MB (median) | instrumented bytes | growth |');
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
for (const name of PROGRAMS) {
  const bytes = new Uint8Array(readFileSync(path.join(repoRoot, 'bench', 'programs', `${name}.wasm`)));
  for (const detail of MODES) {
    const first = await timeOnce(bytes, detail);
    const times = [];
    for (let i = 0; i < runs; i++) times.push((await timeOnce(bytes, detail)).ms);
    const med = median(times);
    console.log(`| ${name} | ${bytes.length.toLocaleString('en-US')} | ${detail} | ${first.ms.toFixed(1)} | ${med.toFixed(1)} | ` +
      `${Math.min(...times).toFixed(1)}-${Math.max(...times).toFixed(1)} | ${(med / (bytes.length / 1e6)).toFixed(1)} | ` +
      `${first.outBytes.toLocaleString('en-US')} | ${(first.outBytes / bytes.length).toFixed(2)}x |`);
  }
}
