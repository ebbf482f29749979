/**
 * The UI over the real replay engine (not the fake) on a recording of the debug_target
 * fixture: the contract the fake stands in for holds. Frames are checked by content only (the
 * engine's times and pcs are the engine tests' business). The tmux test drives a real terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplay, type Replay } from '../../replay/index.js';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';
import { KEYS, renderApp } from './renderApp.js';

let replay: Replay;
let variables: Replay;
beforeAll(async () => {
  const vtrace = path.join(tempDir(), 'variables.wtrace');
  const v = wtrace(['record', '--detail', 'full', '-o', vtrace, fixture('variables')]);
  expect(v.status, v.stderr).toBe(0);
  variables = await openReplay(vtrace);
  const trace = path.join(tempDir(), 'debug_target.wtrace');
  const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture('debug_target')]);
  expect(r.status, r.stderr).toBe(0);
  replay = await openReplay(trace);
});
afterAll(() => {
  replay?.close();
  variables?.close();
});

describe('the UI over the replay engine', () => {
  it('breaks in a function, steps both ways, shows source, locals, memory and output', async () => {
    const ui = renderApp(replay, { sourceRoot: '.' });
    expect(ui.text()).toContain('no DWARF line info for this pc; showing disassembly'); // _start
    await ui.press('B');
    await ui.answer('factorial');
    // The timeline marks factorial's five entries (◆) and the program's import calls (·).
    const bar = ui.text().split('\n').find((l) => l.startsWith('time '))!;
    expect(bar).toContain('◆');
    expect(bar).toContain('·');
    await ui.press('c');
    expect(ui.text()).toMatch(/breakpoint 1 at debug_target\.c:\d+ in factorial/);
    // A function breakpoint stops after the prologue, on the first line of the body, as gdb and lldb do.
    expect(ui.text()).toMatch(/●▶\s*38 +bump\(\);/);
    expect(ui.text()).toContain('Variables: #0 factorial');
    expect(ui.text()).toContain('int n = 5');
    expect(ui.text()).toContain('Globals: debug_target.c');
    expect(ui.text()).toContain(' origin = {x = 3, y = 4}'); // the type gives way at 80 columns
    await ui.press('v');
    expect(ui.text()).toContain('Locals: #0 factorial');
    await ui.press('v');
    await ui.press('n');
    expect(ui.text()).toMatch(/now at debug_target\.c:39 in factorial/);
    await ui.press('N'); // back to the first line of the body, where the breakpoint is
    expect(ui.text()).toMatch(/breakpoint 1 at debug_target\.c:38 in factorial/);
    expect(ui.text()).toMatch(/▶#0 facto\S* debug_target\.c:38/); // the name gives way to the location at 80 columns
    // When was the C global `counter` last written? In bump(), at its store line.
    const bumpStore = fs.readFileSync(path.join(root, 'test/fixtures/c/debug_target.c'), 'utf8').split('\n').findIndex((l) => l.includes('@bump-store')) + 1;
    await ui.press('W');
    await ui.answer('counter');
    expect(ui.text()).toMatch(new RegExp(`last write of 0x[0-9a-f]+: store at time [\\d,]+ by debug_target\\.c:${bumpStore} in bump`));
    expect(ui.text()).toContain('Variables: #0 bump');
    await ui.press('m');
    await ui.answer('g0');
    expect(ui.text()).toMatch(/Memory at 0x[0-9a-f]+/);
    await ui.press('G');
    expect(ui.text()).toContain('program finished with exit code 0');
    await ui.press(KEYS.tab);
    expect(ui.text()).toContain('fact(5)=120 sum=140 counter=14 origin=(143,4)');
    await ui.press('g', 'S');
    expect(ui.text()).toContain('history boundary: start of recording');
    ui.unmount();
  });
});

describe('C variables over the replay engine (variables.c)', () => {
  it('shows every kind of C value as a declaration, expands structs and arrays, and marks what a call changed', async () => {
    const lines = fs.readFileSync(path.join(root, 'test/fixtures/c/variables.c'), 'utf8').split('\n');
    const touchLine = lines.findIndex((l) => l.includes('@main-touch')) + 1;
    const ui = renderApp(variables, { sourceRoot: '.', columns: 120, rows: 60, color: false });
    await ui.press('B');
    await ui.answer(`variables.c:${touchLine}`);
    await ui.press('c');
    let text = ui.text();
    expect(text).toContain(`breakpoint 1 at variables.c:${touchLine} in __original_main`);
    for (const row of [
      "char c = 65 'A'", "unsigned char uc = 200 '\\xc8'", 'long long ll = -5000000000', 'count_t steps = 3', '_Bool yes = true',
      'double d = -0.25', 'enum color col = GREEN', 'int arr[4] = {10, 20, 30, 40}', 'char text[8] = "hi\\tyou"',
      'struct record *prec = 0x', 'const char *msg = 0x', '"hello"', 'int (*fn)(int) = 0x00000001',
    ]) expect(text).toContain(row);
    expect(text).toContain('struct record rec = {id = 42, weight = 70'); // cut at the pane's width
    await ui.press('e');
    text = ui.text();
    expect(text).toContain('   [3] = 40');
    expect(text).toMatch(/… \d+ more \(\]\)/); // rec's members are below: ] scrolls
    await ui.press(']');
    text = ui.text();
    expect(text).toMatch(/… \d+ above \(\[\)/);
    expect(text).toContain('   .id = 42');
    await ui.press('n'); // over touch(&rec, 8): rec.id += 8, rec.in.tag *= 2
    text = ui.text();
    expect(text).toContain('   .id = 50 *');
    expect(text).toContain('   .in = {tag = -2, code = "xyz"} *');
    expect(text).toMatch(/ {3}\.weight = 70\.5\s/);
    expect(text).not.toContain('   .weight = 70.5 *');
    await ui.press('e');
    expect(ui.text()).not.toContain('   .id = 50');
    // Into the code of scaled(), inlined into main: its variables follow main's under a heading.
    const scaledLine = lines.findIndex((l) => l.includes('@scaled-body')) + 1;
    await ui.press('B');
    await ui.answer(`variables.c:${scaledLine}`);
    await ui.press('c');
    text = ui.text();
    expect(text).toContain(`breakpoint 2 at variables.c:${scaledLine} in __original_main`);
    expect(text).toMatch(/│ inlined scaled\(\):\s*\n.*│ int v = 20\s*\n/);
    await ui.press(']');
    expect(ui.text()).toMatch(/│ int v = 20\s*\n.*│ int k = 3\s*\n.*│ int product = /);
    ui.unmount();
  });
});
