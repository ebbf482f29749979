/**
 * Level 3's answer to "where exactly did control flow part?". The detail events show that two
 * runs of one module reached an event by different paths (its pc or time differs), but not
 * which instruction sent them apart: branches are recomputed, not logged. Between the last item
 * alike and the diverging event neither run entered or left a function (those are events), so
 * both are inside one activation: re-executing it on each side with the interpreter
 * (replay/engine's `Activations`), an instruction at a time in lockstep, finds the first
 * instruction after which the two go to different places.
 *
 * Costs the timeline index of both traces (one decoding pass each), so it runs only for a
 * control-flow divergence, never on equal runs.
 */
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { Activations } from '../engine/activations.js';
import type { BranchView } from '../diffTypes.js';
import { ModuleCode } from '../interp/index.js';
import { Timeline } from '../timeline/index.js';
import type { DetailTrace } from './detailTrace.js';

/** How the timelines are opened: one state is wanted, so no read-ahead either. */
const READ_ONLY = { stored: 'read', prefetch: false } as const;

/** Gives up after this many instructions (a long loop without any event between the two points). */
const MAX_STEPS = 1_000_000;

/**
 * The first instruction after time `from` (the last item alike, the same state on both sides)
 * after which runs `a` and `b` of one module go to different pcs (or take different times, for
 * a call whose callee differs); null when it is not found within MAX_STEPS, or past `until`.
 */
export function findBranch(a: DetailTrace, b: DetailTrace, from: number, until: number): BranchView | null {
  // A comparison never changes the traces: a stored index is used, none is written.
  const ta = Timeline.open(a.file, READ_ONLY);
  try {
    const tb = Timeline.open(b.file, READ_ONLY);
    try {
      return search(a, ta, tb, BigInt(from), BigInt(until));
    } finally {
      tb.close();
    }
  } finally {
    ta.close();
  }
}

function search(a: DetailTrace, ta: Timeline, tb: Timeline, from: bigint, until: bigint): BranchView | null {
  const frameA = ta.callStackAt(from)[0];
  const frameB = tb.callStackAt(from)[0];
  if (frameA === undefined || frameB === undefined) return null;
  const code = ModuleCode.from(a.moduleBytes);
  const results = importResultTypes(a.moduleBytes);
  const sa = new Activations(ta, code, results).stepper(frameA, from);
  const sb = new Activations(tb, code, results).stepper(frameB, from);
  for (let i = 0; i < MAX_STEPS && sa.state.time < until; i++) {
    const pc = sa.state.pc;
    const time = sa.state.time;
    if (pc !== sb.state.pc) return null; // not the same state at `from`: nothing to say
    const doneA = sa.step();
    const doneB = sb.step();
    if (sa.state.pc !== sb.state.pc || sa.state.time !== sb.state.time) {
      return {
        time: String(time + 1n),
        pc,
        function: a.functionName(frameA.funcIndex),
        location: a.locationAt(pc),
        nextA: { pc: sa.state.pc, time: String(sa.state.time), location: a.locationAt(sa.state.pc) },
        nextB: { pc: sb.state.pc, time: String(sb.state.time), location: a.locationAt(sb.state.pc) },
      };
    }
    if (doneA !== null || doneB !== null) return null;
  }
  return null;
}

/** Result types of the module's imported functions, by function index (what the interpreter's host needs). */
function importResultTypes(bytes: Uint8Array): (index: number) => readonly string[] {
  const types = readModuleInfo(bytes)
    .imports.filter((i) => i.desc.kind === 'func')
    .map((i) => (i.desc.kind === 'func' ? (i.desc.type?.results ?? []) : []));
  return (index) => types[index] ?? [];
}
