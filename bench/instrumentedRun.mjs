// What the instrumented program alone costs: each bench program run on Node's node:wasi plainly
// and as `instrument(bytes, { detail: 'full' })` made it, with the detail events discarded at
// every flush (no sink: no recorder, no compression, no trace file, no worker). The ratio is the
// floor under `wtrace record --detail full`: the cost of the code the instrumenting compiler adds.
//
// Each measurement is a child process (this file with `--child`) that instantiates the module and
// reports the CPU time (user + system, all threads: V8's background compilation included) of
// `wasi.start` alone; instrumenting happens before the clock starts. Plain and instrumented runs
// alternate, `--rounds` times; medians. Build first (`npx tsc -p tsconfig.json`).
//
// Usage: node bench/instrumentedRun.mjs [--rounds N] [--program NAME]...
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROGRAMS = { compress: false, bigmodule: false, syscalls: true }; // name: needs a /data directory

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else {
  await main(process.argv.slice(2));
}

/** One run: prints the CPU seconds of `wasi.start`. */
async function child(name, mode, dataDir) {
  process.emitWarning = () => {}; // node:wasi's experimental warning
  const { WASI } = await import('node:wasi');
  const { instrument, runtimeImports } = await import('../dist/instrument/index.js');
  const wasm = new Uint8Array(readFileSync(path.join(repoRoot, 'bench', 'programs', `${name}.wasm`)));
  const full = mode === 'full' ? await instrument(wasm, { detail: 'full' }) : null;
  const wasi = new WASI({
    version: 'preview1', args: [`${name}.wasm`], env: {}, returnOnExit: true,
    preopens: dataDir ? { '/data': dataDir } : {}, stdout: openSync('/dev/null', 'w'),
  });
  const module = new WebAssembly.Module(full ? full.bytes : wasm);
  const instance = new WebAssembly.Instance(module, { ...wasi.getImportObject(), ...(full ? runtimeImports() : {}) });
  const start = process.cpuUsage();
  const status = wasi.start(instance);
  const used = process.cpuUsage(start);
  if (status !== 0) throw new Error(`${name} (${mode}) exited with ${status}`);
  console.log(((used.user + used.system) / 1e6).toFixed(3));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function usage(message) {
  console.error(`instrumentedRun: ${message}`);
  console.error('usage: node bench/instrumentedRun.mjs [--rounds N] [--program NAME]...');
  process.exit(2);
}

async function main(argv) {
  let rounds = 5;
  const programs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds' && /^[1-9]\d*$/.test(argv[i + 1] ?? '')) rounds = Number(argv[++i]);
    else if (argv[i] === '--program' && (argv[i + 1] ?? '') in PROGRAMS) programs.push(argv[++i]);
    else usage(`unknown or incomplete option ${argv[i]}`);
  }
  if (programs.length === 0) programs.push(...Object.keys(PROGRAMS));
  console.log(`Command: node bench/instrumentedRun.mjs ${argv.join(' ')}`.trimEnd());
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cpus), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`CPU seconds of wasi.start, median of ${rounds} alternated rounds.\n`);
  console.log('| program | plain (s) | instrumented full (s) | instrumented/plain | per-round ratios |');
  console.log('|---|---:|---:|---:|---|');
  for (const name of programs) {
    const times = { plain: [], full: [] };
    for (let r = 0; r < rounds; r++) {
      for (const mode of ['plain', 'full']) {
        const dir = PROGRAMS[name] ? mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-')) : '';
        try {
          const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name, mode, dir], { encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`${name} ${mode}: ${r.stderr}`);
          times[mode].push(Number(r.stdout.trim()));
        } finally {
          if (dir) rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    const ratios = times.full.map((t, i) => (t / times.plain[i]).toFixed(2)).join(', ');
    const plain = median(times.plain);
    const full = median(times.full);
    console.log(`| ${name} | ${plain.toFixed(2)} | ${full.toFixed(2)} | **${(full / plain).toFixed(2)}x** | ${ratios} |`);
  }
}
