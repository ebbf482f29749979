/** Worker-thread entry of `diffTraces()`: both re-executions on the worker's large stack. */
import { workerMain } from '../src/runtime/bigStackWorker.js';
import { diffHere } from './diff.js';
import type { DiffOptions } from './diffTypes.js';

workerMain(({ a, b, options }: { a: string; b: string; options: DiffOptions }) => diffHere(a, b, options));
