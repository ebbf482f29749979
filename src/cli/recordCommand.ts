/** `wtrace record`: run a WASI program as `wasmtime run` would, writing its trace. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import type { RecordResult } from '../record/index.js';
import type { Preopen } from '../wasi/index.js';
import { collect, parsePositiveInt } from './options.js';

interface RecordFlags {
  dir: string[];
  env: string[];
  output?: string;
  detail: string;
  invoke?: string;
  allowUnknownImports?: boolean;
  stackSize?: number;
  window?: string;
  last?: string;
  snapshotEvery?: string;
}

export function registerRecord(program: Command, setExit: (code: number) => void): void {
  program
    .command('record')
    .description('run a WASI program as `wasmtime run` would and record its execution into a trace')
    .argument('<wasm>', 'the WebAssembly module to run')
    .argument('[args...]', "the program's arguments (after --, or after the module)")
    .option('--dir <HOST[::GUEST]>', 'give the program a host directory, seen as GUEST (repeatable)', collect, [])
    .option('--env <NAME[=VALUE]>', 'set an environment variable; NAME alone passes ours (repeatable)', collect, [])
    .option('-o, --output <file>', 'trace file to write (default: <module name>.wtrace here)')
    .option('--detail <level>', 'what to record: inputs (the input log; default) or full (also detail events)', 'inputs')
    .option('--window <FROM..TO>', 'full: keep detail events only between these instruction times')
    .option('--last <N>', 'full: keep detail events only for the last N instructions (flight recorder)')
    .option('--snapshot-every <N|off>', 'full: instructions between locals snapshots (default 65536; off: none)')
    .option('--invoke <name>', 'reactor: call _initialize, then this export')
    .option('--allow-unknown-imports', 'stub imports outside WASI preview1 with functions that trap when called')
    .option('--stack-size <MiB>', 'stack for the program (default 256)', parsePositiveInt)
    .passThroughOptions()
    .action(async (wasm: string, args: string[], flags: RecordFlags) => {
      const options = toOptions(wasm, args, flags);
      // Loaded here, not with the command line: only the worker launcher (the recorder itself,
      // SQLite and the host, load on the worker thread), and no other command needs it.
      const { record } = await import('../record/recordInWorker.js');
      setExit(report(wasm, await record(options)));
    });
}

function toOptions(wasm: string, args: string[], flags: RecordFlags) {
  if (flags.detail !== 'inputs' && flags.detail !== 'full') {
    throw new UsageError(`--detail ${flags.detail}: expected "inputs" or "full"`);
  }
  if ((flags.window || flags.last) && flags.detail !== 'full') {
    throw new UsageError('--window and --last bound detail events: they need --detail full');
  }
  if (flags.window && flags.last) throw new UsageError('--window and --last cannot be combined');
  if (flags.snapshotEvery !== undefined && flags.detail !== 'full') throw new UsageError('--snapshot-every sets where detail events hold locals: it needs --detail full');
  return {
    snapshotInterval: flags.snapshotEvery === undefined ? undefined : parseSnapshotEvery(flags.snapshotEvery),
    bounds: { window: flags.window ? parseWindow(flags.window) : null, last: flags.last ? parseCount('--last', flags.last) : null },
    wasmPath: wasm,
    // With pass-through options commander keeps the `--` that separates the program's arguments.
    args: args[0] === '--' ? args.slice(1) : args,
    env: flags.env.map(parseEnv),
    dirs: flags.dir.map(parseDir),
    output: flags.output ?? `${path.basename(wasm).replace(/\.wasm$/, '')}.wtrace`,
    detail: flags.detail,
    invoke: flags.invoke ?? null,
    allowUnknownImports: flags.allowUnknownImports ?? false,
    stackSizeMb: flags.stackSize,
  } as const;
}

/** Instruction times a trace stores (SQLite integers, the module's i64 counter) stay below this. */
const TIME_LIMIT = 2n ** 63n;

/** `FROM..TO` in executed instructions (either side may be empty: from the start, to the end). */
function parseWindow(spec: string): { from: bigint; to: bigint } {
  const m = /^(\d*)\.\.(\d*)$/.exec(spec);
  if (m === null) throw new UsageError(`--window ${spec}: expected FROM..TO in executed instructions, e.g. 1000000..2000000`);
  const from = m[1] === '' ? 0n : BigInt(m[1]);
  const to = m[2] === '' ? TIME_LIMIT - 1n : BigInt(m[2]);
  if (to >= TIME_LIMIT) throw new UsageError(`--window ${spec}: instruction times stop below 2^63`);
  if (to < from) throw new UsageError(`--window ${spec}: TO is before FROM`);
  return { from, to };
}

/** `--snapshot-every`: a positive instruction count below 2^63, or `off`. */
function parseSnapshotEvery(spec: string): bigint | false {
  if (spec === 'off') return false;
  if (!/^\d+$/.test(spec) || BigInt(spec) === 0n || BigInt(spec) >= TIME_LIMIT) {
    throw new UsageError(`--snapshot-every ${spec}: expected a positive number of instructions below 2^63, or off`);
  }
  return BigInt(spec);
}

function parseCount(option: string, spec: string): bigint {
  if (!/^\d+$/.test(spec) || BigInt(spec) === 0n || BigInt(spec) >= TIME_LIMIT) {
    throw new UsageError(`${option} ${spec}: expected a positive number of instructions below 2^63`);
  }
  return BigInt(spec);
}

/** `NAME=VALUE` as given; `NAME` alone takes our own value, as wasmtime does. */
function parseEnv(spec: string): string {
  if (spec.startsWith('=') || spec === '') throw new UsageError(`--env ${spec}: expected NAME=VALUE or NAME`);
  if (spec.includes('=')) return spec;
  const value = process.env[spec];
  if (value === undefined) throw new UsageError(`--env ${spec}: not set in this environment`);
  return `${spec}=${value}`;
}

/** wasmtime's `HOST[::GUEST]`; the guest path defaults to HOST as written. */
function parseDir(spec: string): Preopen {
  const [hostPath, guestPath, extra] = spec.split('::');
  if (!hostPath || guestPath === '' || extra !== undefined) throw new UsageError(`--dir ${spec}: expected HOST or HOST::GUEST`);
  return { hostPath, guestPath: guestPath ?? hostPath };
}

function report(wasm: string, result: RecordResult): number {
  if (result.trap !== null) {
    const t = result.trap;
    const where =
      t.functionIndex === undefined
        ? ''
        : ` in function ${t.functionName ?? `#${t.functionIndex}`} (#${t.functionIndex}) at pc 0x${t.pc?.toString(16)}`;
    process.stderr.write(`Error: ${wasm}: wasm trap: ${t.message}${where}\n`);
    return ExitCode.trap;
  }
  if (process.stderr.isTTY) {
    const detail = result.instructions === null ? '' : `, ${result.instructions.toLocaleString('en-US')} instructions, ${result.detailEvents.toLocaleString('en-US')} detail events`;
    process.stderr.write(`wtrace: recorded ${result.importCalls} import calls${detail} into ${result.tracePath}\n`);
  }
  return result.exitCode;
}
