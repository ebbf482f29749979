// What building the detail index costs against recording the same run with full detail (issue 4):
// both run the same instrumented module through the same recorder, so `buildDetailIndex` of an
// inputs-only trace should cost what `record({ detail: 'full' })` of the program costs. For each
// program: records its inputs-only trace once, then for N rounds runs, alternately, each in a
// fresh Node process started the same way (this script with --child): the index build of a copy
// of that trace, and a full recording. Each child reports the call's wall time, its process CPU
// time (user + system, all threads) and its peak RSS. Reports medians, the median of the
// per-round ratios index/record (the two runs of a round are back to back, so the machine's
// load affects both alike), and a markdown table for BENCHMARKS.md. Needs `npm run build`.
//
// Usage: node bench/indexCost.mjs [--rounds N] [--program compress|bigmodule|syscalls]...
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(path.join(repoRoot, 'dist', p)).href;
/** The programs of bench/record.mjs; `needsDataDir`: a fresh empty /data per run. */
const PROGRAMS = { compress: false, bigmodule: false, syscalls: true };

class BenchError extends Error {}

/** Child: one index build or one recording; prints `RESULT {json}` on stderr (stdout is the program's). */
async function child([what, ...args]) {
  const started = performance.now();
  if (what === 'index') {
    const { buildDetailIndex } = await import(dist('replay/detailIndex/index.js'));
    const r = await buildDetailIndex(args[0]);
    if (r.status !== 'indexed') throw new BenchError(`index of ${args[0]}: ${r.status}`);
  } else {
    const { record } = await import(dist('src/record/index.js'));
    const [wasm, output, dataDir] = args;
    const dirs = dataDir ? [{ hostPath: dataDir, guestPath: '/data' }] : [];
    const r = await record({ wasmPath: wasm, args: [], env: [], dirs, output, detail: what });
    if (r.exitCode !== 0) throw new BenchError(`record of ${wasm} exited with ${r.exitCode}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage();
  const result = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stderr.write(`RESULT ${JSON.stringify(result)}\n`);
}

function runChild(args) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const line = /^RESULT (.*)$/m.exec(r.stderr ?? '');
  if (r.status !== 0 || !line) throw new BenchError(`node bench/indexCost.mjs --child ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(line[1]);
}

function parseArgs(argv) {
  const usage = `usage: node bench/indexCost.mjs [--rounds N] [--program ${Object.keys(PROGRAMS).join('|')}]...`;
  const options = { rounds: 5, programs: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--rounds' && /^[1-9]\d*$/.test(value ?? '')) options.rounds = Number(value);
    else if (flag === '--program' && value in PROGRAMS) options.programs.push(value);
    else throw new BenchError(`bad argument "${flag}${value === undefined ? '' : ` ${value}`}"\n${usage}`);
  }
  if (options.programs.length === 0) options.programs = ['compress', 'bigmodule'];
  return options;
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function measure(name, rounds, workDir) {
  const wasm = path.join(repoRoot, 'bench', 'programs', `${name}.wasm`);
  const dataDir = () => (PROGRAMS[name] ? mkdtempSync(path.join(workDir, 'data-')) : '');
  const inputs = path.join(workDir, `${name}.inputs.wtrace`);
  runChild(['inputs', wasm, inputs, dataDir()].filter(Boolean));
  const rows = [];
  for (let i = 0; i < rounds; i++) {
    const copy = path.join(workDir, `${name}.index.wtrace`);
    copyFileSync(inputs, copy);
    const index = runChild(['index', copy]);
    const full = runChild(['full', wasm, path.join(workDir, `${name}.full.wtrace`), dataDir()].filter(Boolean));
    rows.push({ index, full });
    process.stderr.write(`${name} round ${i + 1}: index ${index.seconds.toFixed(2)} s, record full ${full.seconds.toFixed(2)} s\n`);
  }
  const m = (side, field) => median(rows.map((r) => r[side][field]));
  return {
    name,
    index: { seconds: m('index', 'seconds'), cpu: m('index', 'cpuSeconds'), rss: m('index', 'maxRssMb') },
    full: { seconds: m('full', 'seconds'), cpu: m('full', 'cpuSeconds'), rss: m('full', 'maxRssMb') },
    wallRatio: median(rows.map((r) => r.index.seconds / r.full.seconds)),
    cpuRatio: median(rows.map((r) => r.index.cpuSeconds / r.full.cpuSeconds)),
  };
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv.slice(1));
  const { rounds, programs } = parseArgs(argv);
  if (!existsSync(path.join(repoRoot, 'dist', 'replay', 'detailIndex', 'index.js'))) throw new BenchError('dist/ is missing: run `npm run build` first');
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'wtrace-index-cost-'));
  try {
    const results = programs.map((name) => measure(name, rounds, workDir));
    console.log(`| program | index: wall / CPU / peak RSS | record full: wall / CPU / peak RSS | index/record wall (per round) | index/record CPU (per round) |`);
    console.log(`|---|---:|---:|---:|---:|`);
    const side = (s) => `${s.seconds.toFixed(2)} s / ${s.cpu.toFixed(2)} s / ${s.rss.toFixed(0)} MB`;
    for (const r of results) console.log(`| ${r.name} | ${side(r.index)} | ${side(r.full)} | ${r.wallRatio.toFixed(2)}x | ${r.cpuRatio.toFixed(2)}x |`);
    console.log(`\n${rounds} rounds, medians; \`node bench/indexCost.mjs --rounds ${rounds} ${programs.map((p) => `--program ${p}`).join(' ')}\` on Node ${process.version}.`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof BenchError ? `indexCost: ${e.message}` : e);
  process.exit(1);
});
