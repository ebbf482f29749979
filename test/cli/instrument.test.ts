/** `wtrace instrument`: the written module behaves like the original and exports the counter. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, plain, tempDir, wtrace } from '../helpers/run.js';

describe('wtrace instrument', () => {
  it('writes a module that runs like the original and counts instructions', async () => {
    const out = path.join(tempDir(), 'args_env.wasm'); // same name: the program prints its argv[0]
    const r = wtrace(['instrument', fixture('args_env'), '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/wrote .*args_env\.wasm/);
    const module = new WebAssembly.Module(fs.readFileSync(out));
    expect(WebAssembly.Module.exports(module)).toContainEqual({ name: '__wtrace_time', kind: 'global' });
    expect(plain([out, 'a', 'b'])).toEqual(plain([fixture('args_env'), 'a', 'b']));
  });

  it('refuses a file that is not Wasm', () => {
    const bad = wtrace(['instrument', 'README.md', '-o', path.join(tempDir(), 'x.wasm')]);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/README\.md: not a WebAssembly module/);
  });

  it('writes a full-detail module with its event memory and flush import', () => {
    const out = path.join(tempDir(), 'exit_code.wasm');
    expect(wtrace(['instrument', fixture('exit_code'), '-o', out, '--detail', 'full']).status).toBe(0);
    const module = new WebAssembly.Module(fs.readFileSync(out));
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining(['__wtrace_time', '__wtrace_events']));
    expect(WebAssembly.Module.imports(module)).toContainEqual({ module: 'wtrace', name: 'flush', kind: 'function' });
  });
});
