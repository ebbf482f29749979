// Probe-run benchmark: what a probe run (every time one pc was about to execute, by re-executing
// the trace: replay/probe) costs compared with the plain re-execution of `wtrace replay --verify`
// (replay's `verify`), on the bench programs (bench/programs) recorded with `--detail inputs`.
//
// Per program it first counts, in one re-execution on this thread, how often each loop body of
// `main` starts (the first instruction after each `loop`) and how often `main` is entered, keeping
// counts only (countProbeHits). It then probes a HOT pc: the loop body with the most hits that a
// probe run may collect (at most DEFAULT_MAX_HITS), and a COLD pc: `main`'s first instruction
// (one hit). Each round runs verify, the hot probe run and the cold probe run (the order rotating), each
// through the library on its own big-stack worker (instrumenting, re-executing and, for probes,
// turning the hits into bigint lists on this thread). Reports medians of wall time in this
// process and the ratios probe/verify. It checks that every verify reproduced and that every
// probe run found exactly the counted number of hits; it never invents a number.
//
// Needs `npm run build` (it runs the compiled library in dist/).
// Usage: node bench/probe.mjs [--rounds N] [--program NAME]...
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(repoRoot, 'dist', p));
const { verify } = await dist('replay/index.js');
const { probeHits, DEFAULT_MAX_HITS } = await dist('replay/probe/index.js');
const { reexecute } = await dist('replay/reexecution.js');
const { countProbeHits, probeModule } = await dist('instrument/index.js');
const { TraceReader } = await dist('src/trace/index.js');
const { readModuleInfo } = await dist('src/wasm/moduleInfo.js');

const PROGRAMS = [
  { name: 'compress', needsDataDir: false, what: 'LZ77 round trips over 4 MiB' },
  { name: 'bigmodule', needsDataDir: false, what: '4.6 MB module, 3000 functions' },
  { name: 'syscalls', needsDataDir: true, what: '~1,200,000 small WASI calls' },
];

class BenchError extends Error {}

function parseArgs(argv) {
  const names = PROGRAMS.map((p) => p.name);
  const usage = `usage: node bench/probe.mjs [--rounds N] [--program ${names.join('|')}]...`;
  const options = { rounds: 3, programs: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--rounds' && /^[1-9]\d*$/.test(value ?? '')) options.rounds = Number(value);
    else if (flag === '--program' && names.includes(value)) options.programs.push(value);
    else throw new BenchError(`unexpected arguments "${argv.slice(i).join(' ')}"\n${usage}`);
  }
  return options;
}

/** Records `program` with `--detail inputs` into `workDir`; returns the trace path. */
function recordProgram(program, workDir) {
  const trace = path.join(workDir, `${program.name}.wtrace`);
  const dir = program.needsDataDir ? ['--dir', `${mkdtempSync(path.join(workDir, 'data-'))}::/data`] : [];
  const args = ['bin/wtrace.js', 'record', '--detail', 'inputs', '-o', trace, ...dir, `bench/programs/${program.name}.wasm`];
  const run = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) throw new BenchError(`node ${args.join(' ')} exited with ${run.status}:\n${run.stderr.slice(-2000)}`);
  return trace;
}

/** Counts the hits of main's loop bodies and entry in one re-execution; picks the hot and the cold pc. */
function calibrate(trace) {
  const reader = TraceReader.open(trace);
  try {
    const bytes = reader.verifiedModuleBytes();
    const names = readModuleInfo(bytes).functionNames;
    const main = probeModule(bytes, []).positions.functions.find((f) => names.get(f.funcIndex) === 'main');
    if (!main) throw new BenchError(`${trace}: no function named main`);
    const loops = main.instructions.flatMap((ins, i) => (ins.name === 'loop' ? [main.instructions[i + 1].offset] : []));
    const entry = main.instructions[0].offset;
    const probed = probeModule(bytes, [entry, ...loops]);
    let counter;
    const start = performance.now();
    const result = reexecute(reader, bytes, probed, (instance) => (counter = countProbeHits(instance, probed.probePcs.length)));
    const seconds = (performance.now() - start) / 1000;
    if (!result.reproduced) throw new BenchError(`${trace}: the counting run diverged`);
    const counts = counter.finish();
    const candidates = loops.map((pc, i) => ({ pc, hits: counts[i + 1] })).filter((c) => c.hits <= DEFAULT_MAX_HITS);
    const hot = candidates.reduce((a, b) => (b.hits > a.hits ? b : a));
    return {
      hot,
      cold: { pc: entry, hits: counts[0] },
      instructions: result.instructions,
      countRun: { seconds, probes: probed.probePcs.length, hits: counts.reduce((a, b) => a + b, 0) },
    };
  } finally {
    reader.close();
  }
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - start) / 1000, value };
}

/** One run of each variant; the order rotates with `round` so that none always goes first. */
async function runRound(trace, cal, round) {
  const variants = {
    async verify() {
      const v = await timed(() => verify(trace));
      if (!v.value.reproduced) throw new BenchError(`${trace}: verify did not reproduce`);
      return v.seconds;
    },
    hot: () => probe(trace, 'hot', cal.hot),
    cold: () => probe(trace, 'cold', cal.cold),
  };
  const order = ['verify', 'hot', 'cold'];
  const out = {};
  for (let i = 0; i < order.length; i++) {
    const kind = order[(i + round) % order.length];
    out[kind] = await variants[kind]();
  }
  return out;
}

async function probe(trace, kind, { pc, hits }) {
  const p = await timed(() => probeHits(trace, [pc]));
  const found = p.value.get(pc).length;
  if (found !== hits) throw new BenchError(`${trace}: the ${kind} probe run found ${found} hits, the counting run ${hits}`);
  return p.seconds;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (n, d = 2) => n.toFixed(d);
const int = (n) => Math.round(Number(n)).toLocaleString('en-US');
const hex = (n) => `0x${n.toString(16)}`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const programs = PROGRAMS.filter((p) => options.programs.length === 0 || options.programs.includes(p.name));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-probe-'));
  try {
    const rows = [];
    for (const program of programs) {
      const trace = recordProgram(program, workDir);
      const cal = calibrate(trace);
      console.error(`${program.name}: ${int(cal.instructions)} instructions; hot ${hex(cal.hot.pc)} (${int(cal.hot.hits)} hits), ` +
        `cold ${hex(cal.cold.pc)} (${int(cal.cold.hits)}); counting run over ${cal.countRun.probes} probes ` +
        `(${int(cal.countRun.hits)} hits) ${fmt(cal.countRun.seconds)} s`);
      const rounds = [];
      for (let r = 0; r < options.rounds; r++) {
        rounds.push(await runRound(trace, cal, r));
        const x = rounds.at(-1);
        console.error(`  round ${r + 1}: verify ${fmt(x.verify)} s, hot ${fmt(x.hot)} s, cold ${fmt(x.cold)} s`);
      }
      const m = (k) => median(rounds.map((x) => x[k]));
      rows.push({ program, cal, verify: m('verify'), hot: m('hot'), cold: m('cold') });
    }
    console.log(`\nnode bench/probe.mjs --rounds ${options.rounds}; Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} ` +
      `(${os.cpus().length} cpus). Wall seconds in this process per library call (worker start, instrumenting, ` +
      're-execution, and for probes the bigint lists), medians.\n');
    console.log('| program | instructions | verify (s) | hot pc | hot hits | hot probe (s) | hot/verify | cold pc | cold hits | cold probe (s) | cold/verify | count-only run: probes, hits, s |');
    console.log('|---|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---|');
    for (const r of rows) {
      console.log(`| ${r.program.name} | ${int(r.cal.instructions)} | ${fmt(r.verify)} | ${hex(r.cal.hot.pc)} | ${int(r.cal.hot.hits)} | ` +
        `${fmt(r.hot)} | ${fmt(r.hot / r.verify)}x | ${hex(r.cal.cold.pc)} | ${int(r.cal.cold.hits)} | ${fmt(r.cold)} | ${fmt(r.cold / r.verify)}x | ` +
        `${r.cal.countRun.probes}, ${int(r.cal.countRun.hits)}, ${fmt(r.cal.countRun.seconds)} |`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  if (!(err instanceof BenchError)) throw err;
  console.error(`bench/probe.mjs: ${err.message}`);
  process.exitCode = 1;
}
