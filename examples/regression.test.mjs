// Traces as regression tests (vitest): record a known-good run of a program once (the golden
// trace), then on every test run record the current build the same way and fail the test with
// the divergence report when it behaves differently. Run from the project root:
//
//   npx vitest run --root examples regression.test.mjs
//
// The first run records examples/golden/wordfreq.wtrace (commit it); WTRACE_GOLDEN_DIR puts it
// elsewhere. Levels: 1 compares observable behaviour (WASI calls by meaning, output, exit code);
// 2 also the call tree by function name (so a refactoring that changes what functions compute
// fails, one that only renumbers them does not); 3 every stored value (same module only).
// See docs/diff.md.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { assertSameExecution, matchExecution, record } from 'wtrace';

// A custom matcher: `await expect(candidate).toExecuteLike(golden, { level })`.
expect.extend({ toExecuteLike: matchExecution });

const goldenDir = process.env.WTRACE_GOLDEN_DIR ?? 'examples/golden';
const golden = path.join(goldenDir, 'wordfreq.wtrace');

/**
 * Records examples/wordfreq.wasm counting words of examples/sample.txt. The module path is
 * argv[0] as given, and level 1 compares argv: record golden and candidate with the same
 * relative path, from the same directory (the project root).
 */
async function recordWordfreq(output, args = ['-n', '5', '/data/sample.txt']) {
  await record({
    wasmPath: 'examples/wordfreq.wasm',
    args,
    env: [],
    dirs: [{ hostPath: 'examples', guestPath: '/data' }],
    output,
    detail: 'full', // levels 2 and 3 compare detail events
  });
  return output;
}

const candidatePath = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'wordfreq-')), 'candidate.wtrace');

test('wordfreq behaves like its golden run', async () => {
  if (!existsSync(golden)) {
    mkdirSync(goldenDir, { recursive: true });
    await recordWordfreq(golden);
  }
  const candidate = await recordWordfreq(candidatePath());
  // Rejects with the whole divergence report as the error message when they differ.
  await assertSameExecution(golden, candidate, { level: 2 });
  await expect(candidate).toExecuteLike(golden, { level: 3 });
});

test('a run that does something else fails with the divergence report', async () => {
  const candidate = await recordWordfreq(candidatePath(), ['-n', '3', '/data/sample.txt']);
  // What a failing regression test prints: the first divergence, in context, then a summary.
  await expect(assertSameExecution(golden, candidate, { level: 2 })).rejects.toThrow(
    /first divergence at item \d+ of the call tree: different returned\.argv\n {2}A: args_get\(\) = 0 -> argv=\[.*"5".*\n/,
  );
  await expect(candidate).not.toExecuteLike(golden);
});
