/** The README's first-screen commands work as written on this checkout. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir, wtrace } from '../helpers/run.js';

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The README line that starts with `npx wtrace <sub>`, as arguments (comments dropped). */
function readmeCommand(sub: string): string[] {
  const line = readme.split('\n').find((l) => l.startsWith(`npx wtrace ${sub} `));
  if (line === undefined) throw new Error(`README has no "npx wtrace ${sub}" line`);
  return line.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
}

describe('README quick start', () => {
  it('records the example and shows the trace', () => {
    const out = tempDir();
    fs.cpSync(path.join(root, 'examples'), path.join(out, 'examples'), { recursive: true });
    const rec = wtrace(readmeCommand('record'), { cwd: out });
    expect(rec.stderr).toBe('');
    expect(rec.status).toBe(0);
    expect(rec.stdout).toMatch(/\S/);
    const info = wtrace(readmeCommand('info'), { cwd: out });
    expect(info.status).toBe(0);
    expect(info.stdout).toMatch(/^module +wordfreq /m);
    expect(info.stdout).toMatch(/complete\)/);
  });
});
