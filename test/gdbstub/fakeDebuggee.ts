/**
 * A scripted {@link Debuggee} for the gdbstub's unit tests: a tiny real module (so LLDB-style
 * image reads and call-instruction decoding see real bytes) and a fixed eight-step history of
 * frames, memory writes and globals. Motions follow the engine's documented rules
 * (replay/engine/types.ts): breakpoints hit when their pc is next, watchpoints at the writing
 * time, the end gives the outcome once and then the boundary, the start gives the boundary, and
 * `interrupt()` is sticky until the next motion, as in the engine.
 */
import type {
  Breakpoint, BreakpointSpec, Debuggee, Direction, FrameView, ModuleView, StopEvent, Value, Watchpoint,
} from '../../replay/engine/types.js';
import type { GlobalState } from '../../replay/timeline/types.js';
import { buildModule, I32, I64 } from '../helpers/wasmBuilder.js';

/** `_start` (func 0): `i32.const 5; call 1; drop; end`; `add2` (func 1): `local.get 0; i32.const 2; i32.add; end`. */
export const FAKE_MODULE = buildModule({
  types: [[[I32], [I32]], [[], []]],
  funcs: [
    { type: 1, locals: [[1, I64]], body: [0x41, 0x05, 0x10, 0x01, 0x1a] },
    { type: 0, body: [0x20, 0x00, 0x41, 0x02, 0x6a] },
  ],
  memories: [[0x00, 0x01]],
  exports: [['_start', 0, 0]],
});

function find(pattern: number[]): number {
  for (let i = 0; i + pattern.length <= FAKE_MODULE.length; i++) {
    if (pattern.every((b, j) => FAKE_MODULE[i + j] === b)) return i;
  }
  throw new Error('pattern not in FAKE_MODULE');
}

/** Instruction offsets in FAKE_MODULE, named by what they are. */
export const PC = (() => {
  const start = find([0x41, 0x05, 0x10, 0x01, 0x1a, 0x0b]);
  const add2 = find([0x20, 0x00, 0x41, 0x02, 0x6a, 0x0b]);
  return {
    startConst: start, startCall: start + 2, startDrop: start + 4, startEnd: start + 5,
    addGet: add2, addConst: add2 + 2, addAdd: add2 + 4, addEnd: add2 + 5,
  };
})();

const i32 = (value: number): Value => ({ type: 'i32', value });
const i64 = (value: bigint): Value => ({ type: 'i64', value });

function frame(depth: number, funcIndex: number, pc: number, locals: Value[], stack: Value[]): FrameView {
  return { depth, funcIndex, name: funcIndex === 0 ? '_start' : 'add2', pc, entryTime: funcIndex === 0 ? 0n : 2n, locals, paramCount: funcIndex === 0 ? 0 : 1, stack, source: null };
}

/** Frames at each time 0..7: the history of `_start` calling `add2(5)`. */
const HISTORY: readonly FrameView[][] = (() => {
  const start = (pc: number, stack: Value[]) => frame(0, 0, pc, [i64(-2n)], stack);
  const add = (pc: number, stack: Value[]) => [frame(0, 1, pc, [i32(5)], stack), { ...start(PC.startCall, []), depth: 1 }];
  return [
    [start(PC.startConst, [])],
    [start(PC.startCall, [i32(5)])],
    add(PC.addGet, []),
    add(PC.addConst, [i32(5)]),
    add(PC.addAdd, [i32(5), i32(2)]),
    add(PC.addEnd, [i32(7)]),
    [start(PC.startDrop, [i32(7)])],
    [start(PC.startEnd, [])],
  ];
})();

/** Memory writes: the time of the writing instruction, its address and the bytes written. */
const WRITES = [
  { time: 3n, pc: PC.addGet, address: 0x100, bytes: Uint8Array.of(1, 2, 3, 4) },
  { time: 5n, pc: PC.addAdd, address: 0x102, bytes: Uint8Array.of(0xff) },
];

const GLOBALS: readonly GlobalState[] = [
  { index: 0, type: 'i32', mutable: true, known: 'set', bytes: Uint8Array.of(0x10, 0, 1, 0), value: 0x10010 },
  { index: 1, type: 'i64', mutable: true, known: 'unknown', bytes: null, value: null },
  { index: 2, type: 'funcref', mutable: false, known: 'initial', bytes: null, value: null },
];

/** How the recorded run ended. */
export type FakeOutcome = { kind: 'complete'; exitCode: number } | { kind: 'trap'; message: string };

/** A call the stub made, for tests that check what reached the engine. */
export type FakeCall = string;

export class FakeDebuggee implements Debuggee {
  readonly module: ModuleView;
  readonly end = BigInt(HISTORY.length - 1);
  now = 0n;
  /** Engine calls that change state or move (`addBreakpoint pc=12`, `continue forward`, ...). */
  readonly calls: FakeCall[] = [];
  private bps: Breakpoint[] = [];
  private watches: Watchpoint[] = [];
  private nextId = 1;
  private interrupted = false;
  private endReported = false;
  private readonly memoryBytes: number;

  constructor(private readonly outcome: FakeOutcome = { kind: 'complete', exitCode: 0 }, memoryPages = 1) {
    this.memoryBytes = memoryPages * 65536;
    this.module = {
      id: 0,
      name: 'fake.wasm',
      bytecode: FAKE_MODULE,
      functionName: (f) => (f === 0 ? '_start' : f === 1 ? 'add2' : null),
      functionAt: (pc) => (pc >= PC.addGet ? 1 : pc >= PC.startConst ? 0 : null),
      sourceAt: () => null,
      disassemble: () => [],
      definedFunctions: [0, 1],
    };
  }

  frames(): readonly FrameView[] {
    return HISTORY[Number(this.now)];
  }

  memorySize(): number {
    return this.memoryBytes;
  }

  readMemory(address: number, length: number): Uint8Array {
    if (address < 0 || length < 0 || address + length > this.memoryBytes) throw new RangeError(`read ${address}+${length} past the memory`);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = (address + i) & 0x7f; // a recognisable pattern
    for (const w of WRITES) {
      if (w.time > this.now) continue;
      w.bytes.forEach((b, j) => {
        const k = w.address + j - address;
        if (k >= 0 && k < length) out[k] = b;
      });
    }
    return out;
  }

  globals(): readonly GlobalState[] { return GLOBALS; }
  output() { return { stdout: new Uint8Array(), stderr: new Uint8Array() }; }

  addBreakpoint(spec: BreakpointSpec): Breakpoint {
    if (spec.kind !== 'pc') throw new Error('the fake only takes pc breakpoints');
    this.calls.push(`addBreakpoint pc=${spec.pc}`);
    const bp: Breakpoint = { id: this.nextId++, spec, pcs: [spec.pc], note: null };
    this.bps.push(bp);
    return bp;
  }

  removeBreakpoint(id: number): boolean {
    this.calls.push(`removeBreakpoint ${id}`);
    const before = this.bps.length;
    this.bps = this.bps.filter((b) => b.id !== id);
    return this.bps.length < before;
  }

  breakpoints(): readonly Breakpoint[] { return this.bps; }

  addWatchpoint(address: number, size: number): Watchpoint {
    this.calls.push(`addWatchpoint ${address}+${size}`);
    const w: Watchpoint = { id: this.nextId++, address, size };
    this.watches.push(w);
    return w;
  }

  removeWatchpoint(id: number): boolean {
    this.calls.push(`removeWatchpoint ${id}`);
    const before = this.watches.length;
    this.watches = this.watches.filter((w) => w.id !== id);
    return this.watches.length < before;
  }

  watchpoints(): readonly Watchpoint[] { return this.watches; }

  stepInstruction(direction: Direction): StopEvent {
    this.calls.push(`stepInstruction ${direction}`);
    return this.move(direction, true);
  }

  stepInto(direction: Direction): StopEvent { return this.stepInstruction(direction); }
  stepOver(direction: Direction): StopEvent { return this.stepInstruction(direction); }
  stepOut(direction: Direction): StopEvent { return this.continue(direction); }

  continue(direction: Direction): StopEvent {
    this.calls.push(`continue ${direction}`);
    return this.move(direction, false);
  }

  seek(time: bigint): StopEvent {
    this.now = time;
    return { kind: 'step', time };
  }

  interrupt(): void {
    this.calls.push('interrupt');
    this.interrupted = true;
  }

  lastWriteBefore(): null { return null; }
  nextWriteAfter(): null { return null; }
  // The stub asks none of these (LLDB reads DWARF and history itself); the fake has no DWARF and no calls.
  variables(): readonly never[] { return []; }
  globalVariables(): readonly never[] { return []; }
  nextBreakpointHit(): null { return null; }
  importCallTimes(): readonly bigint[] { return []; }
  callsOf(): readonly never[] { return []; }
  tables(): readonly never[] { return []; }
  readonly importCallCount = 0;
  importCall(n: number): never { throw new RangeError(`import call ${n} does not exist: the fake has none`); }
  close(): void {}

  private move(direction: Direction, single: boolean): StopEvent {
    if (this.interrupted) {
      this.interrupted = false;
      return { kind: 'interrupted', time: this.now };
    }
    const forward = direction === 'forward';
    if (forward && this.now === this.end) {
      if (this.endReported) return { kind: 'history-boundary', time: this.end, boundary: 'end' };
      return this.arriveAtEnd();
    }
    if (!forward && this.now === 0n) return { kind: 'history-boundary', time: 0n, boundary: 'start' };
    for (let t = this.now + (forward ? 1n : -1n); forward ? t <= this.end : t >= 0n; t += forward ? 1n : -1n) {
      this.now = t;
      if (single) return forward && t === this.end ? this.arriveAtEnd() : !forward && t === 0n ? { kind: 'history-boundary', time: 0n, boundary: 'start' } : { kind: 'step', time: t };
      const watch = this.watchHit(t);
      if (watch) return watch;
      const bp = this.bps.find((b) => b.pcs.includes(HISTORY[Number(t)][0].pc));
      if (bp) return { kind: 'breakpoint', time: t, breakpoint: bp };
      if (t === this.end && forward) return this.arriveAtEnd();
      if (t === 0n && !forward) return { kind: 'history-boundary', time: 0n, boundary: 'start' };
    }
    throw new Error('unreachable');
  }

  private arriveAtEnd(): StopEvent {
    this.endReported = true;
    return this.outcome.kind === 'trap'
      ? { kind: 'trap', time: this.end, message: this.outcome.message }
      : { kind: 'complete', time: this.end, exitCode: this.outcome.exitCode };
  }

  private watchHit(t: bigint): StopEvent | null {
    for (const write of WRITES) {
      if (write.time !== t) continue;
      const w = this.watches.find((x) => write.address < x.address + x.size && x.address < write.address + write.bytes.length);
      if (w) {
        return { kind: 'watchpoint', time: t, watchpoint: w, pc: write.pc, oldBytes: new Uint8Array(w.size), newBytes: new Uint8Array(w.size) };
      }
    }
    return null;
  }
}
