/**
 * Fills `wtrace query`'s detail views (`calls`, `writes`: docs/query.md) from a trace's detail
 * events in one pass over its chunks, for src/trace/query.ts (which cannot decode events: the
 * decoder lives in instrument/). The call stack follows timeline/callStack.ts's rules: an exit
 * closes the nearest open activation of its function (activations above it were unwound by an
 * exception and end without an exit), a catch unwinds every activation entered after the
 * catching frame. Memory use is the live stack, not the trace.
 */
// The decoder alone, not instrument/index.js: that would load Binaryen for every query.
import { EventKind, type DetailValue } from '../instrument/detailEvents.js';
import { DetailScanner } from '../instrument/detailScan.js';
import { CallShapes } from '../instrument/callShapes.js';
import { queryTrace, type DetailRowSink, type DetailViewFiller, type QueryResult, type TraceReader } from '../src/trace/index.js';
import { readModuleInfo } from '../src/wasm/moduleInfo.js';
import { TimelineCoverageError } from './timeline/errors.js';
import { Timeline } from './timeline/timeline.js';
import type { StateCursor } from './timeline/stateCursor.js';

interface Activation {
  readonly id: number;
  readonly func: number;
  readonly enterTime: bigint;
  readonly enterPc: number;
  readonly args: string;
  readonly caller: Activation | null;
  readonly depth: number;
}

/** The filler `queryTrace` takes as `options.detail`. */
export const detailViews: DetailViewFiller = {
  fill(reader: TraceReader, names: ReadonlySet<string>, sink: DetailRowSink): void {
    const wantCalls = names.has('calls');
    const wantWrites = names.has('writes');
    const wasm = reader.moduleBytes();
    const functionNames = readModuleInfo(wasm).functionNames;
    const shapes = CallShapes.of(wasm);
    let top = null as Activation | null;
    let nextId = 0;
    const before = new BytesBefore(reader.path);
    const end = (a: Activation, exitTime: bigint | null, exitPc: number | null, results: string | null) => {
      if (!wantCalls) return;
      sink.insert('calls', [
        a.id, a.func, functionNames.get(a.func) ?? null, a.caller?.id ?? null, a.caller?.func ?? null, a.depth,
        a.enterTime, exitTime, a.enterPc, exitPc, a.args, results,
      ]);
    };
    for (const chunk of reader.detailChunks()) {
      const s = new DetailScanner(chunk.events, undefined, shapes);
      while (s.next()) {
        // Only the events a wanted view uses become objects (stores are most of a trace).
        const k = s.kind;
        const call = k === EventKind.enter || k === EventKind.exit || k === EventKind.catch;
        if (!(call || (wantWrites && k <= EventKind.init && k !== EventKind.grow))) continue;
        const e = s.decode();
        switch (e.kind) {
          case 'enter':
            top = { id: nextId++, func: e.func, enterTime: e.time, enterPc: e.pc, args: valuesJson(e.args), caller: top, depth: (top?.depth ?? 0) + 1 };
            break;
          case 'exit': {
            let f: Activation | null = top;
            while (f !== null && f.func !== e.func) f = f.caller;
            if (f === null) break; // an exit of an activation entered before the detail window
            for (let u = top; u !== f; u = u!.caller) end(u!, null, null, null);
            end(f, e.time, e.pc, valuesJson(e.results));
            top = f.caller;
            break;
          }
          case 'catch':
            while (top !== null && top.enterTime > e.frameTime) {
              end(top, null, null, null);
              top = top.caller;
            }
            break;
          case 'store':
            if (wantWrites) sink.insert('writes', [e.time, e.pc, top?.func ?? null, 'store', e.address, e.width, before.read(e.address, e.width, e.time), e.newBytes.slice()]);
            break;
          case 'fill':
            if (wantWrites) sink.insert('writes', [e.time, e.pc, top?.func ?? null, 'fill', e.dest, e.size, e.oldBytes.slice(), new Uint8Array(e.size).fill(e.value)]);
            break;
          case 'copy':
          case 'init':
            // The bytes they write are not in the event (they come from memory or a data segment).
            if (wantWrites) sink.insert('writes', [e.time, e.pc, top?.func ?? null, e.kind, e.dest, e.size, e.oldBytes.slice(), null]);
            break;
          default:
            break;
        }
      }
    }
    // Activations still open at the end never returned (proc_exit, a trap).
    for (let u = top; u !== null; u = u.caller) end(u, null, null, null);
    before.close();
  },
};

/**
 * The bytes a store overwrote, which its event does not carry: memory just before it, read from
 * a forward cursor over the trace's timeline (opened at the first store asked for). A trace whose
 * detail covers only a window has no memory before the window: there the bytes are null.
 */
class BytesBefore {
  private timeline: Timeline | null = null;
  private cursor: StateCursor | null | undefined;

  constructor(private readonly file: string) {}

  read(address: number, size: number, time: bigint): Uint8Array | null {
    if (this.cursor === undefined) this.cursor = this.open();
    if (this.cursor === null) return null;
    this.cursor.advanceTo(time - 1n);
    return this.cursor.memory.bytes.slice(address, address + size);
  }

  close(): void {
    this.timeline?.close();
  }

  private open(): StateCursor | null {
    try {
      // `wtrace query` never changes the trace: a stored index is used, none is written; one
      // forward walk needs no read-ahead.
      this.timeline = Timeline.open(this.file, { stored: 'read', prefetch: false });
    } catch (e) {
      if (e instanceof TimelineCoverageError) return null;
      throw e;
    }
    return this.timeline.cursorAt(0n);
  }
}

/** Values as a JSON array: i32 and f32/f64 as numbers, i64 as decimal strings, v128 as hex, references as null or "ref". */
function valuesJson(values: readonly DetailValue[]): string {
  return JSON.stringify(values.map(jsonValue));
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigUint64Array(f64.buffer);

function jsonValue(v: DetailValue): number | string | null {
  switch (v.type) {
    case 'i32': return v.value;
    case 'i64': return v.value.toString();
    case 'f32': f32Bits[0] = v.bits; return finite(f32[0]);
    case 'f64': f64Bits[0] = v.bits; return finite(f64[0]);
    case 'v128': return Buffer.from(v.bytes).toString('hex');
    default: return v.isNull ? null : 'ref';
  }
}

function finite(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/** `queryTrace` with every view available, detail views included: what `wtrace query` runs. */
export function queryExecution(file: string, sql: string): QueryResult {
  return queryTrace(file, sql, { detail: detailViews });
}
