/** Ctrl-C (SIGINT) during a recording: exit code 130, and the trace reads as incomplete. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';

describe('SIGINT during wtrace record', () => {
  it('exits 130 and leaves an incomplete, readable trace', async () => {
    const trace = path.join(tempDir(), 'int.wtrace');
    const child = spawn(process.execPath, [path.join(root, 'bin/wtrace.js'), 'record', '-o', trace, fixture('stdin_upper')], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stdin.write('waiting for more\n');
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('WAITING') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const info = JSON.parse(wtrace(['info', '--json', trace]).stdout);
    expect(info.complete).toBe(false);
    expect(info.importCalls.byFunction.fd_read).toBeGreaterThan(0);
  });
});
