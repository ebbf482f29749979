/** The package's library entry: `import { record, traceInfo } from 'wtrace'` works as documented. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from '../helpers/run.js';

describe("import from 'wtrace'", () => {
  it('records and describes a trace', () => {
    const trace = path.join(tempDir(), 'lib.wtrace');
    const script = `
      import { record, traceInfo } from 'wtrace';
      const result = await record({ wasmPath: 'test/fixtures/wasm/exit_code.wasm', args: ['9'], env: [], dirs: [],
        output: ${JSON.stringify(trace)}, detail: 'inputs' });
      const info = traceInfo(${JSON.stringify(trace)});
      console.error(JSON.stringify({ exitCode: result.exitCode, calls: info.importCalls.total, outcome: info.outcome }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const last = r.stderr.trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({ exitCode: 9, calls: expect.any(Number), outcome: { kind: 'exit', exitCode: 9 } });
    expect(r.stdout).toBe('exiting with 9\n');
  });
});
