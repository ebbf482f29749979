/**
 * Detail events are time deltas from the previous event, with time syncs (detailEvents.ts):
 * every buffer the module hands to its sink must decode on its own, to the same events as the
 * whole stream, wherever the buffers' boundaries fall; deltas that do not fit 32 bits, or a
 * time set back from JS, go through a sync and still decode to the exact times.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallShapes, countDetailEvents, decodeDetailEvents, drain, instrument, scanDetailEvents, TIME_EXPORT, type BufferSummary, type DetailEvent } from '../../instrument/index.js';

const haveWat2wasm = spawnSync('wat2wasm', ['--version']).status === 0;

function assemble(wat: string): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-wat-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.wat'), wat);
    execFileSync('wat2wasm', [path.join(dir, 'm.wat'), '-o', path.join(dir, 'm.wasm')]);
    return fs.readFileSync(path.join(dir, 'm.wasm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const PROGRAM = `(module (memory (export "memory") 4)
  (global $g (mut i64) (i64.const 0))
  (func $leaf (param i32 i64) (result i64)
    local.get 0 local.get 1 i64.store
    local.get 1 i64.const 1 i64.add global.set $g
    global.get $g)
  (func (export "f") (param $n i32) (local $i i32)
    loop
      local.get $i i32.const 0xfff8 i32.and local.get $i i64.extend_i32_u call $leaf drop
      local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.lt_u br_if 0
    end
    local.get $n i32.const 8 i32.and i32.const 16 i32.add local.get $n i32.const 5 memory.fill))`;

let shapes$: CallShapes | undefined;
/** The call shapes of PROGRAM's module. */
const shapes = (): CallShapes => (shapes$ ??= CallShapes.of(assemble(PROGRAM)));

/** Instantiates `result` with a sink that keeps every flushed buffer (copied) and its summary, and binds it. */
async function collecting(result: Awaited<ReturnType<typeof instrument>>) {
  const chunks: Uint8Array[] = [];
  const summaries: BufferSummary[] = [];
  const { instance } = await WebAssembly.instantiate(result.bytes, result.runtimeImports((e, summary) => {
    chunks.push(e.slice());
    summaries.push(summary);
  }));
  drain(instance);
  return { instance, chunks, summaries };
}

function decodeEach(chunks: Uint8Array[], callShapes = shapes()): DetailEvent[] {
  return chunks.flatMap((c) => decodeDetailEvents(c, callShapes));
}

describe.skipIf(!haveWat2wasm && !process.env.CI)('detail event chunks (time deltas and syncs)', () => {
  it('every flushed buffer decodes alone, and any grouping of buffers decodes to the same events', async () => {
    const result = await instrument(assemble(PROGRAM), { detail: 'full' });
    const { instance, chunks, summaries } = await collecting(result);
    const time = instance.exports[TIME_EXPORT] as WebAssembly.Global;
    const f = instance.exports.f as (n: number) => void;
    const enterTimes: bigint[] = [];
    // Plain runs, then a time far ahead (delta > 32 bits), then a time set back: both need syncs.
    for (const t of [null, 2n ** 40n + 12345n, 7n, null, 2n ** 63n + 3n, null]) {
      if (t !== null) time.value = BigInt.asIntN(64, t);
      enterTimes.push(BigInt.asUintN(64, time.value as bigint));
      f(5000);
    }
    drain(instance);
    expect(chunks.length).toBeGreaterThan(10);

    const whole = Buffer.concat(chunks);
    const all = decodeDetailEvents(whole, shapes());
    expect(countDetailEvents(whole)).toBe(all.length);
    expect(decodeEach(chunks)).toEqual(all);
    // The sink's buffers batched in other ways (as the recorder stores them): same events.
    for (const group of [2, 3, 7]) {
      const batches: Uint8Array[] = [];
      for (let i = 0; i < chunks.length; i += group) batches.push(Buffer.concat(chunks.slice(i, i + group)));
      expect(decodeEach(batches)).toEqual(all);
    }
    // Each buffer's summary, scanned and as the module counted it, agrees with its decoded events.
    let seen = 0;
    chunks.forEach((c, i) => {
      const events = decodeDetailEvents(c, shapes());
      expect(events.length).toBeGreaterThan(0);
      const want = { count: events.length, firstTime: events[0].time, lastTime: events[events.length - 1].time };
      expect(scanDetailEvents(c)).toEqual(want);
      expect(summaries[i]).toEqual(want);
      seen += events.length;
    });
    expect(seen).toBe(all.length);

    // Exact times across the syncs: each call of f enters at the time the loop above read.
    const enters = all.filter((e) => e.kind === 'enter' && e.pc === all[0].pc);
    expect(enters.map((e) => e.time)).toEqual(enterTimes);
    // Within a call, times never decrease and are the stores' own.
    for (let i = 1; i < all.length; i++) if (all[i].pc !== all[0].pc || all[i].kind !== 'enter') expect(all[i].time >= all[i - 1].time).toBe(true);
  });

  it('a cut at any byte inside an event is an error, a cut at any event boundary decodes', async () => {
    const result = await instrument(assemble(PROGRAM), { detail: 'full' });
    const { instance, chunks, summaries } = await collecting(result);
    (instance.exports.f as (n: number) => void)(40);
    drain(instance);
    expect(chunks).toHaveLength(2); // the bulk event's reserve flushes first
    const bytes = Buffer.concat(chunks);
    const all = decodeDetailEvents(bytes, shapes());
    // Event boundaries: prefixes that decode; their events are a prefix of the whole, times included.
    let boundaries = 0;
    for (let cut = 0; cut <= bytes.length; cut++) {
      let prefix: DetailEvent[] | undefined;
      try {
        prefix = decodeDetailEvents(bytes.subarray(0, cut), shapes());
      } catch {
        continue;
      }
      boundaries++;
      expect(prefix).toEqual(all.slice(0, prefix.length));
    }
    expect(boundaries).toBe(all.length + 3); // the empty prefix, every event and the two buffers' syncs
  });

  it('a trap after a sync leaves the stream consistent for the next call', async () => {
    const wasm = assemble(`(module (memory (export "memory") 1)
      (func (export "f") (param i32) local.get 0 i32.const 1 i32.store))`);
    const result = await instrument(wasm, { detail: 'full' });
    const { instance, chunks, summaries } = await collecting(result);
    const time = instance.exports[TIME_EXPORT] as WebAssembly.Global;
    const f = instance.exports.f as (a: number) => void;
    f(0);
    time.value = 2n ** 50n;
    expect(() => f(70000)).toThrow(/out of bounds/); // the enter is logged; the store traps
    time.value = 100n;
    f(4);
    drain(instance);
    const events = decodeEach(chunks, CallShapes.of(wasm));
    expect(events.map((e) => [e.kind, e.time])).toEqual([
      ['enter', 0n], ['store', 3n], ['exit', 4n], ['enter', 2n ** 50n], ['enter', 100n], ['store', 103n], ['exit', 104n],
    ]);
  });

  it("a store that traps after its own sync: the buffer's summary still ends at the last committed event", async () => {
    // 70,000 loop iterations log nothing, so the store's delta from the enter needs a sync,
    // which is committed before the store traps (out of bounds) and its event is not.
    const wasm = assemble(`(module (memory (export "memory") 1)
      (func (export "f") (param i32) (local $i i32)
        loop
          local.get $i i32.const 1 i32.add local.tee $i i32.const 70000 i32.lt_u br_if 0
        end
        local.get 0 i32.const 1 i32.store))`);
    const result = await instrument(wasm, { detail: 'full', snapshotInterval: false });
    const { instance, chunks, summaries } = await collecting(result);
    expect(() => (instance.exports.f as (a: number) => void)(70000)).toThrow(/out of bounds/);
    drain(instance);
    const events = decodeEach(chunks, CallShapes.of(wasm));
    expect(events.map((e) => e.kind)).toEqual(['enter']);
    expect(chunks[0].length).toBeGreaterThan(2 * 9 + 7); // two syncs: the buffer's own and the trapped store's
    expect(summaries).toEqual([{ count: 1, firstTime: events[0].time, lastTime: events[0].time }]);
    expect(scanDetailEvents(chunks[0])).toEqual(summaries[0]);
  });
});
