/**
 * examples/variables-script.mjs through `wtrace replay --debugger`: a debug script reads C
 * variables by name at each hit of a line, forward then backward, and the unit's globals at the
 * end. Expected values follow from debug_target.c (factorial's n and smaller after each return).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';

let trace: string;
beforeAll(() => {
  trace = path.join(tempDir(), 'dt.wtrace');
  const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture('debug_target')]);
  expect(r.status, r.stderr).toBe(0);
});

describe('a debug script reading C variables', () => {
  it('prints n and smaller at each return of factorial, in both directions, then the globals', () => {
    const lines = fs.readFileSync(path.join(root, 'test/fixtures/c/debug_target.c'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('@factorial-recurse')) + 2; // `return n * smaller;`
    const r = wtrace(['replay', '--debugger', 'examples/variables-script.mjs', trace, '--', `debug_target.c:${line}`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const hits = r.stdout.split('\n').filter((l) => / in factorial: /.test(l)).map((l) => `${l.split(' ')[0]} ${l.split(': ')[1]}`);
    const forward = ['int n = 2, int smaller = 1', 'int n = 3, int smaller = 2', 'int n = 4, int smaller = 6', 'int n = 5, int smaller = 24'];
    expect(hits).toEqual([...forward.map((v) => `forward ${v}`), ...[...forward].reverse().map((v) => `backward ${v}`)]);
    expect(r.stdout).toContain('at the end: int counter = 14, struct point origin = {x = 143, y = 4}, int[8] squares = {0, 1, 4, 9, 16, 25, 36, 49}');
  });
});
