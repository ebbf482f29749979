/**
 * Snapshot events beyond what the stepping reference covers: locals of every value type (v128,
 * funcref, externref, NaN payloads), a function with 80 locals (the event is larger than the
 * buffer's fast path), 100,000 snapshots streamed through many flushes, the binary layout
 * decoded from hand-written bytes, and the `snapshotInterval` option.
 */
import { describe, expect, it } from 'vitest';
import {
  CallShapes,
  countDetailEvents, decodeDetailEvents, DEFAULT_SNAPSHOT_INTERVAL, drain, instrument, scanDetailEvents, type DetailEvent, type SnapshotEvent,
} from '../../instrument/index.js';
import { assemble, haveWat2wasm } from './wat.js';

/** Runs export `name` on a fresh instance (detail `full`, `interval`); returns every chunk the sink received. */
async function run(wasm: Uint8Array, name: string, args: unknown[], interval: number | bigint | false = 1) {
  const result = await instrument(wasm, { detail: 'full', snapshotInterval: interval });
  const chunks: Uint8Array[] = [];
  const { instance } = await WebAssembly.instantiate(result.bytes as Uint8Array<ArrayBuffer>, result.runtimeImports((c) => void chunks.push(c.slice())));
  drain(instance);
  const value = (instance.exports[name] as (...a: unknown[]) => unknown)(...args);
  drain(instance);
  return { value, chunks, events: decodeDetailEvents(Buffer.concat(chunks), CallShapes.of(wasm)), bytes: result.bytes };
}

const snapshots = (events: readonly DetailEvent[]) => events.filter((e): e is SnapshotEvent => e.kind === 'snapshot');

describe.skipIf(!haveWat2wasm && !process.env.CI)('snapshot values and layout', () => {
  it('logs locals of every value type as enter arguments are logged (v128 bytes, reference null markers, float bits)', async () => {
    const wasm = assemble(`(module
      (func $f)
      (elem declare func $f)
      (func (export "refs") (param $n i32) (param $e externref) (result i32)
        (local $v v128) (local $r funcref) (local $x i64) (local $y f32) (local $z f64)
        v128.const i32x4 1 2 3 0xffffffff local.set $v
        ref.func $f local.set $r
        i64.const -9223372036854775808 local.set $x
        f32.const nan:0x200001 local.set $y
        f64.const -0 local.set $z
        loop $l
          local.get $n i32.const 1 i32.sub local.tee $n br_if $l
        end
        local.get $n))`);
    const v = new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 255, 255, 255, 255]);
    for (const externref of [null, { some: 'object' }]) {
      const { events } = await run(wasm, 'refs', [3, externref]);
      const snaps = snapshots(events);
      expect(snaps.map((s) => s.locals)).toEqual([3, 2, 1].map((n) => [
        { type: 'i32', value: n },
        { type: 'ref', refType: 0x6f, isNull: externref === null },
        { type: 'v128', bytes: v },
        { type: 'ref', refType: 0x70, isNull: false },
        { type: 'i64', value: -(2n ** 63n) },
        { type: 'f32', bits: 0x7fa00001 },
        { type: 'f64', bits: 0x8000000000000000n },
      ]));
      const enter = events.find((e) => e.kind === 'enter')!;
      expect(snaps.every((s) => s.frameTime === enter.time && s.func === (enter as { func: number }).func)).toBe(true);
    }
  });

  it('logs a function with 80 locals (an event past the fast path)', async () => {
    const names = Array.from({ length: 70 }, (_, k) => `$a${k}`);
    const floats = Array.from({ length: 10 }, (_, k) => `$d${k}`);
    const wasm = assemble(`(module (func (export "many") (param $n i32)
      ${names.map((n) => `(local ${n} i32)`).join(' ')} ${floats.map((n) => `(local ${n} f64)`).join(' ')}
      loop $l
        ${names.map((n, k) => `local.get ${n} i32.const ${k} i32.add local.set ${n}`).join('\n')}
        ${floats.map((n, k) => `local.get ${n} f64.const ${k}.5 f64.add local.set ${n}`).join('\n')}
        local.get $n i32.const 1 i32.sub local.tee $n br_if $l
      end))`);
    const { events } = await run(wasm, 'many', [4]);
    const snaps = snapshots(events);
    expect(snaps).toHaveLength(4);
    const f64 = (x: number) => new BigUint64Array(new Float64Array([x]).buffer)[0];
    snaps.forEach((s, j) => {
      expect(s.locals).toEqual([
        { type: 'i32', value: 4 - j },
        ...names.map((_, k) => ({ type: 'i32', value: j * k })),
        ...floats.map((_, k) => ({ type: 'f64', bits: f64(j * (k + 0.5)) })),
      ]);
    });
  });

  it('gives no snapshots to a function with more locals than a writer can take (996), and the module stays valid', async () => {
    const module = (n: number) => assemble(`(module (func (export "f") (param $n i32) (local ${'i32 '.repeat(n - 1)})
      loop $l local.get $n i32.const 1 i32.sub local.tee $n br_if $l end))`);
    expect(snapshots((await run(module(996), 'f', [3])).events)).toHaveLength(3);
    expect(snapshots((await run(module(997), 'f', [3])).events)).toHaveLength(0);
  });

  it('streams 100,000 snapshots through many flushes; every chunk decodes alone', async () => {
    const wasm = assemble(`(module (func (export "spin") (param $n i32) (local $i i32)
      loop $l
        local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.lt_s br_if $l
      end))`);
    const { chunks, events } = await run(wasm, 'spin', [100_000]);
    expect(chunks.length).toBeGreaterThan(5);
    const perChunk = chunks.flatMap((c) => {
      const decoded = decodeDetailEvents(c, CallShapes.of(wasm));
      const scan = scanDetailEvents(c);
      expect(scan.count).toBe(decoded.length);
      expect(countDetailEvents(c)).toBe(decoded.length);
      expect([scan.firstTime, scan.lastTime]).toEqual([decoded[0].time, decoded.at(-1)!.time]);
      return decoded;
    });
    expect(perChunk).toEqual(events);
    const snaps = snapshots(events);
    expect(snaps).toHaveLength(100_000);
    expect(snaps.every((s, i) => (s.locals[1] as { value: number }).value === i)).toBe(true);
    // enter (time 0), then the loop: `loop` counts 1, each iteration 7 instructions
    expect(snaps.every((s, i) => s.time === BigInt(1 + 7 * i))).toBe(true);
  });

  it('decodes the documented layout from hand-written bytes, and refuses every cut inside an event', () => {
    const bytes = new Uint8Array([
      0, 0, 0, 0, 0, 0, 0, 0, 0, // sync: time 0
      14, 0x34, 0x12, 0, 0, 7, 0, // snapshot, pc 0x1234, delta 7 (u16)
      3, 0, 0, 0, // func 3
      5, 0, 0, 0, 0, 0, 0, 0, // frame enter time 5
      14, 0, 0, 0, // size: 2 type bytes + 4 + 8
      0x7f, 0x7e, // i32, i64
      0xff, 0xff, 0xff, 0xff, // -1
      42, 0, 0, 0, 0, 0, 0, 0, // 42
    ]);
    expect(decodeDetailEvents(bytes)).toEqual([
      { kind: 'snapshot', time: 7n, pc: 0x1234, func: 3, frameTime: 5n, locals: [{ type: 'i32', value: -1 }, { type: 'i64', value: 42n }] },
    ]);
    expect(scanDetailEvents(bytes)).toEqual({ count: 1, firstTime: 7n, lastTime: 7n });
    for (let cut = 10; cut < bytes.length; cut++) expect(() => decodeDetailEvents(bytes.subarray(0, cut))).toThrow();
  });

  it('takes the interval option: 0 and absent mean 2^20, false means no snapshot code, anything else must be a positive integer', async () => {
    const wasm = assemble('(module (func (export "f") (local i32) loop end))');
    const bytesOf = async (snapshotInterval?: number | bigint | false) => (await instrument(wasm, { detail: 'full', snapshotInterval })).bytes;
    const byDefault = await bytesOf();
    expect(await bytesOf(0)).toEqual(byDefault);
    expect(await bytesOf(0n)).toEqual(byDefault);
    expect(await bytesOf(DEFAULT_SNAPSHOT_INTERVAL)).toEqual(byDefault);
    expect(await bytesOf(Number(DEFAULT_SNAPSHOT_INTERVAL))).toEqual(byDefault);
    expect(await bytesOf(1000)).not.toEqual(byDefault);
    const off = await bytesOf(false);
    expect(off.length).toBeLessThan(byDefault.length);
    expect(snapshots((await run(wasm, 'f', [], false)).events)).toEqual([]);
    expect(snapshots((await run(wasm, 'f', [], 1)).events)).toHaveLength(1);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53 + 2, -5n, 2n ** 63n]) {
      await expect(instrument(wasm, { detail: 'full', snapshotInterval: bad })).rejects.toThrow(RangeError);
    }
    // `inputs` has no snapshots and ignores the option
    expect((await instrument(wasm, { snapshotInterval: 1 })).bytes).toEqual((await instrument(wasm)).bytes);
  });
});
