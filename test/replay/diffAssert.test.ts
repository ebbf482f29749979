/**
 * The test-runner helpers of the library entry (src/index.ts): `assertSameExecution` rejects
 * with the divergence report as its message, `matchExecution` is a custom matcher's body (used
 * here through vitest's own `expect.extend`), and bad input rejects with the typed errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSameExecution, ExecutionDiffersError, formatDiff, matchExecution, WtraceError } from '../../src/index.js';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';

/** diff_calc family module `name` recorded as `calc.wasm` with seed 5 (argv alike whatever the build). */
function record(name: string, detail: 'inputs' | 'full' = 'full'): string {
  const dir = tempDir('wtrace-assert-');
  fs.copyFileSync(path.join(root, fixture(name)), path.join(dir, 'calc.wasm'));
  const r = wtrace(['record', '--detail', detail, '-o', 't.wtrace', 'calc.wasm', '--', '5'], { cwd: dir });
  const trace = path.join(dir, 't.wtrace');
  if (!fs.existsSync(trace)) throw new Error(`recording failed: ${r.stderr}`);
  return trace;
}

declare module 'vitest' {
  interface Assertion {
    toExecuteLike(golden: string, options?: { level?: number }): Promise<void>;
  }
}
expect.extend({ toExecuteLike: matchExecution });

describe('assertSameExecution and matchExecution', () => {
  const golden = record('diff_calc');
  const same = record('diff_calc');
  const other = record('diff_calc_changed');

  it('resolves with the result when the runs match, and rejects with the report when not', async () => {
    for (const level of [1, 2, 3]) expect((await assertSameExecution(golden, same, { level })).equal).toBe(true);
    const failure = await assertSameExecution(golden, other, { level: 2 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ExecutionDiffersError);
    const e = failure as ExecutionDiffersError;
    expect(e.result).toMatchObject({ level: 2, equal: false, divergence: { kind: 'event', fields: ['results'] } });
    expect(e.message).toBe(`${other} does not execute like ${golden} at level 2:\n\n${formatDiff(e.result)}`);
    expect(e.message).toMatch(/\n {2}A: exit scale -> i32 16\n/);
  });

  it('works as a custom matcher, with .not', async () => {
    await expect(same).toExecuteLike(golden, { level: 3 });
    await expect(other).not.toExecuteLike(golden, { level: 2 });
    const failed = await expect(other).toExecuteLike(golden, { level: 2 }).then(() => null, (e: Error) => e.message);
    expect(failed).toMatch(/does not execute like .* at level 2:\n\nfirst divergence at item \d+ of the call tree: different results/);
    const negated = await expect(same).not.toExecuteLike(golden).then(() => null, (e: Error) => e.message);
    expect(negated).toBe(`expected ${same} to execute differently from ${golden} at level 1, but they match`);
  });

  it('rejects bad input with the typed errors', async () => {
    const inputs = record('diff_calc', 'inputs');
    // Errors cross the worker thread as WtraceError with their code and exit code (the class is not kept).
    await expect(assertSameExecution(golden, inputs, { level: 2 })).rejects.toBeInstanceOf(WtraceError);
    await expect(assertSameExecution(golden, inputs, { level: 2 })).rejects.toMatchObject({ name: 'DiffInputError', code: 'detail-needed', exitCode: 3 });
    await expect(assertSameExecution(golden, other, { level: 3 })).rejects.toMatchObject({ code: 'different-modules' });
    await expect(assertSameExecution(golden, 'missing.wtrace')).rejects.toMatchObject({ code: 'not-found', message: 'missing.wtrace: no such file' });
  });
});
