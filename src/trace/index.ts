/** The trace file: schema, writer, reader, input-log encoding. The bottom layer of wtrace. */
export { FORMAT_VERSION, APPLICATION_ID } from './schema.js';
export { compressDetail } from './detailCodec.js';
export { TraceWriter, type ImportInfo, type RecordingStart, type RecordingEnd } from './traceWriter.js';
export { TraceReader, type TraceSummary, type DetailSummary, type DetailChunk } from './traceReader.js';
export { PAGE_SIZE, type KeyframeInfo, type GlobalValue } from './keyframes.js';
export type { ImportCall, MemoryWrite, OutputBytes, ParamType } from './inputLog.js';
export { IncompleteTraceError, TraceFormatError, TraceVersionError } from './errors.js';
export { discardReplacement, replacementPath, replaceTrace } from './traceReplacement.js';
export { fileKind, type FileKind } from './fileKind.js';
export { WTRACE_VERSION } from './version.js';
export { traceInfo, type TraceInfo } from './traceInfo.js';
export { queryTrace, QueryError, type QueryOptions, type QueryResult, type QueryValue } from './query.js';
export type { DetailRowSink, DetailViewFiller } from './queryViews.js';
export { writeStoredTimeline, TimelineWriteRefused, type StoredTimeline, type TimelineToStore } from './timelineStore.js';
