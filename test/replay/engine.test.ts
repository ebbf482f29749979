/**
 * The replay engine (`openReplay`, the Debuggee API) over real recordings of the C fixtures.
 * Oracles that are not the engine: probe runs (the recorded program re-executed by V8 with a
 * probe at a pc reports every time that pc was next) for pcs at any time; the C sources for
 * arguments, call stacks, lines and values written; the trace's own outcome for traps.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplay, type Replay } from '../../replay/index.js';
import { probeHits } from '../../replay/probe/index.js';
import type { FrameView, StopEvent } from '../../replay/engine/types.js';
import { Timeline, TimeOutOfRangeError } from '../../replay/timeline/index.js';
import { fixture, root, tempDir, wtrace } from '../helpers/run.js';

function record(name: string, args: string[] = [], detail = 'full'): string {
  const trace = path.join(tempDir(), `${name}.wtrace`);
  const r = wtrace(['record', '--detail', detail, '-o', trace, fixture(name), '--', ...args]);
  expect([0, 42, 134], r.stderr).toContain(r.status);
  return trace;
}

/** The line of `debug_target.c` carrying the marker `@name`. */
function markerLine(name: string): number {
  const lines = fs.readFileSync(path.join(root, 'test/fixtures/c/debug_target.c'), 'utf8').split('\n');
  const i = lines.findIndex((l) => new RegExp(`@${name}\\b`).test(l));
  expect(i, `marker @${name}`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

const i32 = (f: FrameView, local: number) => {
  const v = f.locals[local];
  if (v?.type !== 'i32') throw new Error(`local ${local} of ${f.name} is not an i32`);
  return v.value;
};
const names = (r: Replay) => r.frames().map((f) => f.name);
const line = (r: Replay) => r.frames()[0]?.source?.line ?? null;
/** What identifies a state: time, and every frame's function, pc, locals and operand stack. */
const snapshot = (r: Replay) => ({ now: r.now, frames: r.frames().map((f) => ({ f: f.funcIndex, pc: f.pc, locals: f.locals, stack: f.stack })) });

let debugTrace: string;
let replay: Replay;
beforeAll(async () => {
  debugTrace = record('debug_target');
  replay = await openReplay(debugTrace);
});
afterAll(() => replay?.close());

describe('state at any time', () => {
  it('starts stopped at time 0, in the entry function, before its first instruction', () => {
    const r = replay;
    r.seek(0n);
    expect(r.now).toBe(0n);
    const [top] = r.frames();
    expect(r.frames()).toHaveLength(1);
    expect(top.pc).toBe(r.module.disassemble(top.funcIndex)[0].pc);
  });

  it('has, at any time, an innermost pc that a probe run (V8 re-executing the trace) says was next then', async () => {
    const times = fc.sample(fc.bigInt({ min: 0n, max: replay.end - 1n }), { numRuns: 60, seed: 7 });
    const pcAt = new Map<bigint, number>();
    for (const t of times) {
      replay.seek(t);
      pcAt.set(t, replay.frames()[0].pc);
    }
    const hits = await probeHits(debugTrace, [...new Set(pcAt.values())]);
    for (const [t, pc] of pcAt) expect(hits.get(pc), `pc 0x${pc.toString(16)} at time ${t}`).toContain(t);
  });

  it('puts every caller frame at a call instruction', () => {
    for (const t of fc.sample(fc.bigInt({ min: 0n, max: replay.end - 1n }), { numRuns: 40, seed: 3 })) {
      replay.seek(t);
      for (const f of replay.frames().slice(1)) {
        const text = replay.module.disassemble(f.funcIndex).find((i) => i.pc === f.pc)?.text ?? '';
        expect(text, `frame ${f.name} at time ${t}`).toMatch(/^call/);
      }
    }
  });

  it('gives the same state whether reached directly or after wandering elsewhere, and a step back undoes a step forward', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: replay.end - 2n }), fc.bigInt({ min: 0n, max: replay.end }), (t, elsewhere) => {
        replay.seek(t);
        const direct = snapshot(replay);
        replay.seek(elsewhere);
        replay.seek(t);
        expect(snapshot(replay)).toEqual(direct);
        replay.stepInstruction('forward');
        replay.stepInstruction('backward');
        expect(snapshot(replay)).toEqual(direct);
        replay.stepInstruction('backward');
        replay.stepInstruction('forward');
        expect(snapshot(replay)).toEqual(direct);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('disassembles every function as wasm-objdump does (mnemonics, offsets, integer constants)', () => {
    const text = execFileSync('wasm-objdump', ['-d', path.join(root, fixture('debug_target'))], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const objdump = new Map<number, string>();
    for (const m of text.matchAll(/^ ([0-9a-f]+):[0-9a-f ]*\|[ \t]*(.+)$/gm)) if (!m[2].startsWith('local[')) objdump.set(parseInt(m[1], 16), m[2].trim());
    let constants = 0;
    for (const f of replay.module.definedFunctions) {
      for (const { pc, text: ours } of replay.module.disassemble(f)) {
        const theirs = objdump.get(pc);
        expect(theirs?.split(' ')[0], `pc 0x${pc.toString(16)}`).toBe(ours.split(' ')[0]);
        if (/^i(32|64)\.const/.test(ours)) {
          expect(ours).toBe(theirs);
          constants++;
        }
      }
    }
    expect(constants).toBeGreaterThan(100);
  });

  it('shows the output written so far', () => {
    replay.seek(0n);
    expect(replay.output().stdout.length).toBe(0);
    replay.seek(replay.end);
    expect(Buffer.from(replay.output().stdout).toString()).toBe('fact(5)=120 sum=140 counter=14 origin=(143,4)\n');
  });
});

describe('history queries', () => {
  it('lists every call of factorial with its argument and result, and the import calls in time order', () => {
    const calls = replay.callsOf('factorial');
    expect(calls.map((c) => c.frame.args![0].value)).toEqual([5, 4, 3, 2, 1]);
    expect(calls.map((c) => c.results![0].value)).toEqual([120, 24, 6, 2, 1]);
    // Each inner call returns before the outer one: exits in the reverse order of the entries.
    expect(calls.every((c, k) => k === 0 || (c.exitTime! < calls[k - 1].exitTime! && c.frame.entryTime > calls[k - 1].frame.entryTime))).toBe(true);
    expect(replay.callsOf(calls[0].frame.funcIndex)).toEqual(calls);
    expect(() => replay.callsOf('no_such_function')).toThrow(/no function named no_such_function/);

    const imports = Array.from({ length: replay.importCallCount }, (_, n) => replay.importCall(n));
    expect(imports.map((c) => c.name)).toContain('wasi_snapshot_preview1.fd_write');
    expect(imports.every((c, k) => k === 0 || c.time > imports[k - 1].time)).toBe(true);
    const written = imports.flatMap((c) => c.output.map((o) => Buffer.from(o.bytes).toString())).join('');
    expect(written).toBe('fact(5)=120 sum=140 counter=14 origin=(143,4)\n');
    expect(() => replay.importCall(replay.importCallCount)).toThrow(/does not exist/);
  });
});

describe('breakpoints and continue, both directions', () => {
  it('stops at every entry of factorial with n = 5..1, and backward in the reverse order', () => {
    const r = replay;
    const bp = r.addBreakpoint({ kind: 'function', name: 'factorial' });
    try {
      r.seek(0n);
      const forward: number[] = [];
      for (let e = r.continue('forward'); e.kind === 'breakpoint'; e = r.continue('forward')) {
        expect(e.breakpoint.id).toBe(bp.id);
        forward.push(i32(r.frames()[0], 0));
        expect(names(r).filter((n) => n === 'factorial')).toHaveLength(forward.length);
      }
      expect(forward).toEqual([5, 4, 3, 2, 1]);
      expect(r.now).toBe(r.end);
      const backward: number[] = [];
      for (let e = r.continue('backward'); e.kind === 'breakpoint'; e = r.continue('backward')) backward.push(i32(r.frames()[0], 0));
      expect(backward).toEqual([1, 2, 3, 4, 5]);
      expect(r.now).toBe(0n);
    } finally {
      r.removeBreakpoint(bp.id);
    }
  });

  it('reverse-continue to a breakpoint then continue stops at the same place', () => {
    const r = replay;
    const bp = r.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: markerLine('fill-store') });
    try {
      expect(bp.note).toBeNull();
      r.seek(r.end);
      const back = r.continue('backward');
      expect(back.kind).toBe('breakpoint');
      const there = snapshot(r);
      r.continue('backward');
      const again = r.continue('forward');
      expect(again).toMatchObject({ kind: 'breakpoint', time: back.time });
      expect(snapshot(r)).toEqual(there);
      expect(line(r)).toBe(markerLine('fill-store'));
    } finally {
      r.removeBreakpoint(bp.id);
    }
  });

  it('stops at a line breakpoint once per loop iteration (i = 0..7)', () => {
    const r = replay;
    const bp = r.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: markerLine('fill-store') });
    try {
      r.seek(0n);
      let hits = 0;
      for (let e = r.continue('forward'); e.kind === 'breakpoint'; e = r.continue('forward')) {
        expect(r.frames()[0].name).toBe('fill_squares');
        hits++;
      }
      expect(hits).toBe(8);
    } finally {
      r.removeBreakpoint(bp.id);
    }
  });

  it('stops where the watched global counter is written, with its old and new values, both ways', () => {
    const r = replay;
    const address = counterAddress(r);
    const w = r.addWatchpoint(address, 4);
    try {
      r.seek(0n);
      const values: number[] = [];
      for (let e = r.continue('forward'); e.kind === 'watchpoint'; e = r.continue('forward')) {
        values.push(Buffer.from(e.newBytes).readInt32LE(0));
        expect(Buffer.from(e.oldBytes).readInt32LE(0)).toBe(values.length - 1);
        expect(r.frames()[0].name).toBe('bump');
        expect(e.pc).not.toBeNull();
      }
      expect(values).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
      const back: number[] = [];
      for (let e = r.continue('backward'); e.kind === 'watchpoint'; e = r.continue('backward')) back.push(Buffer.from(e.newBytes).readInt32LE(0));
      expect(back).toEqual([...values].reverse());
    } finally {
      r.removeWatchpoint(w.id);
    }
  });

  it('slips a breakpoint on a pc inside an instruction, and slides a line without code to the next one, saying so', () => {
    const r = replay;
    const f = r.module.definedFunctions.find((i) => r.module.functionName(i) === 'factorial')!;
    const [first, second] = r.module.disassemble(f);
    const inside = r.addBreakpoint({ kind: 'pc', pc: first.pc + 1 });
    expect(second.pc).toBeGreaterThan(first.pc + 1);
    expect(inside.pcs).toEqual([second.pc]);
    expect(inside.note).toMatch(/not an instruction; slipped to 0x/);
    r.removeBreakpoint(inside.id);
    const comment = r.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: markerLine('main-comment') });
    expect(comment.note).toBe(`line ${markerLine('main-comment')} has no code; using line ${markerLine('main-fill')}`);
    r.removeBreakpoint(comment.id);
    expect(() => r.addBreakpoint({ kind: 'function', name: 'no_such_function' })).toThrow(/no function named no_such_function/);
    expect(() => r.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: markerLine('last-line') + 5 })).toThrow();
    expect(() => r.seek(r.end + 1n)).toThrow(TimeOutOfRangeError);
  });
});

describe('stepping by line and by instruction, both directions', () => {
  function toMainOpen(r: Replay): void {
    const bp = r.addBreakpoint({ kind: 'function', name: '__original_main' });
    r.seek(0n);
    r.continue('forward');
    r.removeBreakpoint(bp.id);
  }

  it('steps over main line by line, and back over the same lines in reverse', () => {
    const r = replay;
    toMainOpen(r);
    const seen = [line(r)];
    const times = [r.now];
    for (let i = 0; i < 7; i++) {
      const e = r.stepOver('forward', 'line');
      expect(e.kind).toBe('step');
      expect(names(r)[0]).toBe('__original_main');
      seen.push(line(r));
      times.push(r.now);
    }
    const bodyLines = [63, markerLine('main-fill'), 67, 68, markerLine('main-origin'), 70];
    for (const l of bodyLines) expect(seen).toContain(l);
    expect(seen.indexOf(markerLine('main-fill'))).toBeLessThan(seen.indexOf(markerLine('main-origin')));
    const back = [];
    for (let i = 0; i < 7; i++) {
      r.stepOver('backward', 'line');
      back.push(r.now);
    }
    expect({ seen, back }).toEqual({ seen, back: times.slice(0, 7).reverse() });
  });

  it('steps into fill_squares from main, out to just after the call, and back out to the call', () => {
    const r = replay;
    toMainOpen(r);
    while (line(r) !== markerLine('main-fill')) r.stepOver('forward', 'line');
    r.stepInto('forward', 'line');
    expect(names(r)).toEqual(['fill_squares', '__original_main', '_start', '_start.command_export'].slice(0, names(r).length));
    expect(line(r)).toBe(markerLine('fill-loop'));
    const entered = r.frames()[0].entryTime;
    r.stepOver('forward', 'line');
    expect(line(r)).toBe(markerLine('fill-store'));
    r.stepOut('forward');
    const returned = r.now;
    expect(names(r)[0]).toBe('__original_main');
    r.stepInstruction('backward');
    expect(names(r)[0]).toBe('fill_squares');
    expect(r.now).toBe(returned - 1n);
    r.stepOut('backward');
    expect(names(r)[0]).toBe('__original_main');
    expect(r.now).toBe(entered - 1n);
    const top = r.frames()[0];
    expect(r.module.disassemble(top.funcIndex).find((i) => i.pc === top.pc)?.text).toMatch(/^call \d+ <fill_squares>/);
    expect(line(r)).toBe(markerLine('main-fill'));
  });

  it('steps back into the line a callee returned from', () => {
    const r = replay;
    const bp = r.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: markerLine('factorial-recurse') });
    r.seek(0n);
    r.continue('forward');
    r.removeBreakpoint(bp.id);
    r.stepOver('forward', 'line');
    expect(line(r)).toBe(43);
    const n = i32(r.frames()[0], 0);
    r.stepInto('backward', 'line');
    expect(names(r).filter((x) => x === 'factorial')).toHaveLength(2);
    expect(i32(r.frames()[0], 0)).toBe(n - 1);
  });

  it('reports the history boundaries', () => {
    const r = replay;
    r.seek(0n);
    expect(r.stepInstruction('backward')).toMatchObject({ kind: 'history-boundary', boundary: 'start' });
    expect(r.continue('backward')).toMatchObject({ kind: 'history-boundary', boundary: 'start', time: 0n });
    r.seek(r.end);
    expect(r.continue('forward')).toMatchObject({ kind: 'history-boundary', boundary: 'end' });
    r.seek(r.end - 1n);
    expect(r.stepInstruction('forward')).toMatchObject({ kind: 'complete', exitCode: 0 });
  });
});

describe('locals snapshots', () => {
  it('rebuild the same frames as re-executing every activation from its entry', async () => {
    const trace = record('recursion', ['20']);
    const fast = await openReplay(trace);
    const slow = await openReplay(trace, { snapshots: false });
    const timeline = Timeline.open(trace);
    try {
      let usedSnapshots = 0;
      // Spread over the run (fast-check's bigints favour small values, before any snapshot).
      for (const t of [13, 31, 47, 62, 79, 97].map((p) => (fast.end * BigInt(p)) / 100n)) {
        fast.seek(t);
        slow.seek(t);
        expect(snapshot(fast), `time ${t}`).toEqual(snapshot(slow));
        if (fast.frames().some((f) => timeline.snapshotBefore(f.entryTime, t) !== null)) usedSnapshots++;
      }
      expect(usedSnapshots).toBeGreaterThan(3);
    } finally {
      fast.close();
      slow.close();
      timeline.close();
    }
  }, 120_000);
});

describe('how a recording ends', () => {
  it('after a trap, stops forward with the trap, the innermost pc at the trapping instruction the trace names', async () => {
    const trace = record('trap', ['divide']);
    const r = await openReplay(trace);
    try {
      const e = r.continue('forward') as Extract<StopEvent, { kind: 'trap' }>;
      expect(e.kind).toBe('trap');
      expect(e.message).toMatch(/divide by zero/);
      const [top] = r.frames();
      expect(top.name).toBe('divide');
      expect(r.module.disassemble(top.funcIndex).find((i) => i.pc === top.pc)?.text).toBe('i32.div_s');
    } finally {
      r.close();
    }
  });

  it('after proc_exit from inside main, shows the frames still live at the exit call', async () => {
    const trace = record('exit_code', ['42']);
    const r = await openReplay(trace);
    try {
      expect(r.continue('forward')).toMatchObject({ kind: 'complete', exitCode: 42 });
      const frames = r.frames();
      expect(frames.map((f) => f.name)).toContain('__original_main');
      expect(r.module.disassemble(frames[0].funcIndex).find((i) => i.pc === frames[0].pc)?.text).toMatch(/^call/);
    } finally {
      r.close();
    }
  });
});

/** The address of `counter`: the 4 bytes the first @bump-store line changes. */
function counterAddress(r: Replay): number {
  const bp = r.addBreakpoint({ kind: 'line', file: 'debug_target.c', line: markerLine('bump-store') });
  try {
    r.seek(0n);
    r.continue('forward');
    const before = r.readMemory(0, r.memorySize());
    r.stepOver('forward', 'line');
    const after = r.readMemory(0, r.memorySize());
    const changed = [...before.keys()].filter((i) => before[i] !== after[i]);
    expect(changed).toHaveLength(1);
    return changed[0];
  } finally {
    r.removeBreakpoint(bp.id);
  }
}
