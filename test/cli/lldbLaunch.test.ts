/**
 * LLDB's launch mode: with the `wasm` platform, `runtime-path` = the real `bin/wtrace.js`,
 * `port-arg` = `--lldb-launch=` and `runtime-args` = `replay`, lldb-22's `process launch`
 * starts `wtrace --lldb-launch=PORT replay /abs/app.wasm [TRACE]` itself and debugs the replay.
 * LLDB starts the runtime with an environment of only `target.env-vars`, so the script puts
 * Node 24 on its PATH there. runLldb resolves only once every holder of LLDB's output has closed
 * it, and the runtime inherits LLDB's stderr: a runtime that outlived LLDB would time the test out.
 */
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, root, skipWithout, tempDir, wtrace } from '../helpers/run.js';
import { runLldb } from './lldbSession.js';

let dir: string;
const wasm = path.join(root, fixture('debug_target'));

beforeAll(() => {
  dir = tempDir();
  const r = wtrace(['record', '--detail', 'full', '-o', path.join(dir, 'run.wtrace'), fixture('debug_target')]);
  expect(r.status, r.stderr).toBe(0);
}, 60_000);

/** The settings docs/gdbstub.md gives, then `target create module`, then `commands`. */
function launchSession(module: string, commands: string[]) {
  const setup = [
    'platform select wasm',
    `settings set platform.plugin.wasm.runtime-path ${path.join(root, 'bin/wtrace.js')}`,
    'settings set -- platform.plugin.wasm.port-arg --lldb-launch=',
    'settings set platform.plugin.wasm.runtime-args replay',
    `settings set target.env-vars PATH=${path.dirname(process.execPath)}:${process.env.PATH}`,
    `target create ${module}`,
  ];
  return runLldb('lldb-22', [...setup, ...commands], 60_000, [], dir);
}

describe.skipIf(skipWithout('lldb-22'))('lldb-22 process launch starts a replay', () => {
  it('runs to a breakpoint in the replay of the trace given as the program argument, backward too, and the runtime ends with the session', async () => {
    const t = await launchSession(wasm, ['breakpoint set -f debug_target.c -l 32', 'process launch -- run.wtrace', 'bt', 'image list', 'process continue -R', 'process kill', 'process status']);
    const launch = t.out('process launch -- run.wtrace');
    expect(launch).toMatch(/wtrace: replaying run\.wtrace for LLDB on 127\.0\.0\.1:\d+/);
    expect(launch).toMatch(/stop reason = breakpoint 1\.1[\s\S]*debug_target\.wasm`square\(n=0\) at debug_target\.c:32/);
    expect(t.out('bt')).toMatch(/frame #1: .*`fill_squares at debug_target\.c:49[\s\S]*frame #2: .*`main at debug_target\.c:66/);
    // The stub names the module by the path LLDB launched, so LLDB keeps one image: its target.
    const images = t.out('image list').trim().split('\n');
    expect(images).toHaveLength(1);
    expect(images[0]).toContain(wasm);
    expect(t.out('process continue -R')).toMatch(/stop reason = history boundary/);
    // LLDB prints the kill's exit asynchronously (sometimes after the next prompt); `process status` asks again.
    expect(t.text).toMatch(/\(lldb\) process kill\n[\s\S]*Process 1 exited with status = 9/);
  }, 90_000);

  it('without a program argument replays the newest trace in the current directory', async () => {
    const t = await launchSession(wasm, ['breakpoint set -f debug_target.c -l 43', 'process launch', 'frame variable']);
    expect(t.out('process launch')).toMatch(/replaying run\.wtrace[\s\S]*stop reason = breakpoint 1\.1[\s\S]*`factorial\(n=2\) at debug_target\.c:43/);
    expect(t.out('frame variable')).toMatch(/\(int\) n = 2\s+\(int\) smaller = 1/);
  }, 90_000);

  it('refuses a trace of another module, and LLDB says the runtime exited', async () => {
    const other = path.join(root, fixture('recursion'));
    const t = await launchSession(other, ['process launch -- run.wtrace']);
    // LLDB shows the exit code only, not the runtime's stderr (tested below through the CLI).
    expect(t.out('process launch -- run.wtrace')).toMatch(/WebAssembly runtime exited with exit code 3/);
  }, 90_000);
});

describe('wtrace --lldb-launch refuses what LLDB should not pass', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--lldb-launch=port', 'replay', 'app.wasm'], /--lldb-launch needs the port LLDB chose \(1\.\.65535\), not 'port'/],
    [['--lldb-launch=0', 'replay', 'app.wasm'], /--lldb-launch needs the port LLDB chose/],
    [['--lldb-launch=1234', 'info', 'x.wtrace'], /--lldb-launch goes with `replay`, not `info`/],
    [['--lldb-launch=1234', 'replay'], /--lldb-launch: no module path/],
    [['--lldb-launch=1234', 'replay', 'run.wtrace'], /'run\.wtrace' is not a \.wasm; create LLDB's target from the recorded module/],
    [['--lldb-launch=1234', 'replay', 'app.wasm', 'a.wtrace', 'b'], /one program argument \(the trace\) at most, not 2/],
    [['--lldb-launch=1234', 'replay', '--gdb', '1', 'app.wasm'], /--lldb-launch serves the replay to LLDB: no --verify, --gdb/],
  ];
  it.each(cases)('wtrace %j', (args, message) => {
    const r = wtrace(args, { cwd: dir });
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(2);
  });

  it('refuses a trace of another module before listening', () => {
    const r = wtrace(['--lldb-launch=1234', 'replay', path.join(root, fixture('recursion')), 'run.wtrace'], { cwd: dir });
    expect(r.stderr).toMatch(/--lldb-launch: run\.wtrace is a recording of debug_target\.wasm, not of .*recursion\.wasm \(the bytes differ\)/);
    expect(r.stderr).not.toMatch(/listening|replaying run/);
    expect(r.status).toBe(3);
  }, 30_000);

  it('names a module it cannot read', () => {
    const r = wtrace(['--lldb-launch=1234', 'replay', path.join(dir, 'missing.wasm'), 'run.wtrace'], { cwd: dir });
    expect(r.stderr).toMatch(/--lldb-launch: cannot read the module .*missing\.wasm/);
    expect(r.status).toBe(3);
  }, 30_000);
});
