/** Recording: runs a WASI program live on the host and writes its input log into a trace. */
export { record, DEFAULT_STACK_MB, type WorkerOptions } from './recordInWorker.js';
export { recordHere, TRAP_EXIT_CODE, type RecordOptions, type RecordResult } from './recordSession.js';
export { checkModule, type CheckedModule } from './moduleCheck.js';
export type { TrapInfo } from '../runtime/trapInfo.js';
