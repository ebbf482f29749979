/**
 * Snapshots on the core spec suite's modules, the widest opcode coverage at hand (SIMD, bulk
 * memory, reference types, multi-value blocks, dead code):
 * - the operand-stack height analysis meets no inconsistency in any function of any valid
 *   module: every block ends at the height its type gives, nothing pops below its block, which
 *   checks the pop/push table (`snapshotStackEffects.ts`) against real code;
 * - with a snapshot at EVERY empty-stack loop body start (interval 1), every module and every
 *   assertion behaves as on the original, as test/spec/spec.test.ts checks for the default.
 * The suite and wast2json are found as in test/spec/spec.test.ts; without them this skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePositions, instrument, runtimeImports } from '../../instrument/index.js';
import { functionSignatures } from '../../instrument/fullModule.js';
import { stackHeights } from '../../instrument/snapshotStackHeight.js';
import { SpecWorld } from '../spec/specWorld.js';
import type { WastCommand, WastScript } from '../spec/wastJson.js';

const root = path.resolve(import.meta.dirname, '../..');
const suiteDir = process.env.WTRACE_SPEC_SUITE ?? path.resolve(root, '../shared/wasm-spec-testsuite');
const haveWast2json = spawnSync('wast2json', ['--version']).status === 0;
const files = fs.existsSync(suiteDir) ? fs.readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort() : [];
const totals = { modules: 0, functions: 0, loops: 0, emptyStackLoops: 0, unknownLoops: 0, assertions: 0 };

/** Height problems of every function of a valid module; counts its loops. */
function heightProblems(bytes: Uint8Array): string[] {
  const positions = decodePositions(bytes);
  const signatures = functionSignatures(bytes, positions);
  const problems: string[] = [];
  for (const fn of positions.functions) {
    const { before, problems: p } = stackHeights(bytes, fn.instructions, signatures, fn.body.resultCount);
    problems.push(...p.map((x) => `function ${fn.funcIndex}: ${x}`));
    fn.instructions.forEach((ins, i) => {
      if (ins.name !== 'loop') return;
      totals.loops++;
      if (before[i + 1] === 0) totals.emptyStackLoops++;
      if (before[i + 1] === null) totals.unknownLoops++;
    });
    totals.functions++;
  }
  return problems;
}

async function runScript(commands: readonly WastCommand[], dir: string): Promise<string[]> {
  const original = new SpecWorld();
  const snapshotting = new SpecWorld(runtimeImports());
  const problems: string[] = [];
  for (const c of commands) {
    if (c.type === 'module' || c.type === 'assert_unlinkable' || c.type === 'assert_uninstantiable') {
      const bytes = fs.readFileSync(path.join(dir, c.filename));
      const name = c.type === 'module' ? c.name : undefined;
      let instrumented: Uint8Array = bytes;
      try {
        instrumented = (await instrument(bytes, { detail: 'full', snapshotInterval: 1 })).bytes;
      } catch (e) {
        problems.push(`line ${c.line}: instrument failed: ${String(e)}`);
      }
      const a = original.instantiate(bytes, name);
      const b = snapshotting.instantiate(instrumented, name);
      if (a !== b) problems.push(`line ${c.line} ${c.type}: original ${a} / snapshots ${b}`);
      if (c.type === 'module') {
        totals.modules++;
        problems.push(...heightProblems(bytes).map((p) => `line ${c.line}: ${p}`));
      }
    } else if (c.type === 'register') {
      original.register(c.as, c.name);
      snapshotting.register(c.as, c.name);
    } else if (c.type === 'assert_return' || c.type === 'assert_trap' || c.type === 'assert_exhaustion' || c.type === 'action') {
      const types = (c.expected ?? []).map((v) => v.type);
      const a = original.perform(c.action, types);
      const b = snapshotting.perform(c.action, types);
      if (a !== b) problems.push(`line ${c.line} ${c.type} ${c.action.field}: original ${a} / snapshots ${b}`);
      totals.assertions++;
    }
  }
  return problems;
}

describe.skipIf(files.length === 0 || (!process.env.CI && !haveWast2json))('snapshots on the spec suite', () => {
  it.each(files)('%s', async (file) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-snapspec-'));
    try {
      const json = path.join(dir, 'script.json');
      execFileSync('wast2json', [path.join(suiteDir, file), '-o', json], { stdio: 'pipe' });
      const script = JSON.parse(fs.readFileSync(json, 'utf8')) as WastScript;
      const problems = await runScript(script.commands, dir);
      expect(problems.slice(0, 20)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  afterAll(() => {
    console.log(
      `snapshot spec: ${totals.modules} modules, ${totals.functions} functions, ${totals.loops} loops ` +
        `(${totals.emptyStackLoops} with an empty stack at the body start, ${totals.unknownLoops} unknown), ${totals.assertions} assertions`,
    );
    expect(totals.loops).toBeGreaterThan(100);
  });
});
