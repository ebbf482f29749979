/**
 * A recorder killed with SIGKILL leaves a trace that `wtrace info` reads and reports as
 * incomplete, holding every call committed before the kill: here, everything up to the read
 * on which the program was waiting for more input.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceReader } from '../../src/trace/index.js';
import { fixture, spawnRecording, tempDir, waitFor, wtrace } from '../helpers/run.js';

describe('a recording killed with SIGKILL', () => {
  it('leaves a readable, incomplete trace with everything up to the blocking read', async () => {
    const trace = path.join(tempDir(), 'killed.wtrace');
    const { child, stdout: output } = spawnRecording(trace, fixture('stdin_upper'));
    const input = 'line of input\n'.repeat(4000); // 56,000 bytes; stdin stays open afterwards
    child.stdin!.write(input);
    // stdin_upper writes as it reads; once all input is echoed it waits on the next read.
    await waitFor(() => output().length >= input.length, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    const info = wtrace(['info', '--json', trace]);
    expect(info.status).toBe(0);
    const json = JSON.parse(info.stdout);
    expect(json.complete).toBe(false);
    expect(json.outcome).toBeNull();
    expect(json.importCalls.byFunction.fd_read).toBeGreaterThan(10);
    expect(wtrace(['info', trace]).stdout).toMatch(/INCOMPLETE/);

    const reader = TraceReader.open(trace);
    const fdRead = reader.imports().find((i) => i.name === 'fd_read')!.functionIndex;
    const read = Buffer.concat(
      [...reader.importCalls()].filter((c) => c.functionIndex === fdRead).flatMap((c) => c.writes.slice(0, -1).map((w) => Buffer.from(w.bytes))),
    );
    reader.close();
    expect(read.toString()).toBe(input);
    expect(output()).toBe(input.toUpperCase());
  });
});
