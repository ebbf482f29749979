/** Worker-thread entry of `verify()`: re-execution on the worker's large stack. */
import { workerMain } from '../src/runtime/bigStackWorker.js';
import { verifyHere } from './verify.js';

workerMain(({ file }: { file: string }) => verifyHere(file));
