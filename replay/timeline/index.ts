/**
 * The timeline's public surface: state at any time of a `--detail full` recording and the
 * queries over its history (docs/replay.md). Re-exported by replay/index.ts.
 */
export { Timeline, type TimelineOptions } from './timeline.js';
export type { IndexOrigin, RejectedIndex, StoredIndexUse } from './indexCache.js';
export { storeTimelineIndex, type TimelineIndexResult } from './storeIndex.js';
export { DetailNeededError, TimelineCoverageError, TimeOutOfRangeError } from './errors.js';
export type { StateCursor } from './stateCursor.js';
export type { SnapshotPoint } from './timelineIndex.js';
export type { ActivationEnd, CallRecord, EventValue, Frame, GlobalKnowledge, GlobalState, ImportCallRecord, RawValue, WriteKind, WriteRecord } from './types.js';
