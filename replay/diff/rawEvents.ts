/**
 * The detail events of one trace as raw records, streamed a chunk at a time: a `DetailScanner`
 * over each chunk stands on one event and exposes its kind, pc, absolute time and where its
 * payload lies in the chunk's bytes, without building an object per event. `diff` levels 2 and
 * 3 compare millions of events this way, byte for byte; only an event a report shows is
 * decoded (`decodeEventAt`). This reader adds what a whole trace needs: moving across chunks,
 * a kind filter, the count of events read, and damaged bytes reported as the trace's error.
 *
 * Times are plain numbers: exact up to 2^53 executed instructions.
 */
import { decodeEventAt as decodeOneEvent, DetailEventDecodeError, type DetailEvent } from '../../instrument/detailEvents.js';
import { DetailScanner } from '../../instrument/detailScan.js';
import type { DetailChunk } from '../../src/trace/index.js';
import { TraceFormatError } from '../../src/trace/index.js';

/** A `keep` mask for `RawEvents.next`: the kinds listed. */
export function kindMask(kinds: readonly number[]): Uint8Array {
  const mask = new Uint8Array(256);
  for (const k of kinds) mask[k] = 1;
  return mask;
}

export class RawEvents {
  /** The scanner over the current chunk (a new one for each chunk). */
  private scanner = new DetailScanner(new Uint8Array(0));
  /** Events read so far, the current one included. */
  count = 0;

  constructor(
    private readonly chunks: Iterator<DetailChunk>,
    /** Names the trace in errors. */
    private readonly file: string,
  ) {}

  /** Bytes of the chunk holding the current event (a new array for each chunk). */
  get bytes(): Uint8Array {
    return this.scanner.bytes;
  }

  /** Offset of the current event's header, and one past its last byte. */
  get start(): number {
    return this.scanner.at;
  }

  get end(): number {
    return this.scanner.end;
  }

  get kind(): number {
    return this.scanner.kind;
  }

  get pc(): number {
    return this.scanner.pc;
  }

  get time(): number {
    return this.scanner.time;
  }

  /** Moves to the next event whose kind `keep` marks (keep[kind] = 1); false at the end of the stream. */
  next(keep: Uint8Array): boolean {
    for (;;) {
      if (!this.step()) {
        // A chunk may end in a time sync: the next chunk starts with its own.
        if (!this.nextChunk()) return false;
        continue;
      }
      if (keep[this.scanner.kind] === 1) {
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
    while (this.step()) {
      if (keep[this.scanner.kind] === 1) {
        this.count++;
        return true;
      }
    }
    return false;
  }

  /** True when every byte of the current chunk has been read (the next event needs the next chunk). */
  get atChunkEnd(): boolean {
    return this.scanner.end >= this.scanner.bytes.length;
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
    const a = this.scanner;
    const b = other.scanner;
    if (a.end !== b.end || a.time !== b.time || a.bytes.length !== b.bytes.length) return false;
    const rest = (s: DetailScanner) => Buffer.from(s.bytes.buffer, s.bytes.byteOffset + s.end, s.bytes.length - s.end);
    return rest(a).equals(rest(b));
  }

  /** Stands where `leader` stands, in a chunk equal to the leader's (its own bytes, the leader's position). */
  follow(leader: RawEvents): void {
    this.scanner.standAt(leader.scanner);
    this.count = leader.count;
  }

  /** The current event, decoded (for a report: allocates). */
  decode(): DetailEvent {
    return decodeEventAt(this.bytes, this.start, this.end, this.time);
  }

  /** Offset of the current event's payload (after the header). */
  get payload(): number {
    return this.scanner.payload;
  }

  /** The current enter/exit/catch/snapshot event's function index. */
  get func(): number {
    return this.scanner.func;
  }

  /** A catch or snapshot event's frame enter time. */
  get frameTime(): number {
    return this.scanner.frameTime;
  }

  private nextChunk(): boolean {
    for (;;) {
      const r = this.chunks.next();
      if (r.done) return false;
      if (r.value.events.length === 0) continue;
      this.scanner = new DetailScanner(r.value.events);
      return true;
    }
  }

  /** The scanner's next event in this chunk (false at its end), damaged bytes as the trace's error. */
  private step(): boolean {
    try {
      return this.scanner.next();
    } catch (e) {
      if (!(e instanceof DetailEventDecodeError)) throw e;
      throw new TraceFormatError(this.file, `has a damaged detail chunk (${e.message})`);
    }
  }
}

/** Decodes the one event at `start` (ending at `end`) and gives it the absolute `time`; its byte fields are copies. */
export function decodeEventAt(bytes: Uint8Array, start: number, end: number, time: number): DetailEvent {
  const own = bytes.slice(start, end);
  return decodeOneEvent(own, new DataView(own.buffer), 0, BigInt(time)).event;
}
