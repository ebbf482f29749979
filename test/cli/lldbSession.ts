/**
 * Helpers for the end-to-end LLDB tests: a real `wtrace replay --gdb` server on a free port, and
 * scripted runs of a real LLDB against it whose output is split by command, in order. LLDB runs
 * without `--batch` (a history-boundary stop would end a batch); note that LLDB still stops
 * running `-o` commands after one fails, which `Transcript.out` reports with the whole output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fixture, root, tempDir, waitFor, wtrace } from '../helpers/run.js';

/** A running `wtrace replay --gdb 127.0.0.1:0 TRACE`. */
export interface ReplayServer {
  readonly port: number;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  stop(): void;
}

export async function startReplayServer(trace: string): Promise<ReplayServer> {
  let err = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin/wtrace.js'), 'replay', '--gdb', '127.0.0.1:0', trace], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const listening = /listening on 127\.0\.0\.1:(\d+)/;
  await waitFor(() => listening.test(err) || child.exitCode !== null, 20_000);
  const m = listening.exec(err);
  if (!m) throw new Error(`wtrace replay --gdb did not start:\n${err}`);
  return { port: Number(m[1]), stderr: () => err, stop: () => child.kill('SIGINT') };
}

/** Records debug_target.c's fixture with full detail and serves it: the set-up of the LLDB test files. */
export async function serveDebugTarget(): Promise<ReplayServer> {
  const trace = path.join(tempDir(), 'debug_target.wtrace');
  const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture('debug_target')]);
  if (r.status !== 0) throw new Error(`recording debug_target failed (exit ${r.status}): ${r.stderr}`);
  return startReplayServer(trace);
}

/** LLDB's output split at its `(lldb) ` prompts: one entry per command, in order. */
export class Transcript {
  constructor(readonly text: string, readonly entries: ReadonlyArray<{ readonly command: string; readonly output: string }>) {}

  /** The output of the `nth` (0-based) run of `command`; throws with the whole transcript if there is none. */
  out(command: string, nth = 0): string {
    const found = this.entries.filter((e) => e.command === command)[nth];
    if (!found) throw new Error(`no output for run ${nth} of '${command}' in:\n${this.text}`);
    return found.output;
  }
}

/** Runs `lldb` (`-o` per command, then quit) in `cwd` and returns its transcript; rejects after `timeoutMs`. */
export async function runLldb(lldb: string, commands: readonly string[], timeoutMs = 60_000, extraArgs: readonly string[] = [], cwd = root): Promise<Transcript> {
  const args = ['--no-lldbinit', ...extraArgs, ...commands.flatMap((c) => ['-o', c]), '-o', 'quit'];
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn(lldb, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c));
    child.stderr!.on('data', (c: Buffer) => (out += c));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${lldb} timed out:\n${out}`));
    }, timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
  const entries = text.split(/^\(lldb\) /m).slice(1).map((block) => {
    const nl = block.indexOf('\n');
    return nl < 0 ? { command: block.trim(), output: '' } : { command: block.slice(0, nl).trim(), output: block.slice(nl + 1) };
  });
  return new Transcript(text, entries);
}

/** The lldb-22 command that connects to `port` with the Wasm plugin. */
export const wasmConnect = (port: number) => `process connect --plugin wasm connect://127.0.0.1:${port}`;
