/**
 * The input log is complete: re-executing the recorded module with nothing but the log (no
 * files, clock, randomness, environment) makes exactly the same import calls, in order, with
 * the same arguments, and ends the same way. Plus spot checks of what specific calls logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceReader } from '../../src/trace/index.js';
import { replayFromLog } from '../helpers/logReplay.js';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

function record(args: string[], input?: string): { trace: string; stdout: string } {
  const trace = path.join(tempDir(), 't.wtrace');
  const r = wtrace(['record', '-o', trace, ...args], { input });
  expect(fs.existsSync(trace)).toBe(true);
  return { trace, stdout: r.stdout };
}

function callsByName(trace: string) {
  const reader = TraceReader.open(trace);
  const names = new Map(reader.imports().map((i) => [i.functionIndex, i.name]));
  const calls = [...reader.importCalls()].map((c) => ({ ...c, name: names.get(c.functionIndex)! }));
  reader.close();
  return calls;
}

const concat = (parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

describe('the input log is complete', () => {
  const runs: [string, string[], string?][] = [
    ['args_env', ['--env', 'FOO=bar', fixture('args_env'), '--', 'one', 'FOO', 'NOPE']],
    ['stdin_upper', [fixture('stdin_upper')], 'some input\n'.repeat(300)],
    ['clocks', [fixture('clocks')]],
    ['random', [fixture('random')]],
    ['many_calls', [fixture('many_calls')]],
    ['trap', [fixture('trap'), '--', 'divide']],
    ['reactor', ['--invoke', 'greet', '--env', 'GREETING=hey', fixture('reactor')]],
  ];
  for (const [name, args, input] of runs) {
    it(`re-executes ${name} from the log alone`, () => {
      const { trace, stdout } = record(args, input);
      const replay = replayFromLog(trace);
      expect(replay.divergence).toBeNull();
      expect(replay.callsReplayed).toBe(replay.callsLogged);
      expect(replay.stdout).toBe(stdout);
      // wasi-libc returns from _start on exit code 0 and calls proc_exit otherwise.
      const last = callsByName(trace).at(-1)!;
      expect(replay.ended).toBe(name === 'trap' ? 'trap' : last.name === 'proc_exit' ? 'exit' : 'returned');
    });
  }

  it('re-executes file I/O in a preopened directory without the directory', () => {
    const data = tempDir();
    fs.cpSync('test/fixtures/data/fileio', data, { recursive: true });
    const { trace } = record(['--dir', `${data}::/data`, fixture('fileio')]);
    fs.rmSync(data, { recursive: true });
    const replay = replayFromLog(trace);
    expect(replay.divergence).toBeNull();
    expect(replay.callsReplayed).toBe(replay.callsLogged);
  });

  it('logs stdin data as the fd_read writes and stdout as output', () => {
    const input = 'abc def\n'.repeat(1000);
    const { trace, stdout } = record([fixture('stdin_upper')], input);
    const calls = callsByName(trace);
    const reads = calls.filter((c) => c.name === 'fd_read');
    // Each fd_read writes the data into the iovec buffers, then nread (4 bytes).
    const data = concat(reads.flatMap((c) => c.writes.slice(0, -1).map((w) => w.bytes)));
    expect(data.toString()).toBe(input);
    for (const c of reads) expect(c.writes.at(-1)!.bytes.length).toBe(4);
    const out = concat(calls.flatMap((c) => c.output.filter((o) => o.stream === 1).map((o) => o.bytes)));
    expect(out.toString()).toBe(stdout);
  });

  it('logs the argument strings written by args_get', () => {
    const { trace } = record([fixture('args_env'), '--', 'alpha', 'beta gamma']);
    const argsGet = callsByName(trace).find((c) => c.name === 'args_get')!;
    const text = concat(argsGet.writes.map((w) => w.bytes)).toString('latin1');
    expect(text).toContain('alpha\0beta gamma\0');
  });

  it('logs 8 bytes per clock_time_get and every random byte', () => {
    const clocks = callsByName(record([fixture('clocks')]).trace).filter((c) => c.name === 'clock_time_get');
    expect(clocks.length).toBeGreaterThan(0);
    for (const c of clocks) expect(c.writes.map((w) => w.bytes.length)).toEqual([8]);
    const randoms = callsByName(record([fixture('random')]).trace).filter((c) => c.name === 'random_get');
    expect(randoms.length).toBeGreaterThan(0);
    for (const c of randoms) {
      expect(c.writes.reduce((n, w) => n + w.bytes.length, 0)).toBe(c.args[1]);
    }
  });
});
