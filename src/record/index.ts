/**
 * Recording: runs a WASI program live on the host and writes its input log into a trace. Also the
 * pieces a re-execution uses to write a trace exactly as a recording does (replay/detailIndex/):
 * `runProgram`, the full-detail plan, the logging import wrapper and off-thread compression.
 */
export { record, DEFAULT_STACK_MB, type WorkerOptions } from './recordInWorker.js';
export { recordHere, TRAP_EXIT_CODE, type RecordOptions, type RecordResult } from './recordSession.js';
export { checkModule, type CheckedModule } from './moduleCheck.js';
export type { TrapInfo } from '../runtime/trapInfo.js';
export { runProgram, type ProgramRunSetup } from './programRun.js';
export { planFullDetail, type FullDetailPlan } from './fullDetailRun.js';
export { CallCapture, loggedImport, UnknownImportCalled } from './importRecorder.js';
export { offThreadStore, serveCompression, type CompressionChannel } from './offThreadCompression.js';
export type { DetailBounds, DetailChunkStore } from './detailRecorder.js';
