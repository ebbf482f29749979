/**
 * The LLDB commands issue 6 lists, end to end: real `wtrace replay --gdb` on a trace of the
 * debug_target C fixture (-O0, DWARF 5), real lldb-22 with its Wasm plugin. Each test first runs
 * back to the start (`process continue -R` with no breakpoints) so that it does not depend on
 * where the previous one left the shared replay. Expected values come from the C source:
 * fill_squares stores i*i into squares[i] through square(), bump() adds 1 to counter 14 times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, skipWithout, wtrace } from '../helpers/run.js';
import { runLldb, serveDebugTarget, wasmConnect, type ReplayServer } from './lldbSession.js';

let server: ReplayServer;

beforeAll(async () => {
  if (skipWithout('lldb-22')) return;
  server = await serveDebugTarget();
}, 60_000);

afterAll(() => server?.stop());

/** lldb-22 connected with the Wasm plugin, at the start of the recording, then `commands`. */
const session = (commands: string[]) => runLldb('lldb-22', [wasmConnect(server.port), 'process continue -R', ...commands]);

describe.skipIf(skipWithout('lldb-22'))('lldb-22 commands on a recording', () => {
  it('bt names every frame with its line; up/down, frame variable in every frame, finish, next, step, si, disassemble, register read', async () => {
    const t = await session([
      'breakpoint set -f debug_target.c -l 32 -i 3', // the 4th call of square: square(3)
      'process continue -F',
      'bt',
      'frame variable',
      'up',
      'frame variable',
      'up',
      'frame variable',
      'down',
      'down',
      'finish',
      'next',
      'step',
      'si',
      'register read pc',
      'disassemble --pc -c 3',
    ]);
    expect(t.out('process continue -R')).toMatch(/stop reason = history boundary/);
    expect(t.out('process continue -F')).toMatch(/stop reason = breakpoint 1\.1[\s\S]*`square\(n=3\) at debug_target\.c:32/);
    const bt = t.out('bt');
    expect(bt).toMatch(/frame #0: 0x4000000000000[0-9a-f]{3} wtrace:debug_target\.wasm`square\(n=3\) at debug_target\.c:32/);
    expect(bt).toMatch(/frame #1: 0x4000000000000[0-9a-f]{3} wtrace:debug_target\.wasm`fill_squares at debug_target\.c:49/);
    expect(bt).toMatch(/frame #2: 0x4000000000000[0-9a-f]{3} wtrace:debug_target\.wasm`main at debug_target\.c:66/);
    expect(bt).toMatch(/frame #3: 0x4000000000000[0-9a-f]{3} wtrace:debug_target\.wasm`_start at crt1-command\.c/);
    expect(bt.match(/frame #\d/g)).toHaveLength(5); // and _start.command_export, the export wrapper
    expect(t.out('frame variable', 0)).toMatch(/\(int\) n = 3\n/);
    expect(t.out('up', 0)).toMatch(/frame #1: .*`fill_squares at debug_target\.c:49/);
    expect(t.out('frame variable', 1)).toMatch(/^\(int\) i = 3\n/);
    expect(t.out('up', 1)).toMatch(/frame #2: .*`main at debug_target\.c:66/);
    // main has not stored total and f yet: fresh shadow-stack memory reads 0.
    expect(t.out('frame variable', 2)).toMatch(/^\(int\) total = 0\n\(int\) f = 0\n/);
    expect(t.out('down', 0)).toMatch(/frame #1: .*`fill_squares at debug_target\.c:49/);
    expect(t.out('down', 1)).toMatch(/frame #0: .*`square\(n=3\) at debug_target\.c:32/);
    expect(t.out('finish')).toMatch(/stop reason = step out[\s\S]*`fill_squares at debug_target\.c:49/);
    expect(t.out('next')).toMatch(/stop reason = step over[\s\S]*`fill_squares at debug_target\.c:48/);
    expect(t.out('step')).toMatch(/stop reason = step in[\s\S]*`fill_squares at debug_target\.c:49/);
    const si = /stop reason = instruction step into\s+frame #0: (0x[0-9a-f]{16}) /.exec(t.out('si'));
    expect(si, t.out('si')).not.toBeNull();
    expect(t.out('register read pc')).toMatch(new RegExp(`pc = ${si![1]}\\b`));
    expect(t.out('disassemble --pc -c 3')).toMatch(new RegExp(`fill_squares:\\n->  ${si![1]} <\\+\\d+>: \\S`));
  }, 90_000);

  it('target variable of globals, image list, memory read of linear memory (at the address LLDB gives) and of the module image', async () => {
    const t = await session([
      'breakpoint set -f debug_target.c -l 69', // @main-origin: fill_squares and factorial are done
      'process continue -F',
      'target variable counter origin squares',
      'target variable -L counter squares',
      'image list',
      'memory read 0x4000000000000000',
    ]);
    expect(t.out('process continue -F')).toMatch(/stop reason = breakpoint 1\.1[\s\S]*`main at debug_target\.c:69/);
    expect(t.out('target variable counter origin squares')).toMatch(
      /\(int\) counter = 14\n\(point\) origin = \(x = 3, y = 4\)\n\(int\[8\]\) squares = \(\[0\] = 0, \[1\] = 1, \[2\] = 4, \[3\] = 9, \[4\] = 16, \[5\] = 25, \[6\] = 36, \[7\] = 49\)/,
    );
    expect(t.out('image list')).toMatch(/\[\s*0\]\s.*0x4000000000000000 wtrace:debug_target\.wasm/);
    expect(t.out('memory read 0x4000000000000000')).toMatch(/^0x4000000000000000: 00 61 73 6d 01 00 00 00 /m);
    const located = t.out('target variable -L counter squares');
    const counterAt = /^(0x[0-9a-f]+): \(int\) counter = 14/m.exec(located);
    const squaresAt = /^(0x[0-9a-f]+): \(int\[8\]\) squares/m.exec(located);
    expect(counterAt && squaresAt, located).toBeTruthy();
    // A second client finds the replay where the first left it (at line 69).
    const m = await runLldb('lldb-22', [wasmConnect(server.port), `memory read -s4 -fd -c1 ${counterAt![1]}`, `memory read -s4 -fd -c8 ${squaresAt![1]}`]);
    expect(m.out(wasmConnect(server.port))).toMatch(/`main at debug_target\.c:69/);
    expect(m.out(`memory read -s4 -fd -c1 ${counterAt![1]}`)).toMatch(new RegExp(`^${counterAt![1]}: 14\\n`, 'm'));
    expect(m.out(`memory read -s4 -fd -c8 ${squaresAt![1]}`).replace(/0x[0-9a-f]+: /g, '').replace(/\s+/g, ' ')).toMatch(/^0 1 4 9 16 25 36 49 $/);
  }, 90_000);

  it('watchpoint set variable: process continue --reverse finds the writes backward, forward runs one again; the end is a history boundary; detach and kill leave the replay where it is', async () => {
    const t = await session([
      'breakpoint set -f debug_target.c -l 69',
      'process continue -F',
      'watchpoint set variable counter',
      'process continue --reverse',
      'bt',
      'process continue -R',
      'process continue -F',
      'watchpoint delete -f', // without -f the command fails in a script and LLDB stops there
      'breakpoint delete -f',
      'process continue',
    ]);
    // The last write before line 69 is bump() called by factorial(1): 13 -> 14, seen backward.
    const back1 = t.out('process continue --reverse');
    expect(back1).toMatch(/Watchpoint 1 hit:\nold value: 14\nnew value: 13/);
    expect(back1).toMatch(/stop reason = watchpoint 1[\s\S]*`bump at debug_target\.c:26/);
    expect(t.out('bt')).toMatch(/frame #0: .*`bump at debug_target\.c:26[\s\S]*frame #1: .*`factorial\(n=1\) at debug_target\.c:38/);
    expect(t.out('process continue -R', 1)).toMatch(/old value: 13\nnew value: 12[\s\S]*stop reason = watchpoint 1/);
    const forward = t.out('process continue -F', 1);
    expect(forward).toMatch(/old value: 12\nnew value: 13[\s\S]*stop reason = watchpoint 1[\s\S]*`bump at debug_target\.c:27/);
    expect(t.out('process continue')).toMatch(/Process 1 exited with status = 0 \(0x00000000\)/);

    // The program's exit ended that connection; the next client is at the end of the history.
    const u = await runLldb('lldb-22', [wasmConnect(server.port), 'process continue', 'breakpoint set -f debug_target.c -l 72', 'process continue -R', 'process detach']);
    expect(u.out('process continue')).toMatch(/stop reason = history boundary/);
    expect(u.out('process continue -R')).toMatch(/stop reason = breakpoint 1\.1[\s\S]*`main at debug_target\.c:72/);
    // LLDB prints the detach asynchronously, sometimes after the next prompt.
    expect(u.text).toMatch(/\(lldb\) process detach\n[\s\S]*Process 1 detached/);

    const k = await runLldb('lldb-22', [wasmConnect(server.port), 'process kill', 'process status']);
    expect(k.out(wasmConnect(server.port))).toMatch(/`main at debug_target\.c:72/);
    // Printed asynchronously, sometimes after the next prompt; `process status` asks again.
    expect(k.text).toMatch(/\(lldb\) process kill\n[\s\S]*Process 1 exited with status = 9 \(0x00000009\) killed/);
    const after = await runLldb('lldb-22', [wasmConnect(server.port), 'frame variable']);
    expect(after.out(wasmConnect(server.port))).toMatch(/`main at debug_target\.c:72/);
    expect(after.out('frame variable')).toMatch(/\(int\) total = 140\n\(int\) f = 120\n/);
  }, 120_000);
  it('plain gdb-remote (no Wasm plugin, as older LLDBs connect): breakpoints, continue both ways, si, register read pc, memory, globals; one frame, no locals', async () => {
    const t = await runLldb('lldb-22', [
      `gdb-remote 127.0.0.1:${server.port}`,
      'process continue -R',
      'breakpoint set -f debug_target.c -l 32',
      'process continue -F',
      'bt',
      'si',
      'register read pc',
      'target variable counter',
      'memory read -s4 -fd -c1 0xe80',
      'memory read 0x4000000000000000',
      'frame variable',
    ]);
    expect(t.out('process continue -F')).toMatch(/stop reason = breakpoint 1\.1[\s\S]*`square\(n=<unavailable>\) at debug_target\.c:32/);
    expect(t.out('bt').match(/frame #\d/g)).toHaveLength(1);
    expect(t.out('si')).toMatch(/stop reason = instruction step into\s+frame #0: 0x40000000000001f7 /);
    expect(t.out('register read pc')).toMatch(/pc = 0x40000000000001f7\b/);
    expect(t.out('target variable counter')).toMatch(/\(int\) counter = 2\n/); // main's bump and square(0)'s
    expect(t.out('memory read -s4 -fd -c1 0xe80')).toMatch(/^0x00000e80: 2\n/m);
    expect(t.out('memory read 0x4000000000000000')).toMatch(/^0x4000000000000000: 00 61 73 6d /m);
    // Without the plugin LLDB cannot evaluate DW_OP_WASM_location (the frame base): no locals.
    expect(t.out('frame variable')).toMatch(/\(int\) n = <Unhandled opcode DW_OP_WASM_location in DWARFExpression>/);
  }, 90_000);
});
