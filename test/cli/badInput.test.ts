/**
 * Bad input gets one clear line naming the input and what is wrong, a stable exit code, and no
 * stack trace; nothing the user had is lost.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not wasm at all\n');
  const good = fs.readFileSync(fixture('exit_code'));
  fs.writeFileSync(path.join(dir, 'truncated.wasm'), good.subarray(0, Math.floor(good.length / 3)));
  // A valid header and section framing, but a function body V8 rejects (i32.add on an empty stack).
  fs.writeFileSync(path.join(dir, 'invalid.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 5, 1, 3, 0, 0x6a, 0x0b]));
  fs.writeFileSync(path.join(dir, 'precious.wtrace'), 'my own file, not a trace');
  fs.mkdirSync(path.join(dir, 'adir.wasm'));
});

interface Case {
  name: string;
  args: () => string[];
  exit: number;
  message: RegExp;
}

const cases: Case[] = [
  { name: 'missing module', args: () => ['record', path.join(dir, 'nope.wasm')], exit: 3, message: /nope\.wasm: no such file/ },
  { name: 'module is a directory', args: () => ['record', path.join(dir, 'adir.wasm')], exit: 3, message: /adir\.wasm: is a directory/ },
  { name: 'not a Wasm file', args: () => ['record', '-o', path.join(dir, 'o1.wtrace'), path.join(dir, 'notes.txt')], exit: 3, message: /notes\.txt: not a valid WebAssembly module: not a WebAssembly module/ },
  { name: 'truncated module', args: () => ['record', '-o', path.join(dir, 'o2.wtrace'), path.join(dir, 'truncated.wasm')], exit: 3, message: /truncated\.wasm: not a valid WebAssembly module: .*(truncated|end)/ },
  { name: 'invalid module', args: () => ['record', '-o', path.join(dir, 'o3.wtrace'), path.join(dir, 'invalid.wasm')], exit: 3, message: /invalid\.wasm: not a valid WebAssembly module: / },
  { name: 'output is not a trace', args: () => ['record', '-o', path.join(dir, 'precious.wtrace'), fixture('exit_code')], exit: 5, message: /precious\.wtrace: exists and is not a wtrace trace; not overwriting it/ },
  { name: 'output directory missing', args: () => ['record', '-o', path.join(dir, 'no/such/dir/x.wtrace'), fixture('exit_code')], exit: 5, message: /x\.wtrace: directory .* does not exist/ },
  { name: 'output directory is a file', args: () => ['record', '-o', path.join(dir, 'notes.txt', 'x.wtrace'), fixture('exit_code')], exit: 5, message: /x\.wtrace: .*(not a directory|does not exist|cannot write)/ },
  { name: '--dir does not exist', args: () => ['record', '--dir', path.join(dir, 'nodir'), '-o', path.join(dir, 'o4.wtrace'), fixture('exit_code')], exit: 3, message: /--dir .*nodir: no such directory/ },
  { name: '--dir is a file', args: () => ['record', '--dir', path.join(dir, 'notes.txt'), '-o', path.join(dir, 'o5.wtrace'), fixture('exit_code')], exit: 3, message: /--dir .*notes\.txt: not a directory/ },
  { name: 'bad --detail', args: () => ['record', '--detail', 'most', fixture('exit_code')], exit: 2, message: /--detail most: expected "inputs" or "full"/ },
  { name: 'bad --window', args: () => ['record', '--detail', 'full', '--window', '5..2', fixture('exit_code')], exit: 2, message: /--window 5\.\.2: TO is before FROM/ },
  { name: 'bad --last', args: () => ['record', '--detail', 'full', '--last', 'many', fixture('exit_code')], exit: 2, message: /--last many: expected a positive number/ },
  { name: '--window past 2^63', args: () => ['record', '--detail', 'full', '--window', '0..9223372036854775808', fixture('exit_code')], exit: 2, message: /--window 0\.\.9223372036854775808: instruction times stop below 2\^63/ },
  { name: '--last past 2^63', args: () => ['record', '--detail', 'full', '--last', '9223372036854775808', fixture('exit_code')], exit: 2, message: /--last 9223372036854775808: expected a positive number of instructions below 2\^63/ },
  { name: 'bad --env', args: () => ['record', '--env', '=x', fixture('exit_code')], exit: 2, message: /--env =x: expected NAME=VALUE/ },
  { name: 'bad --dir syntax', args: () => ['record', '--dir', 'a::b::c', fixture('exit_code')], exit: 2, message: /--dir a::b::c: expected HOST or HOST::GUEST/ },
  { name: 'record without a module', args: () => ['record'], exit: 2, message: /missing required argument 'wasm'/ },
  { name: 'unknown subcommand', args: () => ['frobnicate'], exit: 2, message: /unknown command 'frobnicate'/ },
  { name: 'info on a text file', args: () => ['info', path.join(dir, 'notes.txt')], exit: 4, message: /notes\.txt: is not a wtrace trace \(not an SQLite database\)/ },
  { name: 'info on a module', args: () => ['info', fixture('exit_code')], exit: 4, message: /exit_code\.wasm: is a WebAssembly module, not a trace/ },
  { name: 'info on a missing file', args: () => ['info', path.join(dir, 'gone.wtrace')], exit: 3, message: /gone\.wtrace: no such file/ },
  { name: 'reactor without --invoke', args: () => ['record', '-o', path.join(dir, 'o7.wtrace'), fixture('reactor')], exit: 3, message: /reactor \(exports _initialize, not _start\): pass --invoke NAME/ },
  { name: '--invoke of a missing export', args: () => ['record', '--invoke', 'nope', '-o', path.join(dir, 'o8.wtrace'), fixture('reactor')], exit: 3, message: /exports no function named "nope"/ },
];

describe('bad input', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = wtrace(c.args());
      expect(r.stderr).toMatch(c.message);
      expect(r.status).toBe(c.exit);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
    });
  }

  it('leaves a file that is not a trace untouched', () => {
    expect(fs.readFileSync(path.join(dir, 'precious.wtrace'), 'utf8')).toBe('my own file, not a trace');
  });
});
