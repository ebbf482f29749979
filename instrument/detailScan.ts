/**
 * Walking a detail-event stream without decoding it into objects: the replay's hot loops
 * (rebuilding memory, finding a callee's return, indexing a trace) visit millions of events and
 * need only a kind, a time and a few payload fields of most of them. `DetailScanner` stands on
 * one event at a time and reads those fields straight from the bytes; `decode()` builds the
 * full object (detailEvents.ts) for the few events a caller keeps.
 *
 * Times are JS numbers here: exact below 2^53 instructions (about 100 days of execution at
 * 10^9 instructions a second). A sync past that is refused rather than rounded.
 */
import type { CallShapes } from './callShapes.js';
import { DetailEventDecodeError, decodeEventAt, eventEnd, EventKind, HEADER_SIZE, isCompactCall, kindOf, SYNC_SIZE, timeDeltaAt, type DetailEvent } from './detailEvents.js';

const STORE_WIDTHS = [0, 1, 2, 4, 8, 16];

/** Where a scan can resume: the offset of an event and the time its delta counts from. */
export interface ScanPosition {
  readonly offset: number;
  readonly prevTime: number;
}

export class DetailScanner {
  /** Offset of the current event (valid after `next()` returned true). */
  at = 0;
  /** Offset just past the current event: where the next one (or a sync) starts. */
  end: number;
  /** The current event's kind (`EventKind`; a compact call is `enter` or `exit`). */
  kind = -1;
  /** The current event's original pc. */
  pc = 0;
  /** The current event's time. */
  time: number;
  /** Time the current event's delta counted from (with `at`, a `ScanPosition`). */
  prevTime: number;

  private readonly view: DataView;

  /**
   * A scanner over `bytes` that will read the event at `start.offset` first. `shapes` (the
   * module's) is needed for the function and the decoding of compact calls.
   */
  constructor(
    readonly bytes: Uint8Array,
    start: ScanPosition = { offset: 0, prevTime: 0 },
    private readonly shapes?: CallShapes,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = start.offset;
    this.time = start.prevTime;
    this.prevTime = start.prevTime;
  }

  /** Moves to the next event (time syncs are consumed); false at the end of the stream (`end` is then past it). */
  next(): boolean {
    const bytes = this.bytes;
    let at = this.end;
    while (at < bytes.length && bytes[at] === EventKind.sync) {
      if (at + SYNC_SIZE > bytes.length) throw new DetailEventDecodeError('time sync runs past the end of the stream', at);
      const t = this.view.getBigUint64(at + 1, true);
      if (t > BigInt(Number.MAX_SAFE_INTEGER)) throw new DetailEventDecodeError(`time ${t} is beyond what the replay counts exactly (2^53)`, at);
      this.time = Number(t);
      at += SYNC_SIZE;
    }
    if (at >= bytes.length) {
      this.end = at; // the trailing syncs are read
      return false;
    }
    if (at + HEADER_SIZE > bytes.length) throw new DetailEventDecodeError('event runs past the end of the stream', at);
    const end = eventEnd(bytes, at);
    this.at = at;
    this.kind = kindOf(bytes[at]);
    this.pc = this.u32(at + 1);
    this.prevTime = this.time;
    this.time += timeDeltaAt(bytes, at);
    if (end > bytes.length) throw new DetailEventDecodeError('event runs past the end of the stream', at);
    this.end = end;
    return true;
  }

  /** Where this scan can resume to read the current event again. */
  position(): ScanPosition {
    return { offset: this.at, prevTime: this.prevTime };
  }

  /** Offset of the current event's payload (after the header). */
  get payload(): number {
    return this.at + HEADER_SIZE;
  }

  /** True for the store kinds. */
  get isStore(): boolean {
    return this.kind >= EventKind.store1 && this.kind <= EventKind.store16;
  }

  /** A store's width in bytes. */
  get storeWidth(): number {
    return STORE_WIDTHS[this.kind];
  }

  /** The function index of an `enter`, `exit`, `catch` or `snapshot`. */
  get func(): number {
    if (!isCompactCall(this.bytes[this.at])) return this.u32(this.payload);
    const shape = this.kind === EventKind.enter ? this.shapes?.enter(this.pc) : this.shapes?.exit(this.pc);
    if (!shape) throw new DetailEventDecodeError(this.shapes ? `no function holds pc ${this.pc}` : 'a compact call event needs its module to decode', this.at);
    return shape.func;
  }

  /** The global index of a `globalSet`. */
  get global(): number {
    return this.u32(this.payload);
  }

  /** The new value of a `globalSet`, as a view of the stream (no copy; empty for a reference-typed global). */
  newGlobalBytes(): Uint8Array {
    const p = this.payload;
    const width = this.bytes[p + 4];
    return this.bytes.subarray(p + 5 + width, p + 5 + 2 * width);
  }

  /** The frame time of a `catch` or `snapshot` (its activation's enter time). */
  get frameTime(): number {
    return Number(this.view.getBigUint64(this.payload + 4, true));
  }

  /** Little-endian u32 at `offset` of the stream. */
  u32(offset: number): number {
    const b = this.bytes;
    return (b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24)) >>> 0;
  }

  /** Set by `writeRange()`: the first address and the size of the current event's memory write. */
  writeAddress = 0;
  writeSize = 0;

  /**
   * For an event that writes linear memory (a store, fill, copy or init), sets `writeAddress`
   * and `writeSize` and returns true; false for every other kind (a grow writes nothing).
   */
  writeRange(): boolean {
    const p = this.at + HEADER_SIZE;
    const kind = this.kind;
    if (kind >= EventKind.store1 && kind <= EventKind.store16) {
      this.writeAddress = this.u32(p);
      this.writeSize = STORE_WIDTHS[kind];
      return true;
    }
    if (kind === EventKind.fill) this.writeSize = this.u32(p + 4);
    else if (kind === EventKind.copy) this.writeSize = this.u32(p + 8);
    else if (kind === EventKind.init) this.writeSize = this.u32(p + 12);
    else return false;
    this.writeAddress = this.u32(p);
    return true;
  }

  /** The current event as an object (allocates; for the few events a caller keeps). */
  decode(): DetailEvent {
    return decodeEventAt(this.bytes, this.view, this.at, BigInt(this.time), this.shapes).event;
  }
}
