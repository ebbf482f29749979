/** Worker-thread entry of `rerun()`: the golden's re-execution and the new recording, on a large stack. */
import { workerMain } from '../../src/runtime/bigStackWorker.js';
import { rerunHere, type RerunOptions } from './rerunSession.js';

workerMain((options: RerunOptions) => rerunHere(options));
