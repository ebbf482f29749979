// `wtrace rerun` and the `calls` query view (issue 7's performance list), on
// bench/programs/compress.wasm with arguments `1 1` (one LZ77 round trip over 1 MiB, about 6.5e8
// executed instructions; the program bench/replay.mjs uses).
//
// Measures, as child processes of the CLI (bin/wtrace.js, from dist/), medians over --rounds:
//   - record --detail inputs, and rerun of that trace (its own module, new trace kept with -o):
//     the ratio rerun / record;
//   - the same at --detail full (the golden recorded full, the rerun recording full);
//   - in this process (the library, dist/), the parts of one rerun: reading the golden's world,
//     recording the new trace, and the level-1 diff;
//   - `wtrace query FULL "SELECT name, count(*) FROM calls GROUP BY name ..."` wall time, and the
//     number of call rows behind it.
// Times are wall-clock on a shared machine: read the ratios, and rerun when it is noisy.
// Usage: node bench/rerun.mjs [--rounds N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(path.join(repoRoot, 'dist/src/index.js'));

const args = process.argv.slice(2);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 3;
const wasm = 'bench/programs/compress.wasm';
const programArgs = ['1', '1'];
const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-rerun-'));
const at = (name) => path.join(work, name);

/** Wall seconds of `node argv...`; throws unless it exits with one of `ok`. */
function node(argv, ok = [0]) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!ok.includes(r.status)) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-1000)}`);
  return { s: (performance.now() - t0) / 1000, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s) => `${s.toFixed(2)} s`;

try {
  const rows = [];
  for (const detail of ['inputs', 'full']) {
    const golden = at(`golden-${detail}.wtrace`);
    const rec = [];
    const rer = [];
    for (let i = 0; i < rounds; i++) {
      rec.push(node(['bin/wtrace.js', 'record', '--detail', detail, '-o', golden, wasm, '--', ...programArgs]).s);
      const r = node(['bin/wtrace.js', 'rerun', golden, '-o', at(`rerun-${detail}.wtrace`), '--json']);
      if (!JSON.parse(r.stdout).equal) throw new Error(`rerun of the ${detail} golden did not compare equal`);
      rer.push(r.s);
    }
    // The parts of one rerun, in this process.
    const t0 = performance.now();
    const result = await lib.rerun({ golden, module: null, output: at(`parts-${detail}.wtrace`), detail: null });
    const t1 = performance.now();
    const diff = await lib.diffTraces(golden, at(`parts-${detail}.wtrace`), { level: 1 });
    const t2 = performance.now();
    if (!diff.equal) throw new Error('in-process rerun did not compare equal');
    rows.push({ detail, record: median(rec), rerun: median(rer), world: result.worldMs / 1000, recording: result.recordMs / 1000, worker: (t1 - t0) / 1000, diff: (t2 - t1) / 1000, calls: result.importCalls });
  }

  const sql = 'SELECT name, count(*) AS n FROM calls GROUP BY name ORDER BY n DESC LIMIT 5';
  const full = at('golden-full.wtrace');
  const q = [];
  let top = '';
  for (let i = 0; i < rounds; i++) {
    const r = node(['bin/wtrace.js', 'query', full, sql]);
    q.push(r.s);
    top = r.stdout;
  }
  const imports = [];
  for (let i = 0; i < rounds; i++) imports.push(node(['bin/wtrace.js', 'query', full, "SELECT name, count(*) FROM imports GROUP BY name"]).s);
  const callRows = lib.queryTrace(full, 'SELECT count(*) FROM calls').rows[0][0];

  console.log(`program: ${wasm} ${programArgs.join(' ')}; medians of ${rounds} rounds; ${new Date().toISOString()}`);
  console.log('');
  console.log('| detail | record | rerun (CLI, with diff) | rerun / record | golden world | new recording | level-1 diff | import calls |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.detail} | ${fmt(r.record)} | ${fmt(r.rerun)} | ${(r.rerun / r.record).toFixed(2)}x | ${fmt(r.world)} | ${fmt(r.recording)} | ${fmt(r.diff)} | ${r.calls} |`);
  }
  console.log('');
  console.log(`calls view: \`wtrace query FULL "${sql}"\`: ${fmt(median(q))} (${callRows.toLocaleString('en-US')} call rows); an imports-only aggregate: ${fmt(median(imports))}`);
  console.log(top);
} finally {
  rmSync(work, { recursive: true, force: true });
}
