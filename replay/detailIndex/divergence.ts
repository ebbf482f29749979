/**
 * How an index run is compared with the recording, in the terms `wtrace replay --verify` uses
 * (`Divergence`, `VerifyResult`): the first import call that did not match the log, or an end
 * that differs (calls left in the log, another exit code or trap, another instruction count when
 * the trace knows it). The run is instrumented for full detail, so V8's function indices and
 * offsets are mapped back to the original module's.
 */
import type { RecordingEnd, TraceSummary } from '../../src/trace/index.js';
import type { Divergence, RunEnd } from '../verify.js';

export { mismatchDivergence } from '../reexecution.js';

/** Compares how the runs ended; null when alike. `end` is the re-execution's, as a recording writes it. */
export function endDivergence(summary: TraceSummary, end: RunEnd, instructions: bigint, replayed: number, recorded: number): Divergence | null {
  const at = { callIndex: null, time: instructions, functionIndex: null, functionName: null, pc: null };
  if (replayed < recorded) {
    return { ...at, callIndex: replayed, expected: `${recorded - replayed} more import calls`, actual: describeEnd(end) };
  }
  const o = summary.outcome;
  const expected = o === null ? 'an end' : o.kind === 'exit' ? `exit code ${o.exitCode}` : `trap: ${o.message} at pc ${hex(o.pc)}`;
  const actual = describeEnd(end);
  if (expected !== actual) return { ...at, expected, actual };
  const count = summary.instructionCount;
  if (count !== null && count !== instructions) return { ...at, expected: `${count} instructions`, actual: `${instructions} instructions` };
  return null;
}

/** A recording's end in the words of `verify`. */
export function runEndOf(end: RecordingEnd): RunEnd {
  if (end.outcome === 'exit') return { kind: 'exit', exitCode: end.exitCode };
  const t = end.trap;
  return { kind: 'trap', message: t?.message ?? '', functionIndex: t?.functionIndex ?? null, functionName: t?.functionName ?? null, pc: t?.pc ?? null };
}

/** One line: where the runs parted, what the recording did and what the re-execution did. */
export function describeDivergence(d: Divergence): string {
  const time = d.time === null ? '' : ` (time ${d.time})`;
  const where = d.functionIndex === null ? '' : ` in ${d.functionName ?? 'function'} (#${d.functionIndex}) at pc ${hex(d.pc)}`;
  const at = d.callIndex === null ? `at the end of the run${time}` : `at import call ${d.callIndex}${time}${where}`;
  return `${at}: recorded ${d.expected}, replayed ${d.actual}`;
}

function describeEnd(end: RunEnd): string {
  if (end.kind === 'exit') return `exit code ${end.exitCode}`;
  if (end.kind === 'trap') return `trap: ${end.message} at pc ${hex(end.pc)}`;
  return end.kind === 'log-ended' ? 'end of the log' : 'a diverging import call';
}

const hex = (pc: number | null | undefined) => (pc == null ? '?' : `0x${pc.toString(16)}`);
