/**
 * The README's first-screen commands work as written on this checkout: the record line, and the
 * replay line in a real terminal (tmux), which opens the UI on that inputs-only trace (building
 * its detail index first) and steps forward and back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, skipWithout, tempDir, wtrace } from '../helpers/run.js';

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The README line that starts with `npx wtrace <sub>`, as arguments (comments dropped). */
function readmeCommand(sub: string): string[] {
  const line = readme.split('\n').find((l) => l.startsWith(`npx wtrace ${sub} `));
  if (line === undefined) throw new Error(`README has no "npx wtrace ${sub}" line`);
  return line.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
}

function recordExample(): string {
  const out = tempDir();
  fs.cpSync(path.join(root, 'examples'), path.join(out, 'examples'), { recursive: true });
  const rec = wtrace(readmeCommand('record'), { cwd: out });
  expect(rec.stderr).toBe('');
  expect(rec.status).toBe(0);
  expect(rec.stdout).toMatch(/\S/);
  return out;
}

describe('README quick start', () => {
  it('records the example', () => {
    const out = recordExample();
    const info = wtrace(['info', 'wordfreq.wtrace'], { cwd: out });
    expect(info.status).toBe(0);
    expect(info.stdout).toMatch(/^module +wordfreq /m);
    expect(info.stdout).toMatch(/complete\)/);
  });

  it.skipIf(skipWithout('tmux'))('replays it in the terminal UI, forward and back', async () => {
    const out = recordExample();
    const session = `wtrace-readme-${process.pid}`;
    const args = readmeCommand('replay').map((a) => JSON.stringify(a)).join(' ');
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, 'bin/wtrace.js'))} ${args}`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', out, `NO_COLOR=1 ${command}; sleep 30`]);
    const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 300; i++) {
        const s = screen();
        if (pattern.test(s)) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`screen never showed ${pattern}:\n${screen()}`);
    };
    try {
      await waitFor(/time 0 \/ [\d,]+/);
      for (let i = 0; i < 5; i++) execFileSync('tmux', ['send-keys', '-t', session, 'i']);
      await waitFor(/time 5 \//);
      execFileSync('tmux', ['send-keys', '-t', session, 'I']);
      await waitFor(/time 4 \//);
      execFileSync('tmux', ['send-keys', '-t', session, 'G']);
      const end = await waitFor(/program finished with exit code 0/);
      expect(end).toMatch(/Output/);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 120_000);
});
