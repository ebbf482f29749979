/**
 * Time is exact: for small hand-written programs the instrumented module's `__wtrace_time`
 * equals the count of a reference interpreter that steps through the original instructions
 * (referenceCounter.ts), at the end of each run, at a trap on `unreachable`, and at every
 * import call. Two programs are checked against hand-computed counts as well.
 */
import { describe, expect, it } from 'vitest';
import { instrument } from '../../instrument/index.js';
import { runReference } from './referenceCounter.js';
import { assemble, haveWat2wasm } from './wat.js';


/** Instantiates the instrumented module; `ticks` receives the time at every `env.tick` call. */
async function load(wasm: Uint8Array) {
  const result = await instrument(wasm, { detail: 'inputs' });
  const ticks: bigint[] = [];
  let time: WebAssembly.Global | undefined;
  const { instance } = await WebAssembly.instantiate(result.bytes, {
    ...result.runtimeImports(),
    env: { tick: () => void ticks.push(time!.value as bigint) },
  });
  time = instance.exports[result.timeExport] as WebAssembly.Global;
  return { instance, time, ticks, positions: result.positions };
}

const PROGRAM = `(module
  (import "env" "tick" (func $tick))
  (global $g (mut i32) (i32.const 0))
  (func $fac (export "fac") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_s
    if (result i32) i32.const 1
    else local.get 0 local.get 0 i32.const 1 i32.sub call $fac i32.mul end)
  (func (export "classify") (param i32) (result i32)
    block block block
      local.get 0 br_table 0 1 2
    end i32.const 10 return
    end i32.const 20 return
    end i32.const 30)
  (func (export "loop") (param i32) (result i32) (local i32 i32)
    block $done
      loop $l
        local.get 1 local.get 0 i32.ge_s br_if $done
        local.get 1 i32.const 3 i32.rem_u i32.eqz
        if call $tick local.get 2 i32.const 1 i32.add local.set 2 end
        local.get 1 i32.const 1 i32.add local.set 1
        br $l
      end
    end
    local.get 2)
  (func (export "early") (param i32) (result i32)
    block
      local.get 0 br_if 0
      i32.const 7 br 1
      i32.const 99 drop
    end
    i32.const 8)
  (func (export "boom") (param i32) (result i32)
    local.get 0 call $fac drop
    call $tick
    local.get 0 i32.eqz if unreachable end
    i32.const 1)
  (func (export "sel") (param i32) (result i32)
    local.get 0 i32.const 5 local.get 0 i32.const 3 i32.gt_s select
    local.tee 0 global.set $g global.get $g nop)
  (func (export "brval") (param i32) (result i32)
    block (result i32)
      i32.const 1 local.get 0 br_if 0 drop i32.const 2
    end)
  (func (export "nested") (param i32) (result i32) (local i32 i32)
    loop $outer
      i32.const 0 local.set 2
      loop $inner
        local.get 2 i32.const 1 i32.and
        if local.get 1 i32.const 1 i32.add local.set 1
        else call $tick end
        local.get 2 i32.const 1 i32.add local.tee 2 i32.const 4 i32.lt_s br_if $inner
      end
      local.get 0 i32.const 1 i32.sub local.tee 0 br_if $outer
    end
    local.get 1)
  (func (export "join") (param i32) (result i32)
    block
      local.get 0 br_if 0
      call $tick
      br 0
    end
    call $tick
    i32.const 1)
)`;

const CALLS: [string, number][] = [
  ['fac', 0], ['fac', 1], ['fac', 6], ['classify', 0], ['classify', 1], ['classify', 2], ['classify', 9],
  ['loop', 0], ['loop', 1], ['loop', 10], ['early', 0], ['early', 1], ['boom', 3], ['boom', 0],
  ['sel', 1], ['sel', 9], ['brval', 0], ['brval', 1], ['nested', 1], ['nested', 3],
  ['join', 0], ['join', 1],
];

describe.skipIf(!haveWat2wasm && !process.env.CI)('executed-instruction count (detail inputs)', () => {
  it.each(CALLS)('%s(%i) matches the reference interpreter', async (name, arg) => {
    const wasm = assemble(PROGRAM);
    const { instance, time, ticks, positions } = await load(wasm);
    const funcIndex = exportedFunctionIndex(wasm, name);
    const ref = runReference(wasm, positions, funcIndex, [arg]);
    time.value = 0n;
    let result: number | undefined;
    let trapped = false;
    try {
      result = (instance.exports[name] as (x: number) => number)(arg);
    } catch (e) {
      expect(String(e)).toMatch(/unreachable/);
      trapped = true;
    }
    expect(trapped).toBe(ref.trapped);
    if (!trapped) expect([result]).toEqual(ref.results);
    expect(time.value).toBe(BigInt(ref.count));
    expect(ticks).toEqual(ref.importCalls.map((c) => BigInt(c.count)));
  });

  it('counts a loop with calls by hand: run(3) executes 39 instructions', async () => {
    const { instance, time } = await load(assemble(`(module
      (func $f (param i32) (result i32) local.get 0 i32.const 1 i32.add)
      (func (export "run") (param i32) (result i32) (local i32)
        block loop
          local.get 1 call $f local.set 1
          local.get 1 local.get 0 i32.lt_s br_if 0
        end end
        local.get 1))`));
    // block, loop: 2; three iterations of (local.get, call, [f: 4], local.set, local.get,
    // local.get, i32.lt_s, br_if) = 3 * 11; then loop end, block end, local.get, end: 4.
    expect((instance.exports.run as (x: number) => number)(3)).toBe(3);
    expect(time.value).toBe(2n + 33n + 4n);
  });

  it('counts an exception thrown by a callee and caught (legacy try/catch) by hand', async () => {
    const { instance, time, ticks } = await load(assemble(`(module
      (import "env" "tick" (func $tick))
      (tag $e)
      (func $thrower call $tick throw $e)
      (func (export "eh") (result i32)
        try (result i32)
          call $thrower
          i32.const 1
        catch $e
          i32.const 2
        end))`, ['--enable-exceptions']));
    expect((instance.exports.eh as () => number)()).toBe(2);
    // try, call, [call tick] = 3 at the import; then throw; the handler: i32.const 2, end, end.
    expect(ticks).toEqual([3n]);
    expect(time.value).toBe(7n);
  });

  it('keeps counting across calls from JS and leaves the time global writable', async () => {
    const { instance, time } = await load(assemble(PROGRAM));
    const fac = instance.exports.fac as (x: number) => number;
    fac(1);
    const once = time.value as bigint;
    fac(1);
    expect(time.value).toBe(2n * once);
  });
});

/** PROGRAM's function index for an export: one import, then the functions in the order written. */
function exportedFunctionIndex(wasm: Uint8Array, name: string): number {
  const order = ['fac', 'classify', 'loop', 'early', 'boom', 'sel', 'brval', 'nested', 'join'];
  expect(WebAssembly.Module.imports(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>))).toHaveLength(1);
  return 1 + order.indexOf(name);
}

describe('executed-instruction count: exnref and tail calls', () => {
  it('counts an exception caught by try_table (catch_all to an outer block) by hand', async () => {
    const wasm = handWrittenTryTable();
    const { instance, time, ticks } = await load(wasm);
    expect((instance.exports.eh as () => number)()).toBe(2);
    // block, try_table, call, [call tick] = 4 at the import; throw; caught: branch past the
    // block's end (not counted); i32.const 2, end.
    expect(ticks).toEqual([4n]);
    expect(time.value).toBe(7n);
  });

  it.skipIf(!haveWat2wasm && !process.env.CI)('counts return_call by hand', async () => {
    const { instance, time, ticks } = await load(assemble(`(module
      (import "env" "tick" (func $tick))
      (func $down (param i32) (result i32)
        local.get 0 i32.eqz
        if (result i32) call $tick i32.const 42
        else local.get 0 i32.const 1 i32.sub return_call $down end)
      (func (export "tail") (param i32) (result i32) local.get 0 return_call $down))`, ['--enable-tail-call']));
    expect((instance.exports.tail as (x: number) => number)(2)).toBe(42);
    // tail: 2. down(2), down(1): local.get, i32.eqz, if, local.get, i32.const, i32.sub, return_call = 7 each.
    // down(0): local.get, i32.eqz, if, call = 4 at the tick; then i32.const, else (falls into it), end = 7.
    expect(ticks).toEqual([2n + 14n + 4n]);
    expect(time.value).toBe(2n + 14n + 7n);
  });
});

/**
 * (import "env" "tick" (func)) (tag $e) (func $thrower call 0 throw $e)
 * (func (export "eh") (result i32)
 *   block  try_table (catch_all 0)  call $thrower  end  i32.const 1 return  end  i32.const 2)
 * wabt 1.0.32 cannot assemble try_table, hence bytes.
 */
function handWrittenTryTable(): Uint8Array {
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const thrower = [0x00, 0x10, 0x00, 0x08, 0x00, 0x0b];
  const eh = [0x00, 0x02, 0x40, 0x1f, 0x40, 0x01, 0x02, 0x00, 0x10, 0x01, 0x0b, 0x41, 0x01, 0x0f, 0x0b, 0x41, 0x02, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x01, 0x7f]),
    ...section(2, [0x01, ...name('env'), ...name('tick'), 0x00, 0x00]),
    ...section(3, [0x02, 0x00, 0x01]),
    ...section(13, [0x01, 0x00, 0x00]),
    ...section(7, [0x01, ...name('eh'), 0x00, 0x02]),
    ...section(10, [0x02, thrower.length, ...thrower, eh.length, ...eh]),
  ]);
}
