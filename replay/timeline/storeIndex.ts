/**
 * `storeTimelineIndex`: what `wtrace index` does after the detail events exist: makes sure the
 * trace holds a timeline index that the next open can read instead of running the pass.
 */
import * as fs from 'node:fs';
import { OutputError } from '../../src/errors.js';
import type { RejectedIndex } from './indexCache.js';
import { Timeline } from './timeline.js';

export interface TimelineIndexResult {
  /** `stored`: built and written now; `already-stored`: the trace held a usable one, left alone. */
  readonly status: 'stored' | 'already-stored';
  /** Why the stored index was not usable (for `stored`): none, stale, another format, damaged. */
  readonly rejected: RejectedIndex | null;
  readonly checkpoints: number;
  /** Compressed bytes of the stored index, and the trace file's size now. */
  readonly bytes: number;
  readonly traceBytes: number;
  readonly seconds: number;
}

/**
 * Builds and stores `file`'s timeline index unless it holds a usable one. Throws what
 * `Timeline.open` throws, and `OutputError` when the index cannot be stored (read-only or locked).
 */
export function storeTimelineIndex(file: string, options: { onProgress?: (eventsDone: number, eventsTotal: number) => void } = {}): TimelineIndexResult {
  const started = performance.now();
  const timeline = Timeline.open(file, { onProgress: options.onProgress, stored: 'read-write' });
  try {
    const o = timeline.indexOrigin;
    if (o.source === 'built' && !o.written) throw new OutputError(`${file}: the timeline index was built but not stored: ${o.notWritten ?? 'unknown reason'}`);
    return {
      status: o.source === 'stored' ? 'already-stored' : 'stored', rejected: o.rejected, checkpoints: timeline.checkpointCount,
      bytes: o.storedBytes, traceBytes: fs.statSync(file).size, seconds: (performance.now() - started) / 1000,
    };
  } finally {
    timeline.close();
  }
}
