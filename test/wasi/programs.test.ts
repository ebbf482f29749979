/**
 * Real programs (clang wasm32-wasi fixtures, linked with wasi-libc) run on the live host in
 * process, compared with the same program on Node's node:wasi where both should agree, and
 * with the specification where node:wasi does not (closing stdout).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WasiExit, type WasiHost } from '../../src/wasi/hostTypes.js';
import { createLiveHost } from '../../src/wasi/liveHost.js';
import { WASI_MODULE } from '../../src/wasi/signatures.js';
import { plain, root, snapshotTree, tempDir } from '../helpers/run.js';
import { FixedSource, RecordingSink } from './harness.js';

let host: WasiHost | undefined;
afterEach(() => host?.close());

interface Run { code: number; stdout: string; stderr: string }

function runLive(name: string, opts: { args?: string[]; env?: string[]; dir?: [string, string]; stdin?: string } = {}): Run {
  const stdout = new RecordingSink();
  const stderr = new RecordingSink();
  host = createLiveHost({
    args: [`${name}.wasm`, ...(opts.args ?? [])],
    env: opts.env ?? [],
    preopens: opts.dir ? [{ hostPath: opts.dir[0], guestPath: opts.dir[1] }] : [],
    stdin: new FixedSource(new TextEncoder().encode(opts.stdin ?? '')),
    stdout,
    stderr,
  });
  const module = new WebAssembly.Module(fs.readFileSync(path.join(root, 'test/fixtures/wasm', `${name}.wasm`)));
  const instance = new WebAssembly.Instance(module, { [WASI_MODULE]: host.functions });
  host.memory.bind(instance.exports.memory as WebAssembly.Memory);
  let code = 0;
  try {
    (instance.exports._start as () => void)();
  } catch (e) {
    if (!(e instanceof WasiExit)) throw e;
    code = e.code;
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('real programs on the live host', () => {
  it('fileio produces the same output and files as node:wasi', () => {
    const live = tempDir();
    const base = tempDir();
    fs.cpSync(path.join(root, 'test/fixtures/data/fileio'), live, { recursive: true });
    fs.cpSync(path.join(root, 'test/fixtures/data/fileio'), base, { recursive: true });
    const r = runLive('fileio', { dir: [live, '/data'] });
    const p = plain(['--dir', `${base}::/data`, 'test/fixtures/wasm/fileio.wasm']);
    expect(r.stderr).toBe(p.stderr);
    expect([r.code, r.stdout]).toEqual([p.status, p.stdout]);
    expect(snapshotTree(live)).toEqual(snapshotTree(base));
    fs.rmSync(live, { recursive: true });
    fs.rmSync(base, { recursive: true });
  });

  it('args_env sees its arguments and environment', () => {
    const r = runLive('args_env', { args: ['GREETING', 'MISSING'], env: ['GREETING=hello'] });
    const p = plain(['--env', 'GREETING=hello', 'test/fixtures/wasm/args_env.wasm', 'GREETING', 'MISSING']);
    expect([r.code, r.stdout]).toEqual([p.status, p.stdout]);
  });

  it('stdin_upper reads stdin through the ByteSource', () => {
    const r = runLive('stdin_upper', { stdin: 'hello\nworld\n' });
    const p = plain(['test/fixtures/wasm/stdin_upper.wasm'], { input: 'hello\nworld\n' });
    expect([r.code, r.stdout]).toEqual([p.status, p.stdout]);
  });

  it('close_stdout closes only the guest fd 1', () => {
    const r = runLive('close_stdout');
    expect(r.stdout).toBe('before close\n');
    expect(r.stderr).toContain('close(1) = 0');
    expect(r.stderr).toContain('write after close failed: EBADF');
    expect(r.code).toBe(0);
    expect(() => fs.fstatSync(1)).not.toThrow();
  });

  it('exit_code passes proc_exit through WasiExit', () => {
    const p = plain(['test/fixtures/wasm/exit_code.wasm']);
    expect(runLive('exit_code').code).toBe(p.status);
  });
});
