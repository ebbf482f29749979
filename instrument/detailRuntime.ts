/**
 * The JS side of detail mode `full`: the `wtrace.flush` import through which an instrumented
 * instance hands its event buffer to a sink, and `drain`, which delivers what is still buffered.
 *
 * A Wasm import cannot see the instance that calls it, so the flush function learns the event
 * memory when `drain(instance)` is first called: call it once right after instantiating (that
 * delivers anything the start function logged) and once at the end. Until then, and whenever no
 * sink is given, the instance keeps its events: with a sink they accumulate in its event memory
 * (which grows), without one they are discarded at each flush.
 */
import { scanDetailEvents, SYNC_SIZE, timeDeltaAt } from './detailEvents.js';
import { EVENTS_COUNT_EXPORT, EVENTS_END_EXPORT, EVENTS_EXPORT, EVENTS_SYNC_END_EXPORT, EVENTS_TIME_EXPORT, FLUSH_EXPORT, FLUSH_IMPORT, RUNTIME_MODULE } from './fullModule.js';

/** What a flushed buffer holds, as the module counted it (so that a recorder need not scan it). */
export interface BufferSummary {
  /** Events in the buffer (syncs are not events); at least 1. */
  readonly count: number;
  /** Times of its first and its last event. */
  readonly firstTime: bigint;
  readonly lastTime: bigint;
}

/**
 * Receives event bytes (a whole number of events; decodeDetailEvents reads their concatenation)
 * and their summary. Every buffer starts with a time sync, so each one also decodes on its own.
 * The array is a view into the instance's event memory, valid only during the call: copy it to
 * keep it.
 */
export type EventSink = (events: Uint8Array, summary: BufferSummary) => void;

/** `flush(-1)` from `drain` asks the runtime to bind to the instance being drained. */
const BIND = -1;

interface RuntimeState {
  readonly sink: EventSink | undefined;
  memory: WebAssembly.Memory | undefined;
  /** The instance's `K`, `L` and `Q` globals (fullModule.ts). */
  globals: SummaryGlobals | undefined;
}

/** The module's globals a buffer's summary comes from. */
interface SummaryGlobals {
  /** `K`: events in the buffer. */
  readonly count: WebAssembly.Global;
  /** `L`: the time of the last event or sync. */
  readonly lastTime: WebAssembly.Global;
  /** `Q`: the offset just past the last sync that `sync` wrote. */
  readonly syncEnd: WebAssembly.Global;
}

function summaryGlobals(exports: WebAssembly.Exports): SummaryGlobals | undefined {
  const count = exports[EVENTS_COUNT_EXPORT] as WebAssembly.Global | undefined;
  const lastTime = exports[EVENTS_TIME_EXPORT] as WebAssembly.Global | undefined;
  const syncEnd = exports[EVENTS_SYNC_END_EXPORT] as WebAssembly.Global | undefined;
  return count && lastTime && syncEnd ? { count, lastTime, syncEnd } : undefined;
}

let binding: { instance: WebAssembly.Instance; state?: RuntimeState } | undefined;

/**
 * The imports a `full` module needs besides the program's own. Events are discarded without a
 * sink. With a sink, use one import object per instance: it streams to the instance that
 * `drain` bound it to last.
 */
export function runtimeImports(sink?: EventSink): WebAssembly.Imports {
  const state: RuntimeState = { sink, memory: undefined, globals: undefined };
  const flush = (length: number): number => {
    if (length === BIND) {
      if (binding) {
        const exports = binding.instance.exports;
        state.memory = exports[EVENTS_EXPORT] as WebAssembly.Memory;
        state.globals = summaryGlobals(exports);
        binding.state = state;
      }
      return 0;
    }
    if (!state.sink) return 1;
    if (!state.memory) return 0; // not bound yet: keep the bytes (the event memory grows)
    deliver(state.sink, new Uint8Array(state.memory.buffer, 0, length), state.globals!);
    return 1;
  };
  return { [RUNTIME_MODULE]: { [FLUSH_IMPORT]: flush } };
}

/**
 * Delivers the events an instance of a `full` module still holds to `sink` (default: the sink
 * given to `runtimeImports` for that instance; without either they are discarded), and binds
 * the instance to its runtime so that later flushes stream to that sink. Call it after
 * instantiating and after the run ends (normally, by `proc_exit`, or by a trap).
 */
export function drain(instance: WebAssembly.Instance, sink?: EventSink): void {
  const exports = instance.exports;
  const memory = exports[EVENTS_EXPORT] as WebAssembly.Memory | undefined;
  const end = exports[EVENTS_END_EXPORT] as WebAssembly.Global | undefined;
  const flush = exports[FLUSH_EXPORT] as ((n: number) => number) | undefined;
  const globals = summaryGlobals(exports);
  if (!memory || !end || !flush || !globals) {
    throw new TypeError('drain: not an instance of a module instrumented with detail "full"');
  }
  binding = { instance };
  let state: RuntimeState | undefined;
  try {
    flush(BIND);
    state = binding.state;
  } finally {
    binding = undefined;
  }
  const target = sink ?? state?.sink;
  const length = end.value as number;
  if (target) deliver(target, new Uint8Array(memory.buffer, 0, length), globals);
  globals.count.value = 0;
  // The buffer restarts with a sync of the last committed time (as the module's `reserve` does).
  const view = new DataView(memory.buffer);
  view.setUint8(0, 0);
  view.setBigUint64(1, BigInt.asUintN(64, globals.lastTime.value as bigint), true);
  end.value = SYNC_SIZE;
}

/**
 * Passes a buffer to `sink` with its summary: the count from `K`, the first time from the header
 * of the first event after the leading syncs, the last time from `L`. `L` is a sync's time when
 * the buffer ends with a sync whose event trapped (`Q` is the buffer's end): only then is the
 * buffer scanned for its last event. A buffer of syncs only (a buffer always starts with one) is
 * not worth a sink call.
 */
function deliver(sink: EventSink, bytes: Uint8Array, globals: SummaryGlobals): void {
  const count = globals.count.value as number;
  if (count === 0) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let time = 0n;
  while (bytes[at] === 0) {
    time = view.getBigUint64(at + 1, true);
    at += SYNC_SIZE;
  }
  const firstTime = BigInt.asUintN(64, time + BigInt(timeDeltaAt(bytes, at)));
  const endsWithSync = (globals.syncEnd.value as number) === bytes.length;
  const lastTime = endsWithSync ? scanDetailEvents(bytes).lastTime : BigInt.asUintN(64, globals.lastTime.value as bigint);
  sink(bytes, { count, firstTime, lastTime });
}
