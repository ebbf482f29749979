/**
 * Detail events on hand-written programs: the event stream of the instrumented (`full`) module
 * equals, event for event (kind, pc, time, function or address), what the reference interpreter
 * (referenceCounter.ts) says must be logged; memory effects replay forward and undo backward
 * exactly; pcs name instructions of the right kind; calls nest and follow a known sequence;
 * values (old and new) are right for every store width and global type.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDetailEvents, drain, instrument, TIME_EXPORT, type DetailEvent } from '../../instrument/index.js';
import { orderProblems, pcProblems, replayForward, undoBackward } from './detailHarness.js';
import { runReference, type ReferenceEvent } from './referenceCounter.js';

const haveWat2wasm = spawnSync('wat2wasm', ['--version']).status === 0;

function assemble(wat: string, flags: string[] = []): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-wat-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.wat'), wat);
    execFileSync('wat2wasm', [...flags, path.join(dir, 'm.wat'), '-o', path.join(dir, 'm.wasm')]);
    return fs.readFileSync(path.join(dir, 'm.wasm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Instruments with `full`, instantiates, binds a collecting sink. */
async function load(wasm: Uint8Array, imports: WebAssembly.Imports = {}) {
  const result = await instrument(wasm, { detail: 'full' });
  const chunks: Uint8Array[] = [];
  const { instance } = await WebAssembly.instantiate(result.bytes, { ...imports, ...result.runtimeImports((e) => void chunks.push(e.slice())) });
  drain(instance);
  const memory = instance.exports.memory as WebAssembly.Memory | undefined;
  const initial = memory ? new Uint8Array(memory.buffer).slice() : new Uint8Array(0);
  const events = (): DetailEvent[] => {
    drain(instance);
    const all = decodeDetailEvents(Buffer.concat(chunks));
    chunks.length = 0;
    return all;
  };
  const time = instance.exports[TIME_EXPORT] as WebAssembly.Global;
  return { instance, events, initial, memory, time, positions: result.positions };
}

const PROGRAM = `(module
  (import "env" "tick" (func $tick))
  (memory (export "memory") 1 4)
  (data (i32.const 16) "wtrace data segment")
  (global $g (mut i32) (i32.const 5))
  (func $fill (param $n i32)
    (local $i i32)
    block $done
      loop $l
        local.get $i local.get $n i32.ge_s br_if $done
        local.get $i i32.const 4 i32.mul
        local.get $i i32.const 7 i32.mul
        i32.store offset=256
        local.get $i i32.const 1 i32.add local.set $i
        br $l
      end
    end)
  (func $fac (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_s
    if (result i32) i32.const 1
    else local.get 0 local.get 0 i32.const 1 i32.sub call $fac i32.mul end
    local.tee 0
    global.get $g i32.add global.set $g
    local.get 0)
  (func $early (param i32) (result i32)
    i32.const 3 local.get 0 br_if 0
    drop
    i32.const 1000 local.get 0 i32.store8
    block (result i32) block (result i32)
      i32.const 10 local.get 0 i32.const 1 i32.add br_table 0 1 2
    end i32.const 1 i32.add return end
    i32.const 2 i32.add)
  (func (export "run") (param $n i32) (result i32)
    local.get $n call $fill
    i32.const 512 i32.const 171 i32.const 40 memory.fill
    i32.const 600 i32.const 16 i32.const 19 memory.copy
    i32.const 1 memory.grow drop
    i32.const 70000 i32.const 99 i32.store
    call $tick
    i32.const 5 call $fac
    i32.const 0 call $early i32.add
    i32.const -1 call $early i32.add
    i32.const 1 call $early i32.add
    i32.const 100 memory.grow i32.add
    i32.const 70000 i32.load i32.add
    i32.const 256 i32.load8_u i32.add)
)`;

/** The instrumented stream reduced to what the reference reports. */
function comparable(e: DetailEvent): ReferenceEvent {
  const detail = e.kind === 'enter' || e.kind === 'exit' ? e.func
    : e.kind === 'store' ? e.address
      : e.kind === 'fill' || e.kind === 'copy' || e.kind === 'init' ? e.dest
        : e.kind === 'grow' ? e.delta
          : e.kind === 'globalSet' ? e.global : -1;
  return { kind: e.kind as ReferenceEvent['kind'], pc: e.pc, count: Number(e.time), detail };
}

describe.skipIf(!haveWat2wasm && !process.env.CI)('detail events (full) on hand-written programs', () => {
  it.each([0, 1, 5, 30])('run(%i): the stream equals the reference interpreter\'s, event for event', async (n) => {
    const wasm = assemble(PROGRAM);
    const ticks: bigint[] = [];
    let time: WebAssembly.Global | undefined;
    const loaded = await load(wasm, { env: { tick: () => void ticks.push(time!.value as bigint) } });
    time = loaded.time;
    const run = loaded.instance.exports.run as (n: number) => number;
    const result = run(n);

    const expected: ReferenceEvent[] = [];
    const ref = runReference(wasm, loaded.positions, 4, [n], { memory: loaded.initial, maxPages: 4, globals: [5], onEvent: (e) => void expected.push(e) });
    expect([result]).toEqual(ref.results);
    expect(time.value).toBe(BigInt(ref.count));
    expect(ticks).toEqual(ref.importCalls.map((c) => BigInt(c.count)));

    const events = loaded.events();
    expect(events.map(comparable)).toEqual(expected);

    // Forward and backward over memory; pcs; nesting.
    const final = new Uint8Array(loaded.memory!.buffer).slice();
    expect(Buffer.compare(replayForward(loaded.initial, events, []), final)).toBe(0);
    expect(Buffer.compare(undoBackward(final, events, []), loaded.initial)).toBe(0);
    expect(pcProblems(events, loaded.positions)).toEqual([]);
    const order = orderProblems(events);
    expect(order.problems).toEqual([]);
    expect(order.open).toBe(0);

    // Values: the fill loop's stores, the grow results, the global.
    const stores = events.filter((e) => e.kind === 'store');
    for (let i = 0; i < n; i++) {
      const s = stores[i];
      expect([s.address, s.width, Buffer.from(s.newBytes).readInt32LE(0), Buffer.from(s.oldBytes).readInt32LE(0)]).toEqual([256 + 4 * i, 4, 7 * i, 0]);
    }
    const grows = events.filter((e) => e.kind === 'grow');
    expect(grows.map((g) => g.kind === 'grow' && [g.oldPages, g.delta, g.result])).toEqual([[1, 1, 1], [2, 100, -1]]);
    const sets = events.filter((e) => e.kind === 'globalSet');
    expect(sets.map((e) => e.kind === 'globalSet' && [Buffer.from(e.oldBytes).readInt32LE(0), Buffer.from(e.newBytes).readInt32LE(0)]))
      .toEqual([[5, 6], [6, 8], [8, 14], [14, 38], [38, 158]]);
    const fill = events.find((e) => e.kind === 'fill');
    expect(fill).toMatchObject({ dest: 512, size: 40, value: 171, oldBytes: new Uint8Array(40) });
    const copy = events.find((e) => e.kind === 'copy');
    expect(copy).toMatchObject({ dest: 600, source: 16, size: 19, oldBytes: new Uint8Array(19) });
  });

  it('names call_indirect and tail-call targets, logs every store width and global type, memory.init', async () => {
    const wasm = assemble(`(module
      (memory (export "memory") 1)
      (data $seg "0123456789abcdef")
      (table 2 funcref)
      (elem (i32.const 0) $a $b)
      (global $i64 (mut i64) (i64.const 1))
      (global $f32 (mut f32) (f32.const 1.5))
      (global $f64 (mut f64) (f64.const 2.5))
      (global $v (mut v128) (v128.const i32x4 1 2 3 4))
      (global $r (mut funcref) (ref.null func))
      (func $a (param i32) (result i32) local.get 0 i32.const 1 i32.add)
      (func $b (param i32) (result i32) local.get 0 i32.const 2 i32.add)
      (func $down (param i32) (result i32)
        local.get 0 i32.eqz if (result i32) i32.const 0
        else local.get 0 i32.const 1 i32.sub return_call $down end)
      (func (export "run") (result i32)
        i32.const 8 i64.const 0x1122334455667788 i64.store
        i32.const 8 i64.const -1 i64.store8
        i32.const 8 i64.const -1 i64.store16
        i32.const 8 i64.const -1 i64.store32
        i32.const 16 f32.const -0.5 f32.store
        i32.const 24 f64.const 3.25 f64.store
        i32.const 32 v128.const i32x4 5 6 7 8 v128.store
        i32.const 48 v128.const i64x2 -1 -1 v128.store64_lane 1
        i32.const 8 i32.const 16 i32.store16
        i64.const 9 global.set $i64
        f32.const 9.5 global.set $f32
        f64.const 9.25 global.set $f64
        v128.const i32x4 9 9 9 9 global.set $v
        ref.func $a global.set $r
        i32.const 100 i32.const 4 i32.const 6 memory.init $seg
        i32.const 5 i32.const 1 call_indirect (param i32) (result i32)
        i32.const 3 call $down i32.add))`, ['--enable-tail-call']);
    const loaded = await load(wasm);
    expect((loaded.instance.exports.run as () => number)()).toBe(7);
    const events = loaded.events();
    const final = new Uint8Array(loaded.memory!.buffer).slice();
    const segments = [new TextEncoder().encode('0123456789abcdef')];
    expect(Buffer.compare(replayForward(loaded.initial, events, [], segments), final)).toBe(0);
    expect(Buffer.compare(undoBackward(final, events, []), loaded.initial)).toBe(0);
    expect(pcProblems(events, loaded.positions)).toEqual([]);
    expect(orderProblems(events).problems).toEqual([]);

    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const stores = events.filter((e) => e.kind === 'store').map((e) => e.kind === 'store' && [e.address, e.width, hex(e.oldBytes), hex(e.newBytes)]);
    expect(stores).toEqual([
      [8, 8, '0000000000000000', '8877665544332211'],
      [8, 1, '88', 'ff'],
      [8, 2, 'ff77', 'ffff'],
      [8, 4, 'ffff6655', 'ffffffff'],
      [16, 4, '00000000', '000000bf'],
      [24, 8, '0000000000000000', '0000000000000a40'],
      [32, 16, '00'.repeat(16), '05000000060000000700000008000000'],
      [48, 8, '00'.repeat(8), 'ff'.repeat(8)],
      [8, 2, 'ffff', '1000'],
    ]);
    const sets = events.filter((e) => e.kind === 'globalSet').map((e) => e.kind === 'globalSet' && [e.global, hex(e.oldBytes), hex(e.newBytes)]);
    expect(sets).toEqual([
      [0, '0100000000000000', '0900000000000000'],
      [1, '0000c03f', '00001841'],
      [2, '0000000000000440', '0000000000802240'],
      [3, '01000000020000000300000004000000', '09000000090000000900000009000000'],
      [4, '', ''],
    ]);
    expect(events.find((e) => e.kind === 'init')).toMatchObject({ dest: 100, segment: 0, sourceOffset: 4, size: 6, oldBytes: new Uint8Array(6) });
    // Calls: run, $b through call_indirect, $down four times by tail calls (each exits before the next enters).
    const calls = events.filter((e) => e.kind === 'enter' || e.kind === 'exit').map((e) => `${e.kind} ${(e as { func: number }).func}`);
    expect(calls).toEqual([
      'enter 3', 'enter 1', 'exit 1', 'enter 2', 'exit 2', 'enter 2', 'exit 2', 'enter 2', 'exit 2', 'enter 2', 'exit 2', 'exit 3',
    ]);
  });

  it('logs nothing for a store that traps, and ends the stream there', async () => {
    const loaded = await load(assemble(`(module (memory (export "memory") 1)
      (func (export "f") (param i32)
        i32.const 0 i32.const 1 i32.store
        local.get 0 i32.const 2 i32.store offset=8
        i32.const 4 i32.const 3 i32.store))`));
    const f = loaded.instance.exports.f as (a: number) => void;
    expect(() => f(65530)).toThrow(/memory access out of bounds/);
    const events = loaded.events();
    expect(events.map((e) => e.kind)).toEqual(['enter', 'store']);
    f(16);
    expect(loaded.events().map((e) => e.kind)).toEqual(['enter', 'store', 'store', 'store', 'exit']);
  });

  it('streams through many flushes and grows the buffer for a large memory.fill', async () => {
    const loaded = await load(assemble(`(module (memory (export "memory") 20)
      (func (export "f") (param $n i32) (local $i i32)
        loop
          local.get $i local.get $i i32.store
          local.get $i i32.const 4 i32.add local.tee $i local.get $n i32.lt_u br_if 0
        end
        i32.const 0 i32.const 7 i32.const 1000000 memory.fill))`));
    (loaded.instance.exports.f as (n: number) => void)(400_000);
    const events = loaded.events();
    expect(events.filter((e) => e.kind === 'store')).toHaveLength(100_000);
    const final = new Uint8Array(loaded.memory!.buffer).slice();
    expect(Buffer.compare(replayForward(loaded.initial, events, []), final)).toBe(0);
    expect(Buffer.compare(undoBackward(final, events, []), loaded.initial)).toBe(0);
  });

  it('counts like inputs across an exception; the unwound frame has no exit (documented gap)', async () => {
    const wasm = assemble(`(module
      (tag $e)
      (global $g (mut i32) (i32.const 0))
      (func $thrower i32.const 1 global.set $g throw $e)
      (func (export "eh") (result i32)
        try (result i32)
          call $thrower
          i32.const 1
        catch $e
          i32.const 2
        end))`, ['--enable-exceptions']);
    const loaded = await load(wasm);
    expect((loaded.instance.exports.eh as () => number)()).toBe(2);
    const inputs = await instrument(wasm, { detail: 'inputs' });
    const { instance } = await WebAssembly.instantiate(inputs.bytes);
    (instance.exports.eh as () => number)();
    expect(loaded.time.value).toBe((instance.exports[TIME_EXPORT] as WebAssembly.Global).value);
    expect(loaded.events().map((e) => `${e.kind} ${e.time}`)).toEqual(['enter 0', 'enter 2', 'globalSet 4', 'exit 8']);
  });
});
