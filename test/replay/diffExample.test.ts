/**
 * examples/regression.test.mjs, the documented "traces as regression tests" workflow, run for
 * real by vitest in a child process: it passes against a golden trace it records itself, and a
 * golden run that differs makes it fail with the divergence report.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir, wtrace } from '../helpers/run.js';

/** Runs the example with its golden trace in `goldenDir`; the parent's vitest variables are left out. */
function runExample(goldenDir: string): { status: number | null; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', 'examples', 'regression.test.mjs'], {
    cwd: root,
    env: { ...env, WTRACE_GOLDEN_DIR: goldenDir, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('examples/regression.test.mjs', () => {
  it('records its golden trace, then passes against it', () => {
    const golden = tempDir();
    const first = runExample(golden);
    expect(first.output).toMatch(/Tests +2 passed \(2\)/);
    expect(first.status).toBe(0);
    expect(fs.existsSync(path.join(golden, 'wordfreq.wtrace'))).toBe(true);
    expect(wtrace(['info', path.join(golden, 'wordfreq.wtrace')]).stdout).toMatch(/^detail +full: /m);
    const again = runExample(golden);
    expect(again.status).toBe(0);
  });

  it('fails with the divergence report when the golden run behaved differently', () => {
    const golden = tempDir();
    // A golden run that printed the top 4 words: the current run (top 5) no longer matches it.
    const rec = wtrace(['record', '--detail', 'full', '-o', path.join(golden, 'wordfreq.wtrace'), '--dir', 'examples::/data', 'examples/wordfreq.wasm', '--', '-n', '4', '/data/sample.txt']);
    expect(rec.status).toBe(0);
    const r = runExample(golden);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/FAIL .*wordfreq behaves like its golden run/);
    expect(r.output).toMatch(/ExecutionDiffersError: .*candidate\.wtrace does not execute like .*wordfreq\.wtrace at level 2:/);
    expect(r.output).toMatch(/first divergence at item \d+ of the call tree: different returned\.argv/);
    expect(r.output).toMatch(/A: args_get\(\) = 0 -> argv=\["examples\/wordfreq\.wasm", "-n", "4", "\/data\/sample\.txt"\]/);
  });
});
