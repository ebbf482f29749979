/**
 * The Debuggee's queries for timeline marks over a real recording of debug_target:
 * `nextBreakpointHit` lists the same times `continue` stops at, in both directions, without
 * moving; `importCallTimes` gives one ascending time per logged import call (counted by the
 * `imports` SQL view), each the time of a call instruction to that import.
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplay, type Replay } from '../../replay/index.js';
import { fixture, tempDir, wtrace } from '../helpers/run.js';

let r: Replay;
let trace: string;
beforeAll(async () => {
  trace = path.join(tempDir(), 'debug_target.wtrace');
  const rec = wtrace(['record', '--detail', 'full', '-o', trace, fixture('debug_target')]);
  expect(rec.status, rec.stderr).toBe(0);
  r = await openReplay(trace);
});
afterAll(() => r?.close());

describe('hit times for the timeline', () => {
  it('nextBreakpointHit walks the same hits continue stops at, forward and backward, without moving', () => {
    const bp = r.addBreakpoint({ kind: 'function', name: 'factorial' });
    try {
      r.seek(0n);
      const stops: bigint[] = [];
      for (let e = r.continue('forward'); e.kind === 'breakpoint'; e = r.continue('forward')) stops.push(e.time);
      expect(stops).toHaveLength(5);
      r.seek(7n);
      const forward: bigint[] = [];
      for (let t = r.nextBreakpointHit(-1n, 'forward'); t !== null; t = r.nextBreakpointHit(t, 'forward')) forward.push(t);
      expect(forward).toEqual(stops);
      const backward: bigint[] = [];
      for (let t = r.nextBreakpointHit(r.end + 1n, 'backward'); t !== null; t = r.nextBreakpointHit(t, 'backward')) backward.push(t);
      expect(backward).toEqual([...stops].reverse());
      expect(r.now).toBe(7n);
    } finally {
      r.removeBreakpoint(bp.id);
    }
    expect(r.nextBreakpointHit(-1n, 'forward')).toBeNull();
  });

  it('importCallTimes: one ascending time per logged import call (the imports SQL view counts them), each at a call of that import', () => {
    const q = wtrace(['query', '--json', trace, 'SELECT name FROM imports ORDER BY 1']);
    expect(q.status, q.stderr).toBe(0);
    const names = (JSON.parse(q.stdout) as { name: string }[]).map((row) => row.name);
    const times = r.importCallTimes();
    expect(times).toHaveLength(names.length);
    expect([...times].sort((a, b) => (a < b ? -1 : 1))).toEqual(times);
    const called: string[] = [];
    for (const t of times) {
      r.seek(t - 1n); // the call is the instruction that makes time t: the next one at t - 1
      const [top] = r.frames();
      const text = r.module.disassemble(top.funcIndex).find((i) => i.pc === top.pc)?.text ?? '';
      const callee = /^call \d+ <(.*)>$/.exec(text)?.[1];
      expect(callee, `time ${t}: ${text}`).toBeDefined();
      called.push(callee!);
    }
    // The name section names wasi-libc's import wrappers after the import (`__imported_wasi_snapshot_preview1_fd_write`).
    expect(called.sort().map((c) => names.find((n) => c.endsWith(n)))).toEqual(names);
  });
});
