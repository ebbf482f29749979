/**
 * `wtrace replay --debugger SCRIPT`: the example debug script against a real recording, its
 * arguments, and what goes wrong with a bad script or no terminal, end to end through the CLI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

let dir: string;
let trace: string;
beforeAll(() => {
  dir = tempDir();
  trace = path.join(dir, 'dt.wtrace');
  const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture('debug_target')]);
  expect(r.status, r.stderr).toBe(0);
});

describe('wtrace replay --debugger', () => {
  it('runs examples/debug-script.mjs with its arguments against the replay', () => {
    const r = wtrace(['replay', '--debugger', 'examples/debug-script.mjs', trace, '--', 'factorial']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const calls = r.stdout.split('\n').filter((l) => /factorial\(\d\) called from/.test(l));
    expect(calls.map((l) => /factorial\((\d)\)/.exec(l)![1])).toEqual(['5', '4', '3', '2', '1']);
    expect(calls[0]).toMatch(/called from __original_main at debug_target\.c:68$/);
    expect(calls[1]).toMatch(/called from factorial at debug_target\.c:42$/);
    expect(r.stdout).toMatch(/stdout so far: "fact\(5\)=120 sum=140 counter=14 origin=\(143,4\)\\n"/);
    expect(r.stdout).toMatch(/reverse-continue: breakpoint at time \d+ in factorial/);
    expect(r.stdout).toMatch(/after its return: back in factorial at line 42/);
  });

  it('names a script that is missing or exports no debug function', () => {
    const missing = wtrace(['replay', '--debugger', path.join(dir, 'nope.mjs'), trace]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/nope\.mjs: no such debug script/);
    const bad = path.join(dir, 'bad.mjs');
    fs.writeFileSync(bad, 'export const x = 1;\n');
    const r = wtrace(['replay', '--debugger', bad, trace]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/bad\.mjs: a debug script must export a function `debug\(debuggee, args\)`/);
  });

  it('refuses the terminal UI without a terminal, pointing to --gdb and query', () => {
    const r = wtrace(['replay', trace]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs an interactive terminal, but stdout is not a TTY.*`wtrace replay --gdb PORT FILE`.*`wtrace query/);
  });

  it('takes the newest .wtrace of the current directory when no trace is named, and says when there is none', () => {
    const script = path.join(dir, 'end.mjs');
    fs.writeFileSync(script, 'export function debug(d) { console.log(`end ${d.end}`); }\n');
    const r = wtrace(['replay', '--debugger', script], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^end \d+\n$/);
    const empty = tempDir();
    const none = wtrace(['replay', '--debugger', script], { cwd: empty });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no \.wtrace file in the current directory/);
  });

  it('refuses a bad --gdb address and more than one mode, naming the problem', () => {
    const port = wtrace(['replay', '--gdb', 'localhost:http', trace]);
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--gdb needs \[HOST:\]PORT with a port in 0\.\.65535, not 'localhost:http'/);
    const both = wtrace(['replay', '--verify', '--gdb', '1234', trace]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/choose one of --verify, --gdb and --debugger/);
  });
});
