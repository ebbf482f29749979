/**
 * The activation interpreter against the WebAssembly core spec tests: every module of the
 * scripts in scope is instantiated on `ProgramHost` (imports, registered modules, start
 * functions, segments), and every `assert_return`, `assert_trap`, `assert_exhaustion` (the
 * interpreter's inline depth limit), `action` and `assert_uninstantiable` runs through it. Results are compared bit for bit with the script's
 * expectations (NaN patterns as the spec harness treats them), traps by their spec message.
 *
 * Time: each module's start function and each action also runs on V8 with every module
 * instrumented (`inputs`), and the instructions the interpreter counted (the store's clock)
 * must equal the instrumented counters' sum exactly for everything that returns. For a trap the
 * counter is exact only at `unreachable` and `call_indirect` (it counts the trapping instruction,
 * the interpreter does not: one more); at other traps it is a lower bound (docs/instrumentation.md).
 *
 * The suite is found at `../shared/wasm-spec-testsuite` from the repository root, or at
 * $WTRACE_SPEC_SUITE. Without it (or without wast2json) the test skips, except in CI.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrapError, UnsupportedInstructionError } from '../../replay/interp/index.js';
import type { WastCommand } from '../spec/wastJson.js';
import { convertWast, CountingWorld, InterpWorld, matches, showValue, suiteDir, trapMatches } from './interpHelpers.js';

const haveSuite = fs.existsSync(suiteDir);
const haveWast2json = spawnSync('wast2json', ['--version']).status === 0;
const inCi = Boolean(process.env.CI);

/** Scripts left out entirely, with the reason. */
const SKIPPED_FILES: ReadonlyMap<RegExp, string> = new Map([
  [/^simd_/, 'SIMD (0xfd) is not supported by the interpreter'],
]);

/** Commands not run, by type, with the reason. */
const SKIPPED_COMMANDS: Readonly<Record<string, string>> = {
  assert_unlinkable: 'link-time type checks are not interpretation (ProgramHost checks only function types)',
  assert_invalid: 'no valid module',
  assert_malformed: 'no valid module',
};

/**
 * Traps at which the instrumented counter has flushed the trapping instruction itself
 * (`unreachable`; `call_indirect` flushes before its checks): V8 counts one more.
 */
const COUNTED_TRAPS = new Set(['unreachable', 'undefined element', 'uninitialized element', 'indirect call type mismatch']);

/**
 * Actions whose time V8 cannot count completely, by script and line: the callee belongs to an
 * instance whose instantiation failed (its elements stay in a shared table), and V8 never hands
 * out that instance, so its instrumented counter cannot be read. There the interpreter's count
 * must only be at least V8's.
 */
const PARTLY_COUNTED: ReadonlyMap<string, readonly number[]> = new Map([['linking.wast', [275, 288, 453]]]);

const skipReason = (file: string) => [...SKIPPED_FILES].find(([re]) => re.test(file))?.[1];
const allFiles = haveSuite ? fs.readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort() : [];
const files = allFiles.filter((f) => !skipReason(f));

const totals = { modules: 0, returns: 0, traps: 0, exhaustions: 0, actions: 0, uninstantiable: 0, exactTimes: 0, trapTimes: 0, partlyCounted: 0, skipped: new Map<string, number>() };

function skip(reason: string): void {
  totals.skipped.set(reason, (totals.skipped.get(reason) ?? 0) + 1);
}

let currentFile = '';

async function runScript(file: string): Promise<string[]> {
  currentFile = file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-interp-spec-'));
  try {
    const script = convertWast(file, dir);
    const problems: string[] = [];
    const world = new InterpWorld();
    const counting = new CountingWorld();
    for (const c of script.commands) await runCommand(c, dir, world, counting, problems);
    return problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runCommand(c: WastCommand, dir: string, world: InterpWorld, counting: CountingWorld, problems: string[]): Promise<void> {
  const at = `line ${c.line}`;
  const timeBefore = [world.store.time, counting.time()] as const;
  /** Compares the time both worlds spent on this command; `trap`: the interpreter's trap, if any. */
  const checkTime = (what: string, trap?: TrapError) => {
    const mine = world.store.time - timeBefore[0];
    const v8 = counting.time() - timeBefore[1];
    if (!trap) {
      if (PARTLY_COUNTED.get(currentFile)?.includes(c.line)) {
        if (mine < v8) problems.push(`${at} ${what}: interpreter counted ${mine}, instrumented V8 at least ${v8}`);
        else totals.partlyCounted++;
      } else if (mine !== v8) problems.push(`${at} ${what}: interpreter counted ${mine}, instrumented V8 ${v8}`);
      else totals.exactTimes++;
    } else if (COUNTED_TRAPS.has(trap.kind) ? v8 !== mine + 1n : v8 > mine) {
      problems.push(`${at} ${what}: trap (${trap.kind}) at interpreter time ${mine}, instrumented V8 ${v8}`);
    } else totals.trapTimes++;
  };
  switch (c.type) {
    case 'module': {
      totals.modules++;
      const bytes = fs.readFileSync(path.join(dir, c.filename));
      const mine = world.instantiate(bytes, c.name);
      const v8 = await counting.instantiate(bytes, c.name);
      if (!mine.ok) problems.push(`${at} module: ${String(mine.error)}`);
      else if (!v8) problems.push(`${at} module: V8 failed where the interpreter did not`);
      else checkTime('module start');
      return;
    }
    case 'assert_uninstantiable': {
      totals.uninstantiable++;
      const bytes = fs.readFileSync(path.join(dir, c.filename));
      const mine = world.instantiate(bytes, undefined);
      // V8 too: what a failed instantiation wrote into shared tables and memories stays.
      await counting.instantiate(bytes, undefined);
      if (mine.ok) problems.push(`${at} assert_uninstantiable: instantiated`);
      else if (!(mine.error instanceof TrapError) || !trapMatches(mine.error.kind, c.text ?? '')) {
        problems.push(`${at} assert_uninstantiable: expected trap "${c.text}", got ${String(mine.error)}`);
      }
      return;
    }
    case 'register':
      world.register(c.as, c.name);
      counting.register(c.as, c.name);
      return;
    case 'assert_exhaustion':
    case 'assert_return':
    case 'assert_trap':
    case 'action': {
      const out = world.perform(c.action);
      const types = (c.expected ?? []).map((v) => v.type);
      const returned = c.action.type === 'invoke' ? counting.invoke(c.action, types) : true;
      const what = `${c.type} ${c.action.field}`;
      if ('error' in out) {
        if (out.error instanceof UnsupportedInstructionError) skip(`unsupported: ${out.error.instruction}`);
        else problems.push(`${at} ${what}: ${String(out.error)}`);
        return;
      }
      if (c.type === 'assert_trap' || c.type === 'assert_exhaustion') {
        if (c.type === 'assert_trap') totals.traps++;
        else totals.exhaustions++;
        if (!('trap' in out)) problems.push(`${at} ${what}: expected trap "${c.text}", returned ${out.ok.map(showValue).join(' ')}`);
        else {
          if (!trapMatches(out.trap.kind, c.text ?? '')) problems.push(`${at} ${what}: expected trap "${c.text}", got "${out.trap.kind}"`);
          if (returned) problems.push(`${at} ${what}: V8 returned where the interpreter trapped`);
          else checkTime(what, out.trap);
        }
        return;
      }
      if (c.type === 'action') totals.actions++;
      else totals.returns++;
      if ('trap' in out) {
        problems.push(`${at} ${what}: trapped (${out.trap.message})`);
        return;
      }
      const expected = c.expected ?? [];
      if (c.type === 'assert_return' && (out.ok.length !== expected.length || !out.ok.every((v, i) => matches(v, expected[i])))) {
        problems.push(`${at} ${what}: expected ${expected.map((e) => `${e.type}:${String(e.value)}`).join(' ')}, got ${out.ok.map(showValue).join(' ')}`);
      }
      if (c.action.type === 'invoke') {
        if (!returned) problems.push(`${at} ${what}: V8 trapped where the interpreter returned`);
        else checkTime(what);
      }
      return;
    }
    default: {
      const reason = SKIPPED_COMMANDS[c.type];
      if (reason) skip(`${c.type}: ${reason}`);
    }
  }
}

if (!haveSuite) console.warn(`spec suite not found at ${suiteDir} (set WTRACE_SPEC_SUITE): skipping`);
describe.skipIf(!haveSuite || (!inCi && !haveWast2json))('spec suite on the activation interpreter', () => {
  it('finds the suite and wast2json', () => {
    expect(haveWast2json, 'wast2json on PATH').toBe(true);
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files)('%s', async (file) => {
    const problems = await runScript(file);
    expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
  }, 120_000);

  afterAll(() => {
    const skippedFiles = allFiles.filter((f) => skipReason(f));
    console.log(
      `interpreter spec run: ${files.length} scripts (skipped ${skippedFiles.length}: ${[...new Set(skippedFiles.map(skipReason))].join('; ')}), ` +
        `${totals.modules} modules, ${totals.returns} assert_return, ${totals.traps} assert_trap, ${totals.exhaustions} assert_exhaustion, ${totals.actions} actions, ` +
        `${totals.uninstantiable} assert_uninstantiable; times: ${totals.exactTimes} exact, ${totals.trapTimes} traps within bounds, ${totals.partlyCounted} partly countable by V8; ` +
        `skipped commands: ${[...totals.skipped].map(([r, n]) => `${n} ${r}`).join('; ') || 'none'}`,
    );
  });
});
