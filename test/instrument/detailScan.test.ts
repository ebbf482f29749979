/**
 * The in-place event scanner (instrument/detailScan.ts) against the object decoder: over the
 * events of a program that stores at every width, fills, copies, inits, grows, sets globals and
 * calls, with a time sync far ahead in the middle, it visits the same events with the same kinds,
 * times, pcs, functions and written ranges; resuming from any event's position reads the rest
 * identically; and a time past 2^53 is refused instead of rounded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallShapes, decodeDetailEvents, DetailEventDecodeError, DetailScanner, drain, EventKind, instrument, TIME_EXPORT, type DetailEvent, type ScanPosition } from '../../instrument/index.js';
import { assemble, haveWat2wasm } from './wat.js';

const PROGRAM = `(module (memory (export "memory") 1)
  (global $g (mut i64) (i64.const 0))
  (data $seg "abcdefgh")
  (func $leaf (param i32 i64) (result i64)
    local.get 0 local.get 1 i64.store
    local.get 0 local.get 1 i64.store8 offset=9
    local.get 0 local.get 1 i64.store16 offset=11
    local.get 0 local.get 1 i64.store32 offset=13
    local.get 0 v128.const i32x4 1 2 3 4 v128.store offset=20
    local.get 1 i64.const 1 i64.add global.set $g
    global.get $g)
  (func (export "f") (param $n i32) (local $i i32)
    loop
      local.get $i i32.const 0xff0 i32.and local.get $i i64.extend_i32_u call $leaf drop
      local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.lt_u br_if 0
    end
    i32.const 4000 i32.const 7 i32.const 33 memory.fill
    i32.const 5000 i32.const 4000 i32.const 20 memory.copy
    i32.const 6000 i32.const 2 i32.const 5 memory.init $seg
    i32.const 1 memory.grow drop))`;

let shapes$: CallShapes | undefined;
/** The call shapes of PROGRAM's module. */
const shapes = (): CallShapes => (shapes$ ??= CallShapes.of(assemble(PROGRAM)));

async function stream(timeJump: bigint | null): Promise<Uint8Array> {
  const result = await instrument(assemble(PROGRAM), { detail: 'full' });
  const chunks: Uint8Array[] = [];
  const { instance } = await WebAssembly.instantiate(result.bytes, result.runtimeImports((e) => void chunks.push(e.slice())));
  drain(instance);
  const f = instance.exports.f as (n: number) => void;
  f(300);
  if (timeJump !== null) (instance.exports[TIME_EXPORT] as WebAssembly.Global).value = BigInt.asIntN(64, timeJump);
  f(300);
  drain(instance);
  return Buffer.concat(chunks);
}

function writeRangeOf(e: DetailEvent): [number, number] | null {
  if (e.kind === 'store') return [e.address, e.width];
  if (e.kind === 'fill' || e.kind === 'copy' || e.kind === 'init') return [e.dest, e.size];
  return null;
}

describe.skipIf(!haveWat2wasm && !process.env.CI)('DetailScanner', () => {
  it('visits the events the decoder gives, with the same kinds, times, pcs, functions, written ranges and global values', async () => {
    const bytes = await stream(2n ** 40n);
    const events = decodeDetailEvents(bytes, shapes());
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['store', 'fill', 'copy', 'init', 'grow', 'globalSet', 'enter', 'exit', 'snapshot']));
    expect(events.some((e) => e.time > 2n ** 40n)).toBe(true);
    const s = new DetailScanner(bytes, undefined, shapes());
    for (const e of events) {
      expect(s.next()).toBe(true);
      expect(BigInt(s.time)).toBe(e.time);
      expect(s.pc).toBe(e.pc);
      expect(s.decode()).toEqual(e);
      const range = writeRangeOf(e);
      expect(s.writeRange()).toBe(range !== null);
      if (range !== null) expect([s.writeAddress, s.writeSize]).toEqual(range);
      if (e.kind === 'enter' || e.kind === 'exit') expect(s.func).toBe(e.func);
      if (e.kind === 'store') expect(s.isStore && s.storeWidth === e.width).toBe(true);
      if (e.kind === 'globalSet') expect([s.global, [...s.newGlobalBytes()]]).toEqual([e.global, [...e.newBytes]]);
    }
    expect(s.next()).toBe(false);
  });

  it('resumes from any event\'s position to read the same remaining events', async () => {
    const bytes = await stream(2n ** 40n);
    const events = decodeDetailEvents(bytes, shapes());
    const positions: ScanPosition[] = [];
    const s = new DetailScanner(bytes, undefined, shapes());
    while (s.next()) positions.push(s.position());
    expect(positions.length).toBe(events.length);
    fc.assert(
      fc.property(fc.nat({ max: events.length - 1 }), (k) => {
        const r = new DetailScanner(bytes, positions[k], shapes());
        for (let i = k; i < Math.min(events.length, k + 50); i++) {
          expect(r.next()).toBe(true);
          expect(r.decode()).toEqual(events[i]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a time past 2^53 rather than rounding it', async () => {
    const bytes = await stream(2n ** 60n);
    const s = new DetailScanner(bytes, undefined, shapes());
    expect(() => {
      while (s.next());
    }).toThrow(DetailEventDecodeError);
    expect(() => {
      const t = new DetailScanner(bytes, undefined, shapes());
      while (t.next());
    }).toThrow(/beyond what the replay counts exactly/);
  });

  it('names a cut stream and an unknown kind with their offsets', () => {
    const cut = new Uint8Array([EventKind.store4, 1, 0, 0, 0, 5, 0, 0, 0, 9]);
    expect(() => new DetailScanner(cut).next()).toThrow(/runs past the end of the stream \(offset 0\)/);
    const unknown = new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => new DetailScanner(unknown).next()).toThrow(/unknown event kind 200 \(offset 0\)/);
  });
});
