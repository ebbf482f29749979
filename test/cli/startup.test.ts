/**
 * bin/wtrace.js's start-up: Node's compile cache under the OS temp directory (filled by a run,
 * harmless when the directory cannot be made), and the WTRACE_TIMING log of start-up marks that
 * bench/tuiLatency.mjs reads.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';

/** `wtrace ...args` with `env` on top of ours minus any compile-cache setting of the test runner's. */
function run(args: string[], env: Record<string, string>) {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete base.NODE_COMPILE_CACHE;
  delete base.NODE_DISABLE_COMPILE_CACHE;
  return spawnSync(process.execPath, [path.join(root, 'bin/wtrace.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...base, ...env } });
}

let trace: string;
beforeAll(() => {
  trace = path.join(tempDir(), 'exit.wtrace');
  const r = wtrace(['record', '-o', trace, fixture('exit_code')]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(fs.existsSync(trace)).toBe(true);
}, 60_000);

describe('the compile cache', () => {
  it('is filled under the temp directory by a run, and the run reads the same', () => {
    const tmp = tempDir();
    const first = run(['info', trace], { TMPDIR: tmp });
    expect(first.status, first.stderr).toBe(0);
    const caches = fs.readdirSync(tmp).filter((f) => f.startsWith('wtrace-compile-cache'));
    expect(caches).toHaveLength(1);
    const files = fs.readdirSync(path.join(tmp, caches[0]), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    const second = run(['info', trace], { TMPDIR: tmp });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('is skipped quietly when its directory cannot be made', () => {
    const notADir = path.join(tempDir(), 'a-file');
    fs.writeFileSync(notADir, 'not a directory');
    const r = run(['info', trace], { TMPDIR: path.join(notADir, 'below') });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/outcome\s+exit code/);
  });

  it('is off under NODE_DISABLE_COMPILE_CACHE', () => {
    const tmp = tempDir();
    const r = run(['--version'], { TMPDIR: tmp, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('wtrace-compile-cache'))).toEqual([]);
  });
});

describe('WTRACE_TIMING', () => {
  it('appends one line per run: Node\'s start-up milestones, wtrace\'s marks in order and the CPU time at each', () => {
    const log = path.join(tempDir(), 'timing.jsonl');
    expect(run(['info', trace], { WTRACE_TIMING: log }).status).toBe(0);
    expect(run(['--version'], { WTRACE_TIMING: log }).status).toBe(0);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.command)).toEqual(['info', '--version']);
    for (const { node, marks, cpu } of lines) {
      expect(node.bootstrapComplete).toBeGreaterThan(0);
      expect(marks.bin).toBeGreaterThan(0);
      expect(marks['cli-loaded']).toBeGreaterThan(marks.bin);
      // The main thread's CPU ms at each mark: some were spent starting, and never more than the wall time since.
      expect(Object.keys(cpu)).toEqual(Object.keys(marks));
      expect(cpu.bin).toBeGreaterThan(0);
      expect(cpu['cli-loaded']).toBeGreaterThanOrEqual(cpu.bin);
      expect(cpu['cli-loaded'] - cpu.bin).toBeLessThanOrEqual(marks['cli-loaded'] - marks.bin + 10);
    }
  });
});
