/**
 * `wtrace index`: the summary and progress it prints, idempotence, and that nothing but a
 * successful run changes the trace: a divergence (the log tampered with, as in verify.test.ts),
 * a bad or incomplete trace, SIGINT or SIGKILL in the middle leave it byte for byte as it was.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildDetailIndex, IndexDivergenceError } from '../../replay/detailIndex/index.js';
import { verify } from '../../replay/index.js';
import { DetailNeededError, Timeline } from '../../replay/timeline/index.js';
import { ByteWriter } from '../../src/trace/byteBuffer.js';
import { decodeImportCalls, encodeImportCall, type ImportCall } from '../../src/trace/inputLog.js';
import { IncompleteTraceError, TraceReader } from '../../src/trace/index.js';
import { fixture, root, skipWithout, tempDir, waitFor, wtrace } from '../helpers/run.js';

function record(args: string[], input?: string, status = 0): string {
  const trace = path.join(tempDir(), 't.wtrace');
  const r = wtrace(['record', '-o', trace, ...args], { input });
  expect(r.status, r.stderr).toBe(status);
  return trace;
}

/** Rewrites the first input chunk's calls through `edit` (as verify.test.ts tampers with a log). */
function tamper(trace: string, edit: (c: ImportCall, name: string) => ImportCall): void {
  const reader = TraceReader.open(trace);
  const imports = reader.imports();
  reader.close();
  const params = new Map(imports.map((i) => [i.functionIndex, i.params]));
  const names = new Map(imports.map((i) => [i.functionIndex, i.name]));
  const db = new Database(trace);
  const row = db.prepare('SELECT chunk_index, first_call, data FROM input_chunks ORDER BY chunk_index LIMIT 1').get() as { chunk_index: number; first_call: number; data: Buffer };
  const w = new ByteWriter();
  for (const call of decodeImportCalls(zlib.zstdDecompressSync(row.data), row.first_call, (f) => params.get(f))) {
    const c = edit(call, names.get(call.functionIndex)!);
    encodeImportCall(w, c.functionIndex, c.time, c.args, c.result, c.writes, c.output, params.get(c.functionIndex)!);
  }
  const raw = w.finish();
  db.prepare('UPDATE input_chunks SET data = ?, raw_size = ? WHERE chunk_index = ?').run(zlib.zstdCompressSync(raw), raw.length, row.chunk_index);
  db.close();
}

/** The trace's bytes and every file beside it. */
const snapshot = (trace: string) => ({ bytes: fs.readFileSync(trace), files: fs.readdirSync(path.dirname(trace)).sort() });

describe('wtrace index', () => {
  it('prints a summary of the detail and of the stored timeline index, then leaves an indexed trace alone', () => {
    const trace = record([fixture('stdin_upper')], 'index me\n'.repeat(20));
    const r = wtrace(['index', trace]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // not a terminal: no progress line
    expect(r.stdout).toMatch(/^indexed \S+: [\d,]+ detail events, 2 keyframes \([\d,]+ bytes\), [\d,]+ instructions, [\d,]+ import calls, in \d+\.\d\d s\n/);
    expect(r.stdout).toMatch(/\nstored the timeline index in \S+: [\d,]+ checkpoints, [\d,]+ bytes \(\d+% of the trace file\), in \d+\.\d\d s\n$/);
    const before = snapshot(trace);
    const again = wtrace(['index', trace]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^already indexed: \S+ has complete detail: [\d,]+ detail events, 2 keyframes .*; nothing to do\n/);
    expect(again.stdout).toMatch(/\ntimeline index already stored in \S+: [\d,]+ checkpoints, .*; nothing to do\n$/);
    expect(snapshot(trace)).toEqual(before);
    expect(wtrace(['info', trace]).stdout).toMatch(/detail\s+full: [\d,]+ events/);
  });

  it.skipIf(skipWithout('script'))('shows a progress line on a terminal', () => {
    const trace = record([fixture('recursion'), '--', '40']);
    // script(1) gives the command a pseudo-terminal and copies what it writes.
    const r = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} bin/wtrace.js index ${JSON.stringify(trace)}`, '/dev/null'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[Kindexing: [\d,]+ instructions, import call \d of 5/);
    expect(r.stdout).toMatch(/\r\x1b\[Kindexed /); // the line is cleared before the summary
  });

  it('refuses a trace whose log diverges from the program, leaving it unchanged', () => {
    const trace = record([fixture('exit_code'), '--', '3'], undefined, 3);
    // The log now says the argument was "4": the program then calls proc_exit(4), not proc_exit(3).
    tamper(trace, (c, name) => (name !== 'args_get' ? c : { ...c, writes: c.writes.map((w) => ({ address: w.address, bytes: Buffer.from(Buffer.from(w.bytes).toString('latin1').replace('\u00003\u0000', '\u00004\u0000'), 'latin1') })) }));
    const before = snapshot(trace);
    const r = wtrace(['index', trace]);
    expect(r.status).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wtrace: \S+: not indexed: re-execution diverged from the recording at import call 4 \(time \d+\) in \S+ \(#\d+\) at pc 0x[0-9a-f]+: recorded proc_exit\(3\), replayed proc_exit\(4\) at time \d+ \(the trace is unchanged\)\n$/);
    expect(snapshot(trace)).toEqual(before);
    expect(() => Timeline.open(trace)).toThrow(DetailNeededError);
  });

  it('refuses a trace whose recorded end differs from the re-executed one', () => {
    const trace = record([fixture('exit_code'), '--', '0']);
    const db = new Database(trace);
    db.exec('UPDATE recording SET exit_code = 1');
    db.close();
    const before = snapshot(trace);
    const r = wtrace(['index', trace]);
    expect(r.status).toBe(6);
    expect(r.stderr).toMatch(/^wtrace: \S+: not indexed: re-execution diverged from the recording at the end of the run \(time \d+\): recorded exit code 1, replayed exit code 0 \(the trace is unchanged\)\n$/);
    expect(snapshot(trace)).toEqual(before);
  });

  it('reports a call that differs from the log as `replay --verify` does', async () => {
    const trace = record([fixture('args_env'), '--', 'x']);
    // The log now says the first fd_write wrote to fd 2: the program asks for fd 1.
    let done = false;
    tamper(trace, (c, name) => {
      if (name !== 'fd_write' || done) return c;
      done = true;
      return { ...c, args: [2, ...c.args.slice(1)] };
    });
    const before = snapshot(trace);
    const error = await buildDetailIndex(trace).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexDivergenceError);
    const { report } = error as IndexDivergenceError;
    expect((error as IndexDivergenceError).exitCode).toBe(6);
    const verified = await verify(trace);
    expect(report.divergence).toEqual(verified.divergence);
    expect(report.divergence).toMatchObject({ callIndex: expect.any(Number), functionIndex: expect.any(Number), pc: expect.any(Number) });
    expect(report).toMatchObject({ reproduced: false, importCallsReplayed: verified.importCallsReplayed, importCallsRecorded: verified.importCallsRecorded });
    expect(snapshot(trace)).toEqual(before);
  });

  it('gives one-line errors for a missing, foreign, truncated or incomplete trace', async () => {
    const dir = tempDir();
    const good = record([fixture('exit_code'), '--', '0']);
    const truncated = path.join(dir, 'truncated.wtrace');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, 6000));
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a trace\n');
    const incomplete = path.join(dir, 'incomplete.wtrace');
    fs.copyFileSync(good, incomplete);
    const db = new Database(incomplete);
    db.exec(`UPDATE recording SET status = 'recording', outcome = NULL, exit_code = NULL, finished_at = NULL`);
    db.close();
    const cases: [string, number, RegExp][] = [
      [path.join(dir, 'missing.wtrace'), 3, /no such file/],
      [fixture('exit_code'), 4, /is a WebAssembly module, not a trace/],
      [text, 4, /is not a wtrace trace/],
      [truncated, 4, /damaged or truncated/],
      [incomplete, 4, /is incomplete \(the recorder stopped before the end of the run\): it cannot be indexed/],
    ];
    for (const [file, status, message] of cases) {
      const before = fs.existsSync(file) ? fs.readFileSync(file) : null;
      const r = wtrace(['index', file]);
      expect(r.status, file).toBe(status);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      if (before) expect(fs.readFileSync(file)).toEqual(before);
    }
    await expect(buildDetailIndex(incomplete)).rejects.toBeInstanceOf(IncompleteTraceError);
  });

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`leaves the trace as it was when ${signal} stops it in the middle`, async () => {
      const trace = record([fixture('many_calls'), '--', '150000']);
      const before = snapshot(trace);
      const child = spawn(process.execPath, [path.join(root, 'bin/wtrace.js'), 'index', trace], { cwd: root, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // The replacement appears once the module is instrumented and the run starts.
      const replacement = () => fs.readdirSync(path.dirname(trace)).find((f) => f.includes('.index-'));
      await waitFor(() => replacement() !== undefined, 30_000);
      child.kill(signal);
      const code = await exited;
      if (signal === 'SIGINT') {
        expect(code).toBe(130);
        expect(snapshot(trace)).toEqual(before); // and the replacement was removed
      } else {
        expect(fs.readFileSync(trace)).toEqual(before.bytes);
      }
      expect(() => Timeline.open(trace)).toThrow(DetailNeededError);
      // A later run (SIGKILL may have left its replacement behind, under another pid) indexes it.
      expect(wtrace(['index', trace]).status).toBe(0);
      const after = TraceReader.open(trace);
      expect(after.summary()).toMatchObject({ detail: 'full', complete: true });
      after.close();
    }, 120_000);
  }
});
