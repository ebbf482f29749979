/**
 * `wtrace replay --gdb` end to end: the real CLI serves a trace of the debug_target C fixture
 * (-O0, DWARF 5) and the real lldb-22 debugs it with its Wasm plugin, forward and backward.
 * Assertions are on what LLDB prints: stop reasons, frames, source lines and variable values
 * known from the C source. Skipped only where lldb-22 is absent and CI is unset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, skipWithout, wtrace } from '../helpers/run.js';
import { runLldb, serveDebugTarget, wasmConnect, type ReplayServer } from './lldbSession.js';

let server: ReplayServer;

beforeAll(async () => {
  if (skipWithout('lldb-22')) return;
  server = await serveDebugTarget();
}, 30_000);

afterAll(() => server?.stop());

/** lldb-22 connected with the Wasm plugin, then `commands`; output by command (first run of each). */
async function lldb(commands: string[]): Promise<{ get(command: string): string }> {
  const t = await runLldb('lldb-22', [wasmConnect(server.port), ...commands]);
  return { get: (command) => t.out(command) };
}

describe.skipIf(skipWithout('lldb-22'))('lldb-22 debugs a recording through wtrace replay --gdb', () => {
  it('prints where it listens and the LLDB command', () => {
    expect(server.stderr()).toMatch(/process connect --plugin wasm connect:\/\/127\.0\.0\.1:\d+/);
  });

  it('breaks by file:line and by function, unwinds, shows variables, and runs backward', async () => {
    const out = await lldb([
      'breakpoint set -f debug_target.c -l 43',
      'continue',
      'bt',
      'frame variable',
      'breakpoint set -n fill_squares',
      'process continue --reverse',
      'thread backtrace',
      'register read pc',
    ]);
    // Line 43 is first reached when factorial(2) returns 2 * factorial(1): n = 2, smaller = 1.
    expect(out.get('continue')).toMatch(/stop reason = breakpoint 1\.1[\s\S]*factorial\(n=2\) at debug_target\.c:43/);
    const bt = out.get('bt');
    expect(bt.match(/`factorial/g)).toHaveLength(4);
    expect(bt).toMatch(/`main at debug_target\.c:68/);
    expect(out.get('frame variable')).toMatch(/\(int\) n = 2\s+\(int\) smaller = 1/);
    expect(out.get('process continue --reverse')).toMatch(/stop reason = breakpoint 2\.1[\s\S]*fill_squares/);
    expect(out.get('thread backtrace')).toMatch(/frame #1: .*`main at debug_target\.c:66/);
    expect(out.get('register read pc')).toMatch(/pc = 0x40000000000/);
  }, 90_000);

  it('steps by line with next (in a function without calls) and step, forward after running backward', async () => {
    const out = await lldb([
      'breakpoint set -f debug_target.c -l 55',
      'continue',
      'next',
      'thread step-over',
      'process continue --reverse',
      'breakpoint set -f debug_target.c -l 66',
      'process continue -R',
      'process continue -F',
      'step',
    ]);
    expect(out.get('continue')).toMatch(/stop reason = breakpoint 1\.1[\s\S]*sum_squares at debug_target\.c:55/);
    expect(out.get('next')).toMatch(/sum_squares at debug_target\.c:56/);
    expect(out.get('thread step-over')).toMatch(/sum_squares at debug_target\.c:56|sum_squares at debug_target\.c:57/);
    // Backward from sum_squares: line 66 (the call of fill_squares) was executed before it.
    expect(out.get('process continue -R')).toMatch(/stop reason = breakpoint 2\.1[\s\S]*main at debug_target\.c:66/);
    expect(out.get('process continue -F')).toMatch(/stop reason = breakpoint 1\.1[\s\S]*sum_squares at debug_target\.c:55/);
    expect(out.get('step')).toMatch(/sum_squares at debug_target\.c:56/);
  }, 90_000);

  it('reports the start of the recording as a history boundary', async () => {
    const out = await lldb(['process continue --reverse']);
    expect(out.get('process continue --reverse')).toMatch(/history boundary/);
  }, 90_000);
});
