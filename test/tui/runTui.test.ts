/**
 * `runTui` end to end over in-memory terminal streams: it refuses a non-terminal with a clear
 * error, draws full screen, honours NO_COLOR, and resolves when the user quits.
 */
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assertInteractiveTerminal, NotATerminalError, runTui } from '../../tui/index.js';
import { FakeDebuggee } from './fakeDebuggee.js';
import { FIXTURE_ROOT } from './renderApp.js';

/** A TTY-like output that records everything written. */
class TerminalOut extends Writable {
  readonly isTTY = true;
  columns = 80;
  rows = 24;
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A TTY-like input the test types into. */
function terminalIn() {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {}, ref: () => {}, unref: () => {} });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(env: Record<string, string | undefined>, keys: (string | ((out: TerminalOut) => void))[]) {
  const stdin = terminalIn();
  const stdout = new TerminalOut();
  const fake = new FakeDebuggee({ startAt: 15n });
  const done = runTui(fake, {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    sourceRoot: FIXTURE_ROOT,
    traceName: 'debug_target.wtrace',
    env,
  });
  await wait(50);
  for (const key of keys) {
    if (typeof key === 'string') stdin.write(key);
    else key(stdout);
    await wait(50);
  }
  await done;
  return { stdout, fake };
}

describe('runTui', () => {
  it('refuses when stdout or stdin is not a terminal, naming the alternatives', async () => {
    const fake = new FakeDebuggee();
    const piped = { stdin: { isTTY: true }, stdout: { isTTY: false } } as unknown as { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };
    const error = await runTui(fake, { ...piped, traceName: 't.wtrace' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotATerminalError);
    expect((error as NotATerminalError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/stdout is not a TTY.*wtrace replay --gdb PORT FILE.*wtrace query FILE/);
    expect(() => assertInteractiveTerminal({ stdin: {}, stdout: { isTTY: true } })).toThrow(/stdin is not a TTY/);
    expect(fake.calls).toEqual([]);
  });

  it('draws on the alternate screen, runs keys through the debuggee, and resolves on q', async () => {
    const { stdout, fake } = await run({}, ['n', 'q']);
    expect(fake.motions()).toEqual([{ method: 'stepOver', args: ['forward', 'line'] }]);
    expect(stdout.text).toContain('\u001b[?1049h'); // alternate screen on
    expect(stdout.text).toContain('\u001b[?1049l'); // and off again
    const plain = stripVTControlCharacters(stdout.text);
    expect(plain).toContain('Source: debug_target.c:11');
    expect(plain).toContain('now at debug_target.c:11 in main');
  });

  it('adds no colour under NO_COLOR', async () => {
    const colour = /\u001b\[(?:3[0-9]|4[0-9]|9[0-7])(?:;[0-9;]*)?m/;
    const { stdout } = await run({ NO_COLOR: '1' }, ['s', 'q']);
    expect(stdout.text).not.toMatch(colour);
    expect(stdout.text).toContain('\u001b[1m'); // bold is not a colour
  });

  it('follows a resize: wider than 120 columns puts output and memory side by side', async () => {
    const widen = (out: TerminalOut) => {
      out.columns = 130;
      out.rows = 40;
      out.text = '';
      out.emit('resize');
    };
    const { stdout } = await run({}, [widen, 'q']);
    const plain = stripVTControlCharacters(stdout.text);
    expect(plain).toMatch(/─ Output ─+│─ Memory/);
  });
});
