/** Runs the real `wtrace` CLI (from the build) and the plain node:wasi baseline as child processes. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const fixture = (name: string) => path.join('test/fixtures/wasm', `${name}.wasm`);

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Uint8Array;
  cwd?: string;
  /** Extra environment variables for the child (on top of ours). */
  env?: Record<string, string>;
}

function run(args: string[], options: RunOptions = {}): RunResult {
  const r = spawnSync(process.execPath, args, {
    cwd: options.cwd ?? root,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `wtrace ...args` from the repository root (or `cwd`). */
export function wtrace(args: string[], options?: RunOptions): RunResult {
  return run([path.join(root, 'bin/wtrace.js'), ...args], options);
}

/** The program run plainly on node:wasi, the "without recording" side. */
export function plain(args: string[], options?: RunOptions): RunResult {
  return run([path.join(root, 'test/fixtures/plainRun.mjs'), ...args], options);
}

export function tempDir(prefix = 'wtrace-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under `dir` with its contents, for comparing two directory trees. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, full);
    out[rel] = e.isDirectory() ? '<dir>' : fs.readFileSync(full, 'latin1');
  }
  return out;
}

/** True when `tool` is on PATH. */
export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

/**
 * Whether to skip a test that needs `tool`: only when it is absent and we are not in CI (CI
 * installs every tool the tests need, so there a missing tool fails the test instead).
 */
export function skipWithout(tool: string): boolean {
  return !hasTool(tool) && !process.env.CI;
}

/** A `wtrace record` of a stdin-reading program, running in the background with piped stdio. */
export function spawnRecording(trace: string, wasm: string): { child: ChildProcess; stdout: () => string } {
  const child = spawn(process.execPath, [path.join(root, 'bin/wtrace.js'), 'record', '-o', trace, wasm], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return { child, stdout: () => out };
}

/** Resolves once `predicate` holds, polling every 20 ms; rejects after `ms`. */
export function waitFor(predicate: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (predicate()) resolve();
      else if (Date.now() > deadline) reject(new Error('timed out'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}
