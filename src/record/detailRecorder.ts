/**
 * Takes the detail-event buffers an instrumented (`full`) module flushes and turns them into
 * trace chunks and keyframes, honouring the user's bounds:
 * - everything (default), with a keyframe every `keyframeEveryBytes` of events;
 * - `window`: only chunks that overlap [from, to] in instruction time (whole chunks, so a little
 *   more than asked at the edges);
 * - `last`: a flight recorder keeping only the chunks covering the last N instructions before
 *   the end, held in memory and written when the run ends.
 * A keyframe is always written at the end (the final memory): a replay, which rebuilds memory
 * forward from the keyframe at time 0, checks its result against it.
 */
import type { GlobalValue, TraceWriter } from '../trace/index.js';
import type { BufferSummary } from '../../instrument/index.js';

export interface DetailBounds {
  /** Keep events in [from, to] only. */
  readonly window?: { readonly from: bigint; readonly to: bigint } | null;
  /** Keep only the events of the last N executed instructions (flight recorder). */
  readonly last?: bigint | null;
  /** Raw event bytes between keyframes (default 64 MiB). */
  readonly keyframeEveryBytes?: number;
  /** Raw event bytes per stored chunk (default `DETAIL_CHUNK_BYTES`). */
  readonly chunkBytes?: number;
}

/** Where finished chunks go: the trace writer itself, or an off-thread compressor in front of it. */
export interface DetailChunkStore {
  /**
   * Appends a chunk. `events` is the store's from now on (the recorder's batching hands over a
   * buffer it never touches again): the store may keep it or transfer it to another thread.
   */
  append(events: Uint8Array, firstTime: bigint, endTime: bigint, eventCount: number): void;
  /**
   * A buffer of at least `bytes` that an earlier `append` handed over and the store is done with,
   * for the batching to fill again (saves allocating and zeroing one per chunk); null if none.
   */
  spare?(bytes: number): Uint8Array | null;
  /** Waits until every appended chunk is in the trace. */
  flush(): void;
}

/** What the recorder reads from the running instance. */
export interface DetailSource {
  /** Linear memory now (a view: copied by the keyframe writer's hashing and compression). */
  memory(): Uint8Array;
  /** Executed instructions now. */
  now(): bigint;
  /** The program's numeric globals now (what keyframes store besides memory). */
  globals(): GlobalValue[];
}

interface HeldChunk {
  readonly events: Uint8Array;
  readonly firstTime: bigint;
  readonly endTime: bigint;
  readonly count: number;
}

/**
 * Raw bytes per stored chunk. The instrumented module flushes every 256 KiB; zstd costs a fixed
 * setup per call (measured: 256 KiB calls ran at under half the speed of 4 MiB ones), so flushes
 * are batched into chunks of about this size.
 */
export const DETAIL_CHUNK_BYTES = 4 << 20;

/**
 * Joins consecutive small chunks (views, copied here) into ones of at least `size` bytes before
 * `inner` sees them; each joined chunk is a buffer of its own that `inner` keeps.
 */
function batched(inner: DetailChunkStore, size: number): DetailChunkStore {
  const fresh = () => inner.spare?.(size * 2) ?? new Uint8Array(size * 2);
  let buffer = fresh();
  let length = 0;
  let firstTime = 0n;
  let endTime = 0n;
  let count = 0;
  const emit = () => {
    if (length === 0) return;
    inner.append(buffer.subarray(0, length), firstTime, endTime, count);
    buffer = fresh();
    length = 0;
    count = 0;
  };
  return {
    append(events, first, end, n) {
      if (length + events.length > buffer.length) {
        emit();
        if (events.length > buffer.length) buffer = new Uint8Array(events.length);
      }
      if (length === 0) firstTime = first;
      buffer.set(events, length);
      length += events.length;
      endTime = end;
      count += n;
      if (length >= size) emit();
    },
    flush() {
      emit();
      inner.flush();
    },
  };
}

/** Default keyframe spacing; see BENCHMARKS.md for the measurement behind it. */
export const KEYFRAME_EVERY_BYTES = 64 << 20;

export class DetailRecorder {
  private lastEventTime = 0n;
  private bytesSinceKeyframe = 0;
  private keyframeDue = false;
  private readonly ring: HeldChunk[] = [];

  private readonly chunks: DetailChunkStore;

  constructor(
    private readonly writer: TraceWriter,
    private readonly source: DetailSource,
    private readonly bounds: DetailBounds = {},
    chunks?: DetailChunkStore,
  ) {
    this.chunks = batched(
      chunks ?? {
        append: (events, firstTime, endTime, count) => writer.appendDetail(events, firstTime, endTime, count),
        flush: () => {},
      },
      bounds.chunkBytes ?? DETAIL_CHUNK_BYTES,
    );
  }

  /** Call once the instance exists, before the program runs: the keyframe at time 0. */
  start(): void {
    if (this.keepsEverythingFromStart()) this.writer.addKeyframe(0n, this.source.memory(), this.source.globals());
  }

  /**
   * The sink for the instrumented module's flushes. `events` may be a view: used before returning.
   * Chunk times come from the events (the summary the module keeps of them): the module's time
   * global lags behind its functions' local counters between calls, so it is not read here.
   */
  readonly sink = (events: Uint8Array, summary: BufferSummary): void => {
    if (events.length === 0) return;
    const { count, firstTime, lastTime } = summary;
    this.lastEventTime = lastTime;
    const { window, last } = this.bounds;
    if (last != null) return this.hold({ events: events.slice(), firstTime, endTime: lastTime, count }, last);
    if (window != null && (lastTime < window.from || firstTime > window.to)) return;
    this.chunks.append(events, firstTime, lastTime, count);
    this.bytesSinceKeyframe += events.length;
    if (this.bytesSinceKeyframe >= (this.bounds.keyframeEveryBytes ?? KEYFRAME_EVERY_BYTES)) this.keyframeDue = true;
  };

  /**
   * Called by the recorder at every import call, before the host runs, with the call's time
   * (exact: the module flushes its counters before every call). A keyframe that came due is
   * taken here, where memory is exactly the state after instruction `time - 1`.
   */
  atImportCall(time: bigint): void {
    if (!this.keyframeDue) return;
    this.keyframeDue = false;
    this.bytesSinceKeyframe = 0;
    this.writer.addKeyframe(time - 1n, this.source.memory(), this.source.globals());
  }

  /**
   * After the run (and the final drain): writes held chunks and the final keyframe. Its time is
   * the end of the run; after a trap the module's count may lag its last event, so the later of
   * the two is used (the memory is the final state either way).
   */
  finish(): void {
    for (const c of this.ring) this.chunks.append(c.events, c.firstTime, c.endTime, c.count);
    this.ring.length = 0;
    this.chunks.flush();
    const now = this.source.now();
    this.writer.addKeyframe(now > this.lastEventTime ? now : this.lastEventTime, this.source.memory(), this.source.globals());
  }

  /** The time of the last event seen (0 before any). */
  get lastTime(): bigint {
    return this.lastEventTime;
  }

  private keepsEverythingFromStart(): boolean {
    return this.bounds.last == null && (this.bounds.window == null || this.bounds.window.from === 0n);
  }

  /** Flight recorder: keeps the newest chunks that still reach back N instructions. */
  private hold(chunk: HeldChunk, last: bigint): void {
    this.ring.push(chunk);
    while (this.ring.length > 1 && chunk.endTime - this.ring[1].firstTime >= last) this.ring.shift();
  }
}
