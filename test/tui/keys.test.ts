/**
 * Every key goes through the Debuggee's API: each motion key calls the right method with the
 * right direction and unit (the fake records calls), and the prompts and toggles call the
 * breakpoint, watchpoint and history queries. Nothing here steps by itself.
 */
import { describe, expect, it } from 'vitest';
import { FakeDebuggee } from './fakeDebuggee.js';
import { KEYS, renderApp } from './renderApp.js';

/** From the middle of the recording (t=20, divide's entry), so no motion meets a boundary. */
function app(options: { startAt?: bigint; dwarf?: boolean } = {}) {
  const fake = new FakeDebuggee({ startAt: 20n, ...options });
  return { fake, ui: renderApp(fake) };
}

describe('motion keys', () => {
  it.each([
    ['s', 'stepInto', ['forward', 'line']],
    ['S', 'stepInto', ['backward', 'line']],
    ['n', 'stepOver', ['forward', 'line']],
    ['N', 'stepOver', ['backward', 'line']],
    ['f', 'stepOut', ['forward']],
    ['F', 'stepOut', ['backward']],
    ['c', 'continue', ['forward']],
    ['C', 'continue', ['backward']],
    ['i', 'stepInstruction', ['forward']],
    ['I', 'stepInstruction', ['backward']],
    ['o', 'stepOver', ['forward', 'instruction']],
    ['O', 'stepOver', ['backward', 'instruction']],
    ['g', 'seek', [0n]],
    ['G', 'seek', [48n]],
  ])('%s calls %s(%s)', async (key, method, args) => {
    const { fake, ui } = app();
    await ui.press(key);
    expect(fake.motions()).toEqual([{ method, args }]);
    ui.unmount();
  });

  it('t takes a time, a percentage or a relative time, and seeks there', async () => {
    const { fake, ui } = app();
    for (const [typed, time] of [['30', 30n], ['50%', 24n], ['-4', 20n], ['+1,0', 30n], ['end', 48n], ['start', 0n]] as const) {
      await ui.press('t');
      await ui.answer(typed);
      expect(fake.motions().at(-1)).toEqual({ method: 'seek', args: [time] });
    }
    ui.unmount();
  });

  it('a bad time is an error in the status line and no motion', async () => {
    const { fake, ui } = app();
    await ui.press('t');
    await ui.answer('99');
    expect(fake.motions()).toEqual([]);
    expect(ui.text()).toContain('error: time 99 is outside the recording (0 to 48)');
    ui.unmount();
  });

  it('keys typed into a prompt are text, not motions; Esc cancels it', async () => {
    const { fake, ui } = app();
    await ui.press('t', 's', 'n', 'c');
    expect(ui.text()).toContain('go to time (12345, 50%, +N, -N, start, end): snc');
    await ui.press(KEYS.backspace);
    expect(ui.text()).toContain('go to time (12345, 50%, +N, -N, start, end): sn');
    await ui.press(KEYS.escape);
    expect(ui.text()).not.toContain('go to time');
    expect(fake.motions()).toEqual([]);
    ui.unmount();
  });

  it('the status line shows the stop: a breakpoint hit by continue, then reverse-continue to it again', async () => {
    const { fake, ui } = app({ startAt: 0n });
    await ui.press('B');
    await ui.answer('divide');
    expect(fake.calls[0]).toEqual({ method: 'addBreakpoint', args: [{ kind: 'function', name: 'divide' }] });
    expect(ui.text()).toContain('breakpoint 1 at debug_target.c:4 in divide');
    await ui.press('c', 'c', 'C');
    expect(fake.now).toBe(10n);
    expect(ui.text()).toContain('breakpoint 1 at debug_target.c:4 in divide');
    expect(fake.motions().map((c) => c.args[0])).toEqual(['forward', 'forward', 'backward']);
    ui.unmount();
  });
});

describe('breakpoint and watchpoint keys', () => {
  it('b sets a line breakpoint at the current line, b again deletes it', async () => {
    const { fake, ui } = app();
    await ui.press('b');
    expect(fake.calls).toEqual([{ method: 'addBreakpoint', args: [{ kind: 'line', file: 'debug_target.c', line: 4 }] }]);
    expect(ui.text()).toMatch(/●▶ 4/);
    await ui.press('b');
    expect(fake.calls[1]).toEqual({ method: 'removeBreakpoint', args: [1] });
    expect(ui.text()).toContain('deleted breakpoint 1 at debug_target.c:4');
    ui.unmount();
  });

  it('j/k move the cursor and b uses its line; . puts it back', async () => {
    const { fake, ui } = app({ startAt: 5n });
    await ui.press('j', 'j', 'k');
    expect(ui.text()).toMatch(/ ›10 +total \+= divide/);
    await ui.press('b');
    expect(fake.calls).toEqual([{ method: 'addBreakpoint', args: [{ kind: 'line', file: 'debug_target.c', line: 10 }] }]);
    await ui.press('.');
    expect(ui.text()).not.toContain('›');
    await ui.press(KEYS.pageDown);
    expect(ui.text()).toMatch(/ ›14 \}/); // a page down from line 9, stopped at the last line
    await ui.press(KEYS.pageUp);
    expect(ui.text()).toMatch(/ › 3 static int divide/);
    ui.unmount();
  });

  it('b in disassembly sets a pc breakpoint at the cursor instruction', async () => {
    const { fake, ui } = app({ dwarf: false });
    await ui.press('j', 'b');
    expect(fake.calls).toEqual([{ method: 'addBreakpoint', args: [{ kind: 'pc', pc: 0x52 }] }]);
    expect(ui.text()).toMatch(/●› ?0x000052/);
    ui.unmount();
  });

  it('B accepts file:line and 0xPC', async () => {
    const { fake, ui } = app();
    await ui.press('B');
    await ui.answer('debug_target.c:13');
    await ui.press('B');
    await ui.answer('*0x84');
    expect(fake.calls.map((c) => c.args[0])).toEqual([
      { kind: 'line', file: 'debug_target.c', line: 13 },
      { kind: 'pc', pc: 0x84 },
    ]);
    ui.unmount();
  });

  it('w toggles a watchpoint at an address or a local', async () => {
    const { fake, ui } = app();
    await ui.press('w');
    await ui.answer('0x1000 4');
    expect(ui.text()).toContain('watchpoint 1: 0x1000 (4 bytes)');
    await ui.press('w');
    await ui.answer('0x1000');
    expect(fake.calls).toEqual([
      { method: 'addWatchpoint', args: [0x1000, 4] },
      { method: 'removeWatchpoint', args: [1] },
    ]);
    await ui.press('w');
    await ui.answer('l0+4 2'); // divide's a = 12: address 16
    expect(fake.calls.at(-1)).toEqual({ method: 'addWatchpoint', args: [16, 2] });
    ui.unmount();
  });

  it('W asks the debuggee for the last write and goes there', async () => {
    const { fake, ui } = app({ startAt: 30n });
    await ui.press('m');
    await ui.answer('0x1000');
    await ui.press('W');
    await ui.answer('');
    expect(fake.calls.slice(-2)).toEqual([
      { method: 'lastWriteBefore', args: [0x1000] },
      { method: 'seek', args: [27n] },
    ]);
    expect(ui.text()).toContain('last write of 0x1000: store at time 27 by debug_target.c:10 in main, 0c -> 12');
    ui.unmount();
  });

  it('m, w and W take C variables: where they live, their size, when they were last written', async () => {
    const { fake, ui } = app({ startAt: 36n }); // in main, after the second round's store to total
    await ui.press('m');
    await ui.answer('total'); // main's total lives at 0x1000
    expect(ui.text()).toContain('Memory at 0x1000');
    await ui.press('w');
    await ui.answer('total');
    expect(fake.calls.at(-1)).toEqual({ method: 'addWatchpoint', args: [0x1000, 4] }); // sizeof(int)
    await ui.press('W');
    await ui.answer('total');
    expect(fake.calls.slice(-2)).toEqual([{ method: 'lastWriteBefore', args: [0x1000] }, { method: 'seek', args: [27n] }]);
    expect(ui.text()).toContain('last write of 0x1000: store at time 27 by debug_target.c:10 in main');
    ui.unmount();
    const inDivide = app({ startAt: 12n }).ui;
    await inDivide.press('m');
    await inDivide.answer('a');
    expect(inDivide.text()).toContain('error: a is not in linear memory (it is held in a Wasm local)');
    await inDivide.press('m');
    await inDivide.answer('nosuch');
    expect(inDivide.text()).toContain('error: no C variable nosuch in scope here');
    inDivide.unmount();
  });

  it('W on a never-written address says so and stays', async () => {
    const { fake, ui } = app();
    await ui.press('W');
    await ui.answer('0x2000');
    expect(fake.motions()).toEqual([]);
    expect(ui.text()).toContain('0x2000 was not written between time 0 and now');
    ui.unmount();
  });
});

describe('navigation keys', () => {
  it('up/down and u/d select frames; the variables follow', async () => {
    const { ui } = app({ startAt: 12n });
    expect(ui.text()).toContain('int a = 12');
    await ui.press(KEYS.up);
    expect(ui.text()).toContain('Variables: #1 main');
    expect(ui.text()).toContain('int total = 0');
    await ui.press('u');
    expect(ui.text()).toContain('Variables: #2 _start');
    expect(ui.text()).toContain('(no DWARF for this function)');
    await ui.press('u'); // no frame above _start
    expect(ui.text()).toContain('Variables: #2 _start');
    await ui.press(KEYS.down, 'd');
    expect(ui.text()).toContain('Variables: #0 divide');
    ui.unmount();
  });

  it('m shows memory at a local\'s value; a bad address is an error', async () => {
    const { ui } = app();
    await ui.press('m');
    await ui.answer('l0');
    expect(ui.text()).toContain('Memory at 0xc');
    await ui.press('m');
    await ui.answer('0x10000');
    expect(ui.text()).toContain('error: 0x10000 is outside linear memory (size 0x10000)');
    ui.unmount();
  });

  it('Tab switches output and memory; v switches between C variables and Wasm locals; ? and any key', async () => {
    const { ui } = app({ startAt: 12n });
    await ui.press(KEYS.tab);
    expect(ui.text()).toContain('press m and type an address');
    await ui.press(KEYS.tab);
    expect(ui.text()).toContain('Variables: #0 divide');
    await ui.press('v');
    expect(ui.text()).toContain('Locals: #0 divide');
    expect(ui.text()).toContain('l0   i32     12 (0xc)');
    await ui.press('v');
    expect(ui.text()).toContain('Variables: #0 divide');
    await ui.press('?');
    expect(ui.text()).toContain('motion                   fwd  back');
    await ui.press('x');
    expect(ui.text()).not.toContain('motion                   fwd  back');
    ui.unmount();
  });
});
