/**
 * Progress of an index run: `ProgressThrottle` lets at most one report per `PROGRESS_MS` reach
 * the sink (import calls may come by the million, so at a call the clock is read only every 256
 * calls; detail chunks come every few MiB of events and always look at the clock), and
 * `reportingStore` tells it each stored chunk's end time.
 */
import type { DetailChunkStore } from '../../src/record/index.js';
import type { TraceWriter } from '../../src/trace/index.js';

/** Default least time between two reports, in ms. */
export const PROGRESS_MS = 100;

/** Told instructions done and import calls answered. */
export type ProgressSink = (done: bigint, calls: number) => void;

export class ProgressThrottle {
  private last = performance.now();
  private calls = 0;

  constructor(
    private readonly sink: ProgressSink | null,
    private readonly everyMs = PROGRESS_MS,
  ) {}

  /** At an import call. */
  atCall(time: bigint, calls: number): void {
    if ((++this.calls & 255) === 0) this.atChunk(time, calls);
  }

  /** At a stored detail chunk (or any rare point). */
  atChunk(time: bigint, calls: number): void {
    if (this.sink === null) return;
    const now = performance.now();
    if (now - this.last < this.everyMs) return;
    this.last = now;
    this.sink(time, calls);
  }

  /** Reports regardless of the time (the end of the run). */
  final(time: bigint, calls: number): void {
    this.sink?.(time, calls);
  }
}

/**
 * The chunk store the recorder would use (`inner`, or, without one, `writer` compressing on this
 * thread), calling `at` with each appended chunk's end time. Otherwise it is `inner` itself:
 * `spare` included, which the recorder's batching asks for the buffers the off-thread compressor
 * returns. (Dropping it once cost the index a fresh zeroed 8 MiB buffer per chunk and kept every
 * returned buffer alive: 1.17 GB peak memory on the compress benchmark against record's 0.55 GB.)
 */
export function reportingStore(inner: DetailChunkStore | undefined, writer: TraceWriter, at: (time: bigint) => void): DetailChunkStore {
  const store: DetailChunkStore = inner ?? {
    append: (events, firstTime, endTime, count) => writer.appendDetail(events, firstTime, endTime, count),
    flush: () => {},
  };
  return {
    append(events, firstTime, endTime, count) {
      store.append(events, firstTime, endTime, count);
      at(endTime);
    },
    spare: store.spare ? (bytes) => store.spare!(bytes) : undefined,
    flush: () => store.flush(),
  };
}
