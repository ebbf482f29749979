/**
 * `wtrace replay --verify`: every recording reproduces from its input log alone; a trace whose
 * log disagrees with the program, or whose module does not match its hash, is reported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/trace/byteBuffer.js';
import { decodeImportCalls, encodeImportCall } from '../../src/trace/inputLog.js';
import { TraceReader } from '../../src/trace/index.js';
import { fixture, tempDir, wtrace } from '../helpers/run.js';
import { buildModule, I32, I64, sleb, uleb } from '../helpers/wasmBuilder.js';

/** `_start` calls clock_time_get `n` times in a loop, then proc_exit(0). */
function clockLoop(n: number): Uint8Array {
  const WASI = 'wasi_snapshot_preview1';
  return buildModule({
    types: [[[I32, I64, I32], [I32]], [[I32], []], [[], []]],
    funcImports: [[WASI, 'clock_time_get', 0], [WASI, 'proc_exit', 1]],
    memories: [[0x00, ...uleb(1)]],
    funcs: [{
      type: 2,
      locals: [[1, I32]],
      body: [0x03, 0x40, 0x41, 1, 0x42, 0, 0x41, 16, 0x10, 0, 0x1a, 0x20, 0, 0x41, 1, 0x6a, 0x22, 0, 0x41, ...sleb(n), 0x49, 0x0d, 0, 0x0b, 0x41, 0, 0x10, 1],
    }],
    exports: [['memory', 2, 0], ['_start', 0, 2]],
  });
}

function record(args: string[], input?: string): string {
  const trace = path.join(tempDir(), 't.wtrace');
  wtrace(['record', '-o', trace, ...args], { input });
  return trace;
}

describe('wtrace replay --verify', () => {
  const runs: [string, string[], string, string?][] = [
    ['args and env', ['--env', 'A=1', fixture('args_env'), '--', 'x', 'A'], 'exit code 0'],
    ['stdin', [fixture('stdin_upper')], 'exit code 0', 'text\n'.repeat(200)],
    ['clocks', [fixture('clocks')], 'exit code 0'],
    ['random', [fixture('random')], 'exit code 0'],
    ['exit code', [fixture('exit_code'), '--', '42'], 'exit code 42'],
    ['trap', [fixture('trap'), '--', 'unreachable'], 'trap: wasm `unreachable` instruction executed'],
    ['deep recursion', [fixture('recursion'), '--', '300000'], 'exit code 0'],
    ['reactor', ['--invoke', 'greet', fixture('reactor')], 'exit code 0'],
  ];
  for (const [name, args, end, input] of runs) {
    it(`reproduces ${name}`, () => {
      const r = wtrace(['replay', '--verify', record(args, input)]);
      expect(r.stdout).toMatch(new RegExp(`^reproduced: [\\d,]+ instructions, \\d+ import calls, ${end.replace(/[`()]/g, '.')}$`, 'm'));
      expect(r.status).toBe(0);
    });
  }

  it('reproduces file I/O after the directory is gone', () => {
    const data = tempDir();
    fs.cpSync('test/fixtures/data/fileio', data, { recursive: true });
    const trace = record(['--dir', `${data}::/data`, fixture('fileio')]);
    fs.rmSync(data, { recursive: true });
    expect(wtrace(['replay', '--verify', trace]).status).toBe(0);
  });

  it('reports the first import call that differs from the log', () => {
    const trace = record([fixture('exit_code'), '--', '3']);
    // Make the log claim the argument was "4": the program then exits with 4, not 3.
    const reader = TraceReader.open(trace);
    const imports = reader.imports();
    reader.close();
    const params = new Map(imports.map((i) => [i.functionIndex, i.params]));
    const argsGet = imports.find((i) => i.name === 'args_get')!.functionIndex;
    const db = new Database(trace);
    const row = db.prepare('SELECT chunk_index, first_call, data FROM input_chunks ORDER BY chunk_index LIMIT 1').get() as { chunk_index: number; first_call: number; data: Buffer };
    const calls = decodeImportCalls(zlib.zstdDecompressSync(row.data), row.first_call, (f) => params.get(f));
    const w = new ByteWriter();
    for (const c of calls) {
      const writes = c.functionIndex !== argsGet ? c.writes : c.writes.map((wr) => ({ address: wr.address, bytes: Buffer.from(Buffer.from(wr.bytes).toString('latin1').replace('\u00003\u0000', '\u00004\u0000'), 'latin1') }));
      encodeImportCall(w, c.functionIndex, c.time, c.args, c.result, writes, c.output, params.get(c.functionIndex)!);
    }
    const raw = w.finish();
    db.prepare('UPDATE input_chunks SET data = ?, raw_size = ? WHERE chunk_index = ?').run(zlib.zstdCompressSync(raw), raw.length, row.chunk_index);
    db.close();

    const r = wtrace(['replay', '--verify', trace]);
    expect(r.status).toBe(6);
    expect(r.stdout).toMatch(/^DIVERGED at import call \d+ \(time \d+\) in \S+ \(#\d+\) at pc 0x[0-9a-f]+$/m);
    expect(r.stdout).toMatch(/recorded: proc_exit\(3\)/);
    expect(r.stdout).toMatch(/replayed: proc_exit\(4\)/);
  });

  it('counts executed instructions exactly (a hand-built loop: 12 per iteration + 4)', () => {
    const iterations = 1000;
    const dir = tempDir();
    const wasm = path.join(dir, 'loop.wasm');
    fs.writeFileSync(wasm, clockLoop(iterations));
    const trace = path.join(dir, 'loop.wtrace');
    expect(wtrace(['record', '-o', trace, wasm]).status).toBe(0);
    const r = wtrace(['replay', '--verify', trace]);
    // loop; then per iteration i32.const i64.const i32.const call drop local.get i32.const i32.add
    // local.tee i32.const i32.lt_u br_if (12); then the loop's end, i32.const 0, call proc_exit.
    expect(r.stdout).toBe(`reproduced: ${(12 * iterations + 4).toLocaleString('en-US')} instructions, ${iterations + 1} import calls, exit code 0\n`);
  });

  it('refuses a trace whose module does not match its hash', () => {
    const trace = record([fixture('exit_code'), '--', '0']);
    const db = new Database(trace);
    db.prepare("UPDATE modules SET bytes = CAST(bytes || X'00' AS BLOB)").run();
    db.close();
    const r = wtrace(['replay', '--verify', trace]);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/t\.wtrace: its module bytes do not match their recorded hash/);
  });

  it('reproduces a run that ended calling an import stubbed by --allow-unknown-imports', () => {
    const wasm = path.join(tempDir(), 'calling.wasm');
    // _start calls env.host_add(1, 2), which the recorder stubs with a trapping function.
    fs.writeFileSync(wasm, buildModule({
      types: [[[I32, I32], [I32]], [[], []]],
      funcImports: [['env', 'host_add', 0]],
      memories: [[0x00, ...uleb(1)]],
      funcs: [{ type: 1, body: [0x41, 1, 0x41, 2, 0x10, 0, 0x1a] }],
      exports: [['memory', 2, 0], ['_start', 0, 1]],
    }));
    const trace = record(['--allow-unknown-imports', wasm]);
    const r = wtrace(['replay', '--verify', trace]);
    expect(r.stdout).toMatch(/^reproduced: .*trap: .*env\.host_add/);
    expect(r.status).toBe(0);
  });
});
