/**
 * Modules no compiler makes on purpose: unknown imports, unsupported memories, a 20 MB module
 * making 200,000 import calls. Built byte by byte, recorded with the real CLI.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceReader, traceInfo } from '../../src/trace/index.js';
import { tempDir, wtrace } from '../helpers/run.js';
import { buildModule, I32, I64, sleb, uleb, withDataSegment, type ModuleSpec } from '../helpers/wasmBuilder.js';

const WASI = 'wasi_snapshot_preview1';
const memory = [0x00, ...uleb(1)];

function write(dir: string, file: string, bytes: Uint8Array): string {
  const p = path.join(dir, file);
  fs.writeFileSync(p, bytes);
  return p;
}

/** `_start` calls `env.host_add(1, 2)` only when `call` is set; otherwise it just returns. */
function unknownImportModule(call: boolean): Uint8Array {
  return buildModule({
    types: [[[I32, I32], [I32]], [[], []]],
    funcImports: [['env', 'host_add', 0]],
    memories: [memory],
    funcs: [{ type: 1, body: call ? [0x41, 1, 0x41, 2, 0x10, 0, 0x1a] : [] }],
    exports: [['memory', 2, 0], ['_start', 0, 1]],
  });
}

describe('module checks', () => {
  it('refuses an import outside WASI preview1, naming it', () => {
    const dir = tempDir();
    const wasm = write(dir, 'env.wasm', unknownImportModule(false));
    const r = wtrace(['record', '-o', path.join(dir, 'x.wtrace'), wasm]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/env\.wasm: unsupported WebAssembly: import env\.host_add is not a WASI preview1 function/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('stubs unknown imports with --allow-unknown-imports, and traps when one is called', () => {
    const dir = tempDir();
    const quiet = write(dir, 'quiet.wasm', unknownImportModule(false));
    const ok = wtrace(['record', '--allow-unknown-imports', '-o', path.join(dir, 'q.wtrace'), quiet]);
    expect(ok.status).toBe(0);
    const reader = TraceReader.open(path.join(dir, 'q.wtrace'));
    expect(reader.imports()).toEqual([{ functionIndex: 0, module: 'env', name: 'host_add', params: ['i32', 'i32'], results: ['i32'], stubbed: true }]);
    reader.close();

    const calling = write(dir, 'calling.wasm', unknownImportModule(true));
    const trap = wtrace(['record', '--allow-unknown-imports', '-o', path.join(dir, 'c.wtrace'), calling]);
    expect(trap.status).toBe(134);
    expect(trap.stderr).toMatch(/env\.host_add/);
    const info = traceInfo(path.join(dir, 'c.wtrace'));
    expect(info.outcome).toMatchObject({ kind: 'trap' });
    expect(info.importCalls.byFunction).toEqual({ 'env.host_add': 1 });
  });

  it('lists every unsupported feature at once', () => {
    const dir = tempDir();
    const spec: ModuleSpec = {
      types: [[[], []]],
      funcImports: [['env', 'f', 0]],
      memoryImports: [['env', 'shared', [0x03, ...uleb(1), ...uleb(1)]]],
      memories: [[0x04, ...uleb(1)]],
      funcs: [{ type: 0, body: [] }],
      exports: [['_start', 0, 1]],
    };
    const wasm = write(dir, 'features.wasm', buildModule(spec));
    const r = wtrace(['record', '-o', path.join(dir, 'x.wtrace'), wasm]);
    expect(r.status).toBe(3);
    for (const words of ['env.f', 'multi-memory', 'shared memory (threads)', 'memory64', 'does not export its memory']) {
      expect(r.stderr).toContain(words);
    }
  });

  it('records a 20 MB module making 200,000 import calls', () => {
    const dir = tempDir();
    const calls = 200_000;
    const loop = [
      0x03, 0x40, // loop
      0x41, 1, 0x42, 0, 0x41, 16, 0x10, 0, 0x1a, // drop(clock_time_get(1, 0, 16))
      0x20, 0, 0x41, 1, 0x6a, 0x22, 0, // local.tee 0 (local 0 + 1)
      0x41, ...sleb(calls), 0x49, 0x0d, 0, // br_if 0 (i < calls)
      0x0b, // end loop
      0x41, 0, 0x10, 1, // proc_exit(0)
    ];
    const code = buildModule({
      types: [[[I32, I64, I32], [I32]], [[I32], []], [[], []]],
      funcImports: [[WASI, 'clock_time_get', 0], [WASI, 'proc_exit', 1]],
      memories: [[0x00, ...uleb(400)]],
      funcs: [{ type: 2, locals: [[1, I32]], body: loop }],
      exports: [['memory', 2, 0], ['_start', 0, 2]],
    });
    const data = new Uint8Array(20 << 20);
    for (let i = 0; i < data.length; i += 4096) data[i] = i & 0xff;
    const bytes = withDataSegment(code, 1024, data);
    const wasm = write(dir, 'big.wasm', bytes);
    const trace = path.join(dir, 'big.wtrace');
    const r = wtrace(['record', '-o', trace, wasm]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const info = traceInfo(trace);
    expect(info.complete).toBe(true);
    expect(info.importCalls).toEqual({ total: calls + 1, byFunction: { clock_time_get: calls, proc_exit: 1 } });
    expect(info.module.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const reader = TraceReader.open(trace);
    let n = 0;
    let clockWrites = 0;
    for (const call of reader.importCalls()) {
      if (n++ < calls && call.writes.length === 1 && call.writes[0].address === 16 && call.writes[0].bytes.length === 8) clockWrites++;
    }
    reader.close();
    expect(n).toBe(calls + 1);
    expect(clockWrites).toBe(calls);
  });
});
