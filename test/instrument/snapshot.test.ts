/**
 * Locals snapshots (detail `full`) on hand-written programs: the snapshot events of the
 * instrumented module equal, event for event (time, pc, function, frame enter time, every
 * local), what an independent stepping interpreter (snapshotReference.ts) says they must be:
 * every start of a loop body where the operand stack is empty, thinned by the rule "the next
 * snapshot time is the last one plus the interval". Loops with values below them (of enclosing
 * blocks, or loop parameters) never snapshot. Snapshots add events and nothing else.
 */
import { describe, expect, it } from 'vitest';
import {
  CallShapes,
  collectProbeHits, decodeDetailEvents, DEFAULT_SNAPSHOT_INTERVAL, drain, instrument, probeModule, TIME_EXPORT, type DetailEvent, type DetailValue,
  type SnapshotEvent,
} from '../../instrument/index.js';
import { functionSignatures } from '../../instrument/fullModule.js';
import { emptyStackLoops } from '../../instrument/snapshotStackHeight.js';
import { runReference } from './referenceCounter.js';
import { runStepping, type SteppingRun } from './snapshotReference.js';
import { assemble, haveWat2wasm } from './wat.js';

const PROGRAM = `(module
  (import "env" "tick" (func $tick))
  (memory (export "memory") 1)
  (func $sum (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $acc i64) (local $f f64) (local $h f32)
    block $done
      loop $l
        local.get $i local.get $n i32.ge_s br_if $done
        local.get $acc local.get $i i64.extend_i32_s local.get $i i64.extend_i32_s i64.mul i64.add local.set $acc
        local.get $f local.get $i f64.convert_i32_s f64.add local.set $f
        local.get $h f32.const 1.5 f32.add local.set $h
        local.get $i i32.const 1 i32.add local.set $i
        br $l
      end
    end
    local.get $acc)
  (func $nested (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
    loop $outer
      i32.const 0 local.set $j
      loop $inner
        local.get $s local.get $i local.get $j i32.mul i32.add local.set $s
        local.get $j i32.const 1 i32.add local.tee $j local.get $n i32.lt_s br_if $inner
      end
      local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.lt_s br_if $outer
    end
    local.get $s)
  (func $work (param $k i32) (result i32) (local $x i32)
    loop $l
      local.get $x local.get $k i32.add local.set $x
      local.get $k i32.const 1 i32.sub local.tee $k
      br_if $l
    end
    local.get $x)
  (func $calls (export "calls") (param $n i32) (result i32) (local $i i32) (local $t i32)
    block $done
      loop $l
        local.get $i local.get $n i32.ge_s br_if $done
        local.get $t local.get $i i32.const 3 i32.add call $work i32.add local.set $t
        local.get $i i32.const 4 i32.rem_u i32.eqz if call $tick end
        i32.const 64 local.get $t i32.store
        local.get $i i32.const 1 i32.add local.set $i
        br $l
      end
    end
    local.get $t)
  (func $rec (export "rec") (param $d i32) (result i32) (local $i i32) (local $s i32)
    loop $l
      local.get $s local.get $i i32.add local.set $s
      local.get $i i32.const 1 i32.add local.tee $i i32.const 3 i32.lt_s br_if $l
    end
    local.get $d
    if
      local.get $d i32.const 1 i32.sub call $rec local.get $s i32.add local.set $s
    end
    loop $m
      local.get $i i32.const 1 i32.sub local.tee $i br_if $m
    end
    local.get $s)
  (func $below (export "below") (param $n i32) (result i32) (local $i i32)
    i32.const 100
    block (param i32) (result i32)
      loop $l
        local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.lt_s br_if $l
      end
    end
    local.get $i i32.add
    i32.const 0 local.set $i
    block $b
      loop $m
        local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.lt_s br_if $m
      end
    end
    local.get $i
    i32.const 1
    if (param i32) (result i32)
      loop $k
        local.get $i i32.const 1 i32.sub local.tee $i br_if $k
      end
    end
    i32.add)
  (func $param (export "param") (param $n i32) (result i32)
    i32.const 0
    loop $l (param i32) (result i32)
      i32.const 1 i32.add
      local.get $n i32.const 1 i32.sub local.tee $n
      br_if $l
    end)
  (func $table (export "table") (param $n i32) (result i32) (local $i i32)
    block $out
      loop $l
        local.get $i i32.const 1 i32.add local.set $i
        local.get $i local.get $n i32.ge_s br_if $out
        local.get $i i32.const 1 i32.and br_table $l $l $out
      end
    end
    local.get $i)
  (func $blockResult (export "blockResult") (param $n i32) (result i32) (local $i i32)
    block (result i32)
      loop $l
        local.get $i i32.const 2 i32.add local.tee $i local.get $n i32.lt_s br_if $l
      end
      local.get $i
    end)
)`;

const CALLS: [string, number][] = [
  ['sum', 0], ['sum', 1], ['sum', 25], ['nested', 1], ['nested', 6], ['calls', 0], ['calls', 9], ['rec', 0], ['rec', 4],
  ['below', 5], ['param', 5], ['table', 7], ['blockResult', 9],
];
const INTERVALS = [1n, 3n, 10n, DEFAULT_SNAPSHOT_INTERVAL];

/** What a snapshot says, in one comparable shape. */
interface Snap {
  readonly time: bigint;
  readonly pc: number;
  readonly func: number;
  readonly frameTime: bigint;
  readonly locals: readonly DetailValue[];
}

/**
 * Runs export `name` of a fresh instance of `wasm` instrumented with `interval`; `bump` is added
 * to the time global at every `env.tick` call (0: none).
 */
async function runFull(wasm: Uint8Array, name: string, args: unknown[], interval: bigint | number | false, bump = 0n) {
  const result = await instrument(wasm, { detail: 'full', snapshotInterval: interval });
  const chunks: Uint8Array[] = [];
  let time: WebAssembly.Global | undefined;
  const { instance } = await WebAssembly.instantiate(result.bytes as Uint8Array<ArrayBuffer>, {
    env: { tick: () => void (time!.value = (time!.value as bigint) + bump) },
    ...result.runtimeImports((c) => void chunks.push(c.slice())),
  } as WebAssembly.Imports);
  drain(instance);
  time = instance.exports[TIME_EXPORT] as WebAssembly.Global;
  const value = (instance.exports[name] as (...a: unknown[]) => unknown)(...args);
  drain(instance);
  return { value, events: decodeDetailEvents(Buffer.concat(chunks), CallShapes.of(wasm)), time: time.value as bigint, positions: result.positions };
}

/** The snapshots the reference run says the module must log. */
function expectedSnapshots(run: SteppingRun, interval: bigint, bump = 0n): Snap[] {
  const at = (count: number) => BigInt(count) + bump * BigInt(run.importCalls.filter((c) => c < count).length);
  const out: Snap[] = [];
  let next = interval;
  for (const s of run.loopStarts) {
    const time = at(s.count);
    if (s.height !== 0 || time < next) continue;
    out.push({ time, pc: s.pc, func: s.func, frameTime: at(s.frameTime), locals: s.locals });
    next = time + interval;
  }
  return out;
}

const snaps = (events: readonly DetailEvent[]): Snap[] =>
  events.filter((e): e is SnapshotEvent => e.kind === 'snapshot').map(({ time, pc, func, frameTime, locals }) => ({ time, pc, func, frameTime, locals }));

/** Every snapshot names the frame on top of the stack that the stream's enter/exit/catch events build. */
function frameProblems(events: readonly DetailEvent[]): string[] {
  const stack: { func: number; time: bigint }[] = [];
  const problems: string[] = [];
  let last = 0n;
  for (const e of events) {
    if (e.time < last) problems.push(`${e.kind} at ${e.time} after ${last}`);
    last = e.time;
    if (e.kind === 'enter') stack.push({ func: e.func, time: e.time });
    else if (e.kind === 'exit') stack.pop();
    else if (e.kind === 'catch') {
      while (stack.length > 0 && stack.at(-1)!.time > e.frameTime) stack.pop();
    } else if (e.kind === 'snapshot') {
      const top = stack.at(-1);
      if (top?.func !== e.func || top.time !== e.frameTime) problems.push(`snapshot of ${e.func}@${e.frameTime} at ${e.time}, top ${top?.func}@${top?.time}`);
    }
  }
  return problems;
}

/** PROGRAM's functions in order (the import `tick` is function 0). */
const FUNCTIONS = ['sum', 'nested', 'work', 'calls', 'rec', 'below', 'param', 'table', 'blockResult'];
const funcIndex = (name: string) => 1 + FUNCTIONS.indexOf(name);

describe.skipIf(!haveWat2wasm && !process.env.CI)('locals snapshots at loop body starts', () => {
  const wasm = haveWat2wasm ? assemble(PROGRAM) : new Uint8Array(0);

  for (const interval of INTERVALS) {
    it.each(CALLS)(`interval ${interval}: %s(%i) snapshots what the reference says`, async (name, arg) => {
      const out = await runFull(wasm, name, [arg], interval);
      const ref = runStepping(wasm, out.positions, funcIndex(name), [{ type: 'i32', value: arg }]);
      expect(ref.trapped).toBe(false);
      expect(out.time).toBe(BigInt(ref.count));
      const result = ref.results[0] as { value: number | bigint };
      expect(out.value).toBe(result.value);
      expect(snaps(out.events)).toEqual(expectedSnapshots(ref, interval));
      expect(frameProblems(out.events)).toEqual([]);
      if (interval === 1n) {
        // every loop start with an empty stack, and only those
        expect(snaps(out.events).length).toBe(ref.loopStarts.filter((s) => s.height === 0).length);
      }
    });
  }

  it('the stepping reference counts as the reference counter of time.test.ts does (its i32 programs)', async () => {
    const { positions } = await instrument(wasm);
    for (const [name, arg] of CALLS.filter(([n]) => ['nested', 'calls', 'rec', 'table', 'blockResult'].includes(n))) {
      const ours = runStepping(wasm, positions, funcIndex(name), [{ type: 'i32', value: arg }]);
      const theirs = runReference(wasm, positions, funcIndex(name), [arg], { memory: new Uint8Array(65536) });
      expect([ours.count, ours.importCalls]).toEqual([theirs.count, theirs.importCalls.map((c) => c.count)]);
    }
  });

  it('never snapshots loops with values below them or with parameters (and the reference sees those values)', async () => {
    for (const [name, arg] of [['below', 5], ['param', 5]] as const) {
      const out = await runFull(wasm, name, [arg], 1n);
      const ref = runStepping(wasm, out.positions, funcIndex(name), [{ type: 'i32', value: arg }]);
      expect(ref.loopStarts.length).toBeGreaterThanOrEqual(5);
      expect(ref.loopStarts.every((s) => s.height > 0)).toBe(true);
      expect(snaps(out.events)).toEqual([]);
    }
  });

  it('the static analysis says "empty" exactly where the reference finds the stack empty', async () => {
    const { positions } = await instrument(wasm);
    const signatures = functionSignatures(wasm, positions);
    const loopOfBody = new Map<number, number>();
    const eligible = new Set<number>();
    for (const fn of positions.functions) {
      for (const ins of fn.instructions) if (ins.name === 'loop') loopOfBody.set(ins.end, ins.offset);
      for (const l of emptyStackLoops(wasm, fn.instructions, signatures, fn.body.resultCount)) eligible.add(l);
    }
    let seen = 0;
    for (const [name, arg] of CALLS) {
      const ref = runStepping(wasm, positions, funcIndex(name), [{ type: 'i32', value: arg }]);
      for (const s of ref.loopStarts) {
        expect(eligible.has(loopOfBody.get(s.pc)!), `${name}: loop body at ${s.pc}, height ${s.height}`).toBe(s.height === 0);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect(eligible.size).toBe(9); // 13 loops, less the 3 of `below` and the 1 of `param`
  });

  it('adds only snapshot events: everything else is the stream without snapshots', async () => {
    for (const [name, arg] of CALLS) {
      const off = await runFull(wasm, name, [arg], false);
      const on = await runFull(wasm, name, [arg], 1n);
      expect(snaps(off.events)).toEqual([]);
      expect(on.events.filter((e) => e.kind !== 'snapshot')).toEqual(off.events);
      expect(on.time).toBe(off.time);
    }
  });

  it('keeps times and frame times exact across time syncs (the time global jumps 2^40 at each import call)', async () => {
    const bump = 1n << 40n;
    for (const interval of [1n, 7n]) {
      const out = await runFull(wasm, 'calls', [13], interval, bump);
      const ref = runStepping(wasm, out.positions, funcIndex('calls'), [{ type: 'i32', value: 13 }]);
      expect(ref.importCalls.length).toBe(4);
      expect(snaps(out.events)).toEqual(expectedSnapshots(ref, interval, bump));
      expect(frameProblems(out.events)).toEqual([]);
    }
  });

  it('takes one snapshot per DEFAULT_SNAPSHOT_INTERVAL (2^16) instructions by default', async () => {
    const out = await runFull(wasm, 'sum', [60_000], 0);
    const ref = runStepping(wasm, out.positions, funcIndex('sum'), [{ type: 'i32', value: 60_000 }]);
    const expected = expectedSnapshots(ref, DEFAULT_SNAPSHOT_INTERVAL);
    expect(DEFAULT_SNAPSHOT_INTERVAL).toBe(2n ** 16n);
    expect(ref.count).toBeGreaterThan(2 ** 20);
    // A loop body starts every few instructions here, so each interval gets its snapshot.
    expect(expected.length).toBe(Math.floor(ref.count / 2 ** 16));
    expect(snaps(out.events)).toEqual(expected);
  });
});

const EXCEPTIONS = `(module
  (tag $e (param i32))
  (func $thrower (param i32)
    local.get 0 i32.const 3 i32.rem_u i32.eqz if local.get 0 throw $e end)
  (func (export "run") (param $n i32) (result i32) (local $i i32) (local $s i32)
    loop $l
      try
        local.get $i call $thrower
        local.get $i i32.const 5 i32.rem_u i32.eqz if i32.const 0 throw $e end
        local.get $s i32.const 1 i32.add local.set $s
      catch $e
        drop
        loop $k
          local.get $s i32.const 7 i32.add local.set $s
          local.get $s i32.const 3 i32.and br_if $k
        end
      end
      local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.lt_s br_if $l
    end
    local.get $s))`;

describe.skipIf(!haveWat2wasm && !process.env.CI)('locals snapshots with exceptions', () => {
  it.each([1n, 2n, 5n])('interval %i: snapshots where a probe run says, with exceptions thrown by callees and in the frame itself', async (interval) => {
    const wasm = assemble(EXCEPTIONS, ['--enable-exceptions']);
    const { positions } = await instrument(wasm);
    const signatures = functionSignatures(wasm, positions);
    const bodyPcs = positions.functions.flatMap((fn) => {
      const loops = emptyStackLoops(wasm, fn.instructions, signatures, fn.body.resultCount);
      return fn.instructions.filter((i) => loops.has(i.offset)).map((i) => i.end);
    });
    expect(bodyPcs).toHaveLength(1); // the loop in the catch body is refused: the tag's value is not read
    const probed = probeModule(wasm, bodyPcs);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(probed.bytes as Uint8Array<ArrayBuffer>), probed.runtimeImports());
    const collector = collectProbeHits(instance, 1);
    (instance.exports.run as (n: number) => number)(20);
    const starts = [...collector.finish()[0]];
    const expected: bigint[] = [];
    let next = interval;
    for (const t of starts) {
      if (t < next) continue;
      expected.push(t);
      next = t + interval;
    }
    const out = await runFull(wasm, 'run', [20], interval);
    expect(out.events.filter((e) => e.kind === 'catch').length).toBeGreaterThan(5);
    expect(expected.length).toBeGreaterThanOrEqual(20 / Number(interval) - 1);
    expect(snaps(out.events).map((e) => e.time)).toEqual(expected);
    if (interval === 1n) expect(snaps(out.events).map((e) => (e.locals[1] as { value: number }).value)).toEqual([...Array(20).keys()]);
    expect(frameProblems(out.events)).toEqual([]);
  });
});
