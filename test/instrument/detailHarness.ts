/**
 * Test helpers for detail mode `full`: run a WASI module in this process on node:wasi (original
 * or instrumented) capturing its output, its memory at start and end, its detail events, and the
 * bytes the host wrote into memory during import calls (which are input, not detail events);
 * then replay the events forward, undo them backward, and check pcs and nesting.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WASI } from 'node:wasi';
import { CallShapes, decodeDetailEvents, drain, instrument, TIME_EXPORT, type DetailEvent, type ModulePositions } from '../../instrument/index.js';

/** Bytes the host wrote during one import call, placed before event number `atEvent`. */
export interface HostWrite {
  readonly atEvent: number;
  readonly address: number;
  readonly oldBytes: Uint8Array;
  readonly newBytes: Uint8Array;
}

export interface WasiRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly trap?: string;
  readonly initial: Uint8Array;
  readonly final: Uint8Array;
  readonly events: DetailEvent[];
  readonly eventBytes: number;
  readonly hostWrites: HostWrite[];
  readonly time?: bigint;
  readonly positions?: ModulePositions;
}

export interface WasiCase {
  readonly args?: readonly string[];
  readonly input?: string;
  readonly preopens?: Record<string, string>;
}

/** Runs `wasm` (original bytes) plainly or instrumented with detail `full`, in this process. */
export async function runWasi(wasm: Uint8Array, c: WasiCase, mode: 'plain' | 'full', name = 'app.wasm'): Promise<WasiRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-detail-'));
  const file = (n: string) => path.join(dir, n);
  fs.writeFileSync(file('in'), c.input ?? '');
  const fds = { stdin: fs.openSync(file('in'), 'r'), stdout: fs.openSync(file('out'), 'w'), stderr: fs.openSync(file('err'), 'w') };
  try {
    const wasi = new WASI({ version: 'preview1', args: [name, ...(c.args ?? [])], env: {}, preopens: c.preopens ?? {}, returnOnExit: true, ...fds });
    const events: DetailEvent[] = [];
    let eventBytes = 0;
    const hostWrites: HostWrite[] = [];
    let instance: WebAssembly.Instance | undefined;
    const memoryBytes = () => new Uint8Array((instance!.exports.memory as WebAssembly.Memory).buffer);
    const shapes = CallShapes.of(wasm);
    const sink = (chunk: Uint8Array) => {
      eventBytes += chunk.length;
      for (const e of decodeDetailEvents(chunk.slice(), shapes)) events.push(e); // the chunk is a view into the event memory: copy it, the events are views of it
    };
    // Wrap the WASI imports: every byte they change in memory is a host write.
    const wasiImports = wasi.getImportObject() as Record<string, Record<string, (...a: unknown[]) => unknown>>;
    const wrapped: Record<string, Record<string, unknown>> = {};
    for (const [module, fns] of Object.entries(wasiImports)) {
      wrapped[module] = {};
      for (const [fname, fn] of Object.entries(fns)) {
        wrapped[module][fname] = (...args: unknown[]) => {
          if (mode === 'full') drain(instance!);
          const before = memoryBytes().slice();
          try {
            return fn(...args);
          } finally {
            const after = memoryBytes();
            diffInto(hostWrites, events.length, before, after);
          }
        };
      }
    }
    let positions: ModulePositions | undefined;
    let bytes = wasm as Uint8Array<ArrayBuffer>;
    let runtime: WebAssembly.Imports = {};
    if (mode === 'full') {
      const result = await instrument(wasm, { detail: 'full' });
      bytes = result.bytes;
      positions = result.positions;
      runtime = result.runtimeImports(sink);
    }
    ({ instance } = await WebAssembly.instantiate(bytes, { ...wrapped, ...runtime } as WebAssembly.Imports));
    if (mode === 'full') drain(instance);
    const initial = memoryBytes().slice();
    let status: number | null = null;
    let trap: string | undefined;
    try {
      status = wasi.start(instance);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError || e instanceof RangeError)) throw e;
      trap = `${e.constructor.name}: ${e.message}`;
    }
    if (mode === 'full') drain(instance);
    const final = memoryBytes().slice();
    const time = mode === 'full' ? ((instance.exports[TIME_EXPORT] as WebAssembly.Global).value as bigint) : undefined;
    for (const fd of Object.values(fds)) {
      try {
        fs.closeSync(fd);
      } catch {
        // the guest may have closed it
      }
    }
    return {
      status, trap, initial, final, events, eventBytes, hostWrites, time, positions,
      stdout: fs.readFileSync(file('out'), 'utf8'), stderr: fs.readFileSync(file('err'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function diffInto(out: HostWrite[], atEvent: number, before: Uint8Array, after: Uint8Array): void {
  const n = Math.max(before.length, after.length);
  let i = 0;
  while (i < n) {
    if ((before[i] ?? 0) === after[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && (before[j] ?? 0) !== after[j]) j++;
    const old = new Uint8Array(j - i);
    for (let k = i; k < j; k++) old[k - i] = before[k] ?? 0;
    out.push({ atEvent, address: i, oldBytes: old, newBytes: after.slice(i, j) });
    i = j;
  }
}

/** A growable copy of linear memory. */
class Memory {
  bytes: Uint8Array;
  constructor(initial: Uint8Array) {
    this.bytes = initial.slice();
  }
  write(address: number, data: Uint8Array): void {
    if (address + data.length > this.bytes.length) throw new Error(`write past the end at ${address}+${data.length}`);
    this.bytes.set(data, address);
  }
  resize(pages: number): void {
    const next = new Uint8Array(pages * 65536);
    next.set(this.bytes.subarray(0, Math.min(this.bytes.length, next.length)));
    this.bytes = next;
  }
}

/** Applies every memory effect forward from `initial`; returns the memory at the end. */
export function replayForward(
  initial: Uint8Array,
  events: readonly DetailEvent[],
  hostWrites: readonly HostWrite[],
  segments: readonly Uint8Array[] = [],
  onStore?: (event: number, oldBytes: Uint8Array) => void,
): Uint8Array {
  const m = new Memory(initial);
  let h = 0;
  const host = (upTo: number) => {
    for (; h < hostWrites.length && hostWrites[h].atEvent <= upTo; h++) {
      const w = hostWrites[h];
      if (w.address + w.newBytes.length > m.bytes.length) m.resize(Math.ceil((w.address + w.newBytes.length) / 65536));
      m.write(w.address, w.newBytes);
    }
  };
  events.forEach((e, i) => {
    host(i);
    switch (e.kind) {
      case 'store':
        onStore?.(i, m.bytes.slice(e.address, e.address + e.width));
        m.write(e.address, e.newBytes);
        break;
      case 'fill':
        m.write(e.dest, new Uint8Array(e.size).fill(e.value));
        break;
      case 'copy':
        m.write(e.dest, m.bytes.slice(e.source, e.source + e.size));
        break;
      case 'init':
        m.write(e.dest, segments[e.segment].slice(e.sourceOffset, e.sourceOffset + e.size));
        break;
      case 'grow':
        if (e.result !== -1) m.resize(e.oldPages + e.delta);
        break;
      default:
        break;
    }
  });
  host(Infinity);
  return m.bytes;
}

/**
 * The bytes each store overwrote (store events do not carry them), by event index: what a replay
 * reads from memory just before the store, replaying forward from `initial`.
 */
export function storeOldBytes(initial: Uint8Array, events: readonly DetailEvent[], hostWrites: readonly HostWrite[], segments: readonly Uint8Array[] = []): Map<number, Uint8Array> {
  const old = new Map<number, Uint8Array>();
  replayForward(initial, events, hostWrites, segments, (i, bytes) => old.set(i, bytes));
  return old;
}

/**
 * Undoes every memory effect backward from `final`: bulk events with the old bytes they carry,
 * stores with `storeOld` (`storeOldBytes`); returns the memory at the start.
 */
export function undoBackward(final: Uint8Array, events: readonly DetailEvent[], hostWrites: readonly HostWrite[], storeOld: ReadonlyMap<number, Uint8Array>): Uint8Array {
  const m = new Memory(final);
  let h = hostWrites.length - 1;
  const host = (downTo: number) => {
    for (; h >= 0 && hostWrites[h].atEvent >= downTo; h--) m.write(hostWrites[h].address, hostWrites[h].oldBytes);
  };
  for (let i = events.length - 1; i >= 0; i--) {
    host(i + 1);
    const e = events[i];
    if (e.kind === 'store') m.write(e.address, storeOld.get(i)!);
    else if (e.kind === 'fill' || e.kind === 'copy' || e.kind === 'init') m.write(e.dest, e.oldBytes);
    else if (e.kind === 'grow' && e.result !== -1) m.resize(e.oldPages);
  }
  host(0);
  return m.bytes;
}

const KIND_OF: Record<string, (name: string) => boolean> = {
  store: (n) => /\.store/.test(n),
  grow: (n) => n === 'memory.grow',
  fill: (n) => n === 'memory.fill',
  copy: (n) => n === 'memory.copy',
  init: (n) => n === 'memory.init',
  globalSet: (n) => n === 'global.set',
  exit: (n) => ['return', 'end', 'br', 'br_if', 'br_table', 'return_call', 'return_call_indirect'].includes(n),
  catch: (n) => ['catch', 'catch_all', 'end', 'loop'].includes(n),
  snapshot: () => true, // any instruction, but right after a `loop` (checked below)
};

/** Every event's pc names an instruction of the right kind (enter: the function's first instruction; snapshot: a loop body's first). */
export function pcProblems(events: readonly DetailEvent[], positions: ModulePositions): string[] {
  const byOffset = new Map<number, { name: string; func: number }>();
  const firstOf = new Map<number, number>();
  const loopBodies = new Set<number>();
  for (const fn of positions.functions) {
    firstOf.set(fn.funcIndex, fn.instructions[0].offset);
    for (const ins of fn.instructions) byOffset.set(ins.offset, { name: ins.name, func: fn.funcIndex });
    for (const ins of fn.instructions) if (ins.name === 'loop') loopBodies.add(ins.end);
  }
  const problems: string[] = [];
  for (const e of events) {
    if (e.kind === 'enter') {
      if (firstOf.get(e.func) !== e.pc) problems.push(`enter ${e.func} at pc ${e.pc}, first instruction ${firstOf.get(e.func)}`);
      continue;
    }
    const ins = byOffset.get(e.pc);
    if (!ins || !KIND_OF[e.kind](ins.name)) problems.push(`${e.kind} at pc ${e.pc}: instruction ${ins?.name ?? 'none'}`);
    else if ((e.kind === 'exit' || e.kind === 'catch' || e.kind === 'snapshot') && ins.func !== e.func) problems.push(`${e.kind} of ${e.func} at pc ${e.pc} in function ${ins.func}`);
    else if (e.kind === 'snapshot' && !loopBodies.has(e.pc)) problems.push(`snapshot at pc ${e.pc}: not the start of a loop body`);
  }
  return problems;
}

/**
 * Times never decrease; enter/exit nest (a trap may leave frames open); a `catch` names a live
 * frame by its enter time and unwinds the frames above it (docs/instrumentation.md, "Exceptions");
 * a `snapshot` names the running frame. Returns problems, the max depth, the frames left open and how many frames catches unwound.
 */
export function orderProblems(events: readonly DetailEvent[]): { problems: string[]; maxDepth: number; open: number; unwound: number } {
  const problems: string[] = [];
  const stack: { func: number; time: bigint }[] = [];
  let maxDepth = 0;
  let unwound = 0;
  let last = 0n;
  events.forEach((e, i) => {
    if (e.time < last) problems.push(`event ${i} (${e.kind}) at time ${e.time} after ${last}`);
    last = e.time;
    if (e.kind === 'enter') {
      const top = stack[stack.length - 1];
      if (top && top.time >= e.time) problems.push(`event ${i}: enter at ${e.time}, not after its caller's ${top.time}`);
      stack.push({ func: e.func, time: e.time });
      maxDepth = Math.max(maxDepth, stack.length);
    } else if (e.kind === 'exit') {
      const top = stack.pop();
      if (top?.func !== e.func) problems.push(`event ${i}: exit of ${e.func} but ${top?.func} is running`);
    } else if (e.kind === 'catch') {
      while (stack.length > 0 && stack[stack.length - 1].time > e.frameTime) {
        stack.pop();
        unwound++;
      }
      const top = stack[stack.length - 1];
      if (top?.time !== e.frameTime || top.func !== e.func) problems.push(`event ${i}: catch by ${e.func}@${e.frameTime}, but ${top?.func}@${top?.time} is running`);
    } else if (e.kind === 'snapshot') {
      const top = stack[stack.length - 1];
      if (top?.time !== e.frameTime || top.func !== e.func) problems.push(`event ${i}: snapshot of ${e.func}@${e.frameTime}, but ${top?.func}@${top?.time} is running`);
    } else if (stack.length === 0) {
      problems.push(`event ${i} (${e.kind}) outside any function`);
    }
  });
  return { problems, maxDepth, open: stack.length, unwound };
}
