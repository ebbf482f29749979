/**
 * Detail events on hand-written programs: the event stream of the instrumented (`full`) module
 * equals, event for event (kind, pc, time, function or address), what the reference interpreter
 * (referenceCounter.ts) says must be logged; memory effects replay forward and undo backward
 * exactly; pcs name instructions of the right kind; calls nest and follow a known sequence;
 * values (old and new) are right for every store width and global type.
 */
import { describe, expect, it } from 'vitest';
import binaryen from 'binaryen';
import { CallShapes, countDetailEvents, decodeDetailEvents, drain, instrument, TIME_EXPORT, type DetailEvent, type DetailValue } from '../../instrument/index.js';
import { orderProblems, pcProblems, replayForward, storeOldBytes, undoBackward } from './detailHarness.js';
import { runReference, type RefValue, type ReferenceEvent } from './referenceCounter.js';
import { assemble, haveWat2wasm } from './wat.js';


/** Instruments with `full`, instantiates, binds a collecting sink. */
async function load(wasm: Uint8Array, imports: WebAssembly.Imports = {}) {
  const result = await instrument(wasm, { detail: 'full' });
  const chunks: Uint8Array[] = [];
  let counted = 0;
  const { instance } = await WebAssembly.instantiate(result.bytes, { ...imports, ...result.runtimeImports((e) => void chunks.push(e.slice())) });
  drain(instance);
  const memory = instance.exports.memory as WebAssembly.Memory | undefined;
  const initial = memory ? new Uint8Array(memory.buffer).slice() : new Uint8Array(0);
  const shapes = CallShapes.of(wasm);
  const events = (): DetailEvent[] => {
    drain(instance);
    const bytes = Buffer.concat(chunks);
    const all = decodeDetailEvents(bytes, shapes);
    counted = countDetailEvents(bytes);
    if (counted !== all.length) throw new Error(`countDetailEvents says ${counted}, decodeDetailEvents ${all.length}`);
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

/** A logged value as the reference interpreter carries it. */
function refValue(v: DetailValue): RefValue {
  switch (v.type) {
    case 'i32': return v.value;
    case 'i64': return { t: 'i64', v: v.value };
    case 'f32': return { t: 'f32', bits: v.bits };
    case 'f64': return { t: 'f64', bits: v.bits };
    default: throw new Error(`the reference interpreter has no ${v.type} values`);
  }
}

/** The instrumented stream reduced to what the reference reports. */
function comparable(e: DetailEvent): ReferenceEvent {
  if (e.kind === 'enter' || e.kind === 'exit') {
    const values = (e.kind === 'enter' ? e.args : e.results).map(refValue);
    return { kind: e.kind, pc: e.pc, count: Number(e.time), detail: e.func, values };
  }
  const detail = e.kind === 'store' ? e.address
    : e.kind === 'fill' || e.kind === 'copy' || e.kind === 'init' ? e.dest
      : e.kind === 'grow' ? e.delta
        : e.kind === 'globalSet' ? e.global : -1;
  return { kind: e.kind as ReferenceEvent['kind'], pc: e.pc, count: Number(e.time), detail };
}

/** Parses text with Binaryen (wabt 1.0.32 cannot assemble try_table) and writes its binary. */
function assembleWithBinaryen(wat: string): Uint8Array {
  const m = binaryen.parseText(wat);
  try {
    m.setFeatures(binaryen.Features.All);
    if (!m.validate()) throw new Error('invalid module');
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

const VALUES = `(module
  (type $sig (func (param i32 i64) (result i64 i32)))
  (table 2 funcref)
  (elem (i32.const 0) $swap $swap2)
  (func $swap (type $sig) local.get 1 local.get 0)
  (func $swap2 (type $sig) local.get 1 local.get 0 return)
  (func $floats (param f32 f64) (result f64 f32) local.get 1 local.get 0 br 0)
  (func $pick (param i32 i64 i64) (result i64)
    block (result i64)
      local.get 1 local.get 0 br_table 1 0 1
    end
    drop local.get 2)
  (func $cond (param i32) (result i32 i64)
    i32.const 7 i64.const 0x7fffffffffffffff local.get 0 br_if 0
    drop drop i32.const -2147483648 i64.const -9223372036854775808)
  (func $tail (param i32 i64) (result i64 i32) local.get 0 local.get 1 return_call $swap)
  (func $always (param i32) (result f32)
    block block
      f32.const -0 local.get 0 br_table 2 2 2
    end end
    f32.const 1)
  (func (export "run") (result i32)
    i32.const 3 i64.const 0x8000000000000000 call $swap drop drop
    i32.const -1 i64.const -1 i32.const 1 call_indirect (type $sig) drop drop
    i32.const 2147483647 i64.const 1 i32.const 0 call_indirect (type $sig) drop drop
    f32.const nan:0x200001 f64.const -nan:0x4000000000001 call $floats drop drop
    f32.const -inf f64.const nan call $floats drop drop
    i32.const 0 i64.const 11 i64.const 22 call $pick drop
    i32.const 1 i64.const 11 i64.const 22 call $pick drop
    i32.const 9 i64.const 11 i64.const 22 call $pick drop
    i32.const 1 call $cond drop drop
    i32.const 0 call $cond drop drop
    i32.const 6 i64.const 0x7fffffffffffffff call $tail drop drop
    i32.const 5 call $always drop
    i32.const 1)
)`;

/**
 * Checks shared by the exception tests: `full` counts time as `inputs` does, every pc is an
 * instruction of the right kind, and the stream nests with no frame left open. Returns the
 * events and the nesting summary (how many frames were unwound) for the test's own checks.
 */
async function checkUnwinding(wasm: Uint8Array, loaded: Awaited<ReturnType<typeof load>>) {
  const inputs = await instrument(wasm, { detail: 'inputs' });
  const { instance } = await WebAssembly.instantiate(inputs.bytes);
  (instance.exports.run as () => number)();
  expect(loaded.time.value).toBe((instance.exports[TIME_EXPORT] as WebAssembly.Global).value);
  const events = loaded.events();
  expect(pcProblems(events, loaded.positions)).toEqual([]);
  const order = orderProblems(events);
  expect(order.problems).toEqual([]);
  expect(order.open).toBe(0);
  return { events, order };
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
    const storeOld = storeOldBytes(loaded.initial, events, []);
    expect(Buffer.compare(undoBackward(final, events, [], storeOld), loaded.initial)).toBe(0);
    expect(pcProblems(events, loaded.positions)).toEqual([]);
    const order = orderProblems(events);
    expect(order.problems).toEqual([]);
    expect(order.open).toBe(0);

    // Values: the fill loop's stores, the grow results, the global.
    const stores = events.flatMap((e, i) => (e.kind === 'store' ? [{ ...e, oldBytes: storeOld.get(i)! }] : []));
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
    const storeOld = storeOldBytes(loaded.initial, events, [], segments);
    expect(Buffer.compare(undoBackward(final, events, [], storeOld), loaded.initial)).toBe(0);
    expect(pcProblems(events, loaded.positions)).toEqual([]);
    expect(orderProblems(events).problems).toEqual([]);

    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    // The old bytes are what a replay reads from memory just before each store.
    const stores = events.flatMap((e, i) => (e.kind === 'store' ? [[e.address, e.width, hex(storeOld.get(i)!), hex(e.newBytes)]] : []));
    expect(events.filter((e) => e.kind === 'store').every((e) => !('oldBytes' in e))).toBe(true);
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
    // address + offset past 2^32: the event's address field wraps, and the store traps before the commit
    expect(() => f(-4)).toThrow(/memory access out of bounds/);
    expect(loaded.events().map((e) => e.kind)).toEqual(['enter', 'store']);
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
    expect(Buffer.compare(undoBackward(final, events, [], storeOldBytes(loaded.initial, events, [])), loaded.initial)).toBe(0);
  });

  it('logs argument and result values of every type and every way of returning, event for event', async () => {
    const wasm = assemble(VALUES, ['--enable-tail-call']);
    const loaded = await load(wasm);
    expect((loaded.instance.exports.run as () => number)()).toBe(1);
    const expected: ReferenceEvent[] = [];
    const ref = runReference(wasm, loaded.positions, 7, [], { table: [0, 1], onEvent: (e) => void expected.push(e) });
    expect(loaded.time.value).toBe(BigInt(ref.count));
    const events = loaded.events();
    expect(events.map(comparable)).toEqual(expected);
    expect(pcProblems(events, loaded.positions)).toEqual([]);
    expect(orderProblems(events).problems).toEqual([]);

    // Spot checks that the reference's values are the intended ones.
    const i64 = (v: bigint) => ({ type: 'i64', value: v });
    const i32 = (v: number) => ({ type: 'i32', value: v });
    const exits = events.filter((e) => e.kind === 'exit').map((e) => e.kind === 'exit' && [e.func, e.results]);
    expect(exits).toEqual([
      [0, [i64(-0x8000000000000000n), i32(3)]], // $swap: final end
      [1, [i64(-1n), i32(-1)]], // $swap2 through call_indirect: return
      [0, [i64(1n), i32(0x7fffffff)]], // $swap through call_indirect
      [2, [{ type: 'f64', bits: 0xfff4000000000001n }, { type: 'f32', bits: 0x7fa00001 }]], // $floats: br 0, NaN payloads kept
      [2, [{ type: 'f64', bits: 0x7ff8000000000000n }, { type: 'f32', bits: 0xff800000 }]],
      [3, [i64(11n)]], // $pick: br_table to the function
      [3, [i64(22n)]], // br_table to the block, then the final end
      [3, [i64(11n)]], // br_table default: the function
      [4, [i32(7), i64(0x7fffffffffffffffn)]], // $cond: br_if taken
      [4, [i32(-0x80000000), i64(-0x8000000000000000n)]], // br_if not taken, final end
      [5, []], // $tail: exits by return_call, no results
      [0, [i64(0x7fffffffffffffffn), i32(6)]], // ... and its callee returns them
      [6, [{ type: 'f32', bits: 0x80000000 }]], // $always: a br_table whose labels all name the function
      [7, [i32(1)]],
    ]);
    const enters = events.filter((e) => e.kind === 'enter').map((e) => e.kind === 'enter' && [e.func, e.args]);
    expect(enters[4]).toEqual([2, [{ type: 'f32', bits: 0x7fa00001 }, { type: 'f64', bits: 0xfff4000000000001n }]]);
    expect(enters[11]).toEqual([5, [i32(6), i64(0x7fffffffffffffffn)]]);
  });

  it('logs v128 values and reference values as null markers', async () => {
    const wasm = assemble(`(module
      (table 1 funcref)
      (elem declare func $refs)
      (func $refs (param v128 funcref externref) (result externref v128 funcref)
        local.get 2 local.get 0 local.get 1)
      (func (export "run") (param externref) (result i32) (local $x i32)
        v128.const i32x4 1 -2 3 -4 ref.func $refs local.get 0 call $refs
        drop drop drop
        v128.const i64x2 -1 0 ref.null func ref.null extern call $refs
        ref.is_null i32.const 10 i32.mul local.set $x
        drop drop local.get $x))`);
    const loaded = await load(wasm);
    expect((loaded.instance.exports.run as (x: unknown) => number)({})).toBe(10);
    const events = loaded.events();
    expect(orderProblems(events).problems).toEqual([]);
    const v = (hex: string) => ({ type: 'v128', bytes: new Uint8Array(Buffer.from(hex, 'hex')) });
    const ref = (refType: number, isNull: boolean) => ({ type: 'ref', refType, isNull });
    const calls = events.filter((e) => 'func' in e && e.func === 0).map((e) => (e.kind === 'enter' ? e.args : e.kind === 'exit' ? e.results : []));
    expect(calls).toEqual([
      [v('01000000feffffff03000000fcffffff'), ref(0x70, false), ref(0x6f, false)],
      [ref(0x6f, false), v('01000000feffffff03000000fcffffff'), ref(0x70, false)],
      [v('ffffffffffffffff0000000000000000'), ref(0x70, true), ref(0x6f, true)],
      [ref(0x6f, true), v('ffffffffffffffff0000000000000000'), ref(0x70, true)],
    ]);
  });

  it('a function with many parameters takes the sized slow path and still decodes', async () => {
    const params = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'i64' : 'f64'));
    const wasm = assemble(`(module
      (func $many (param ${params.join(' ')}) (result i64) local.get 39)
      (func (export "run") (result i64)
        ${params.map((t, i) => `${t}.const ${i}`).join(' ')} call $many))`);
    const loaded = await load(wasm);
    expect((loaded.instance.exports.run as () => bigint)()).toBe(39n);
    const enter = loaded.events().find((e) => e.kind === 'enter' && e.func === 0);
    expect(enter?.kind === 'enter' && enter.args.length).toBe(40);
    expect(enter?.kind === 'enter' && enter.args[39]).toEqual({ type: 'i64', value: 39n });
    expect(enter?.kind === 'enter' && enter.args[38]).toEqual({ type: 'f64', bits: 0x4043000000000000n });
  });

  it('legacy try/catch: a catch event names the catching frame; the unwound frames are popped; time is exact', async () => {
    const wasm = assemble(`(module
      (tag $e (param i32))
      (func $thrower (param i32) (result i32) local.get 0 throw $e)
      (func $mid (param i32) (result i32) local.get 0 call $thrower)
      (func $catcher (param $n i32) (result i32)
        local.get $n i32.const 2 i32.lt_s
        if (result i32)
          local.get $n i32.eqz
          if (result i32) i32.const 42 call $mid
          else local.get $n i32.const 1 i32.sub call $catcher end
        else
          try (result i32)
            local.get $n i32.const 1 i32.sub call $catcher
          catch $e
            i32.const 100 i32.add
          end
        end)
      (func $local (result i32) (local i32)
        i32.const 1 if end
        try (result i32)
          i32.const 5 throw $e
        catch_all
          i32.const 3
        end)
      (func (export "run") (result i32)
        i32.const 3 call $catcher call $local i32.add))`, ['--enable-exceptions']);
    const loaded = await load(wasm);
    expect((loaded.instance.exports.run as () => number)()).toBe(145);
    const { events, order } = await checkUnwinding(wasm, loaded);
    expect(order.unwound).toBe(4); // thrower, mid, catcher(0), catcher(1)
    const line = (e: DetailEvent) => e.kind === 'enter' ? `enter ${e.func}(${e.args.map((a) => (a as { value: number }).value)}) @${e.time}`
      : e.kind === 'exit' ? `exit ${e.func}(${e.results.map((a) => (a as { value: number }).value)}) @${e.time}`
        : e.kind === 'catch' ? `catch ${e.func} frame@${e.frameTime} @${e.time}` : e.kind;
    // Hand count. run: i32.const, call = 2. catcher(3): local.get, i32.const, i32.lt_s, if (false), try,
    // local.get, i32.const, i32.sub, call = 11. catcher(2) likewise: 20. catcher(1): local.get, i32.const,
    // i32.lt_s, if, local.get, i32.eqz, if (false), local.get, i32.const, i32.sub, call = 31. catcher(0):
    // 7 + i32.const, call = 40. mid: local.get, call = 42. thrower: local.get, throw = 44. Caught in
    // catcher(2) (the catch does not count): i32.const, i32.add, end (try), end (if), end = 49. catcher(3):
    // end, end, end = 52. run: call = 53. $local: i32.const, if, end, try, i32.const, throw = 59 (a throw
    // caught in its own frame, with a non-zero counter); caught: i32.const, end, end = 62. run: i32.add, end = 64.
    expect(events.map(line)).toEqual([
      'enter 4() @0', 'enter 2(3) @2', 'enter 2(2) @11', 'enter 2(1) @20', 'enter 2(0) @31', 'enter 1(42) @40', 'enter 0(42) @42',
      'catch 2 frame@11 @44', 'exit 2(142) @49', 'exit 2(142) @52',
      'enter 3() @53', 'catch 3 frame@53 @59', 'exit 3(3) @62', 'exit 4(145) @64',
    ]);
    expect(loaded.time.value).toBe(64n);
    const c = events.find((e) => e.kind === 'catch');
    expect(loaded.positions.functions[2].instructions.find((i) => i.offset === c!.pc)?.name).toBe('catch');
  });

  it('try_table: a catch event where the label resumes, only when frames were unwound', async () => {
    const wasm = assembleWithBinaryen(`(module
      (tag $e (param i32))
      (func $thrower (param i32) (result i32) (throw $e (local.get 0)))
      (func $catcher (param $n i32) (result i32)
        (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
          (then (if (result i32) (i32.eqz (local.get $n))
            (then (call $thrower (i32.const 42)))
            (else (call $catcher (i32.sub (local.get $n) (i32.const 1))))))
          (else (i32.add (i32.const 100)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (call $catcher (i32.sub (local.get $n) (i32.const 1)))))))))
      (func $local (result i32)
        (block $h (result i32)
          (try_table (result i32) (catch $e $h) (throw $e (i32.const 9)))))
      (func (export "run") (result i32)
        (i32.add (call $catcher (i32.const 3)) (call $local))))`);
    const loaded = await load(wasm);
    expect((loaded.instance.exports.run as () => number)()).toBe(251);
    const { events, order } = await checkUnwinding(wasm, loaded);
    expect(order.unwound).toBe(3); // thrower, catcher(0), catcher(1)
    const catches = events.filter((e) => e.kind === 'catch');
    expect(catches).toHaveLength(1); // $local's own throw unwinds no frame: no event
    const catcher2 = events.filter((e) => e.kind === 'enter' && e.func === 1)[1];
    expect(catches[0]).toMatchObject({ func: 1, frameTime: catcher2.time });
    // The catch's time is the throw's: thrower's enter time + local.get, throw.
    const thrower = events.find((e) => e.kind === 'enter' && e.func === 0)!;
    expect(catches[0].time).toBe(thrower.time + 2n);
    const exits = events.filter((e) => e.kind === 'exit').map((e) => e.kind === 'exit' && [e.func, e.results.map((r) => (r as { value: number }).value)]);
    expect(exits).toEqual([[1, [142]], [1, [242]], [2, [9]], [3, [251]]]);
  });
});
