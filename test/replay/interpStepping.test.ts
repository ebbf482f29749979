/**
 * The activation interpreter's stops, one instruction at a time: the pc sequence of a small
 * program stepped with `untilTime = time + 1` equals a hand-written expectation (structural
 * markers skipped or counted by the rules of docs/instrumentation.md), the operand stack and
 * labels at a stop are what validation says, `stopBeforeCall` stops before calls and resumes
 * through them, traps leave the state before the trapping instruction, `maxInstructions` and
 * `onInstruction` stop where they should, a state cloned at any time resumes to the same end,
 * and unsupported instructions and inconsistent states are refused with clear errors.
 */
import { describe, expect, it } from 'vitest';
import { instrument } from '../../instrument/index.js';
import {
  InterpStateError, ModuleCode, ProgramHost, run, TrapError, UnsupportedInstructionError, type ActivationState, type Value,
} from '../../replay/interp/index.js';
import { haveWat2wasm } from '../instrument/wat.js';
import { assembleWat, exportIndex, i32, programHost } from './interpHelpers.js';

const PROGRAM = `(module
  (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "main") (param $n i32) (result i32) (local $s i32)
    block $done
      loop $l
        local.get $n i32.eqz br_if $done
        local.get $s local.get $n call $add local.set $s
        local.get $n i32.const 1 i32.sub local.set $n
        br $l
      end
    end
    local.get $s
    if (result i32) i32.const 1 else i32.const 0 end)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))`;

/** What `main(1)` executes, instruction by instruction (callee instructions are the host's). */
const MAIN_1 = [
  'block', 'loop',
  'local.get', 'i32.eqz', 'br_if', 'local.get', 'local.get', 'call', 'local.set', 'local.get', 'i32.const', 'i32.sub', 'local.set', 'br',
  // br $l continues at the loop's first body instruction; the loop does not count again.
  'local.get', 'i32.eqz', 'br_if',
  // br_if $done continues past the block's end: neither `end` counts.
  'local.get', 'if', 'i32.const',
  // the then-arm falls into `else`, which counts and continues past the `end` (not counted).
  'else',
  'end',
];

/** Steps `state` to its return, one instruction per `run`; returns the mnemonics of the pcs stepped from and the times. */
function stepAll(code: ModuleCode, state: ActivationState, host: ProgramHost): { names: string[]; times: bigint[]; results: readonly Value[] } {
  const names: string[] = [];
  const times: bigint[] = [state.time];
  for (;;) {
    const info = code.instructionAt(state.funcIndex, state.pc);
    expect(info, `pc 0x${state.pc.toString(16)} is an instruction`).not.toBeNull();
    names.push(info!.name);
    const stop = run(code, state, host, { untilTime: state.time + 1n });
    times.push(state.time);
    if (stop.kind === 'return') return { names, times, results: stop.results };
    expect(stop.kind).toBe('time');
  }
}

describe.skipIf(!haveWat2wasm && !process.env.CI)('stepping the activation interpreter', () => {
  const bytes = haveWat2wasm ? assembleWat(PROGRAM) : new Uint8Array();

  it('steps main(1) through the hand-written instruction sequence', () => {
    const host = programHost(bytes);
    const code = host.code;
    const main = exportIndex(host, 'main');
    const { names, times, results } = stepAll(code, code.entryState(main, [i32(1)], 100n), host);
    expect(names).toEqual(MAIN_1);
    expect(results).toEqual([i32(1)]);
    // One unit per step, except the call: 1 for the call and 4 for $add's instructions (3 and its end).
    const deltas = times.slice(1).map((t, i) => Number(t - times[i]));
    expect(deltas).toEqual(MAIN_1.map((n) => (n === 'call' ? 5 : 1)));
    expect(times.at(-1)).toBe(100n + BigInt(MAIN_1.length + 4));
  });

  it('agrees with the instrumented counter', async () => {
    const result = await instrument(bytes, { detail: 'inputs' });
    const { instance } = await WebAssembly.instantiate(result.bytes);
    for (const n of [0, 1, 5, 17]) {
      const time = instance.exports[result.timeExport] as WebAssembly.Global;
      time.value = 0n;
      const expected = (instance.exports.main as (n: number) => number)(n);
      const host = programHost(bytes);
      expect(host.invoke('main', [i32(n)])).toEqual([i32(expected)]);
      expect(host.store.time).toBe(time.value);
    }
  });

  it('knows the matching else and end of every block, loop and if', () => {
    const host = programHost(bytes);
    const code = host.code;
    const main = exportIndex(host, 'main');
    const list = code.instructions(main);
    const at = (name: string, nth = 0) => list.filter((i) => i.name === name)[nth].pc;
    // The ends in order: the loop's, the block's, the if's, the function's.
    expect(code.matchingEnd(main, at('block'))).toEqual({ elsePc: null, endPc: at('end', 1) });
    expect(code.matchingEnd(main, at('loop'))).toEqual({ elsePc: null, endPc: at('end', 0) });
    expect(code.matchingEnd(main, at('if'))).toEqual({ elsePc: at('else'), endPc: at('end', 2) });
    expect(code.matchingEnd(main, at('br'))).toBeNull();
    expect(list.at(-1)).toEqual({ pc: at('end', 3), index: list.length - 1, name: 'end', opcode: 0x0b });
  });

  it('shows the operand stack and labels as validation sees them', () => {
    const host = programHost(bytes);
    const code = host.code;
    const state = code.entryState(exportIndex(host, 'main'), [i32(3)], 0n);
    const first = state.pc;
    run(code, state, host, { untilTime: 6n }); // block loop local.get i32.eqz br_if local.get
    expect(code.instructionAt(state.funcIndex, state.pc)!.name).toBe('local.get');
    expect(state.stack).toEqual([i32(0)]);
    expect(state.locals).toEqual([i32(3), i32(0)]);
    expect(state.labels.map((l) => l.kind)).toEqual(['function', 'block', 'loop']);
    expect(state.labels[0]).toEqual({ kind: 'function', pc: first, height: 0 });
    expect(state.labels[1].pc).toBe(first);
    expect(state.labels.every((l) => l.height === 0)).toBe(true);
  });

  it('stops before calls, tells what they will call, and resumes through them', () => {
    const host = programHost(bytes);
    const code = host.code;
    const state = code.entryState(exportIndex(host, 'main'), [i32(2)], 0n);
    let stop = run(code, state, host, { stopBeforeCall: true });
    expect(stop).toEqual({ kind: 'call' });
    expect(code.instructionAt(state.funcIndex, state.pc)!.name).toBe('call');
    expect(state.time).toBe(7n);
    expect(code.pendingCall(state)).toEqual({ target: { kind: 'direct', funcIndex: 0 }, args: [i32(0), i32(2)], tail: false });
    stop = run(code, state, host, { stopBeforeCall: true });
    expect(stop).toEqual({ kind: 'call' });
    expect(state.time).toBe(7n + 5n + 6n + 5n); // the call and $add, the rest of the loop body, the loop head again
    expect(state.stack).toEqual([i32(2), i32(1)]);
    stop = run(code, state, host, { stopBeforeCall: true });
    expect(stop).toEqual({ kind: 'return', results: [i32(1)] });
  });

  it('leaves a trap before the trapping instruction, uncounted, with its operands', () => {
    const host = programHost(bytes);
    const code = host.code;
    const state = code.entryState(exportIndex(host, 'div'), [i32(7), i32(0)], 10n);
    let error: unknown;
    try {
      run(code, state, host);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrapError);
    const trap = error as TrapError;
    expect(trap.kind).toBe('integer divide by zero');
    expect(trap.location).toEqual({ funcIndex: state.funcIndex, pc: state.pc, time: 12n });
    expect(code.instructionAt(state.funcIndex, state.pc)!.name).toBe('i32.div_s');
    expect(state.time).toBe(12n);
    expect(state.stack).toEqual([i32(7), i32(0)]);
    // The state is consistent: with another divisor it resumes.
    state.stack[1] = i32(2);
    expect(run(code, state, host)).toEqual({ kind: 'return', results: [i32(3)] });
    expect(state.time).toBe(14n);
  });

  it('stops after maxInstructions, and where onInstruction says, seeing every pc stepping sees', () => {
    const host = programHost(bytes);
    const code = host.code;
    const main = exportIndex(host, 'main');
    const limited = code.entryState(main, [i32(1)], 0n);
    expect(run(code, limited, host, { maxInstructions: 8 })).toEqual({ kind: 'limit' });
    expect(limited.time).toBe(8n + 4n); // 8 instructions of main, the call's callee ran inside
    const seen: string[] = [];
    const hooked = code.entryState(main, [i32(1)], 0n);
    const stop = run(code, hooked, host, {
      onInstruction: (pc, time) => {
        seen.push(code.instructionAt(main, pc)!.name);
        return time === 20n;
      },
    });
    expect(stop).toEqual({ kind: 'hook' });
    expect(hooked.time).toBe(20n);
    expect(seen).toEqual(MAIN_1.slice(0, seen.length));
    expect(seen.length).toBe(17);
    expect(run(code, hooked, host, { onInstruction: () => false })).toEqual({ kind: 'return', results: [i32(1)] });
  });

  it('resumes a state cloned at any time to the same end', () => {
    const host = programHost(bytes);
    const code = host.code;
    const main = exportIndex(host, 'main');
    const direct = code.entryState(main, [i32(4)], 0n);
    const end = run(code, direct, host);
    for (let t = 0n; t < direct.time; t++) {
      const state = code.entryState(main, [i32(4)], 0n);
      run(code, state, host, { untilTime: t });
      expect(state.time >= t).toBe(true);
      const clone = structuredClone(state);
      expect(run(code, clone, host)).toEqual(end);
      expect(clone.time).toBe(direct.time);
    }
  });

  it('refuses states that do not fit the function', () => {
    const host = programHost(bytes);
    const code = host.code;
    const main = exportIndex(host, 'main');
    const bad = (change: (s: ActivationState) => ActivationState) => () => run(code, change(code.entryState(main, [i32(1)], 0n)), host);
    expect(bad((s) => ({ ...s, pc: s.pc + 1 }))).toThrow(InterpStateError);
    expect(bad((s) => ({ ...s, stack: [i32(1)] }))).toThrow(/operands/);
    expect(bad((s) => ({ ...s, locals: [i32(1)] }))).toThrow(/locals/);
    expect(() => code.entryState(main, [{ type: 'i64', value: 1n }], 0n)).toThrow(InterpStateError);
    expect(() => code.entryState(0, [], 0n)).toThrow(InterpStateError);
  });

  it('names unsupported instructions and their pc', () => {
    const simd = programHost(assembleWat(`(module (func (export "f") (result i32)
      v128.const i32x4 1 2 3 4 i32x4.extract_lane 0))`));
    const f = exportIndex(simd, 'f');
    let error: unknown;
    try {
      simd.invoke('f', []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedInstructionError);
    const u = error as UnsupportedInstructionError;
    expect(u.instruction).toBe('v128.const');
    expect(u.pc).toBe(simd.code.module.bodies[0].codeStart);
    expect(u.message).toMatch(/v128\.const at pc 0x[0-9a-f]+/);
    expect(u.exitCode).toBe(3);
    expect(f).toBe(0);
    const eh = assembleWat(`(module (tag $e) (func (export "f") try throw $e catch $e end))`, ['--enable-exceptions']);
    expect(() => programHost(eh).invoke('f', [])).toThrow(/does not execute try at pc/);
  });

  it('runs tail calls as a call then a return, counting as the instrumented module does', async () => {
    const wat = `(module
      (func $count (export "count") (param i32 i32) (result i32)
        local.get 0 i32.eqz if (result i32) local.get 1 else
          local.get 0 i32.const 1 i32.sub local.get 1 i32.const 2 i32.add return_call $count end)
      (table funcref (elem $count))
      (type $t (func (param i32 i32) (result i32)))
      (func (export "indirect") (param i32) (result i32)
        local.get 0 i32.const 100 i32.const 0 return_call_indirect (type $t)))`;
    const wasm = assembleWat(wat, ['--enable-tail-call']);
    const result = await instrument(wasm, { detail: 'inputs' });
    const { instance } = await WebAssembly.instantiate(result.bytes);
    const time = instance.exports[result.timeExport] as WebAssembly.Global;
    for (const [name, args] of [['count', [5, 1]], ['indirect', [7]], ['count', [0, 9]]] as const) {
      time.value = 0n;
      const expected = (instance.exports[name] as (...a: number[]) => number)(...args);
      const host = programHost(wasm);
      expect(host.invoke(name, args.map(i32))).toEqual([i32(expected)]);
      expect(host.store.time).toBe(time.value);
    }
  });
});
