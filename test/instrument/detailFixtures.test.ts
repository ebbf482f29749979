/**
 * Detail mode `full` on the C fixtures, in this process on node:wasi: the instrumented run
 * behaves like the original (exit status, stdout, stderr, trap message, final memory), and its
 * events are right: replayed forward over the initial memory (with the bytes the host wrote
 * during import calls, which are inputs, not detail events) they give the final memory byte for
 * byte; undone backward from the final memory with their old values they give the initial
 * memory; every pc names an instruction of the event's kind; times never decrease; calls nest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, root } from '../helpers/run.js';
import { orderProblems, pcProblems, replayForward, runWasi, storeOldBytes, undoBackward, type WasiCase } from './detailHarness.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-detail-fixtures-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `clock`: the run reads a clock or file times, so its memory differs from run to run. */
const CASES: (WasiCase & { wasm: string; dataDir?: boolean; clock?: boolean })[] = [
  { wasm: 'args_env', args: ['alpha', 'b c', 'ünï'] },
  { wasm: 'stdin_upper', input: 'hello, world\nsecond line\n'.repeat(200) },
  { wasm: 'exit_code', args: ['7'] },
  { wasm: 'trap', args: ['unreachable'] },
  { wasm: 'trap', args: ['divide'] },
  // Depth 5000, not 20000: full-mode frames are larger and this worker's stack is the default
  // one (docs/instrumentation.md, "Detail events": stack depth). The recorder must raise it.
  { wasm: 'recursion', args: ['5000'] },
  { wasm: 'many_calls', args: ['1000'], clock: true },
  { wasm: 'close_stdout' },
  { wasm: 'fileio', dataDir: true, clock: true },
];

const totals = { events: 0, stores: 0, enters: 0, bytes: 0, instructions: 0n };

describe('detail full on the C fixtures', () => {
  it.each(CASES.map((c) => [`${c.wasm} ${(c.args ?? []).join(' ')}`, c] as const))('%s', async (_label, c) => {
    const wasm = fs.readFileSync(path.join(root, fixture(c.wasm)));
    const withData = (): WasiCase => {
      if (!c.dataDir) return c;
      const dir = fs.mkdtempSync(path.join(tmp, 'data-'));
      fs.cpSync(path.join(root, 'test/fixtures/data/fileio'), dir, { recursive: true });
      return { ...c, preopens: { '/data': dir } };
    };
    const plain = await runWasi(wasm, withData(), 'plain', `${c.wasm}.wasm`);
    const full = await runWasi(wasm, withData(), 'full', `${c.wasm}.wasm`);

    // Behaviour.
    expect({ status: full.status, trap: full.trap, stdout: full.stdout, stderr: full.stderr })
      .toEqual({ status: plain.status, trap: plain.trap, stdout: plain.stdout, stderr: plain.stderr });
    if (!c.clock) expect(Buffer.compare(full.final, plain.final)).toBe(0);
    expect(Buffer.compare(full.initial, plain.initial)).toBe(0);

    // Events.
    expect(full.events.length).toBeGreaterThan(0);
    expect(Buffer.compare(replayForward(full.initial, full.events, full.hostWrites), full.final)).toBe(0);
    const storeOld = storeOldBytes(full.initial, full.events, full.hostWrites);
    expect(Buffer.compare(undoBackward(full.final, full.events, full.hostWrites, storeOld), full.initial)).toBe(0);
    expect(pcProblems(full.events, full.positions!).slice(0, 10)).toEqual([]);
    const order = orderProblems(full.events);
    expect(order.problems.slice(0, 10)).toEqual([]);
    // A normal exit returns from every frame but _start's callees that called proc_exit; a trap leaves frames open.
    if (!full.trap && full.status === 0) expect(order.open).toBeLessThanOrEqual(order.maxDepth);
    // At the end T is exact (on a trap other than `unreachable` it is a lower bound).
    if (!full.trap || /unreachable/.test(full.trap)) expect(full.events[full.events.length - 1].time).toBeLessThanOrEqual(full.time!);
    if (c.wasm === 'recursion') expect(order.maxDepth).toBeGreaterThan(5000);

    // Arguments and results against what the C source computes.
    if (c.wasm === 'recursion') {
      // descend(n) = n == 0 ? salt : descend(n - 1) * 31 + (n ^ salt), salt = 7, unsigned.
      const expected = [7];
      for (let n = 1; n <= 5000; n++) expected.push((Math.imul(expected[n - 1], 31) + (n ^ 7)) >>> 0);
      const descend = functionNamed(wasm, 'descend');
      const stack: number[] = [];
      let checked = 0;
      const wrong: number[][] = [];
      for (const e of full.events) {
        if (e.kind === 'enter' && e.func === descend) stack.push((e.args[0] as { value: number }).value);
        if (e.kind === 'exit' && e.func === descend) {
          const n = stack.pop()!;
          const result = (e.results[0] as { value: number }).value >>> 0;
          if (result !== expected[n] && wrong.length < 10) wrong.push([n, result, expected[n]]);
          checked++;
        }
      }
      expect(wrong).toEqual([]);
      expect(checked).toBe(20000 * 101 + 5001);
    }
    if (c.wasm === 'trap') {
      const name = c.args![0] === 'divide' ? 'divide' : 'crash_here';
      const enter = full.events.find((e) => e.kind === 'enter' && e.func === functionNamed(wasm, name));
      expect(enter?.kind === 'enter' && enter.args).toEqual(name === 'divide'
        ? [{ type: 'i32', value: 4950 }, { type: 'i32', value: 0 }] : [{ type: 'i32', value: 4950 }]);
    }

    totals.events += full.events.length;
    totals.stores += full.events.filter((e) => e.kind === 'store').length;
    totals.enters += full.events.filter((e) => e.kind === 'enter').length;
    totals.bytes += full.eventBytes;
    totals.instructions += full.time!;
  });

  afterAll(() => {
    console.log(`detail full fixtures: ${totals.events} events (${totals.stores} stores, ${totals.enters} entries), ` +
      `${totals.bytes} bytes, ${totals.instructions} instructions`);
  });
});

/** A function's index by the module's `name` section. */
function functionNamed(wasm: Uint8Array, wanted: string): number {
  let at = 8;
  const leb = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[at++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return v;
    }
  };
  const text = (n: number) => Buffer.from(wasm.subarray(at, (at += n))).toString('utf8');
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = leb();
    const end = at + size;
    if (id === 0 && text(leb()) === 'name') {
      while (at < end) {
        const sub = wasm[at++];
        const subEnd = leb() + at;
        if (sub === 1) {
          for (let i = 0, n = leb(); i < n; i++) {
            const index = leb();
            if (text(leb()) === wanted) return index;
          }
        }
        at = subEnd;
      }
    }
    at = end;
  }
  throw new Error(`no function named ${wanted}`);
}
