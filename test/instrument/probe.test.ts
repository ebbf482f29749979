/**
 * Probe modules: every time a probed instruction is about to execute, the module reports the
 * count of instructions executed before it. For hand-written programs (loops, branches, `if`
 * without `else`, `br_table`, calls, recursion, traps) every pc of the module is probed at once
 * and the hits must equal a reference interpreter that steps a pc through the original
 * instructions (probeReference.ts); probing a subset must give the same lists. Markers are
 * checked by hand: `loop` once per entry, `end` by fallthrough vs by branch, `else`, `catch`,
 * first and last instructions. Also: the buffer's flushes, records made by a start function
 * before JS binds the instance, index spaces left alone, and the typed errors.
 */
import { describe, expect, it } from 'vitest';
import { collectProbeHits, countProbeHits, instrument, instrumentProbes, ProbePcError, probeModule, type ProbedModule } from '../../instrument/index.js';
import { UnsupportedWasmError } from '../../src/errors.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { runStepping } from './probeReference.js';
import { assemble, haveWat2wasm } from './wat.js';

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
  (func (export "rem") (param i32) (result i32)
    i32.const 10 local.get 0 i32.rem_u)
  (func (export "sel") (param i32) (result i32)
    local.get 0 i32.const 5 local.get 0 i32.const 3 i32.gt_s select
    local.tee 0 global.set $g global.get $g nop)
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
  (func (export "spin") (param i32) (result i32)
    loop $l
      local.get 0 i32.const 1 i32.sub local.tee 0
      br_if $l
    end
    local.get 0)
  (func (export "ifonly") (param i32) (result i32) (local i32)
    local.get 0 if i32.const 5 local.set 1 end
    local.get 1
    local.get 0 i32.const 2 i32.ge_s if (result i32) i32.const 1 else i32.const 2 end
    i32.add)
)`;

const CALLS: [string, number][] = [
  ['fac', 0], ['fac', 1], ['fac', 7], ['classify', 0], ['classify', 1], ['classify', 2], ['classify', 9],
  ['loop', 0], ['loop', 1], ['loop', 10], ['early', 0], ['early', 1], ['boom', 3], ['boom', 0],
  ['rem', 3], ['rem', 0], ['sel', 1], ['sel', 9], ['nested', 1], ['nested', 3], ['join', 0], ['join', 1],
  ['spin', 1], ['spin', 4], ['ifonly', 0], ['ifonly', 1], ['ifonly', 2],
];

interface ProbeOutcome {
  readonly hits: Map<number, bigint[]>;
  readonly time: bigint;
  readonly trapped: boolean;
  readonly result: unknown;
  readonly ticks: bigint[];
}

/** Instantiates `probed`, binds a collector, calls export `name` (if given) and collects the hits. */
function runProbed(probed: ProbedModule, name?: string, args: number[] = [], extraImports: WebAssembly.Imports = {}): ProbeOutcome {
  const ticks: bigint[] = [];
  let time: WebAssembly.Global | undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(probed.bytes as Uint8Array<ArrayBuffer>), {
    ...extraImports,
    env: { ...(extraImports.env ?? {}), tick: () => void ticks.push(time!.value as bigint) },
  });
  time = instance.exports[probed.timeExport] as WebAssembly.Global;
  const collector = collectProbeHits(instance, probed.probePcs.length);
  let trapped = false;
  let result: unknown;
  try {
    if (name !== undefined) result = (instance.exports[name] as (...a: number[]) => unknown)(...args);
  } catch (e) {
    expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
    trapped = true;
  }
  const lists = collector.finish();
  const hits = new Map(probed.probePcs.map((pc, i) => [pc, [...lists[i]]]));
  return { hits, time: time.value as bigint, trapped, result, ticks };
}

const allPcs = (probed: { positions: ProbedModule['positions'] }) => probed.positions.functions.flatMap((f) => f.instructions.map((i) => i.offset));

function exportIndex(wasm: Uint8Array, name: string): number {
  return readModuleInfo(wasm).exports.find((e) => e.name === name && e.kind === 'func')!.index;
}

describe.skipIf(!haveWat2wasm && !process.env.CI)('probe hits (hand-written programs)', () => {
  const wasm = haveWat2wasm ? assemble(PROGRAM) : new Uint8Array();

  it.each(CALLS)('%s(%i): every pc hit exactly when the reference interpreter is about to execute it', async (name, arg) => {
    const probed = await instrumentProbes(wasm, allPcs(probeModule(wasm, [])));
    const out = runProbed(probed, name, [arg]);
    const expected = new Map(allPcs(probed).map((pc) => [pc, [] as bigint[]]));
    const ref = runStepping(wasm, probed.positions, exportIndex(wasm, name), [arg], (pc, before) => expected.get(pc)!.push(BigInt(before)));
    expect(out.trapped).toBe(ref.trapped);
    if (!ref.trapped) expect([out.result]).toEqual(ref.results);
    expect(out.hits).toEqual(expected);
    // The counter is the inputs counter: same time (exact except after a trap other than unreachable).
    if (name !== 'rem' || !ref.trapped) expect(out.time).toBe(BigInt(ref.count));
    const counted = await instrument(wasm);
    let inputsTime: WebAssembly.Global | undefined;
    const inputsTicks: bigint[] = [];
    const plain = new WebAssembly.Instance(new WebAssembly.Module(counted.bytes as Uint8Array<ArrayBuffer>), {
      env: { tick: () => void inputsTicks.push(inputsTime!.value as bigint) },
    });
    inputsTime = plain.exports[counted.timeExport] as WebAssembly.Global;
    try {
      (plain.exports[name] as (x: number) => number)(arg);
    } catch {
      // the same trap, checked above
    }
    expect(out.time).toBe(inputsTime.value);
    expect(out.ticks).toEqual(inputsTicks);
  });

  it.each(CALLS.filter((_, i) => i % 4 === 0))('%s(%i): probing a subset gives the same lists', async (name, arg) => {
    const pcs = allPcs(probeModule(wasm, []));
    const all = runProbed(probeModule(wasm, pcs), name, [arg]).hits;
    for (const stride of [2, 3, 7]) {
      const subset = pcs.filter((_, i) => i % stride === 1);
      const some = runProbed(probeModule(wasm, subset), name, [arg]).hits;
      expect(some).toEqual(new Map(subset.map((pc) => [pc, all.get(pc)!])));
    }
  });

  it('counts by hand: loop entered once, its first body instruction per iteration, ends skipped by branches', () => {
    const loop = assemble(`(module (memory 1)
      (func (export "f") (param i32) (result i32) (local i32)
        block $done
          loop $l
            local.get 1 local.get 0 i32.ge_s br_if $done
            local.get 1 i32.const 1 i32.add local.set 1
            br $l
          end
        end
        local.get 1))`);
    const code = probeModule(loop, []).positions.functions[0].instructions;
    const at = (name: string, nth = 0) => code.filter((i) => i.name === name)[nth].offset;
    const pcs = [at('block'), at('loop'), at('local.get'), at('end', 0), at('end', 1), at('local.get', 3), at('end', 2)];
    const out = runProbed(probeModule(loop, pcs), 'f', [3]);
    // block 0, loop 1; 9 instructions per iteration, the 4th leaves at br_if (time 32); the
    // loop's end and the block's end are reached by branches only; local.get 33, end 34.
    expect([...out.hits.values()]).toEqual([[0n], [1n], [2n, 11n, 20n, 29n], [], [], [33n], [34n]]);
    expect(out.time).toBe(35n);
  });

  it('counts by hand: a block end hit by fallthrough, not by a branch; else only when the then-arm falls into it', () => {
    const m = assemble(`(module
      (func (export "f") (param i32) (result i32)
        block local.get 0 br_if 0 nop end
        local.get 0 if (result i32) i32.const 1 else i32.const 2 end
        drop i32.const 7))`);
    const code = probeModule(m, []).positions.functions[0].instructions;
    const ends = code.filter((i) => i.name === 'end').map((i) => i.offset);
    const elsePc = code.find((i) => i.name === 'else')!.offset;
    const probed = probeModule(m, [ends[0], elsePc, ends[1], ends[2]]);
    // f(0): block 0, local.get 1, br_if 2, nop 3, end 4, local.get 5, if 6, i32.const 2 7, end 8, drop 9, const 10, end 11
    expect([...runProbed(probed, 'f', [0]).hits.values()]).toEqual([[4n], [], [8n], [11n]]);
    // f(1): block 0, local.get 1, br_if 2, local.get 3, if 4, i32.const 1 5, else 6, drop 7, const 8, end 9
    expect([...runProbed(probed, 'f', [1]).hits.values()]).toEqual([[], [6n], [], [9n]]);
  });

  it('counts legacy try/catch by hand: catch hit only when the try body falls into it', () => {
    const m = assemble(`(module
      (import "env" "tick" (func $tick))
      (tag $e)
      (func $thrower (param i32) call $tick local.get 0 if throw $e end)
      (func (export "eh") (param i32) (result i32)
        try (result i32)
          local.get 0 call $thrower
          i32.const 1
        catch $e
          i32.const 2
        end))`, ['--enable-exceptions']);
    const eh = probeModule(m, []).positions.functions[1].instructions;
    const pcs = [eh.find((i) => i.name === 'catch')!.offset, eh.find((i) => i.name === 'i32.const')!.offset, eh.at(-3)!.offset, eh.at(-2)!.offset, eh.at(-1)!.offset];
    expect(eh.at(-3)!.name).toBe('i32.const'); // the handler's i32.const 2, then the try's end and the function's end
    const probed = probeModule(m, pcs);
    // eh(1): try 0, local.get 1, call 2, [call tick 3, local.get 4, if 5, throw 6]; the catch is
    // skipped; handler: i32.const 2 at 7, then it falls into the try's end 8 and the function's end 9.
    const thrown = runProbed(probed, 'eh', [1]);
    expect(thrown.result).toBe(2);
    expect([...thrown.hits.values()]).toEqual([[], [], [7n], [8n], [9n]]);
    // eh(0): try 0, local.get 1, call 2, [call 3, local.get 4, if 5 (false: its end skipped), end 6],
    // i32.const 1 at 7, catch 8 (falls into it, then past the try's end), function end 9.
    const normal = runProbed(probed, 'eh', [0]);
    expect(normal.result).toBe(1);
    expect([...normal.hits.values()]).toEqual([[8n], [7n], [], [], [9n]]);
  });
});

describe.skipIf(!haveWat2wasm && !process.env.CI)('probe buffer and module shape', () => {
  const MANY = `
    (func $many (export "many") (param i32) (local i32)
      loop $l
        local.get 1 i32.const 1 i32.add local.tee 1
        local.get 0 i32.lt_s br_if $l
      end)`;
  const probesOf = (m: Uint8Array) => {
    const code = probeModule(m, []).positions.functions.find((f) => f.instructions.some((i) => i.name === 'br_if'))!.instructions;
    return [code[1].offset, code.find((i) => i.name === 'br_if')!.offset];
  };

  it('keeps every hit through many flushes of the buffer', () => {
    const m = assemble(`(module ${MANY})`);
    const n = 100_000; // 200,000 records: the 1 MiB buffer flushes three times
    const out = runProbed(probeModule(m, probesOf(m)), 'many', [n]);
    // loop 0; per iteration 7 instructions: local.get (the first probe) at 1 + 7i, br_if at 7 + 7i.
    const [first, branch] = [...out.hits.values()];
    expect(first).toHaveLength(n);
    expect(branch).toHaveLength(n);
    expect(first.every((t, i) => t === BigInt(1 + 7 * i))).toBe(true);
    expect(branch.every((t, i) => t === BigInt(7 + 7 * i))).toBe(true);
    expect(out.time).toBe(BigInt(3 + 7 * n));

    // Counting only: the same numbers, nothing kept.
    const probed = probeModule(m, probesOf(m));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(probed.bytes as Uint8Array<ArrayBuffer>));
    const counter = countProbeHits(instance, 2);
    (instance.exports.many as (n: number) => void)(n);
    expect(counter.finish()).toEqual([n, n]);
  });

  it('keeps the hits of a start function made before JS binds the instance (the buffer grows)', () => {
    const m = assemble(`(module (memory 1) ${MANY} (func $s i32.const 70000 call $many) (start $s))`);
    const out = runProbed(probeModule(m, probesOf(m)), 'many', [10]);
    const first = [...out.hits.values()][0];
    // start: i32.const 0, call 1, many's loop 2, its probe at 3 + 7i; 3 + 7n in many, then s's end.
    const startEnd = 2 + 3 + 7 * 70_000 + 1;
    expect(first).toHaveLength(70_010);
    expect(first.slice(0, 70_000).every((t, i) => t === BigInt(3 + 7 * i))).toBe(true);
    expect(first.slice(70_000)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(startEnd + 1 + 7 * i)));
  });

  it('changes no index: imported memory and table, an own table with call_indirect, element segments', () => {
    const m = assemble(`(module
      (import "env" "mem" (memory 1))
      (import "env" "tab" (table 2 funcref))
      (import "env" "tick" (func $tick))
      (table $own 2 funcref)
      (elem (table $own) (i32.const 0) func $a $b)
      (func $a (result i32) i32.const 1)
      (func $b (result i32) call $tick i32.const 2)
      (func (export "pick") (param i32) (result i32) local.get 0 call_indirect $own (result i32))
      (func (export "store") (param i32) local.get 0 local.get 0 i32.store))`);
    const fns = probeModule(m, []).positions.functions;
    const pcs = [fns[1].instructions[0].offset, fns[2].instructions.at(-1)!.offset, fns[3].instructions[2].offset];
    const imports = { env: { mem: new WebAssembly.Memory({ initial: 1 }), tab: new WebAssembly.Table({ initial: 2, element: 'anyfunc' }) } };
    const probed = probeModule(m, pcs);
    // pick(1): local.get 0, call_indirect 1, [b: call tick 2 (time 3 at the import), i32.const 3, end 4], end 5.
    const out = runProbed(probed, 'pick', [1], imports);
    expect(out.result).toBe(2);
    expect([...out.hits.values()]).toEqual([[2n], [5n], []]);
    expect(out.ticks).toEqual([3n]);
    expect(runProbed(probed, 'pick', [0], imports).result).toBe(1);
    const stored = runProbed(probed, 'store', [8], imports);
    expect([...stored.hits.values()]).toEqual([[], [], [2n]]);
    expect(new DataView(imports.env.mem.buffer).getInt32(8, true)).toBe(8);
  });

  it('refuses pcs that are not instruction starts, listing each with the nearest instructions', () => {
    const m = assemble(`(module (func (export "f") (result i32) i32.const 1000 drop i32.const 1))`);
    const code = probeModule(m, []).positions.functions[0].instructions; // i32.const (3 bytes), drop, i32.const, end
    const bad = [code[0].offset + 1, code[0].offset - 1, code[3].offset + 1];
    let error: unknown;
    try {
      probeModule(m, [code[1].offset, ...bad, bad[0]], 'prog.wasm');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProbePcError);
    const p = (error as ProbePcError).problems;
    expect(p.map((x) => [x.pc, x.before?.offset ?? null, x.after?.offset ?? null])).toEqual([
      [bad[0], code[0].offset, code[1].offset],
      [bad[1], null, code[0].offset],
      [bad[2], code[3].offset, null],
    ]);
    const hex = (n: number) => `0x${n.toString(16)}`;
    expect((error as ProbePcError).message).toBe(
      `prog.wasm: pc ${hex(bad[0])} is not an instruction start (nearest: ${hex(code[0].offset)} (i32.const), ${hex(code[1].offset)} (drop)); ` +
        `pc ${hex(bad[1])} is not an instruction start (nearest: ${hex(code[0].offset)} (i32.const)); ` +
        `pc ${hex(bad[2])} is not an instruction start (nearest: ${hex(code[3].offset)} (end))`,
    );
    expect((error as ProbePcError).exitCode).toBe(2);
    expect(() => probeModule(m, [Number.NaN])).toThrow(ProbePcError);
  });

  it('shares one probe between duplicate pcs and refuses modules that export its names', async () => {
    const m = assemble(`(module (func (export "f")))`);
    const pc = probeModule(m, []).positions.functions[0].instructions[0].offset;
    const probed = probeModule(m, [pc, pc]);
    expect(probed.probePcs).toEqual([pc]);
    expect([...runProbed(probed, 'f').hits]).toEqual([[pc, [0n]]]);
    const taken = assemble(`(module (memory (export "__wtrace_probes") 1))`);
    await expect(instrumentProbes(taken, [], { source: 'taken.wasm' })).rejects.toThrow(UnsupportedWasmError);
    await expect(instrumentProbes(taken, [], { source: 'taken.wasm' })).rejects.toThrow(/taken\.wasm.*__wtrace_probes/);
  });
});
