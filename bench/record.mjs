// Recording benchmark: runs each bench program alternately plain (test/fixtures/plainRun.mjs,
// Node's node:wasi without recording), host only (bench/hostRun.mjs, wtrace's own live WASI
// host without any recording), recorded (`wtrace record --detail inputs`) and recorded full
// (`wtrace record --detail full`: input log plus detail events and keyframes), then `wtrace index`
// of the inputs-only trace (the detail index built by re-execution, issue 4), for N rounds, and
// reports medians, the slowdowns (recorded/plain, host-only/plain, recorded/host-only,
// full/plain), import calls per second, trace bytes per import call (whole file, and the
// compressed input log alone), and for `full`: executed instructions, detail events per second,
// trace bytes per executed instruction (whole file, and detail-only: stored event chunks plus
// keyframe pages), events per 1000 instructions, keyframes and pages; plus markdown tables for
// BENCHMARKS.md. The host-only column splits the slowdown into what our WASI host costs and what
// recording adds on top. It checks that every host-only and recorded run printed exactly what
// the plain run printed and that every recording left a complete trace; it never invents a
// number: if wtrace cannot record, it stops with the reason.
//
// Usage: node bench/record.mjs [--rounds N] [--program NAME]...
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLAIN_RUN = 'test/fixtures/plainRun.mjs';
const HOST_RUN = 'bench/hostRun.mjs';
const WTRACE = 'bin/wtrace.js';
const CHILD_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * The benchmark programs (bench/programs/<name>.wasm). `needsDataDir` gives the program a fresh
 * empty host directory as the guest's /data on every run.
 */
const PROGRAMS = [
  { name: 'compress', args: [], needsDataDir: false, what: 'LZ77 round trips over 4 MiB' },
  { name: 'bigmodule', args: [], needsDataDir: false, what: '4.6 MB module, 3000 functions' },
  { name: 'syscalls', args: [], needsDataDir: true, what: '~1,200,000 small WASI calls' },
];

class BenchError extends Error {}

function parseArgs(argv) {
  const names = PROGRAMS.map((p) => p.name);
  const usage = `usage: node bench/record.mjs [--rounds N] [--program ${names.join('|')}]...`;
  const options = { rounds: 5, programs: [] };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i];
    if (argv[i - 1] === '--rounds') {
      if (!/^[1-9]\d*$/.test(value ?? '')) throw new BenchError(`--rounds needs a positive integer\n${usage}`);
      options.rounds = Number(value);
    } else if (argv[i - 1] === '--program') {
      if (!names.includes(value)) throw new BenchError(`--program needs one of ${names.join(', ')}\n${usage}`);
      options.programs.push(value);
    } else {
      throw new BenchError(`unexpected argument "${argv[i - 1]}"\n${usage}`);
    }
  }
  return options;
}

/** Runs `node ...args` in the repository root; returns its output and wall time in seconds. */
function runNode(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: CHILD_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.error) throw new BenchError(`node ${args.join(' ')}: ${result.error.message}`);
  return { seconds, status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

function describeFailure(command, run) {
  const how = run.signal ? `was killed by ${run.signal}` : `exited with ${run.status}`;
  return `${command} ${how}\n--- stderr ---\n${run.stderr.trim().slice(-4000)}`;
}

/** Reads `wtrace info --json` and checks the fields this benchmark relies on. */
function traceInfo(tracePath) {
  const args = [WTRACE, 'info', '--json', tracePath];
  const run = runNode(args);
  if (run.status !== 0) throw new BenchError(describeFailure(`node ${args.join(' ')}`, run));
  let info;
  try {
    info = JSON.parse(run.stdout);
  } catch (err) {
    throw new BenchError(`node ${args.join(' ')} did not print JSON (${err.message}):\n${run.stdout.slice(0, 500)}`);
  }
  const total = info?.importCalls?.total;
  const logBytes = info?.inputLog?.storedBytes;
  if (typeof info?.fileSize !== 'number' || typeof total !== 'number' || typeof logBytes !== 'number') {
    throw new BenchError(
      `wtrace info --json lacks numeric fileSize / importCalls.total / inputLog.storedBytes:\n${run.stdout.slice(0, 500)}`,
    );
  }
  if (info.complete !== true) throw new BenchError(`trace ${tracePath} is not marked complete`);
  return { fileSize: info.fileSize, importCalls: total, logBytes, info, json: run.stdout };
}

/** The detail-mode fields of `wtrace info --json` for a `--detail full` trace, checked. */
function fullTraceInfo(tracePath) {
  const { fileSize, info, json } = traceInfo(tracePath);
  const d = info.detailEvents;
  const fields = ['chunks', 'events', 'rawBytes', 'storedBytes', 'keyframes', 'pages', 'pageBytes'];
  if (info.detail !== 'full' || typeof info.instructionCount !== 'string' || !/^\d+$/.test(info.instructionCount) ||
    fields.some((f) => typeof d?.[f] !== 'number')) {
    throw new BenchError(
      `wtrace info --json of a --detail full trace lacks detail "full", a decimal instructionCount string or ` +
        `numeric detailEvents.{${fields.join(', ')}}:\n${json.slice(0, 1500)}`,
    );
  }
  return {
    fullFileSize: fileSize,
    instructions: Number(BigInt(info.instructionCount)),
    events: d.events,
    chunks: d.chunks,
    rawBytes: d.rawBytes,
    storedBytes: d.storedBytes,
    keyframes: d.keyframes,
    pages: d.pages,
    pageBytes: d.pageBytes,
  };
}

/** Checks up front that bin/wtrace.js can record and describe a small fixture, and hostRun runs it. */
function preflight(workDir) {
  if (!existsSync(path.join(repoRoot, WTRACE))) {
    throw new BenchError(`${WTRACE} does not exist yet; the benchmark needs a working \`wtrace record\` and \`wtrace info --json\``);
  }
  const trace = path.join(workDir, 'preflight.wtrace');
  const args = [WTRACE, 'record', '--detail', 'inputs', '-o', trace, 'test/fixtures/wasm/exit_code.wasm', '--', '3'];
  const run = runNode(args);
  if (run.stderr.includes('ERR_MODULE_NOT_FOUND') && run.stderr.includes('/dist/')) {
    throw new BenchError(`${WTRACE} cannot find its compiled code in dist/; run \`npm run build\` first\n${describeFailure(`node ${args.join(' ')}`, run)}`);
  }
  if (run.status !== 3 || run.stdout !== 'exiting with 3\n') {
    throw new BenchError(
      `preflight: node ${args.join(' ')} should print "exiting with 3" and exit 3; it printed ` +
        `${JSON.stringify(run.stdout.slice(0, 200))}\n${describeFailure('it', run)}`,
    );
  }
  traceInfo(trace);
  const hostArgs = [HOST_RUN, 'test/fixtures/wasm/exit_code.wasm', '3'];
  const host = runNode(hostArgs);
  if (host.status !== 3 || host.stdout !== 'exiting with 3\n') {
    throw new BenchError(
      `preflight: node ${hostArgs.join(' ')} should print "exiting with 3" and exit 3; it printed ` +
        `${JSON.stringify(host.stdout.slice(0, 200))}\n${describeFailure('it', host)}`,
    );
  }
}

function commandLines(program, dataDir, tracePath) {
  const wasm = `bench/programs/${program.name}.wasm`;
  const dir = dataDir ? ['--dir', `${dataDir}::/data`] : [];
  return {
    plain: [PLAIN_RUN, ...dir, wasm, ...program.args],
    host: [HOST_RUN, ...dir, wasm, ...program.args],
    // `--` only when there are guest arguments, so that a missing argument never becomes "--".
    recorded: [WTRACE, 'record', '--detail', 'inputs', '-o', tracePath, ...dir, wasm,
      ...(program.args.length > 0 ? ['--', ...program.args] : [])],
    full: [WTRACE, 'record', '--detail', 'full', '-o', tracePath, ...dir, wasm,
      ...(program.args.length > 0 ? ['--', ...program.args] : [])],
  };
}

/**
 * One plain run, one host-only run, one recorded run and one recorded-full run of `program`, in
 * that order; throws if the host-only or a recorded run behaves differently from the plain one.
 */
function runRound(program, workDir) {
  const freshDir = (label) => (program.needsDataDir ? mkdtempSync(path.join(workDir, `${label}-`)) : null);
  const plainDir = freshDir('plain');
  const hostDir = freshDir('host');
  const recordDir = freshDir('record');
  const fullDir = freshDir('full');
  const tracePath = path.join(workDir, `${program.name}.wtrace`);
  const fullTracePath = path.join(workDir, `${program.name}.full.wtrace`);
  rmSync(tracePath, { force: true });
  rmSync(fullTracePath, { force: true });
  const plainArgs = commandLines(program, plainDir, tracePath).plain;
  const hostArgs = commandLines(program, hostDir, tracePath).host;
  const recordedArgs = commandLines(program, recordDir, tracePath).recorded;
  const fullArgs = commandLines(program, fullDir, fullTracePath).full;

  const plain = runNode(plainArgs);
  if (plain.status !== 0) throw new BenchError(describeFailure(`node ${plainArgs.join(' ')}`, plain));
  const host = runNode(hostArgs);
  if (host.status !== 0) throw new BenchError(describeFailure(`node ${hostArgs.join(' ')}`, host));
  const recorded = runNode(recordedArgs);
  if (recorded.status !== 0) throw new BenchError(describeFailure(`node ${recordedArgs.join(' ')}`, recorded));
  const info = traceInfo(tracePath);
  // Building the detail index of the inputs-only trace (issue 4): re-execution with the same compiler.
  const indexArgs = [WTRACE, 'index', tracePath];
  const indexed = runNode(indexArgs);
  if (indexed.status !== 0) throw new BenchError(describeFailure(`node ${indexArgs.join(' ')}`, indexed));
  // `wtrace index` builds the detail events, then stores the timeline index (the replay's
  // checkpoints); it reports each part's time, and the child's wall time covers both.
  const detailPart = /^indexed .* in ([\d.]+) s$/m.exec(indexed.stdout);
  const timelinePart = /^stored the timeline index .* in ([\d.]+) s$/m.exec(indexed.stdout);
  if (!detailPart || !timelinePart) throw new BenchError(`wtrace index printed no part times:\n${indexed.stdout}`);
  rmSync(tracePath, { force: true }); // before the full run, so that the disk holds one trace at a time
  const full = runNode(fullArgs);
  if (full.status !== 0) throw new BenchError(describeFailure(`node ${fullArgs.join(' ')}`, full));
  for (const [label, run] of [['host-only', host], ['recorded', recorded], ['recorded full', full]]) {
    if (run.stdout !== plain.stdout) {
      throw new BenchError(`${program.name}: ${label} stdout differs from plain stdout\nplain:    ${plain.stdout}\n${label}: ${run.stdout}`);
    }
  }
  const fullInfo = fullTraceInfo(fullTracePath);
  for (const dir of [plainDir, hostDir, recordDir, fullDir, fullTracePath]) if (dir) rmSync(dir, { recursive: true, force: true });
  return {
    plainSeconds: plain.seconds,
    hostSeconds: host.seconds,
    recordedSeconds: recorded.seconds,
    fullSeconds: full.seconds,
    indexSeconds: indexed.seconds,
    indexDetailSeconds: Number(detailPart[1]),
    indexTimelineSeconds: Number(timelinePart[1]),
    fileSize: info.fileSize,
    importCalls: info.importCalls,
    logBytes: info.logBytes,
    ...fullInfo,
  };
}

/** Per-call costs are only printed for programs making at least this many import calls. */
const PER_CALL_MIN_CALLS = 10_000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarize(program, rounds) {
  const plain = median(rounds.map((r) => r.plainSeconds));
  const host = median(rounds.map((r) => r.hostSeconds));
  const recorded = median(rounds.map((r) => r.recordedSeconds));
  const calls = median(rounds.map((r) => r.importCalls));
  const bytes = median(rounds.map((r) => r.fileSize));
  const logBytes = median(rounds.map((r) => r.logBytes));
  const full = median(rounds.map((r) => r.fullSeconds));
  const m = (key) => median(rounds.map((r) => r[key]));
  const instructions = m('instructions');
  const events = m('events');
  const fullBytes = m('fullFileSize');
  const detailBytes = median(rounds.map((r) => r.storedBytes + r.pageBytes));
  return {
    name: program.name,
    what: program.what,
    plain,
    host,
    recorded,
    slowdown: recorded / plain,
    hostSlowdown: host / plain,
    recordOverHost: recorded / host,
    // What each import call costs the host over node:wasi, and what recording adds per call,
    // in microseconds (differences of medians, so they include fixed start-up costs too; with
    // fewer than PER_CALL_MIN_CALLS calls they would only be start-up costs, so n/a).
    hostMicrosPerCall: calls >= PER_CALL_MIN_CALLS ? ((host - plain) / calls) * 1e6 : NaN,
    recordMicrosPerCall: calls >= PER_CALL_MIN_CALLS ? ((recorded - host) / calls) * 1e6 : NaN,
    // Spread of the per-round ratio recorded/plain (each round's runs are back to back).
    slowdownMin: Math.min(...rounds.map((r) => r.recordedSeconds / r.plainSeconds)),
    slowdownMax: Math.max(...rounds.map((r) => r.recordedSeconds / r.plainSeconds)),
    importCalls: calls,
    callsPerSecond: calls / recorded,
    traceBytes: bytes,
    bytesPerCall: calls > 0 ? bytes / calls : NaN,
    logBytes,
    logBytesPerCall: calls > 0 ? logBytes / calls : NaN,
    full,
    fullSlowdown: full / plain,
    fullOverRecorded: full / recorded,
    fullSlowdownMin: Math.min(...rounds.map((r) => r.fullSeconds / r.plainSeconds)),
    fullSlowdownMax: Math.max(...rounds.map((r) => r.fullSeconds / r.plainSeconds)),
    index: m('indexSeconds'),
    indexDetail: m('indexDetailSeconds'),
    indexTimeline: m('indexTimelineSeconds'),
    indexDetailSlowdown: m('indexDetailSeconds') / plain,
    indexSlowdown: m('indexSeconds') / plain,
    indexSlowdownMin: Math.min(...rounds.map((r) => r.indexSeconds / r.plainSeconds)),
    indexSlowdownMax: Math.max(...rounds.map((r) => r.indexSeconds / r.plainSeconds)),
    instructions,
    events,
    eventsPerSecond: events / full,
    eventsPerKiloInstr: instructions > 0 ? (events / instructions) * 1000 : NaN,
    fullBytes,
    fullBytesPerInstr: instructions > 0 ? fullBytes / instructions : NaN,
    detailBytes,
    detailBytesPerInstr: instructions > 0 ? detailBytes / instructions : NaN,
    rawBytes: m('rawBytes'),
    storedBytes: m('storedBytes'),
    rawBytesPerEvent: events > 0 ? m('rawBytes') / events : NaN,
    chunks: m('chunks'),
    keyframes: m('keyframes'),
    pages: m('pages'),
    pageBytes: m('pageBytes'),
    rounds,
  };
}

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');

function printReport(results, options) {
  const command = `node bench/record.mjs --rounds ${options.rounds}` +
    options.programs.map((p) => ` --program ${p}`).join('');
  console.log(`\nCommand: ${command}`);
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cpus), ${os.platform()} ${os.release()}`);
  console.log(`Each round runs, per program: node ${PLAIN_RUN} [--dir TMP::/data] bench/programs/NAME.wasm`);
  console.log(`                          then node ${HOST_RUN} [--dir TMP::/data] bench/programs/NAME.wasm`);
  console.log(`                          then node ${WTRACE} record --detail inputs -o TMP/NAME.wtrace [--dir TMP::/data] bench/programs/NAME.wasm`);
  console.log(`                          then node ${WTRACE} index TMP/NAME.wtrace (the detail index, by re-execution)`);
  console.log(`                          then node ${WTRACE} record --detail full -o TMP/NAME.full.wtrace [--dir TMP::/data] bench/programs/NAME.wasm`);
  console.log('Times are wall-clock seconds of the whole child process (median of the rounds).');
  console.log('µs/call: host = (host only - plain) / calls, recorder = (recorded - host only) / calls ' +
    `(medians; n/a below ${int(PER_CALL_MIN_CALLS)} calls, where only start-up costs would show).`);
  console.log('log bytes = inputLog.storedBytes of `wtrace info --json` (compressed input log, without module or SQLite overhead).\n');
  for (const r of results) {
    console.log(`${r.name}: plain ${fmt(r.plain)} s, host only ${fmt(r.host)} s, recorded ${fmt(r.recorded)} s; ` +
      `recorded/plain ${fmt(r.slowdown)}x (rounds ${fmt(r.slowdownMin)}-${fmt(r.slowdownMax)}x), host-only/plain ${fmt(r.hostSlowdown)}x, recorded/host-only ${fmt(r.recordOverHost)}x; ` +
      `${int(r.importCalls)} import calls, ${int(r.callsPerSecond)} calls/s recorded, ` +
      `host ${fmt(r.hostMicrosPerCall, 2)} µs/call, recorder ${fmt(r.recordMicrosPerCall, 2)} µs/call; ` +
      `trace ${int(r.traceBytes)} bytes (${fmt(r.bytesPerCall, 1)}/call), input log ${int(r.logBytes)} bytes (${fmt(r.logBytesPerCall, 2)}/call)`);
  }
  console.log('\n| program | workload | plain (s) | host only (s) | recorded (s) | recorded/plain | host-only/plain | recorded/host-only | ' +
    'import calls | calls/s recorded | host µs/call | recorder µs/call | trace bytes | bytes/call | log bytes | log bytes/call |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.what} | ${fmt(r.plain)} | ${fmt(r.host)} | ${fmt(r.recorded)} | ` +
      `${fmt(r.slowdown)}x | ${fmt(r.hostSlowdown)}x | ${fmt(r.recordOverHost)}x | ` +
      `${int(r.importCalls)} | ${int(r.callsPerSecond)} | ${fmt(r.hostMicrosPerCall, 2)} | ${fmt(r.recordMicrosPerCall, 2)} | ` +
      `${int(r.traceBytes)} | ${fmt(r.bytesPerCall, 1)} | ${int(r.logBytes)} | ${fmt(r.logBytesPerCall, 2)} |`);
  }
  console.log('\n`--detail full` (medians; instructions = instructionCount, events = detailEvents.events, ' +
    'detail bytes = detailEvents.storedBytes + detailEvents.pageBytes, trace bytes = fileSize):\n');
  for (const r of results) {
    console.log(`${r.name}: full ${fmt(r.full)} s; full/plain ${fmt(r.fullSlowdown)}x (rounds ${fmt(r.fullSlowdownMin)}-${fmt(r.fullSlowdownMax)}x), ` +
      `full/recorded-inputs ${fmt(r.fullOverRecorded)}x; ${int(r.instructions)} instructions, ${int(r.events)} events ` +
      `(${fmt(r.eventsPerKiloInstr, 1)} per 1000 instr, ${int(r.eventsPerSecond)}/s); trace ${int(r.fullBytes)} bytes ` +
      `(${fmt(r.fullBytesPerInstr, 3)}/instr), detail ${int(r.detailBytes)} bytes (${fmt(r.detailBytesPerInstr, 3)}/instr); ` +
      `raw events ${int(r.rawBytes)} bytes (${fmt(r.rawBytesPerEvent, 1)}/event) in ${int(r.chunks)} chunks, stored ${int(r.storedBytes)}; ` +
      `${int(r.keyframes)} keyframes, ${int(r.pages)} distinct pages, ${int(r.pageBytes)} page bytes`);
  }
  console.log('\n| program | plain (s) | recorded inputs (s) | recorded full (s) | full/plain | full/plain rounds | full/inputs | ' +
    'index (s) | index/plain (rounds) | of which detail (s) | detail/plain | timeline index (s) | ' +
    'instructions | detail events | events/1000 instr | events/s | trace bytes | trace bytes/instr | detail bytes | detail bytes/instr |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.name} | ${fmt(r.plain)} | ${fmt(r.recorded)} | ${fmt(r.full)} | ${fmt(r.fullSlowdown)}x | ` +
      `${fmt(r.fullSlowdownMin)}-${fmt(r.fullSlowdownMax)}x | ${fmt(r.fullOverRecorded)}x | ` +
      `${fmt(r.index)} | ${fmt(r.indexSlowdown)}x (${fmt(r.indexSlowdownMin)}-${fmt(r.indexSlowdownMax)}x) | ` +
      `${fmt(r.indexDetail)} | ${fmt(r.indexDetailSlowdown)}x | ${fmt(r.indexTimeline)} | ${int(r.instructions)} | ${int(r.events)} | ` +
      `${fmt(r.eventsPerKiloInstr, 1)} | ${int(r.eventsPerSecond)} | ${int(r.fullBytes)} | ${fmt(r.fullBytesPerInstr, 3)} | ` +
      `${int(r.detailBytes)} | ${fmt(r.detailBytesPerInstr, 3)} |`);
  }
  console.log('\n| program | raw event bytes | raw bytes/event | stored event bytes | chunks | keyframes | distinct pages | page bytes |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.name} | ${int(r.rawBytes)} | ${fmt(r.rawBytesPerEvent, 1)} | ${int(r.storedBytes)} | ${int(r.chunks)} | ` +
      `${int(r.keyframes)} | ${int(r.pages)} | ${int(r.pageBytes)} |`);
  }
  console.log('\nPer-round times (seconds, plain / host only / recorded inputs / recorded full / index):\n');
  console.log(`| round | ${results.map((r) => r.name).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---').join('|')}|`);
  for (let i = 0; i < options.rounds; i++) {
    console.log(`| ${i + 1} | ${results.map((r) => {
      const x = r.rounds[i];
      return `${fmt(x.plainSeconds)} / ${fmt(x.hostSeconds)} / ${fmt(x.recordedSeconds)} / ${fmt(x.fullSeconds)} / ${fmt(x.indexSeconds)}`;
    }).join(' | ')} |`);
  }
  console.log(`\n${options.rounds} rounds, medians; \`${command}\` on Node ${process.version}.`);
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const programs = PROGRAMS.filter((p) => options.programs.length === 0 || options.programs.includes(p.name));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-'));
  try {
    preflight(workDir);
    const rounds = new Map(programs.map((p) => [p.name, []]));
    for (let round = 1; round <= options.rounds; round++) {
      for (const program of programs) {
        const r = runRound(program, workDir);
        rounds.get(program.name).push(r);
        console.error(`round ${round}/${options.rounds} ${program.name}: plain ${fmt(r.plainSeconds)} s, ` +
          `host only ${fmt(r.hostSeconds)} s, recorded ${fmt(r.recordedSeconds)} s, recorded full ${fmt(r.fullSeconds)} s, index ${fmt(r.indexSeconds)} s ` +
          `(load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
      }
    }
    printReport(programs.map((p) => summarize(p, rounds.get(p.name))), options);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  if (!(err instanceof BenchError)) throw err;
  console.error(`bench/record.mjs: ${err.message}`);
  process.exitCode = 1;
}
