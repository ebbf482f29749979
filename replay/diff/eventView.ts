/**
 * Items of a level-2/3 stream as a report shows them (`EventView`: JSON-ready), and the ring of
 * the last few items each side keeps for context. Views are built only for the handful of items
 * a report shows; the ring holds references into chunks already read, not copies.
 */
import type { DetailEvent, DetailValue } from '../../instrument/detailEvents.js';
import type { ImportCall } from '../../src/trace/index.js';
import { formatValue } from '../engine/values.js';
import type { EventView } from '../diffTypes.js';
import type { DetailTrace } from './detailTrace.js';
import { decodeEventAt, type RawEvents } from './rawEvents.js';
import { ITEM_CALL, type SideStream } from './sideStream.js';

/** One item, enough to build its view later. */
interface Slot {
  index: number;
  time: number;
  call: ImportCall | null;
  bytes: Uint8Array;
  start: number;
  end: number;
  func: number;
  depth: number;
}

/** The current item of `s` as a view; `stack` adds the call path (innermost first). */
export function currentView(s: SideStream, withStack = false): EventView {
  const v = viewOf(s.trace, slotOf(s));
  if (!withStack) return v;
  const stack = s.stack().map((f) => s.trace.functionName(f));
  // An exit's frame is already popped: it is still where the exit happens.
  if (v.kind === 'exit') stack.unshift(s.trace.functionName(s.func));
  if (v.kind !== 'enter' && v.kind !== 'import') return { ...v, stack };
  const frames = s.stack();
  // An enter's callee is on top (its caller below it); an import call's caller is on top.
  const caller = v.kind === 'enter' ? frames[1] : frames[0];
  const callee = v.kind === 'enter' ? s.func : s.call!.functionIndex;
  const pc = caller === undefined ? null : s.trace.callSite(caller, callee);
  return { ...v, stack, callSite: pc === null ? null : { pc, location: s.trace.locationAt(pc) } };
}

function slotOf(s: SideStream): Slot {
  const e = s.events;
  return {
    index: s.position - 1, time: s.time, call: s.item === ITEM_CALL ? s.call : null,
    bytes: e.bytes, start: e.start, end: e.end, func: s.func, depth: s.depth,
  };
}

/** The last `n` items of one side, in parallel arrays (written for every item compared). */
export class ContextRing {
  private readonly index: Float64Array;
  private readonly time: Float64Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly func: Int32Array;
  private readonly depth: Int32Array;
  private readonly bytes: Uint8Array[];
  private readonly calls: (ImportCall | null)[];
  private size = 0;
  private next = 0;

  constructor(private readonly n: number) {
    this.index = new Float64Array(n);
    this.time = new Float64Array(n);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.func = new Int32Array(n);
    this.depth = new Int32Array(n);
    this.bytes = new Array<Uint8Array>(n);
    this.calls = new Array<ImportCall | null>(n).fill(null);
  }

  /** Remembers the current item of `s`. */
  push(s: SideStream): void {
    if (this.n === 0) return;
    const i = this.next;
    const e = s.events;
    this.index[i] = s.position - 1;
    this.time[i] = s.time;
    this.start[i] = e.start;
    this.end[i] = e.end;
    this.func[i] = s.func;
    this.depth[i] = s.depth;
    this.bytes[i] = e.bytes;
    this.calls[i] = s.item === ITEM_CALL ? s.call : null;
    this.next = i + 1 === this.n ? 0 : i + 1;
    if (this.size < this.n) this.size++;
  }

  /** Remembers the event `e` stands on, item `index` of its stream (the fast path's `push`). */
  pushEvent(index: number, e: RawEvents, func: number, depth: number): void {
    const i = this.next;
    this.last = e.time;
    if (this.n === 0) return;
    this.index[i] = index;
    this.time[i] = e.time;
    this.start[i] = e.start;
    this.end[i] = e.end;
    this.func[i] = func;
    this.depth[i] = depth;
    this.bytes[i] = e.bytes;
    this.calls[i] = null;
    this.next = i + 1 === this.n ? 0 : i + 1;
    if (this.size < this.n) this.size++;
  }

  /** Time of the last item `pushEvent` remembered. */
  lastTime(): number {
    return this.last;
  }

  private last = 0;

  /** Remembers what `other` (a ring of the same size) remembers: items alike on both sides. */
  copyFrom(other: ContextRing): void {
    this.index.set(other.index);
    this.time.set(other.time);
    this.start.set(other.start);
    this.end.set(other.end);
    this.func.set(other.func);
    this.depth.set(other.depth);
    for (let i = 0; i < this.n; i++) {
      this.bytes[i] = other.bytes[i];
      this.calls[i] = other.calls[i];
    }
    this.size = other.size;
    this.next = other.next;
  }

  /** Views of the remembered items, oldest first. */
  views(trace: DetailTrace): EventView[] {
    const out: EventView[] = [];
    for (let k = 0; k < this.size; k++) {
      const i = (this.next - this.size + k + this.n) % this.n;
      out.push(viewOf(trace, {
        index: this.index[i], time: this.time[i], call: this.calls[i], bytes: this.bytes[i],
        start: this.start[i], end: this.end[i], func: this.func[i], depth: this.depth[i],
      }));
    }
    return out;
  }
}

function viewOf(trace: DetailTrace, s: Slot): EventView {
  const fn = s.func < 0 ? null : trace.functionName(s.func);
  const base = { index: s.index, time: String(s.time), function: fn, depth: s.depth };
  if (s.call !== null) {
    const c = s.call;
    const name = trace.importName(c.functionIndex);
    const text = rawCallText(name, c);
    return { ...base, kind: 'import', name, pc: null, location: null, value: c.result === null ? null : String(c.result), text };
  }
  const e = decodeEventAt(s.bytes, s.start, s.end, s.time, trace.shapes);
  const location = trace.locationAt(e.pc);
  const { name, value, text } = describeEvent(trace, e);
  return { ...base, kind: e.kind as EventView['kind'], name, pc: e.pc, location: location === null ? null : { ...location }, value, text };
}

/** `fd_write(1, 1024, 1, 2000) = 0, wrote 4 bytes`: an import call from its raw log entry. */
export function rawCallText(name: string, c: ImportCall): string {
  const written = c.writes.reduce((n, w) => n + w.bytes.length, 0);
  const result = c.result === null ? ' (did not return)' : ` = ${c.result}`;
  return `${name}(${c.args.join(', ')})${result}${written > 0 ? `, wrote ${written} bytes` : ''}`;
}

function describeEvent(trace: DetailTrace, e: DetailEvent): { name: string | null; value: string | null; text: string } {
  switch (e.kind) {
    case 'enter': {
      const name = trace.functionName(e.func);
      const args = values(e.args);
      return { name, value: args, text: `enter ${name}(${args})` };
    }
    case 'exit': {
      const name = trace.functionName(e.func);
      const results = values(e.results);
      return { name, value: results, text: `exit ${name}${results === '' ? '' : ` -> ${results}`}` };
    }
    case 'catch': {
      const name = trace.functionName(e.func);
      return { name, value: null, text: `catch in ${name} (frames above it unwound)` };
    }
    case 'store':
      return { name: null, value: bytesValue(e.newBytes), text: `store ${e.width} bytes at 0x${hex32(e.address)}: ${bytesValue(e.newBytes)}` };
    case 'globalSet':
      return { name: null, value: bytesValue(e.newBytes), text: `global.set ${e.global}: ${bytesValue(e.newBytes)} (was ${bytesValue(e.oldBytes)})` };
    case 'grow':
      return { name: null, value: String(e.result), text: `memory.grow by ${e.delta} pages from ${e.oldPages} = ${e.result}` };
    case 'fill':
      return { name: null, value: String(e.value), text: `memory.fill ${e.size} bytes at 0x${hex32(e.dest)} with ${e.value}` };
    case 'copy':
      return { name: null, value: null, text: `memory.copy ${e.size} bytes from 0x${hex32(e.source)} to 0x${hex32(e.dest)}` };
    case 'init':
      return { name: null, value: null, text: `memory.init ${e.size} bytes of segment ${e.segment}+${e.sourceOffset} to 0x${hex32(e.dest)}` };
    case 'snapshot':
      return { name: trace.functionName(e.func), value: values(e.locals), text: `locals of ${trace.functionName(e.func)}: ${values(e.locals)}` };
  }
}

function values(vs: readonly DetailValue[]): string {
  return vs.map(formatValue).join(', ');
}

/**
 * Little-endian bytes as a person reads a stored value: the unsigned number for 1, 2 and 4
 * bytes and (as a bigint) for 8, with the raw hex (`1234 (0xd2 0x04 0x00 0x00)` reads badly,
 * so: `1234 = 0x000004d2`).
 */
function bytesValue(b: Uint8Array): string {
  if (b.length === 0) return '(no value)';
  const hex = Buffer.from(b).reverse().toString('hex');
  if (b.length > 8) return `0x${hex}`;
  return `${BigInt('0x' + hex)} = 0x${hex}`;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
