/**
 * Frame snapshots of the whole screen, as plain text (ANSI stripped: these are about layout),
 * at 80x24 and 120x36, for each state the UI must draw well. The files in __frames__ are
 * small and meant to be read in review: if one changes, look at it.
 */
import { describe, expect, it } from 'vitest';
import { MOTION_KEYS, OTHER_KEYS } from '../../tui/keymap.js';
import { FakeDebuggee, type FakeOptions } from './fakeDebuggee.js';
import { renderApp, type RenderOptions } from './renderApp.js';

/** Trailing blanks off each line (they are padding); one newline at the end. */
function normalise(frame: string): string {
  return frame.split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}

/** Renders, runs `keys`, checks the frame fills the size exactly, returns it normalised. */
async function frame(fake: FakeOptions, options: RenderOptions, ...keys: string[]): Promise<string> {
  const columns = options.columns ?? 80;
  const rows = options.rows ?? 24;
  const app = renderApp(new FakeDebuggee(fake), options);
  for (const key of keys) {
    if (key.startsWith('=')) await app.answer(key.slice(1));
    else await app.press(key);
  }
  const text = app.text();
  const lines = text.split('\n');
  expect(lines).toHaveLength(rows);
  expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
  app.unmount();
  return normalise(text);
}

const snap = (name: string) => `./__frames__/${name}.txt`;

describe('frames at 80x24', () => {
  it('source on disk, inside a call, no output yet', async () => {
    const f = await frame({ startAt: 11n }, {}, 's');
    expect(f).toContain('▶ 4     return a / b;');
    expect(f).toContain('(no output yet)');
    await expect(f).toMatchFileSnapshot(snap('source-80x24'));
  });

  it('source file missing: disassembly with a note saying where it looked', async () => {
    const f = await frame({ startAt: 11n }, { sourceRoot: 'test/tui/no-such-dir' }, 's');
    expect(f.replace(/\s*│.*\n/g, ' ')).toContain('debug_target.c is not on disk (looked under test/tui/no-such-dir); showing disassembly');
    await expect(f).toMatchFileSnapshot(snap('source-missing-80x24'));
  });

  it('no DWARF: disassembly with byte offsets and function names', async () => {
    const f = await frame({ startAt: 11n, dwarf: false }, {}, 's');
    expect(f).toContain('Disassembly: divide (func[1])');
    expect(f).toMatch(/▶0x000054 i32\.div_s/);
    await expect(f).toMatchFileSnapshot(snap('no-dwarf-80x24'));
  });

  it('at the start boundary after a backward step', async () => {
    const f = await frame({ startAt: 1n }, {}, 'S');
    expect(f).toContain('history boundary: start of recording');
    await expect(f).toMatchFileSnapshot(snap('history-boundary-80x24'));
  });

  it('after a trap, with output and stderr', async () => {
    const f = await frame({ startAt: 40n, stderr: 'warning: dividing by zero\n' }, {}, 'c');
    expect(f).toContain('trap: integer divide by zero at debug_target.c:4 in divide');
    expect(f).toContain('total=22');
    await expect(f).toMatchFileSnapshot(snap('trap-80x24'));
  });

  it('help overlay lists every key', async () => {
    const f = await frame({ startAt: 11n }, {}, '?');
    for (const o of OTHER_KEYS) expect(f, o.label).toContain(o.label);
    for (const m of MOTION_KEYS) expect(f, m.label).toContain(m.label);
    await expect(f).toMatchFileSnapshot(snap('help-80x24'));
  });

  it('memory view after a store (the changed byte is counted)', async () => {
    const f = await frame({ startAt: 15n }, {}, 'm', '=0x1000', 'n');
    expect(f).toContain('Memory at 0x1000 (1 changed since the last stop)');
    expect(f).toContain('00001000  0c 00 00 00 01 00 00 00');
    await expect(f).toMatchFileSnapshot(snap('memory-80x24'));
  });

  it('caller frame selected: the source pane follows it', async () => {
    const f = await frame({ startAt: 12n }, {}, 'u');
    expect(f).toContain('▶#1 main debug_target.c:10');
    expect(f).toContain('▶10         total += divide(12, i);');
    await expect(f).toMatchFileSnapshot(snap('caller-frame-80x24'));
  });

  it('C variables of the selected frame by default; v: Wasm locals and globals', async () => {
    const c = await frame({ startAt: 12n }, {}, 'u');
    expect(c).toContain('─ Variables: #1 main');
    expect(c).toContain('│ int total = 0');
    expect(c).toContain('│ int i = 1');
    await expect(c).toMatchFileSnapshot(snap('variables-80x24'));
    const wasm = await frame({ startAt: 12n }, {}, 'u', 'v');
    expect(wasm).toContain('─ Locals: #1 main');
    expect(wasm).toContain('│ l2   f64     0');
    await expect(wasm).toMatchFileSnapshot(snap('wasm-locals-80x24'));
  });

  it('a terminal too small says so', async () => {
    const app = renderApp(new FakeDebuggee(), { columns: 50, rows: 12 });
    expect(app.text()).toBe('The terminal is 50x12; wtrace replay needs at least 60x16.');
    app.unmount();
  });
});

describe('frames at 120x36', () => {
  it('source, stack, locals; output and memory side by side', async () => {
    const f = await frame({ startAt: 15n }, { columns: 120, rows: 36 }, 'm', '=0x1000', 'n', 's');
    expect(f).toMatch(/─ Output ─+│─ Memory at 0x1000/);
    await expect(f).toMatchFileSnapshot(snap('source-120x36'));
  });

  it('no DWARF', async () => {
    const f = await frame({ startAt: 33n, dwarf: false }, { columns: 120, rows: 36 }, 'n');
    await expect(f).toMatchFileSnapshot(snap('no-dwarf-120x36'));
  });

  it('help overlay', async () => {
    const f = await frame({}, { columns: 120, rows: 36 }, '?');
    await expect(f).toMatchFileSnapshot(snap('help-120x36'));
  });
});
