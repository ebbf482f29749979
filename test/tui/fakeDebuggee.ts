/**
 * A scripted `Debuggee` for the terminal UI's tests: the program of test/tui/fixtures/debug_target.c
 * (a small program of its own, not test/fixtures/c/debug_target.c) as
 * a table of states by time (frames, locals, globals, memory, output), with simple motions
 * (fixed distances, continue scans for breakpoint pcs) and a log of every call that moves or
 * changes breakpoints. It stands in for the replay engine only in tui/'s unit tests; the real
 * engine is tested against real traces elsewhere.
 *
 * Functions: 0 `fd_write` (import), 1 `divide`, 2 `main`, 3 `_start` (no line info).
 * Time 0-1 `_start`; 2-9 `main` lines 8-10; divide(12, i) entered at 10, 20, 30; `total=` lines
 * printed at 18, 28, 38; `main` line 13 from 40; divide(22, 0) entered at 45 traps at 48 (end).
 */
import type {
  Breakpoint, BreakpointSpec, Debuggee, Direction, FrameView, GlobalState, ModuleView, OutputView, SourceLocation,
  SourceVariable, StepUnit, StopEvent, Value, Watchpoint, WriteRecord,
} from '../../tui/engineApi.js';

export interface FakeOptions {
  /** Line info for `divide` and `main` (default true); false: a module without DWARF. */
  readonly dwarf?: boolean;
  /** Time to start at (default 0). */
  readonly startAt?: bigint;
  /** Bytes the program wrote to stderr by the end (shown from time 40). */
  readonly stderr?: string;
}

export interface FakeCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

const FILE = 'debug_target.c';
const END = 48n;
const MEMORY_SIZE = 65536;

const DISASSEMBLY: Record<number, { pc: number; text: string; line: number | null }[]> = {
  1: [
    { pc: 0x50, text: 'local.get 0', line: 4 },
    { pc: 0x52, text: 'local.get 1', line: 4 },
    { pc: 0x54, text: 'i32.div_s', line: 4 },
    { pc: 0x55, text: 'end', line: 5 },
  ],
  2: [
    { pc: 0x60, text: 'i32.const 0', line: 8 },
    { pc: 0x62, text: 'local.set 0', line: 8 },
    { pc: 0x64, text: 'i32.const 1', line: 9 },
    { pc: 0x66, text: 'local.set 1', line: 9 },
    { pc: 0x68, text: 'loop', line: 9 },
    { pc: 0x6a, text: 'i32.const 12', line: 10 },
    { pc: 0x6c, text: 'local.get 1', line: 10 },
    { pc: 0x6e, text: 'call 1 <divide>', line: 10 },
    { pc: 0x70, text: 'local.get 0', line: 10 },
    { pc: 0x72, text: 'i32.add', line: 10 },
    { pc: 0x73, text: 'local.set 0', line: 10 },
    { pc: 0x75, text: 'call 0 <fd_write>', line: 11 },
    { pc: 0x77, text: 'br_if 0', line: 9 },
    { pc: 0x79, text: 'end', line: 12 },
    { pc: 0x80, text: 'local.get 0', line: 13 },
    { pc: 0x82, text: 'i32.const 0', line: 13 },
    { pc: 0x84, text: 'call 1 <divide>', line: 13 },
    { pc: 0x86, text: 'end', line: 14 },
  ],
  3: [
    { pc: 0x90, text: 'call 2 <main>', line: null },
    { pc: 0x92, text: 'drop', line: null },
    { pc: 0x93, text: 'end', line: null },
  ],
};

const NAMES = ['fd_write', 'divide', 'main', '_start'];

const i32 = (value: number): Value => ({ type: 'i32', value });
const f64 = (x: number): Value => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  return { type: 'f64', bits: view.getBigUint64(0, true) };
};

/** `main`'s variables at time t: total, i, and total / i as a double. */
function mainLocals(t: number): Value[] {
  const total = t < 17 ? 0 : t < 27 ? 12 : t < 37 ? 18 : 22;
  const i = t < 24 ? 1 : t < 34 ? 2 : t < 40 ? 3 : 4;
  return [i32(total), i32(i), f64(total / i)];
}

/** pc of `main` at time t (its pending call while `divide` runs). */
function mainPc(t: number): number {
  if (t < 4) return 0x60;
  if (t < 6) return 0x64;
  if (t < 10) return [0x6a, 0x6a, 0x6c, 0x6e][t - 6];
  if (t < 40) return [0x6e, 0x6e, 0x6e, 0x6e, 0x6e, 0x70, 0x72, 0x73, 0x75, 0x6a][t % 10];
  return t < 42 ? 0x80 : t < 44 ? 0x82 : 0x84;
}

export class FakeDebuggee implements Debuggee {
  readonly calls: FakeCall[] = [];
  readonly end = END;
  private time: bigint;
  private nextId = 1;
  private readonly bps: Breakpoint[] = [];
  private readonly wps: Watchpoint[] = [];
  readonly module: ModuleView;

  constructor(private readonly options: FakeOptions = {}) {
    this.time = options.startAt ?? 0n;
    const dwarf = options.dwarf ?? true;
    this.module = {
      id: 0,
      name: 'debug_target.wasm',
      bytecode: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
      definedFunctions: [1, 2, 3],
      functionName: (f) => NAMES[f] ?? null,
      functionAt: (pc) => Number(Object.keys(DISASSEMBLY).find((f) => DISASSEMBLY[Number(f)].some((l) => l.pc === pc)) ?? NaN) || null,
      sourceAt: (pc): SourceLocation | null => {
        if (!dwarf) return null;
        const line = Object.values(DISASSEMBLY).flat().find((l) => l.pc === pc)?.line ?? null;
        return line === null ? null : { file: FILE, line, column: 0 };
      },
      disassemble: (f) => (DISASSEMBLY[f] ?? []).map(({ pc, text }) => ({ pc, text })),
    };
  }

  get now(): bigint {
    return this.time;
  }

  /** The frames at any time (innermost first). */
  framesAt(time: bigint): FrameView[] {
    const t = Number(time);
    const frame = (depth: number, funcIndex: number, pc: number, entryTime: number, locals: Value[]): FrameView => ({
      depth, funcIndex, name: NAMES[funcIndex], pc, entryTime: BigInt(entryTime), locals, paramCount: Math.min(locals.length, funcIndex === 1 ? 2 : 0),
      stack: [], source: this.module.sourceAt(pc),
    });
    const start = (depth: number) => frame(depth, 3, 0x90, 0, []);
    if (t < 2) return [start(0)];
    const divideEntry = t >= 45 ? 45 : t >= 10 && t < 40 && t % 10 < 5 ? t - (t % 10) : null;
    if (divideEntry === null) return [frame(0, 2, mainPc(t), 1, mainLocals(t)), start(1)];
    const k = t - divideEntry;
    const args = divideEntry === 45 ? [i32(22), i32(0)] : [i32(12), i32(divideEntry / 10)];
    const pc = [0x50, 0x52, 0x54, 0x54, 0x55][Math.min(k, 4)];
    return [frame(0, 1, pc, divideEntry, args), frame(1, 2, divideEntry === 45 ? 0x84 : 0x6e, 1, mainLocals(t)), start(2)];
  }

  frames(): readonly FrameView[] {
    return this.framesAt(this.time);
  }

  /**
   * The C variables of test/tui/fixtures/debug_target.c as DWARF would give them (with DWARF):
   * divide's `a` and `b`, main's `total` and, inside the loop's block, `i`; _start has none.
   */
  variables(frameIndex: number): readonly SourceVariable[] {
    const f = this.frames()[frameIndex];
    if (f === undefined) throw new RangeError(`no frame ${frameIndex}`);
    if (!(this.options.dwarf ?? true) || f.source === null) return [];
    const int = (name: string, kind: SourceVariable['kind'], local: number, declLine: number, address: number | null): SourceVariable => ({
      name, type: 'int', kind, declLine, unit: FILE, value: String((f.locals[local] as { value: number }).value),
      available: true, address, size: 4, children: [], inlined: null,
    });
    // divide's parameters stay in Wasm locals; main's total and i live at 0x1000 and 0x1004 (see memoryAt).
    if (f.funcIndex === 1) return [int('a', 'parameter', 0, 3, null), int('b', 'parameter', 1, 3, null)];
    const inLoop = f.pc >= 0x64 && f.pc <= 0x79;
    return [int('total', 'local', 0, 8, 0x1000), ...(inLoop ? [int('i', 'local', 1, 9, 0x1004)] : [])];
  }

  globalVariables(): readonly SourceVariable[] {
    return [];
  }

  memorySize(): number {
    return MEMORY_SIZE;
  }

  /** Memory at any time: "total=" at 0x400, main's total and i at 0x1000 and 0x1004. */
  memoryAt(time: bigint): Uint8Array {
    const m = new Uint8Array(MEMORY_SIZE);
    m.set(new TextEncoder().encode('total=%d\n'), 0x400);
    const [total, i] = mainLocals(Number(time));
    const view = new DataView(m.buffer);
    if (time >= 3n) view.setInt32(0x1000, (total as { value: number }).value, true);
    if (time >= 5n) view.setInt32(0x1004, (i as { value: number }).value, true);
    return m;
  }

  readMemory(address: number, length: number): Uint8Array {
    if (address < 0 || address + length > MEMORY_SIZE) throw new RangeError(`${address}+${length} is past the memory's size`);
    return this.memoryAt(this.time).slice(address, address + length);
  }

  globals(): readonly GlobalState[] {
    const depth = this.frames().length;
    const sp = 65536 - 16 * depth;
    const spBytes = new Uint8Array(new Int32Array([sp]).buffer);
    return [
      { index: 0, type: 'i32', mutable: true, known: 'set', bytes: spBytes, value: sp },
      { index: 1, type: 'i64', mutable: false, known: 'initial', bytes: new Uint8Array(8).fill(0).map((_, k) => (k === 0 ? 42 : 0)), value: 42n },
    ];
  }

  output(): OutputView {
    const t = Number(this.time);
    const lines = [18, 28, 38].filter((at) => t >= at).map((_, k) => `total=${[12, 18, 22][k]}\n`);
    const stderr = this.options.stderr && t >= 40 ? this.options.stderr : '';
    return { stdout: new TextEncoder().encode(lines.join('')), stderr: new TextEncoder().encode(stderr) };
  }

  addBreakpoint(spec: BreakpointSpec): Breakpoint {
    this.calls.push({ method: 'addBreakpoint', args: [spec] });
    const all = Object.values(DISASSEMBLY).flat();
    let pcs: number[];
    if (spec.kind === 'pc') pcs = [spec.pc];
    else if (spec.kind === 'function') pcs = DISASSEMBLY[NAMES.indexOf(spec.name)]?.slice(0, 1).map((l) => l.pc) ?? [];
    else pcs = all.filter((l) => l.line === spec.line && spec.file.endsWith(FILE)).slice(0, 1).map((l) => l.pc);
    const bp: Breakpoint = { id: this.nextId++, spec, pcs, note: null };
    this.bps.push(bp);
    return bp;
  }

  removeBreakpoint(id: number): boolean {
    this.calls.push({ method: 'removeBreakpoint', args: [id] });
    const i = this.bps.findIndex((b) => b.id === id);
    if (i >= 0) this.bps.splice(i, 1);
    return i >= 0;
  }

  breakpoints(): readonly Breakpoint[] {
    return [...this.bps];
  }

  addWatchpoint(address: number, size: number): Watchpoint {
    this.calls.push({ method: 'addWatchpoint', args: [address, size] });
    const w = { id: this.nextId++, address, size };
    this.wps.push(w);
    return w;
  }

  removeWatchpoint(id: number): boolean {
    this.calls.push({ method: 'removeWatchpoint', args: [id] });
    const i = this.wps.findIndex((w) => w.id === id);
    if (i >= 0) this.wps.splice(i, 1);
    return i >= 0;
  }

  watchpoints(): readonly Watchpoint[] {
    return [...this.wps];
  }

  stepInstruction(direction: Direction): StopEvent {
    this.calls.push({ method: 'stepInstruction', args: [direction] });
    return this.move(direction, 1n);
  }

  stepInto(direction: Direction, unit: StepUnit): StopEvent {
    this.calls.push({ method: 'stepInto', args: [direction, unit] });
    return this.move(direction, unit === 'line' ? 2n : 1n);
  }

  stepOver(direction: Direction, unit: StepUnit): StopEvent {
    this.calls.push({ method: 'stepOver', args: [direction, unit] });
    return this.move(direction, unit === 'line' ? 3n : 1n);
  }

  stepOut(direction: Direction): StopEvent {
    this.calls.push({ method: 'stepOut', args: [direction] });
    return this.move(direction, 5n);
  }

  /** The next (previous) time whose innermost pc has a breakpoint, without moving. */
  nextBreakpointHit(time: bigint, direction: Direction): bigint | null {
    const step = direction === 'forward' ? 1n : -1n;
    for (let t = time + step; t <= END; t += step) {
      if (t < 0n) return null;
      const pc = this.framesAt(t)[0]?.pc;
      if (this.bps.some((b) => b.pcs.includes(pc))) return t;
    }
    return null;
  }

  /** The three `fd_write` calls (main's printf: the call at pc 0x75 is next at 18, 28, 38, so each call makes the time after). */
  /** The TUI never asks these (they serve scripts); the fake answers as a run without calls or tables. */
  callsOf(): readonly never[] {
    return [];
  }

  tables(): readonly never[] {
    return [];
  }

  readonly importCallCount = 0;

  importCall(n: number): never {
    throw new RangeError(`import call ${n} does not exist: the fake has none`);
  }

  importCallTimes(): readonly bigint[] {
    return [19n, 29n, 39n];
  }

  /** To the next (previous) time whose innermost pc has a breakpoint; else the trap (forward) or the start. */
  continue(direction: Direction): StopEvent {
    this.calls.push({ method: 'continue', args: [direction] });
    const step = direction === 'forward' ? 1n : -1n;
    for (let t = this.time + step; t >= 0n && t <= END; t += step) {
      const pc = this.framesAt(t)[0]?.pc;
      const bp = this.bps.find((b) => b.pcs.includes(pc));
      if (bp) {
        this.time = t;
        return { kind: 'breakpoint', time: t, breakpoint: bp };
      }
    }
    return this.boundary(direction);
  }

  seek(time: bigint): StopEvent {
    this.calls.push({ method: 'seek', args: [time] });
    if (time < 0n || time > END) throw new RangeError(`time ${time} is outside [0, ${END}]`);
    this.time = time;
    return { kind: 'step', time };
  }

  interrupt(): void {
    this.calls.push({ method: 'interrupt', args: [] });
  }

  lastWriteBefore(address: number): WriteRecord | null {
    this.calls.push({ method: 'lastWriteBefore', args: [address] });
    for (let t = this.time; t > 0n; t--) {
      const before = this.memoryAt(t - 1n)[address];
      const after = this.memoryAt(t)[address];
      if (before !== after) {
        const pc = this.framesAt(t - 1n)[0]?.pc ?? null;
        return { kind: 'store', time: t, pc, importCall: null, address: address & ~3, size: 4, oldValue: before, newValue: after };
      }
    }
    return null;
  }

  nextWriteAfter(): WriteRecord | null {
    return null;
  }

  close(): void {
    this.calls.push({ method: 'close', args: [] });
  }

  /** The motions called so far, without breakpoint bookkeeping and queries. */
  motions(): FakeCall[] {
    const kinds = ['stepInstruction', 'stepInto', 'stepOver', 'stepOut', 'continue', 'seek'];
    return this.calls.filter((c) => kinds.includes(c.method));
  }

  private move(direction: Direction, distance: bigint): StopEvent {
    const target = direction === 'forward' ? this.time + distance : this.time - distance;
    if (target <= 0n || target >= END) return this.boundary(direction);
    this.time = target;
    return { kind: 'step', time: target };
  }

  /** Forward: the trap at the end (divide by zero); backward: the start of the recording. */
  private boundary(direction: Direction): StopEvent {
    if (direction === 'forward') {
      this.time = END;
      return { kind: 'trap', time: END, message: 'integer divide by zero' };
    }
    this.time = 0n;
    return { kind: 'history-boundary', time: 0n, boundary: 'start' };
  }
}
