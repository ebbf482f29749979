/**
 * The real client against the stub, in front of the fake debuggee: lldb-22's wasm plugin
 * connects, breaks, unwinds, finishes, watches, runs backward to a breakpoint and to the history
 * boundary, runs to the exit, reconnects at the end and runs backward from there. Checks what
 * LLDB prints, so a reply LLDB misreads fails here even when the transcripts look right.
 * Skipped where lldb-22 is not installed (CI installs it). End-to-end tests over the real engine
 * and DWARF fixtures belong to the replay command's tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serveGdb } from '../../src/gdbstub/index.js';
import { FakeDebuggee, PC } from './fakeDebuggee.js';
import { skipWithout } from '../helpers/run.js';


const code = (pc: number) => '0x' + (0x4000000000000000n + BigInt(pc)).toString(16);

/** Runs lldb-22 with `commands` (PORT replaced) against a fresh stub; resolves with its output. */
async function lldb(commands: string[]): Promise<{ output: string; packets: string[] }> {
  const packets: string[] = [];
  const server = await serveGdb(new FakeDebuggee(), { logPackets: true, log: (l) => packets.push(l) });
  const args = ['--no-lldbinit', ...commands.flatMap((c) => ['-o', c.replaceAll('PORT', String(server.address.port))]), '-o', 'quit'];
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn('lldb-22', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => { output += c; });
      child.stderr.on('data', (c: Buffer) => { output += c; });
      const timer = setTimeout(() => { child.kill(); reject(new Error(`lldb-22 timed out:\n${output}`)); }, 40_000);
      child.on('close', () => { clearTimeout(timer); resolve({ output, packets }); });
    });
  } finally {
    await server.close();
  }
}

/** The text LLDB printed for each command, keyed by the command line. */
function byCommand(output: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of output.split(/^\(lldb\) /m).slice(1)) {
    const nl = block.indexOf('\n');
    out.set(block.slice(0, nl).trim(), block.slice(nl + 1));
  }
  return out;
}

const connect = 'process connect --plugin wasm connect://127.0.0.1:PORT';

describe.skipIf(skipWithout('lldb-22'))('lldb-22 against the stub', () => {
  it('watches, breaks, unwinds, finishes and runs backward', async () => {
    const { output, packets } = await lldb([
      connect,
      'script e = lldb.SBError(); print(lldb.target.WatchAddress(0x100, 4, False, True, e).IsValid(), e.Success())',
      'continue', 'watchpoint delete 1',
      `breakpoint set -a ${code(PC.addAdd)}`, 'process continue', 'bt', 'finish',
      'process continue --reverse', 'thread backtrace', 'process continue -R',
    ]);
    const out = byCommand(output);
    expect(out.get('continue')).toMatch(new RegExp(`stop reason = watchpoint 1[\\s\\S]*-> +${code(PC.addConst)}`));
    expect(output).toMatch(/Watchpoint 1 hit:\s+old value: 50462976\s+new value: 67305985/);
    expect(out.get('process continue')).toMatch(/stop reason = breakpoint 1\.1/);
    expect(out.get('bt')).toContain(`frame #1: ${code(PC.startDrop)}`); // the return address
    expect(out.get('finish')).toMatch(new RegExp(`stop reason = step out[\\s\\S]*-> +${code(PC.startDrop)}`));
    expect(out.get('process continue --reverse')).toMatch(/stop reason = breakpoint 1\.1/);
    expect(out.get('thread backtrace')).toContain(`frame #1: ${code(PC.startDrop)}`);
    expect(out.get('process continue -R')).toMatch(new RegExp(`stop reason = history boundary[\\s\\S]*-> +${code(PC.startConst)}`));
    expect(packets).toContain('<- Z2,100,4');
    expect(packets.filter((p) => p === '<- bc')).toHaveLength(2);
  }, 60_000);

  it('reports the exit, then lets a new connection start at the end and run backward', async () => {
    const { output } = await lldb([connect, 'continue', connect, 'register read pc', 'process continue --reverse']);
    expect(output).toMatch(/Process 1 exited with status = 0/);
    expect(byCommand(output).get('register read pc')).toContain(`pc = ${code(PC.startEnd)}`);
    expect(byCommand(output).get('process continue --reverse')).toMatch(/stop reason = history boundary[\s\S]*-> +0x4000000000000030/);
  }, 60_000);
});
