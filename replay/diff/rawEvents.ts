/**
 * The detail events of one trace as raw records, streamed a chunk at a time: the reader stands
 * on one event and exposes its kind, pc, absolute time and where its payload lies in the
 * chunk's bytes, without building an object per event. `diff` levels 2 and 3 compare millions
 * of events this way, byte for byte; only an event a report shows is decoded
 * (`decodeEventAt`).
 *
 * Times are plain numbers: exact up to 2^53 executed instructions.
 *
 * It walks the bytes itself rather than wrapping a `DetailScanner` per chunk: that version
 * (tried, with the event's fields copied from the scanner) made the level-3 walk without the
 * fast path 15-20 % slower in three alternated runs of bench/diff.mjs. Both use `eventEnd` and
 * `timeDeltaAt`, so the event layout is still read in one place.
 */
import type { CallShapes } from '../../instrument/callShapes.js';
import { decodeEventAt as decodeOneEvent, eventEnd, EventKind, HEADER_SIZE, isCompactCall, kindOf, SYNC_SIZE, timeDeltaAt, type DetailEvent } from '../../instrument/detailEvents.js';
import type { DetailChunk } from '../../src/trace/index.js';
import { TraceFormatError } from '../../src/trace/index.js';

/** A `keep` mask for `RawEvents.next`: the kinds listed. */
export function kindMask(kinds: readonly number[]): Uint8Array {
  const mask = new Uint8Array(256);
  for (const k of kinds) mask[k] = 1;
  return mask;
}

export class RawEvents {
  /** Bytes of the chunk holding the current event (a new array for each chunk). */
  bytes: Uint8Array = new Uint8Array(0);
  /** Offset of the current event's header, and one past its last byte. */
  start = 0;
  end = 0;
  kind = 0;
  pc = 0;
  time = 0;
  /** Events read so far, the current one included. */
  count = 0;
  private view: DataView = new DataView(new ArrayBuffer(0));
  /** Time of the previous event or sync: deltas count from it. */
  private prev = 0;

  constructor(
    private readonly chunks: Iterator<DetailChunk>,
    /** Names the trace in errors. */
    private readonly file: string,
    /** The module's call shapes (compact call events name their function by pc). */
    private readonly shapes: CallShapes,
  ) {}

  /** Moves to the next event whose kind `keep` marks (keep[kind] = 1); false at the end of the stream. */
  next(keep: Uint8Array): boolean {
    for (;;) {
      if (this.end >= this.bytes.length && !this.nextChunk()) return false;
      this.step();
      if (keep[this.kind] === 1) {
        this.count++;
        return true;
      }
    }
  }

  /**
   * Moves to the next event `keep` marks within the current chunk; false at the chunk's end
   * (the next chunk is not loaded: see `loadChunk`).
   */
  nextInChunk(keep: Uint8Array): boolean {
    while (this.end < this.bytes.length) {
      this.step();
      if (keep[this.kind] === 1) {
        this.count++;
        return true;
      }
    }
    return false;
  }

  /** True when every byte of the current chunk has been read (the next event needs the next chunk). */
  get atChunkEnd(): boolean {
    return this.end >= this.bytes.length;
  }

  /** Loads the next chunk, to be read from its start; false when there is none. Only at a chunk's end. */
  loadChunk(): boolean {
    return this.nextChunk();
  }

  /**
   * True when both readers stand at the same offset of their chunks with the same running time,
   * and the rest of both chunks is byte for byte equal: then every event left in them is equal.
   */
  sameRest(other: RawEvents): boolean {
    if (this.end !== other.end || this.prev !== other.prev || this.bytes.length !== other.bytes.length) return false;
    const rest = (b: Uint8Array, from: number) => Buffer.from(b.buffer, b.byteOffset + from, b.length - from);
    return rest(this.bytes, this.end).equals(rest(other.bytes, other.end));
  }

  /** Stands where `leader` stands, in a chunk equal to the leader's (its own bytes, the leader's position). */
  follow(leader: RawEvents): void {
    this.start = leader.start;
    this.end = leader.end;
    this.kind = leader.kind;
    this.pc = leader.pc;
    this.time = leader.time;
    this.count = leader.count;
    this.prev = leader.prev;
  }

  /** The current event, decoded (for a report: allocates). */
  decode(): DetailEvent {
    return decodeEventAt(this.bytes, this.start, this.end, this.time, this.shapes);
  }

  /** Offset of the current event's payload (after the header). */
  get payload(): number {
    return this.start + HEADER_SIZE;
  }

  /** True when the current event is a compact call (its payload is the values alone). */
  get compactCall(): boolean {
    return isCompactCall(this.bytes[this.start]);
  }

  /** The current enter/exit/catch/snapshot event's function index. */
  get func(): number {
    if (!this.compactCall) return this.view.getUint32(this.start + HEADER_SIZE, true);
    const shape = this.kind === EventKind.enter ? this.shapes.enter(this.pc) : this.shapes.exit(this.pc);
    if (!shape) throw new TraceFormatError(this.file, `has a damaged detail chunk (no function holds the call event's pc ${this.pc})`);
    return shape.func;
  }

  /** A catch or snapshot event's frame enter time. */
  get frameTime(): number {
    return Number(this.view.getBigUint64(this.start + HEADER_SIZE + 4, true));
  }

  private nextChunk(): boolean {
    for (;;) {
      const r = this.chunks.next();
      if (r.done) return false;
      if (r.value.events.length === 0) continue;
      this.bytes = r.value.events;
      this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
      this.end = 0;
      return true;
    }
  }

  /** Reads the event at `end` (consuming any syncs before it). */
  private step(): void {
    const b = this.bytes;
    const v = this.view;
    let at = this.end;
    while (b[at] === EventKind.sync) {
      if (at + SYNC_SIZE > b.length) this.damaged(at);
      this.prev = Number(v.getBigUint64(at + 1, true));
      at += SYNC_SIZE;
      if (at >= b.length) {
        // A chunk that ends in a sync: the next chunk starts with its own.
        if (!this.nextChunk()) this.damaged(at);
        return this.step();
      }
    }
    if (at + HEADER_SIZE > b.length) this.damaged(at);
    const kind = b[at];
    let end: number;
    try {
      end = eventEnd(b, at);
    } catch {
      throw new TraceFormatError(this.file, `has a damaged detail chunk (unknown event kind ${kind} at offset ${at})`);
    }
    if (end > b.length) this.damaged(at);
    this.time = this.prev += timeDeltaAt(b, at);
    this.kind = kindOf(kind);
    this.pc = v.getUint32(at + 1, true);
    this.start = at;
    this.end = end;
  }

  private damaged(at: number): never {
    throw new TraceFormatError(this.file, `has a damaged detail chunk (an event runs past its end at offset ${at})`);
  }
}

/** Decodes the one event at `start` (ending at `end`) and gives it the absolute `time`; its byte fields are copies. */
export function decodeEventAt(bytes: Uint8Array, start: number, end: number, time: number, shapes: CallShapes): DetailEvent {
  const own = bytes.slice(start, end);
  return decodeOneEvent(own, new DataView(own.buffer), 0, BigInt(time), shapes).event;
}
