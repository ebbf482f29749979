/**
 * `verify`: re-executes a recorded module from its trace's input log alone and checks that it
 * does exactly what the recording did: the same import calls in the same order with the same
 * arguments (and at the same instruction time, when the log has times), and the same end (exit
 * code, or trap kind and pc). The module runs instrumented with the instruction counter, so the
 * run's length and the time of a divergence are exact. The first difference is reported as a
 * divergence naming the call, its time, the calling function and pc. The re-execution itself
 * is `reexecute` (reexecution.ts), which probe runs share.
 */
import { TraceReader } from '../src/trace/index.js';
import { instrument } from '../instrument/index.js';
import { reexecute, type VerifyResult } from './reexecution.js';

export type { Divergence, RunEnd, VerifyResult } from './reexecution.js';

/** Verifies on the current thread (see `verify` for a large stack). */
export async function verifyHere(file: string): Promise<VerifyResult> {
  const reader = TraceReader.open(file);
  try {
    reader.summary();
    const bytes = reader.verifiedModuleBytes();
    const counted = await instrument(bytes, { detail: 'inputs', source: file });
    return reexecute(reader, bytes, counted);
  } finally {
    reader.close();
  }
}
