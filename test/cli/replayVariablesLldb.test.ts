/**
 * wtrace's C variables against lldb-22's on the same stop: the real CLI serves a recording of
 * the variables fixture over `wtrace replay --gdb`, lldb-22 (its own DWARF reader and Wasm
 * location evaluator) stops at a line and prints `frame variable` and `target variable`, and
 * the engine opened on the same trace stops at the same line. Every variable lldb prints must
 * have the same value in wtrace, after translating lldb's notation (`'A'` for a char, `(a, b)`
 * for a nested aggregate, `NULL`). A second recording (args_env, -O2) checks the values location
 * lists keep on the Wasm operand stack, at the pcs where they do. Skipped only where lldb-22 is
 * absent and CI is unset.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplay, type SourceValue } from '../../replay/index.js';
import { DwarfVariables } from '../../src/source/index.js';
import { fixture, root, skipWithout, tempDir, waitFor, wtrace } from '../helpers/run.js';

let trace: string;
let server: ChildProcess;
let port = 0;
let serverErr = (): string => '';
let optTrace: string;
let optServer: ChildProcess;
let optPort = 0;
let optErr = (): string => '';

/** Serves `file` with `wtrace replay --gdb` on a free port. */
async function serve(file: string): Promise<{ child: ChildProcess; port: number; err: () => string }> {
  let err = '';
  const child = spawn(process.execPath, [path.join(root, 'bin/wtrace.js'), 'replay', '--gdb', '127.0.0.1:0', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (err += d));
  await waitFor(() => /listening on 127\.0\.0\.1:(\d+)/.test(err), 20_000);
  return { child, port: Number(/listening on 127\.0\.0\.1:(\d+)/.exec(err)![1]), err: () => err };
}

const FILE = 'variables.c';
const markerLine = (name: string) => fs.readFileSync(path.join(root, `test/fixtures/c/${FILE}`), 'utf8').split('\n').findIndex((l) => l.includes(`@${name}`)) + 1;

beforeAll(async () => {
  if (skipWithout('lldb-22')) return;
  trace = path.join(tempDir(), 'variables.wtrace');
  const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture('variables')]);
  expect(r.status, r.stderr).toBe(0);
  const s1 = await serve(trace);
  [server, port] = [s1.child, s1.port];
  serverErr = s1.err;
  optTrace = path.join(tempDir(), 'args_env.wtrace');
  const r2 = wtrace(['record', '--detail', 'full', '-o', optTrace, fixture('args_env'), '--', 'FIRST', 'SECOND']);
  expect(r2.status, r2.stderr).toBe(0);
  const s2 = await serve(optTrace);
  [optServer, optPort] = [s2.child, s2.port];
  optErr = s2.err;
}, 60_000);

afterAll(() => {
  server?.kill('SIGINT');
  optServer?.kill('SIGINT');
});

async function lldb(commands: string[], on = port): Promise<Map<string, string>> {
  const args = ['--no-lldbinit', '-o', `process connect --plugin wasm connect://127.0.0.1:${on}`, ...commands.flatMap((c) => ['-o', c]), '-o', 'quit'];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('lldb-22', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c));
    child.stderr!.on('data', (c: Buffer) => (out += c));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`lldb-22 timed out:\n${out}\nservers:\n${serverErr()}\n${optErr()}`));
    }, 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
  const byCommand = new Map<string, string>();
  for (const block of output.split(/^\(lldb\) /m).slice(1)) {
    const nl = block.indexOf('\n');
    byCommand.set(block.slice(0, nl).trim(), block.slice(nl + 1));
  }
  return byCommand;
}

/**
 * lldb's `(type) name = value` entries, a multi-line aggregate joined into one value. Values
 * are normalised to wtrace's notation: `{...}` for every aggregate level, `, ` between members,
 * `[i] = ` element labels dropped, NULL as 0x00000000.
 */
function lldbEntries(text: string): [string, string][] {
  const out: [string, string][] = [];
  const entries = text.split(/^(?=\()/m).filter((e) => /^\([^)]*(\)[^)]*)*\) \w+ = /.test(e));
  for (const entry of entries) {
    const m = /^\((.*?)\) (\w+) = ([\s\S]*)$/.exec(entry.trim())!;
    let value = m[3].trim().replace(/\n\s*/g, ', ').replace(/\{, /g, '{').replace(/, \}/g, '}');
    value = value.replace(/\(/g, '{').replace(/\)/g, '}').replace(/\[\d+\] = /g, '').replace(/\bNULL\b/g, '0x00000000');
    out.push([m[2], value]);
  }
  return out;
}

/** `lldbEntries` by name (the last of a name wins). */
function lldbValues(text: string): Map<string, string> {
  return new Map(lldbEntries(text));
}

/** wtrace's value in lldb's notation for chars (`'A'` without the number). */
function asLldb(v: SourceValue): string {
  const char = /^-?\d+ ('.*')$/.exec(v.value);
  if (char && /char/.test(v.type)) return char[1];
  return v.value;
}

describe.skipIf(skipWithout('lldb-22'))('C variables: wtrace and lldb-22 agree', () => {
  it('on every local and global lldb prints at a line in main', async () => {
    const line = markerLine('main-print');
    const out = await lldb([`breakpoint set -f ${FILE} -l ${line}`, 'continue', 'frame variable', 'target variable']);
    expect(out.get('continue')).toMatch(new RegExp(`variables\\.c:${line}`));
    const theirs = new Map([...lldbValues(out.get('frame variable')!), ...lldbValues(out.get('target variable')!)]);
    expect(theirs.size).toBeGreaterThan(25);

    const replay = await openReplay(trace);
    try {
      replay.addBreakpoint({ kind: 'line', file: FILE, line });
      expect(replay.continue('forward').kind).toBe('breakpoint');
      const ours = new Map([...replay.variables(0), ...replay.globalVariables().filter((g) => g.unit.endsWith(FILE))].map((v) => [v.name, v]));
      let compared = 0;
      for (const [name, value] of theirs) {
        const mine = ours.get(name);
        expect(mine, `wtrace lacks ${name}`).toBeDefined();
        if (/read memory from 0x[0-9a-f]+ failed/.test(value)) {
          expect(mine!.available, name).toBe(false); // g_big: not linked
          continue;
        }
        expect(asLldb(mine!), name).toBe(value);
        compared++;
      }
      expect(compared).toBeGreaterThan(25);
    } finally {
      replay.close();
    }
  }, 90_000);
});

describe.skipIf(skipWithout('lldb-22'))('C variables of an inlined call: wtrace and lldb-22 agree', () => {
  it("lldb's inlined frame and wtrace's inlined variables of the same stop hold the same values", async () => {
    const line = markerLine('scaled-body');
    // A server of its own: the shared one stays where the last lldb session left it.
    const own = await serve(trace);
    let out: Map<string, string>;
    try {
      out = await lldb([`breakpoint set -f ${FILE} -l ${line}`, 'continue', 'frame variable', 'next', 'frame variable v k product'], own.port);
    } finally {
      own.child.kill('SIGINT');
    }
    expect(out.get('continue')).toMatch(/frame #0: .*`scaled\(v=20, k=3\)/); // lldb shows the inlined call as a frame
    const before = lldbValues(out.get('frame variable')!);
    const after = lldbValues(out.get('frame variable v k product')!);
    expect([...before.keys()].sort()).toEqual(['k', 'product', 'v']);

    const replay = await openReplay(trace);
    try {
      replay.addBreakpoint({ kind: 'line', file: FILE, line });
      expect(replay.continue('forward').kind).toBe('breakpoint');
      const inlined = () => new Map(replay.variables(0).filter((v) => v.inlined === 'scaled').map((v) => [v.name, v.value]));
      expect(inlined()).toEqual(before);
      replay.stepOver('forward', 'line');
      expect(inlined()).toEqual(after);
      expect(after.get('product')).toBe('60');
    } finally {
      replay.close();
    }
  }, 90_000);
});

describe.skipIf(skipWithout('lldb-22'))('C variables in optimised code: wtrace and lldb-22 agree', () => {
  it('where location lists put variables on the Wasm operand stack (args_env, -O2)', async () => {
    // The pcs where some variable of main lives on the operand stack (DW_OP_WASM_location 2 i).
    const module = new Uint8Array(fs.readFileSync(fixture('args_env')));
    const dv = DwarfVariables.fromModule(module)!;
    const main = dv.allFunctions().find((f) => f.name === 'main')!;
    const pcs = new Set<number>();
    for (let pc = main.ranges[0].low; pc < main.ranges[0].high; pc++) {
      for (const v of dv.scopeAt(pc)?.variables ?? []) {
        if (v.location?.kind !== 'list') continue;
        for (const e of v.location.entries) if (e.expr[0] === 0xed && e.expr[1] === 2) pcs.add(e.low + dv.codeOffset);
      }
    }
    expect(pcs.size).toBeGreaterThanOrEqual(2);
    const replay = await openReplay(optTrace);
    try {
      let compared = 0;
      for (const pc of [...pcs].sort((a, b) => a - b)) {
        const address = `0x${(0x4000000000000000n + BigInt(pc)).toString(16)}`;
        const out = await lldb([`breakpoint set -a ${address}`, 'continue', 'frame variable'], optPort);
        if (!new RegExp(`frame #0: ${address}`).test(out.get('continue') ?? '')) continue; // never executed
        const theirs = lldbValues(out.get('frame variable') ?? '');
        const bp = replay.addBreakpoint({ kind: 'pc', pc });
        replay.seek(0n);
        expect(replay.continue('forward').kind).toBe('breakpoint');
        replay.removeBreakpoint(bp.id);
        const ours = new Map(replay.variables(0).map((v) => [v.name, v]));
        for (const [name, value] of theirs) {
          expect(asLldb(ours.get(name)!), `${name} at pc 0x${pc.toString(16)}`).toBe(value);
          compared++;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(4);
    } finally {
      replay.close();
    }
  }, 120_000);
});

describe.skipIf(skipWithout('lldb-22'))('C variables in -O2 wordfreq: wtrace and lldb-22 agree on values and on what is unavailable', () => {
  it('in count_word at its strcmp line', async () => {
    const wf = path.join(tempDir(), 'wordfreq.wtrace');
    const rec = wtrace(['record', '--detail', 'full', '-o', wf, path.join(root, 'examples/wordfreq.wasm')], { input: fs.readFileSync(path.join(root, 'examples/sample.txt')) });
    expect(rec.status, rec.stderr).toBe(0);
    const line = fs.readFileSync(path.join(root, 'examples/wordfreq.c'), 'utf8').split('\n').findIndex((l) => l.includes('strcmp(e->word, word)')) + 1;
    const own = await serve(wf);
    let out: Map<string, string>;
    try {
      out = await lldb([`breakpoint set -f wordfreq.c -l ${line}`, 'continue', 'frame variable'], own.port);
    } finally {
      own.child.kill('SIGINT');
    }
    const theirs = lldbEntries(out.get('frame variable')!);
    expect(theirs.length).toBeGreaterThanOrEqual(3);
    const replay = await openReplay(wf);
    try {
      replay.addBreakpoint({ kind: 'line', file: 'wordfreq.c', line });
      expect(replay.continue('forward').kind).toBe('breakpoint');
      // Same names in the same order (two `e`s: the loop's and the one after it).
      const ours = replay.variables(0);
      expect(ours.map((v) => v.name)).toEqual(theirs.map(([name]) => name));
      ours.forEach((v, i) => {
        const value = theirs[i][1];
        if (/^<(variable not available|no location)/.test(value)) expect(v.available, v.name).toBe(false);
        else expect(asLldb(v), v.name).toBe(value);
      });
      expect(ours.filter((v) => v.available).length).toBeGreaterThanOrEqual(1);
    } finally {
      replay.close();
    }
  }, 120_000);
});
