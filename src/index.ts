/**
 * wtrace's library entry (package.json `exports["."]`): record WASI programs into traces, read
 * them, re-execute and compare them, and look at any moment of a full recording. The CLI is a
 * thin layer over exactly these functions.
 */
export { record, DEFAULT_STACK_MB, type RecordOptions, type RecordResult, type WorkerOptions } from './record/index.js';
export {
  FORMAT_VERSION,
  TraceReader,
  traceInfo,
  TraceFormatError,
  TraceVersionError,
  type ImportCall,
  type TraceInfo,
  type TraceSummary,
} from './trace/index.js';
export { instrument, type InstrumentOptions, type InstrumentedModule, type DetailLevel } from '../instrument/index.js';
export { verify, diffTraces, formatDiff, Timeline, type VerifyResult, type DiffResult, type DiffOptions, type EventDivergence, type EventView } from '../replay/index.js';
export { assertSameExecution, matchExecution, ExecutionDiffersError, DiffInputError } from '../replay/index.js';
export { openReplay, Replay, formatValue, buildDetailIndex, IndexDivergenceError, type OpenOptions, type DetailIndexOptions, type DetailIndexResult } from '../replay/index.js';
export type { Debuggee, FrameView, StopEvent, Breakpoint, BreakpointSpec, Watchpoint, ModuleView, SourceLocation, Direction, StepUnit, OutputView, Value, SourceVariable, SourceValue } from '../replay/index.js';
export { ExitCode, WtraceError, UsageError, InputError, OutputError, UnsupportedWasmError } from './errors.js';
export { rerun, type RerunOptions, type RerunResult } from '../replay/rerun/index.js';
export { queryExecution as queryTrace } from '../replay/queryDetail.js';
export { QueryError, type QueryResult, type QueryValue } from './trace/index.js';
