/** Ctrl-C (SIGINT) during a recording: exit code 130, and the trace reads as incomplete. */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, spawnRecording, tempDir, waitFor, wtrace } from '../helpers/run.js';

describe('SIGINT during wtrace record', () => {
  it('exits 130 and leaves an incomplete, readable trace', async () => {
    const trace = path.join(tempDir(), 'int.wtrace');
    const { child, stdout } = spawnRecording(trace, fixture('stdin_upper'));
    child.stdin!.write('waiting for more\n');
    await waitFor(() => stdout().includes('WAITING'), 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const info = JSON.parse(wtrace(['info', '--json', trace]).stdout);
    expect(info.complete).toBe(false);
    expect(info.importCalls.byFunction.fd_read).toBeGreaterThan(0);
  });
});
