/**
 * Building detail by re-execution: `buildDetailIndex` turns a `--detail inputs` trace into one
 * the timeline reads, as if recorded with `--detail full` (docs/trace-format.md, "Indexing").
 */
export { buildDetailIndex } from './buildDetailIndex.js';
export { IndexDivergenceError, type DetailIndexOptions, type DetailIndexResult, type IndexProgress } from './types.js';
