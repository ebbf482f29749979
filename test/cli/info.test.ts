/** `wtrace info`: every fact the trace holds, as text and as JSON, for a real recording. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION } from '../../src/trace/index.js';
import { execFileSync } from 'node:child_process';
import { fixture, skipWithout, tempDir, wtrace } from '../helpers/run.js';

describe('wtrace info', () => {
  const dir = tempDir();
  const data = tempDir();
  const trace = path.join(dir, 'a.wtrace');
  const recorded = wtrace(['record', '--env', 'FOO=1', '--dir', `${data}::/data`, '-o', trace, fixture('args_env'), '--', 'x y', 'FOO']);

  it('prints JSON with module, start-up data, outcome, counts and format', () => {
    expect(recorded.status).toBe(0);
    const r = wtrace(['info', '--json', trace]);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    const bytes = fs.readFileSync(fixture('args_env'));
    expect(info).toMatchObject({
      file: trace,
      fileSize: fs.statSync(trace).size,
      formatVersion: FORMAT_VERSION,
      complete: true,
      detail: 'inputs',
      module: { name: 'args_env', fileName: 'args_env.wasm', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
      argv: [fixture('args_env'), 'x y', 'FOO'],
      env: ['FOO=1'],
      preopens: [{ hostPath: data, guestPath: '/data' }],
      invoke: null,
      outcome: { kind: 'exit', exitCode: 0 },
      instructionCount: null,
    });
    expect(info.importCalls.byFunction.args_get).toBe(1);
    expect(info.importCalls.byFunction.environ_get).toBe(1);
    expect(info.importCalls.total).toBe(Object.values(info.importCalls.byFunction).reduce((a: number, b) => a + (b as number), 0));
  });

  it('prints the same facts as text', () => {
    const r = wtrace(['info', trace]);
    expect(r.status).toBe(0);
    const text = r.stdout;
    expect(text).toMatch(new RegExp(`^trace +${trace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\([\\d,]+ bytes, format ${FORMAT_VERSION}, complete\\)`, 'm'));
    expect(text).toMatch(/^module +args_env \(args_env\.wasm, [\d,]+ bytes\)$/m);
    expect(text).toMatch(/^sha256 +[0-9a-f]{64}$/m);
    expect(text).toMatch(/^argv +test\/fixtures\/wasm\/args_env\.wasm "x y" FOO$/m);
    expect(text).toMatch(/^env +FOO=1$/m);
    expect(text).toMatch(/^outcome +exit code 0$/m);
    expect(text).toMatch(/^instructions +not counted \(--detail inputs\)$/m);
    expect(text).toMatch(/^ +args_get +1$/m);
  });

  it('names the trap, function and pc of a trapped run', () => {
    const t = path.join(dir, 'trap.wtrace');
    expect(wtrace(['record', '-o', t, fixture('trap'), '--', 'divide']).status).toBe(134);
    const info = JSON.parse(wtrace(['info', '--json', t]).stdout);
    expect(info.outcome).toMatchObject({ kind: 'trap', exitCode: 134, message: 'integer divide by zero', functionName: 'divide' });
    expect(info.outcome.pc).toBeGreaterThan(0);
    expect(wtrace(['info', t]).stdout).toMatch(/^outcome +trap: integer divide by zero in divide \(#\d+\) at pc 0x[0-9a-f]+$/m);
  });

  it.skipIf(skipWithout('wasm-objdump'))('reports the trap pc as the offset wasm-objdump gives the trapping instruction', () => {
    const t = path.join(dir, 'trap2.wtrace');
    wtrace(['record', '-o', t, fixture('trap'), '--', 'divide']);
    const pc: number = JSON.parse(wtrace(['info', '--json', t]).stdout).outcome.pc;
    const listing = execFileSync('wasm-objdump', ['-d', fixture('trap')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const line = listing.split('\n').find((l) => l.trimStart().startsWith(pc.toString(16).padStart(6, '0') + ':'));
    expect(line).toMatch(/\| i32\.div_s/);
  });

  it('writes <module name>.wtrace in the current directory by default', () => {
    const cwd = tempDir();
    const r = wtrace(['record', path.resolve(fixture('exit_code')), '--', '0'], { cwd });
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'exit_code.wtrace'))).toBe(true);
  });
});
