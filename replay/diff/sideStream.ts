/**
 * One trace's execution as a single stream in time order: its detail events (those a level
 * keeps) merged with its import calls, with the call stack kept up to date, so that a diff can
 * walk two traces in lockstep. At equal times an event comes before an import call (the order
 * the timeline applies them in). Memory: the current chunk, the stack and nothing else.
 */
import { EventKind } from '../../instrument/detailEvents.js';
import type { ImportCall } from '../../src/trace/index.js';
import type { DetailTrace } from './detailTrace.js';
import type { ContextRing } from './eventView.js';
import { RawEvents } from './rawEvents.js';

export const ITEM_EVENT = 0;
export const ITEM_CALL = 1;

export class SideStream {
  readonly events: RawEvents;
  /** What the current item is: ITEM_EVENT (see `events`) or ITEM_CALL (see `call`). */
  item = ITEM_EVENT;
  call: ImportCall | null = null;
  /** Time of the current item. */
  time = 0;
  /** Items consumed, the current one included. */
  position = 0;
  /** Import calls consumed. */
  calls = 0;
  /**
   * The function the current item happens in (an enter: the callee; an exit: the function
   * leaving) and the stack depth there (1 for the outermost frame; 0 before any).
   */
  func = -1;
  depth = 0;
  /** The call stack after the current item: function indices and enter times, outermost first. */
  private stackFuncs = new Int32Array(256);
  private stackTimes = new Float64Array(256);
  private stackSize = 0;

  private eventReady = false;
  private eventsDone = false;
  private pending: ImportCall | null = null;
  private pendingTime = 0;
  private readonly calls$: Iterator<ImportCall>;

  constructor(
    readonly trace: DetailTrace,
    /** Which event kinds the stream shows (`kindMask`; enter, exit and catch must be among them: they move the stack). */
    private readonly keep: Uint8Array,
    /** Sees every import call of the log once, in order (`drain` passes the rest after a stop). */
    private readonly onCall: (call: ImportCall) => void = () => {},
  ) {
    this.events = new RawEvents(trace.reader.detailChunks(), trace.file, trace.shapes);
    this.calls$ = trace.reader.importCalls();
  }

  /** Moves to the next item; false when both the events and the calls are exhausted. */
  next(): boolean {
    if (!this.eventReady && !this.eventsDone) {
      this.eventReady = this.events.next(this.keep);
      this.eventsDone = !this.eventReady;
    }
    if (this.pending === null) {
      this.pending = this.nextCall();
      if (this.pending !== null) this.pendingTime = Number(this.pending.time);
    }
    const call = this.pending;
    if (this.eventReady && (call === null || this.events.time <= this.pendingTime)) {
      this.eventReady = false;
      this.takeEvent();
      return true;
    }
    if (call === null) return false;
    this.pending = null;
    this.item = ITEM_CALL;
    this.call = call;
    this.time = this.pendingTime;
    this.func = this.stackSize > 0 ? this.stackFuncs[this.stackSize - 1] : -1;
    this.depth = this.stackSize;
    this.position++;
    this.calls++;
    return true;
  }

  /** Makes the event the reader stands on the current item. */
  private takeEvent(): void {
    this.item = ITEM_EVENT;
    this.call = null;
    this.time = this.events.time;
    this.position++;
    this.moveStack();
  }

  /**
   * Fast path for two streams known to read equal chunks (`RawEvents.mirrors`): takes the
   * events of the current chunk as items, up to (not including) the first one that comes after
   * an import call, or the chunk's end; `ring` remembers them. Returns the number taken. Only
   * when no event is waiting (`waiting` false).
   */
  takeChunkEvents(callTime: number, ring: ContextRing): number {
    const e = this.events;
    const keep = this.keep;
    let n = 0;
    while (e.nextInChunk(keep)) {
      if (e.time > callTime) {
        // An import call comes first: the event waits, as `next` would leave it.
        this.eventReady = true;
        break;
      }
      const kind = e.kind;
      if (kind === EventKind.enter || kind === EventKind.exit || kind === EventKind.catch) this.moveStack();
      else {
        this.func = this.stackSize > 0 ? this.stackFuncs[this.stackSize - 1] : -1;
        this.depth = this.stackSize;
      }
      ring.pushEvent(this.position + n, e, this.func, this.depth);
      n++;
    }
    if (n > 0) {
      this.position += n;
      this.item = ITEM_EVENT;
      this.call = null;
      this.time = ring.lastTime();
    }
    return n;
  }

  /** True when an event has been read but not yet taken as an item (an import call came first). */
  get waiting(): boolean {
    return this.eventReady;
  }

  /** Time of the next import call (read ahead; the call stays next), Infinity when the log has no more. */
  nextCallTime(): number {
    if (this.pending === null) {
      this.pending = this.nextCall();
      if (this.pending === null) return Infinity;
      this.pendingTime = Number(this.pending.time);
    }
    return this.pendingTime;
  }

  /**
   * Stands where `leader` stands after `takeChunkEvents` over a chunk equal to its own: same
   * reader position, items, stack. Import calls stay this stream's own (none were taken).
   */
  follow(leader: SideStream): void {
    this.events.follow(leader.events);
    this.eventReady = leader.eventReady;
    this.item = leader.item;
    this.call = leader.call;
    this.time = leader.time;
    this.position = leader.position;
    this.func = leader.func;
    this.depth = leader.depth;
    if (this.stackFuncs.length < leader.stackFuncs.length) {
      this.stackFuncs = new Int32Array(leader.stackFuncs.length);
      this.stackTimes = new Float64Array(leader.stackTimes.length);
    }
    this.stackFuncs.set(leader.stackFuncs.subarray(0, leader.stackSize));
    this.stackTimes.set(leader.stackTimes.subarray(0, leader.stackSize));
    this.stackSize = leader.stackSize;
  }

  /** Function indices on the stack, innermost first (the stack after the current item). */
  stack(): number[] {
    const out: number[] = [];
    for (let i = this.stackSize - 1; i >= 0; i--) out.push(this.stackFuncs[i]);
    return out;
  }

  /** Reads the rest of the import log (for `onCall`); returns the number of calls in the log. */
  drain(): number {
    while (this.nextCall() !== null);
    return this.logged;
  }

  /** Import calls pulled from the log so far. */
  private logged = 0;

  private nextCall(): ImportCall | null {
    const r = this.calls$.next();
    if (r.done) return null;
    this.logged++;
    this.onCall(r.value);
    return r.value;
  }

  private moveStack(): void {
    const e = this.events;
    const kind = e.kind;
    if (kind === EventKind.enter) {
      if (this.stackSize === this.stackFuncs.length) this.grow();
      this.stackFuncs[this.stackSize] = e.func;
      this.stackTimes[this.stackSize] = e.time;
      this.stackSize++;
      this.func = e.func;
      this.depth = this.stackSize;
    } else if (kind === EventKind.exit) {
      const f = e.func;
      this.func = f;
      this.depth = this.stackSize;
      // Pops down to the exiting function's frame (an exception may have unwound frames above it without exits).
      for (let i = this.stackSize - 1; i >= 0; i--) {
        if (this.stackFuncs[i] === f) {
          this.depth = i + 1;
          this.stackSize = i;
          break;
        }
      }
    } else if (kind === EventKind.catch) {
      const frameTime = e.frameTime;
      while (this.stackSize > 0 && this.stackTimes[this.stackSize - 1] > frameTime) this.stackSize--;
      this.func = e.func;
      this.depth = this.stackSize;
    } else {
      this.func = this.stackSize > 0 ? this.stackFuncs[this.stackSize - 1] : -1;
      this.depth = this.stackSize;
    }
  }

  private grow(): void {
    const funcs = new Int32Array(this.stackFuncs.length * 2);
    funcs.set(this.stackFuncs);
    const times = new Float64Array(this.stackTimes.length * 2);
    times.set(this.stackTimes);
    this.stackFuncs = funcs;
    this.stackTimes = times;
  }
}
