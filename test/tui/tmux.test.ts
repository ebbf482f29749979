/**
 * `wtrace replay` in a real terminal: tmux runs the CLI on a trace of the debug_target C fixture,
 * keys are sent one per `send-keys` call (a burst would arrive as one input), and `capture-pane`
 * shows what a person would see. Checks the first screen after open (the pc, the call stack, the
 * C view), then the source line, the call stack, a C variable's value
 * (and a changed global's `*` marker under NO_COLOR), and the Wasm local behind it, after moving
 * forward and back. Skipped only where tmux is absent and CI is unset.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, root, skipWithout, tempDir, wtrace } from '../helpers/run.js';

const session = `wtrace-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);

/** Polls the screen until `pattern` shows (or fails with the last screen). */
async function waitForScreen(pattern: RegExp, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screen never showed ${pattern}:\n${last}`);
}

/** Sends each key in its own send-keys call, as a person types. */
function keys(...list: string[]): void {
  for (const k of list) tmux('send-keys', '-t', session, k);
}

describe.skipIf(skipWithout('tmux'))('wtrace replay in tmux', () => {
  let trace: string;
  let timing: string;
  beforeAll(async () => {
    const dir = tempDir();
    trace = path.join(dir, 'dt.wtrace');
    const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture('debug_target')]);
    expect(r.status, r.stderr).toBe(0);
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, 'bin/wtrace.js'))} replay ${JSON.stringify(trace)}`;
    timing = path.join(dir, 'timing.jsonl');
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '36', '-c', root, `NO_COLOR=1 WTRACE_TIMING=${JSON.stringify(timing)} ${command}; sleep 30`);
    await waitForScreen(/time 0 \//);
  }, 60_000);

  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('opens at time 0 on the program\'s first instruction, with its call stack, then the C view', async () => {
    // The first frame is drawn before the module's DWARF is read; the C view follows it (tui/session.ts checkDwarf).
    const s = await waitForScreen(/Variables: #0 _start/);
    expect(s).toMatch(/wtrace replay {2}dt\.wtrace {2}\(debug_target\.wasm\)/);
    expect(s).toMatch(/no DWARF line info for this pc; showing disassembly/); // _start: libc, no -g
    expect(s).toMatch(/▶0x[0-9a-f]{6} call \d+ <_start>/);
    expect(s).toMatch(/Stack \(1\)[\s\S]*▶#0 _start\.command_export 0x[0-9a-f]{6}/);
    expect(s).toMatch(/at time 0 of [\d,]+: s\/n\/c step forward/);
  }, 30_000);

  it('breaks in factorial, shows n, continues forward and back, and quits restoring the terminal', async () => {
    keys('B');
    await waitForScreen(/file:line|function|0xPC/i);
    keys(...'factorial'.split(''), 'Enter');
    await waitForScreen(/breakpoint 1/i);
    keys('c');
    let s = await waitForScreen(/#0 factorial/);
    expect(s).toMatch(/▶\s*38\s+bump\(\);/);
    expect(s).toMatch(/#1 __original_main debug_target\.c:68/);
    expect(s).toMatch(/Variables: #0 factorial/);
    expect(s).toMatch(/│ int n = 5\s/);
    // bump() ran 9 times before factorial(5): main once, fill_squares' square() 8 times.
    expect(s).toMatch(/│ int counter = 9 \*/);
    keys('c');
    s = await waitForScreen(/│ int n = 4\s/);
    expect(s.match(/#\d factorial debug_target/g)).toHaveLength(2);
    expect(s).toMatch(/│ int counter = 10 \*/); // changed since the last stop: marked under NO_COLOR
    keys('u');
    s = await waitForScreen(/Variables: #1 factorial/);
    expect(s).toMatch(/│ int n = 5\s/);
    keys('C');
    s = await waitForScreen(/#1 __original_main[\s\S]*Variables: #0 factorial/);
    expect(s).toMatch(/│ int n = 5\s/);
    expect(s.match(/#\d factorial debug_target/g)).toHaveLength(1);
    expect(s).toMatch(/│ int counter = 9 \*/);
    keys('v');
    s = await waitForScreen(/Locals: #0 factorial/);
    expect(s).toMatch(/l0\s+i32\s+5\b/);
    keys('n');
    s = await waitForScreen(/▶\s*39\s/);
    keys('N');
    s = await waitForScreen(/▶\s*38\s/);
    expect(s).toMatch(/l0\s+i32\s+5\b/);
    keys('v');
    s = await waitForScreen(/Variables: #0 factorial/);
    expect(s).toMatch(/│ int n = 5\s/);
    keys('q');
    s = await waitForScreen(/^\s*$|\$ |sleep/, 10_000).catch(() => screen());
    expect(s).not.toMatch(/wtrace replay {2}dt\.wtrace/);
  }, 90_000);

  it('logged the open\'s marks under WTRACE_TIMING at exit, in the order the CLI passes them', async () => {
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(timing) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const { command, marks } = JSON.parse(fs.readFileSync(timing, 'utf8').trim());
    expect(command).toBe('replay');
    const order = ['bin', 'cli-loaded', 'engine-loaded', 'engine-open', 'tui-loaded', 'render-start', 'first-frame'];
    expect(Object.keys(marks).sort((a, b) => marks[a] - marks[b])).toEqual(order);
  }, 20_000);
});
