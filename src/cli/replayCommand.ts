/**
 * `wtrace replay [TRACE]`: move through a recorded execution. The terminal UI by default;
 * `--gdb [HOST:]PORT` serves it to LLDB; `--debugger SCRIPT` runs a debug script against it;
 * `--verify` only checks that it reproduces. Without TRACE, the newest `.wtrace` file in the
 * current directory. The root option `--lldb-launch=PORT` (registered here, valid only before
 * `replay`) is the form LLDB's launch mode runs: see gdbServe.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import type { OpenOptions, VerifyResult } from '../../replay/index.js';

interface ReplayFlags {
  verify?: boolean;
  gdb?: string;
  debugger?: string;
  sourceRoot?: string;
}

export function registerReplay(program: Command, setExit: (code: number) => void): void {
  program
    .option('--lldb-launch <port>', 'how LLDB\'s wasm platform starts a replay (`process launch`): `wtrace --lldb-launch=PORT replay APP.wasm [TRACE]`; see docs/gdbstub.md')
    .hook('preSubcommand', (root, sub) => {
      if (root.opts().lldbLaunch !== undefined && sub.name() !== 'replay') throw new UsageError(`--lldb-launch goes with \`replay\`, not \`${sub.name()}\``);
    });
  program
    .command('replay')
    .description('move through a recorded execution, forward and backward: terminal UI, LLDB (--gdb), a debug script (--debugger), or --verify')
    .argument('[trace]', 'the trace file (default: the newest .wtrace in the current directory)')
    .argument('[args...]', 'after --: arguments for the --debugger script')
    .option('--verify', 're-execute from the input log alone and report the first divergence, if any')
    .option('--gdb <[host:]port>', 'serve the replay over the GDB remote protocol for lldb-22 (binds 127.0.0.1 unless a host is given)')
    .option('--debugger <script>', 'run an ES module exporting debug(debuggee, args) against the replay')
    .option('--source-root <dir>', 'where the terminal UI finds the source files DWARF names (default: the current directory)')
    .action(async (file: string | undefined, args: string[], flags: ReplayFlags) => {
      const modes = [flags.verify, flags.gdb, flags.debugger].filter((m) => m !== undefined);
      if (modes.length > 1) throw new UsageError('choose one of --verify, --gdb and --debugger');
      const launchPort = program.opts().lldbLaunch as string | undefined;
      if (launchPort !== undefined) {
        if (modes.length > 0 || flags.sourceRoot !== undefined) throw new UsageError('--lldb-launch serves the replay to LLDB: no --verify, --gdb, --debugger or --source-root with it');
        return launchForLldb(launchPort, file, args);
      }
      const trace = file ?? newestTrace(process.cwd());
      if (flags.verify) {
        const { verify } = await import('../../replay/index.js');
        const result = await verify(trace);
        process.stdout.write(formatVerify(result));
        setExit(result.reproduced ? ExitCode.ok : ExitCode.divergence);
        return;
      }
      const ui = flags.debugger === undefined && flags.gdb === undefined;
      if (ui) (await import('../../tui/terminal.js')).assertInteractiveTerminal({ stdin: process.stdin, stdout: process.stdout });
      // A bad address fails before the (possibly long) open.
      const gdb = flags.gdb === undefined ? null : await import('./gdbServe.js');
      const listen = gdb?.parseListenAddress(flags.gdb!) ?? null;
      // The UI's modules (ink, React: most of its start-up) load alongside the engine's and the open.
      const tuiLoading = ui ? import('../../tui/load.js').then((load) => load.loadTui()) : null;
      tuiLoading?.catch(() => {}); // awaited below; an open that fails first reports its own error
      const { openReplay } = await import('../../replay/index.js');
      performance.mark('wtrace:engine-loaded', { detail: process.threadCpuUsage() });
      const debuggee = await openReplay(trace, indexProgress(trace));
      performance.mark('wtrace:engine-open', { detail: process.threadCpuUsage() });
      try {
        if (flags.debugger !== undefined) {
          const { runDebugScript } = await import('../debug/debugScript.js');
          await runDebugScript(flags.debugger, debuggee, args);
        } else if (gdb !== null && listen !== null) {
          await gdb.serveFromCli(debuggee, listen, trace);
        } else {
          const tui = await tuiLoading!;
          performance.mark('wtrace:tui-loaded', { detail: process.threadCpuUsage() });
          await tui.runTui(debuggee, { stdin: process.stdin, stdout: process.stdout, traceName: path.basename(trace), sourceRoot: flags.sourceRoot });
        }
      } finally {
        debuggee.close();
      }
    });
}

/** LLDB's launch mode: the module and trace from LLDB's arguments, checked, served once. */
async function launchForLldb(port: string, module: string | undefined, args: string[]): Promise<void> {
  const gdb = await import('./gdbServe.js');
  const request = gdb.parseLaunchArgs(port, module, args, () => newestTrace(process.cwd()));
  const moduleBytes = gdb.readLaunchModule(request);
  const { openReplay } = await import('../../replay/index.js');
  const debuggee = await openReplay(request.trace, indexProgress(request.trace));
  try {
    gdb.checkLaunchModule(debuggee, request, moduleBytes);
    await gdb.serveForLldbLaunch(debuggee, request);
  } finally {
    debuggee.close();
  }
}

/** The newest `*.wtrace` in `dir`, or a usage error saying there is none. */
export function newestTrace(dir: string): string {
  const traces = fs.readdirSync(dir).filter((f) => f.endsWith('.wtrace')).map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }));
  if (traces.length === 0) throw new UsageError(`no .wtrace file in ${dir === process.cwd() ? 'the current directory' : dir}; record one with \`wtrace record app.wasm\` or name the trace`);
  traces.sort((a, b) => b.t - a.t);
  return traces[0].f;
}

/** Events below which the timeline's pass is quick enough (well under a second) to need no progress line. */
const QUIET_PASS_EVENTS = 2_000_000;

/**
 * Progress on stderr: of building the detail index (a live line on a terminal, a summary
 * otherwise), and of the timeline's pass over a large trace's events (a live line on a terminal).
 */
function indexProgress(trace: string): OpenOptions {
  let started = 0;
  return {
    onTimelineProgress: (done, total) => {
      if (!process.stderr.isTTY || total < QUIET_PASS_EVENTS) return;
      process.stderr.write(done >= total ? '\r\x1b[K' : `\r  reading the recording: ${Math.floor((done * 100) / total)}% of ${total.toLocaleString('en-US')} events`);
    },
    onTimelineOpen: ({ indexOrigin: o }) => {
      if (o.notWritten !== null) process.stderr.write(`note: ${trace}: the timeline index was not stored (${o.notWritten}); the next open reads every event again\n`);
    },
    onIndexProgress: (done, total) => {
      if (started === 0) {
        started = Date.now();
        process.stderr.write(`${trace} has no detail index yet; building it by re-executing the recording (stored in the trace for next time)\n`);
      }
      if (process.stderr.isTTY && total !== null && total > 0n) {
        process.stderr.write(`\r  ${Number((done * 100n) / total)}% of ${total.toLocaleString('en-US')} instructions`);
        if (done >= total) process.stderr.write('\n');
      }
    },
  };
}

/** One line when reproduced; the divergence in detail otherwise. */
export function formatVerify(r: VerifyResult): string {
  const instructions = `${r.instructions.toLocaleString('en-US')} instructions`;
  if (r.reproduced) {
    const end =
      r.end.kind === 'exit' ? `exit code ${r.end.exitCode}` :
      r.end.kind === 'trap' ? `trap: ${r.end.message}` :
      'end of the incomplete recording';
    return `reproduced: ${instructions}, ${r.importCallsReplayed} import calls, ${end}\n`;
  }
  const d = r.divergence!;
  const where = d.functionIndex === null ? '' : ` in ${d.functionName ?? 'function'} (#${d.functionIndex}) at pc 0x${d.pc?.toString(16)}`;
  const time = d.time === null ? '' : ` (time ${d.time})`;
  const at = d.callIndex === null ? `at the end of the run${time}` : `at import call ${d.callIndex}${time}${where}`;
  return `DIVERGED ${at}\n  recorded: ${d.expected}\n  replayed: ${d.actual}\n` +
    `  (${r.importCallsReplayed} of ${r.importCallsRecorded} import calls reproduced before it)\n`;
}
