/**
 * What changed since the previous stop is highlighted: C variables, Wasm locals and globals
 * (colour, or bold and `*` under NO_COLOR) and memory bytes (inverse). These tests read the
 * ANSI codes themselves.
 */
import { describe, expect, it } from 'vitest';
import { FakeDebuggee } from './fakeDebuggee.js';
import { renderApp } from './renderApp.js';

const ESC = '\u001b';
/** Any SGR colour code (foreground, background, bright, 256/true colour). */
const COLOUR = new RegExp(`${ESC}\\[(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m`);
const BOLD = `${ESC}[1m`;
const INVERSE = `${ESC}[7m`;
const YELLOW = `${ESC}[33m`;

/**
 * The ANSI line of the frame whose plain text contains `needle`; from the side column's rule
 * on when it has one (so the code pane's styles do not count).
 */
function lineWith(ansi: string, needle: string): string {
  const line = ansi.split('\n').find((l) => l.replace(/\u001b\[[0-9;]*m/g, '').includes(needle));
  if (line === undefined) throw new Error(`no line with ${needle}`);
  return line.includes('│') ? line.slice(line.lastIndexOf('│')) : line;
}

/** `text` opened by inverse (other SGR codes may come between). */
const inverseBefore = (text: string) => new RegExp(`\u001b\\[7m(?:\u001b\\[[0-9;]*m)*${text}`);

/** From t=15 in main (total = 0), watching 0x1000, step over: total becomes 12 at t=17. `wasm`: the Wasm locals view (v). */
async function afterStore(color: boolean, wasm = true) {
  const app = renderApp(new FakeDebuggee({ startAt: 15n }), { color });
  if (wasm) await app.press('v');
  await app.press('m');
  await app.answer('0x1000');
  await app.press('n');
  return app;
}

describe('changes since the last stop', () => {
  it('colours a changed local and leaves unchanged ones plain', async () => {
    const app = await afterStore(true);
    const l0 = lineWith(app.ansi(), 'l0   i32');
    const l1 = lineWith(app.ansi(), 'l1   i32');
    expect(l0).toContain(YELLOW);
    expect(l0).toContain('12 (0xc)');
    expect(l1).not.toMatch(COLOUR);
    expect(app.text()).not.toContain('12 (0xc) *');
    app.unmount();
  });

  it('under NO_COLOR: no colour anywhere, a changed local is bold with a * marker', async () => {
    const app = await afterStore(false);
    expect(app.ansi()).not.toMatch(COLOUR);
    const l0 = lineWith(app.ansi(), 'l0   i32');
    expect(l0).toContain(BOLD);
    expect(app.text()).toContain('l0   i32     12 (0xc) *');
    expect(app.text()).toContain('l1   i32     1\n');
    app.unmount();
  });

  it('colours a changed C variable and leaves unchanged ones plain; * under NO_COLOR', async () => {
    const app = await afterStore(true, false);
    expect(app.text()).toContain('Variables: #0 main');
    expect(lineWith(app.ansi(), 'int total =')).toContain(YELLOW);
    expect(lineWith(app.ansi(), 'int total =')).toContain('12');
    expect(lineWith(app.ansi(), 'int i =')).not.toMatch(COLOUR);
    app.unmount();
    const plain = await afterStore(false, false);
    expect(plain.ansi()).not.toMatch(COLOUR);
    expect(plain.text()).toContain('int total = 12 *');
    expect(plain.text()).toContain('int i = 1\n');
    plain.unmount();
  });

  it('marks the written memory byte inverse, in colour and without', async () => {
    for (const color of [true, false]) {
      const app = await afterStore(color);
      const row = lineWith(app.ansi(), '00001000');
      expect(row).toMatch(inverseBefore('0c'));
      expect(row).toMatch(inverseBefore('\\.'));
      expect(row.split(INVERSE)).toHaveLength(3); // the hex byte and its ASCII cell, nothing else
      app.unmount();
    }
  });

  it('highlights nothing after a motion that did not move', async () => {
    // In _start (no line info, no C globals): the Wasm locals and globals are the default view.
    const app = renderApp(new FakeDebuggee({ startAt: 1n }));
    await app.press('S'); // to the start boundary
    await app.press('S'); // stays at 0
    expect(app.text()).toContain('history boundary: start of recording');
    expect(lineWith(app.ansi(), 'g0   i32 mut')).not.toContain(YELLOW);
    app.unmount();
  });

  it('colours a changed global (the stack pointer after a call)', async () => {
    const app = renderApp(new FakeDebuggee({ startAt: 8n }));
    await app.press('v'); // Wasm locals and globals
    await app.press('s'); // t=10: into divide, the fake's stack pointer moves down
    expect(lineWith(app.ansi(), 'g0   i32 mut')).toContain(YELLOW);
    expect(lineWith(app.ansi(), 'g1   i64')).not.toContain(YELLOW);
    app.unmount();
  });
});
