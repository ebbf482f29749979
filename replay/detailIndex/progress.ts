/**
 * Throttles progress reports of a run: at most one report per `PROGRESS_MS` reaches the sink.
 * Import calls may come by the million, so at a call the clock is read only every 256 calls;
 * detail chunks come every few MiB of events and always look at the clock.
 */
const PROGRESS_MS = 100;

/** Told instructions done and import calls answered. */
export type ProgressSink = (done: bigint, calls: number) => void;

export class ProgressThrottle {
  private last = performance.now();
  private calls = 0;

  constructor(private readonly sink: ProgressSink | null) {}

  /** At an import call. */
  atCall(time: bigint, calls: number): void {
    if ((++this.calls & 255) === 0) this.atChunk(time, calls);
  }

  /** At a stored detail chunk (or any rare point). */
  atChunk(time: bigint, calls: number): void {
    if (this.sink === null) return;
    const now = performance.now();
    if (now - this.last < PROGRESS_MS) return;
    this.last = now;
    this.sink(time, calls);
  }

  /** Reports regardless of the time (the end of the run). */
  final(time: bigint, calls: number): void {
    this.sink?.(time, calls);
  }
}
