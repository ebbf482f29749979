/**
 * `wtrace record --detail full`: the program behaves as plain, the trace's detail events and
 * keyframes reconstruct memory exactly, times agree with re-execution, and the bounds hold.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallShapes, decodeDetailEvents } from '../../instrument/index.js';
import { TraceReader, traceInfo } from '../../src/trace/index.js';
import { fixture, plain, skipWithout, snapshotTree, tempDir, wtrace } from '../helpers/run.js';
import { objdumpFunctions } from '../instrument/objdump.js';

function recordFull(args: string[], input?: string): { trace: string; stdout: string; stderr: string; status: number | null } {
  const trace = path.join(tempDir(), 'full.wtrace');
  const r = wtrace(['record', '--detail', 'full', '-o', trace, ...args], { input });
  return { trace, ...r };
}

/**
 * Replays the trace's memory history: the first keyframe's memory, then every store/fill/copy/
 * init event and every host write of an import call, in time order (a call's writes happen at
 * the call's time, after the events before it). Returns the memory at the end.
 */
function replayMemory(trace: string): { replayed: Uint8Array; final: Uint8Array } {
  const reader = TraceReader.open(trace);
  const keyframes = reader.keyframes();
  let memory = reader.keyframeMemory(keyframes[0]);
  const final = reader.keyframeMemory(keyframes.at(-1)!);
  const calls = [...reader.importCalls()];
  const events = decodeDetailEvents(Buffer.concat([...reader.detailChunks()].map((c) => Buffer.from(c.events))), CallShapes.of(reader.moduleBytes()));
  reader.close();
  let next = 0;
  const applyCallsUpTo = (time: bigint) => {
    while (next < calls.length && calls[next].time! <= time) {
      for (const w of calls[next].writes) memory.set(w.bytes, w.address);
      next++;
    }
  };
  for (const e of events) {
    applyCallsUpTo(e.time - 1n);
    if (e.kind === 'grow' && e.result !== -1) {
      const grown = new Uint8Array(memory.length + e.delta * 65536);
      grown.set(memory);
      memory = grown;
    } else if (e.kind === 'store') memory.set(e.newBytes, e.address);
    else if (e.kind === 'fill') memory.fill(e.value, e.dest, e.dest + e.size);
    else if (e.kind === 'copy') memory.copyWithin(e.dest, e.source, e.source + e.size);
  }
  applyCallsUpTo(2n ** 64n);
  return { replayed: memory, final };
}

describe('wtrace record --detail full', () => {
  const cases: [string, string[], string?][] = [
    ['args_env', [fixture('args_env'), '--', 'x', 'y z']],
    ['stdin_upper', [fixture('stdin_upper')], 'full detail\n'.repeat(100)],
    ['trap', [fixture('trap'), '--', 'divide']],
    ['exit_code', [fixture('exit_code'), '--', '5']],
    ['many_calls', [fixture('many_calls')]],
  ];
  for (const [name, args, input] of cases) {
    it(`${name}: behaves as plain, and its events rebuild memory exactly`, () => {
      const r = recordFull(args, input);
      const sep = args.indexOf('--');
      const expected = plain(sep < 0 ? args : [...args.slice(0, sep), ...args.slice(sep + 1)], { input });
      expect(r.stdout).toBe(expected.stdout);
      expect(r.status).toBe(expected.status);
      const info = traceInfo(r.trace);
      expect(info.detail).toBe('full');
      expect(info.detailEvents.events).toBeGreaterThan(0);
      expect(BigInt(info.instructionCount!)).toBeGreaterThan(0n);
      const { replayed, final } = replayMemory(r.trace);
      expect(Buffer.compare(Buffer.from(replayed), Buffer.from(final))).toBe(0);
    });
  }

  it('has exact instruction times: re-execution reproduces every call at its logged time', () => {
    const r = recordFull([fixture('many_calls')]);
    const info = traceInfo(r.trace);
    const verify = wtrace(['replay', '--verify', r.trace]);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain(`reproduced: ${BigInt(info.instructionCount!).toLocaleString('en-US')} instructions`);
    const reader = TraceReader.open(r.trace);
    const times = [...reader.importCalls()].map((c) => c.time!);
    reader.close();
    expect(times.every((t, i) => t > 0n && (i === 0 || t > times[i - 1]))).toBe(true);
  });

  it.skipIf(skipWithout('wasm-objdump'))('names only instructions of the right kind at pcs wasm-objdump agrees with', () => {
    const r = recordFull([fixture('many_calls')]);
    const reader = TraceReader.open(r.trace);
    const events = decodeDetailEvents(Buffer.concat([...reader.detailChunks()].map((c) => Buffer.from(c.events))), CallShapes.of(reader.moduleBytes()));
    reader.close();
    const byOffset = new Map<number, string>();
    const firstOf = new Map<number, number>();
    for (const f of objdumpFunctions(fixture('many_calls'))) {
      for (const i of f.instructions) byOffset.set(i.offset, i.name);
      if (f.instructions.length > 0) firstOf.set(f.funcIndex, f.instructions[0].offset);
    }
    const expectedKind: Record<string, RegExp> = {
      store: /\.store/, grow: /^memory\.grow$/, fill: /^memory\.fill$/, copy: /^memory\.copy$/, init: /^memory\.init$/, globalSet: /^global\.set$/,
    };
    let checked = 0;
    for (const e of events) {
      if (e.kind === 'enter') expect(e.pc).toBe(firstOf.get(e.func));
      else if (e.kind in expectedKind) expect(byOffset.get(e.pc)).toMatch(expectedKind[e.kind]);
      else expect(byOffset.has(e.pc)).toBe(true);
      checked++;
    }
    expect(checked).toBe(events.length);
    expect(events.some((e) => e.kind === 'store') && events.some((e) => e.kind === 'enter')).toBe(true);
  });

  it('stores the program globals in keyframes (clang\'s __stack_pointer is global 0)', () => {
    const r = recordFull([fixture('recursion'), '--', '1000']);
    const reader = TraceReader.open(r.trace);
    const keyframes = reader.keyframes();
    reader.close();
    const first = keyframes[0].globals.find((g) => g.name === 'global 0');
    const last = keyframes.at(-1)!.globals.find((g) => g.name === 'global 0');
    expect(typeof first?.value).toBe('number');
    // The stack pointer is back where it started once main has returned.
    expect(last?.value).toBe(first?.value);
    expect(first!.value as number).toBeGreaterThan(0);
  });

  it('leaves the same files as a plain run', () => {
    const a = tempDir();
    const b = tempDir();
    fs.cpSync('test/fixtures/data/fileio', a, { recursive: true });
    fs.cpSync('test/fixtures/data/fileio', b, { recursive: true });
    const expected = plain(['--dir', `${a}::/data`, fixture('fileio')]);
    const r = recordFull(['--dir', `${b}::/data`, fixture('fileio')]);
    expect(r.stdout).toBe(expected.stdout);
    expect(snapshotTree(b)).toEqual(snapshotTree(a));
  });

  it('runs deep recursion (instrumented frames are larger; the recorder has a large stack)', () => {
    const r = recordFull([fixture('recursion'), '--', '200000']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^depth=200000 result=\d+$/m);
  });

  it('keeps only a window of detail events', () => {
    const all = traceInfo(recordFull([fixture('many_calls')]).trace);
    const total = BigInt(all.instructionCount!);
    const from = total / 2n;
    const r = recordFull(['--window', `${from}..${from + 1000n}`, fixture('many_calls')]);
    const reader = TraceReader.open(r.trace);
    const chunks = [...reader.detailChunks()];
    reader.close();
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) expect(c.endTime >= from && c.firstTime <= from + 1000n).toBe(true);
    expect(traceInfo(r.trace).detailEvents.events).toBeLessThan(all.detailEvents.events);
  });

  it('keeps the last N instructions as a flight recorder', () => {
    const r = recordFull(['--last', '1000', fixture('many_calls')]);
    const info = traceInfo(r.trace);
    const end = BigInt(info.instructionCount!);
    const reader = TraceReader.open(r.trace);
    const chunks = [...reader.detailChunks()];
    reader.close();
    expect(chunks.at(-1)!.endTime).toBe(end);
    expect(chunks[0].firstTime <= end - 1000n || chunks[0].firstTime === 0n).toBe(true);
  });

  it('refuses bounds without --detail full', () => {
    const r = wtrace(['record', '--window', '1..2', '-o', path.join(tempDir(), 'x.wtrace'), fixture('exit_code')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/need --detail full/);
  });
});
