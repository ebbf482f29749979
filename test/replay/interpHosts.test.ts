/**
 * The interpreter against hosts other than a whole-program one: a host that `knowsWrites` (as
 * the replay engine's does) sees no write performed and is asked for memory again after each
 * write; a host that answers calls itself sets the time and results; a host without tables
 * gets a clear error for table instructions; `call_indirect` stops show their target; runaway
 * recursion ends in `call stack exhausted` (inline depth limit, or a JS stack overflow when
 * callees go through `host.call`) after which the host works on; inline recursion is not
 * limited by the JS stack.
 */
import { describe, expect, it } from 'vitest';
import {
  InterpStateError, ModuleCode, run, TrapError, UnsupportedInstructionError, type ActivationHost, type CallOutcome, type CallTarget, type Value,
} from '../../replay/interp/index.js';
import { haveWat2wasm } from '../instrument/wat.js';
import { assembleWat, i32, programHost } from './interpHelpers.js';

/** A host whose memory is a scripted history and whose calls return fixed answers. */
class ScriptedHost implements ActivationHost {
  readonly memoryCalls: bigint[] = [];
  readonly calls: { time: bigint; target: CallTarget; args: readonly Value[] }[] = [];
  readonly bytes = new Uint8Array(65536);

  constructor(
    readonly knowsWrites: boolean,
    /** Applies to `bytes` what the program has written by `time` (knowsWrites hosts). */
    private readonly history: (bytes: Uint8Array, time: bigint) => void = () => {},
    private readonly answer: (time: bigint) => CallOutcome = (time) => ({ results: [i32(42)], time: time + 10n }),
  ) {}

  memory(time: bigint): Uint8Array {
    this.memoryCalls.push(time);
    this.history(this.bytes, time);
    return this.bytes;
  }

  grow(): number {
    return -1;
  }

  globalGet(): Value {
    return i32(0);
  }

  globalSet(): void {}

  call(time: bigint, target: CallTarget, args: readonly Value[]): CallOutcome {
    this.calls.push({ time, target, args });
    return this.answer(time);
  }
}

const WRITES = `(module (memory 1)
  (func (export "f") (param i32) (result i32)
    (i32.store (i32.const 16) (local.get 0))
    (i32.load (i32.const 16))
    (memory.fill (i32.const 0) (i32.const 7) (i32.const 4))
    (i32.load8_u (i32.const 3))
    i32.add)
  (func (export "oob") (i32.store (i32.const 65534) (i32.const 1))))`;

const CALLS = `(module
  (import "env" "ext" (func $ext (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (elem (i32.const 1) $double)
  (func (export "g") (param i32) (result i32)
    (i32.add (call $ext (local.get 0)) (call_indirect (type $t) (local.get 0) (i32.const 1))))
  (func (export "size") (result i32) table.size 0))`;

describe.skipIf(!haveWat2wasm && !process.env.CI)('the interpreter with other hosts', () => {
  it('performs no write for a host that knows them, and reads memory again after each', () => {
    const code = ModuleCode.from(assembleWat(WRITES));
    // The "recording": the store at time 3 wrote 1234 at 16, the fill at time 9 wrote 7s at 0..3.
    const host = new ScriptedHost(true, (bytes, time) => {
      new DataView(bytes.buffer).setInt32(16, time >= 3n ? 1234 : 0, true);
      bytes.fill(time >= 9n ? 7 : 0, 0, 4);
    });
    const state = code.entryState(0, [i32(5)], 0n);
    expect(run(code, state, host)).toEqual({ kind: 'return', results: [i32(1234 + 7)] });
    expect(state.time).toBe(13n);
    // First access (the store), after the store (the load), after the fill (the load8_u).
    expect(host.memoryCalls).toEqual([3n, 5n, 11n]);

    const writing = new ScriptedHost(false);
    expect(run(code, code.entryState(0, [i32(5)], 0n), writing)).toEqual({ kind: 'return', results: [i32(5 + 7)] });
    expect(writing.memoryCalls).toEqual([3n]);
    expect([...writing.bytes.subarray(0, 4)]).toEqual([7, 7, 7, 7]);
  });

  it('still traps on an out-of-bounds write it does not perform', () => {
    const code = ModuleCode.from(assembleWat(WRITES));
    const state = code.entryState(1, [], 0n);
    expect(() => run(code, state, new ScriptedHost(true))).toThrow(/out of bounds memory access/);
    expect(state.time).toBe(2n);
    expect(state.stack).toEqual([i32(65534), i32(1)]);
  });

  it('takes results and time from a host that answers calls, and lets it decide call_indirect', () => {
    const code = ModuleCode.from(assembleWat(CALLS));
    const host = new ScriptedHost(false);
    const g = code.exportedFunction('g')!;
    const state = code.entryState(g, [i32(3)], 100n);
    expect(run(code, state, host)).toEqual({ kind: 'return', results: [i32(84)] });
    // local.get 101, call 102 (+10), local.get 113, i32.const 114, call_indirect 115 (+10), i32.add 126, end 127.
    expect(state.time).toBe(127n);
    expect(host.calls).toEqual([
      { time: 102n, target: { kind: 'direct', funcIndex: 0 }, args: [i32(3)] },
      { time: 115n, target: { kind: 'indirect', typeIndex: 0, tableIndex: 0, elementIndex: 1 }, args: [i32(3)] },
    ]);
  });

  it('shows an indirect call before it happens', () => {
    const host = programHost(assembleWat(CALLS), () => [i32(1)]);
    const code = host.code;
    const state = code.entryState(code.exportedFunction('g')!, [i32(3)], 0n);
    expect(run(code, state, host, { stopBeforeCall: true })).toEqual({ kind: 'call' });
    expect(run(code, state, host, { stopBeforeCall: true })).toEqual({ kind: 'call' });
    expect(code.pendingCall(state)).toEqual({
      target: { kind: 'indirect', typeIndex: 0, tableIndex: 0, elementIndex: 1 }, args: [i32(3)], tail: false,
    });
    expect(run(code, state, host)).toEqual({ kind: 'return', results: [i32(7)] });
  });

  it('refuses a result of the wrong type from a host', () => {
    const code = ModuleCode.from(assembleWat(CALLS));
    const host = new ScriptedHost(false, undefined, (time) => ({ results: [{ type: 'i64', value: 1n }], time }));
    const state = code.entryState(code.exportedFunction('g')!, [i32(3)], 0n);
    expect(() => run(code, state, host)).toThrow(InterpStateError);
    expect(code.instructionAt(state.funcIndex, state.pc)!.name).toBe('call');
    expect(state.stack).toEqual([i32(3)]);
  });

  it('names table instructions a host without tables cannot run', () => {
    const code = ModuleCode.from(assembleWat(CALLS));
    const state = code.entryState(code.exportedFunction('size')!, [], 0n);
    expect(() => run(code, state, new ScriptedHost(false))).toThrow(UnsupportedInstructionError);
    expect(() => run(code, state, new ScriptedHost(false))).toThrow(/table\.size at pc 0x[0-9a-f]+: the host has no tableSize/);
    expect(state.time).toBe(0n);
  });

  it('ends runaway recursion with call stack exhausted, inline or on the JS stack, and keeps working', () => {
    const wasm = assembleWat(`(module (func $r (export "r") (param i32) (result i32)
      local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $r i32.const 1 i32.add end))`);
    for (const inline of [true, false]) {
      const host = programHost(wasm, undefined, inline);
      let error: unknown;
      try {
        host.invoke('r', [i32(10_000_000)]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TrapError);
      expect((error as TrapError).kind).toBe('call stack exhausted');
      expect(host.code.stack.top).toBe(0);
      expect(host.code.inline.top).toBe(0);
      expect(host.invoke('r', [i32(100)])).toEqual([i32(100)]);
    }
  });

  it('recurses inline far deeper than the JS stack allows', () => {
    const host = programHost(assembleWat(`(module (func $r (export "r") (param i32) (result i32)
      local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $r i32.const 1 i32.add end))`));
    expect(host.invoke('r', [i32(200_000)])).toEqual([i32(200_000)]);
    // Each level: local.get, i32.eqz, if (false: past the else), local.get, i32.const, i32.sub, call,
    // (the callee), i32.const, i32.add, the if's end, the final end: 11. The last: local.get,
    // i32.eqz, if, i32.const, else (fallen into: past the end), the final end: 6.
    expect(host.store.time).toBe(200_000n * 11n + 6n);
  });
});
