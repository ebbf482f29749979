/**
 * Resolves the pcs a probe run is asked for to instructions of the ORIGINAL module. A probe pc
 * must be an instruction start (an offset `wasm-objdump -d` lists); anything else is refused
 * with the nearest instruction starts, so that the caller (the replay engine slips breakpoints
 * before asking) can say what it meant. It never guesses.
 */
import { ExitCode, WtraceError } from '../../src/errors.js';
import type { Instruction, ModulePositions } from '../positions.js';

/** One pc that is not an instruction start. */
export interface BadProbePc {
  readonly pc: number;
  /** The nearest instruction start below `pc` (any function), or null if there is none. */
  readonly before: Instruction | null;
  /** The nearest instruction start above `pc`, or null if there is none. */
  readonly after: Instruction | null;
}

/** Some probe pcs are not instruction starts; `problems` lists every one, in the order asked. */
export class ProbePcError extends WtraceError {
  readonly problems: readonly BadProbePc[];
  constructor(source: string, problems: readonly BadProbePc[]) {
    super('probe-pc', `${source}: ${problems.map(describe).join('; ')}`, ExitCode.usage);
    this.problems = problems;
  }
}

const hex = (n: number) => `0x${n.toString(16)}`;
const describe = (p: BadProbePc) => {
  const near = [p.before, p.after].filter((i) => i !== null).map((i) => `${hex(i.offset)} (${i.name})`);
  return `pc ${hex(p.pc)} is not an instruction start (nearest: ${near.length > 0 ? near.join(', ') : 'none, the module has no code'})`;
};

/** The probes of one module: each distinct pc once, and the instruction at it. */
export interface ResolvedProbes {
  /** Distinct probe pcs in the order first asked; a report's probe index indexes this list. */
  readonly pcs: readonly number[];
  /** Probe index by pc. */
  readonly indexOf: ReadonlyMap<number, number>;
}

/**
 * Checks every pc against `positions`; throws `ProbePcError` listing all the bad ones (not only
 * the first). Duplicates are allowed and share one probe.
 */
export function resolveProbePcs(positions: ModulePositions, pcs: readonly number[], source: string): ResolvedProbes {
  const starts = positions.functions.flatMap((f) => f.instructions); // functions are in byte order
  const at = new Map(starts.map((ins) => [ins.offset, ins]));
  const problems: BadProbePc[] = [];
  const distinct: number[] = [];
  const indexOf = new Map<number, number>();
  for (const pc of pcs) {
    if (at.has(pc)) {
      if (!indexOf.has(pc)) indexOf.set(pc, distinct.push(pc) - 1);
    } else if (!problems.some((p) => p.pc === pc)) {
      const i = firstAbove(starts, pc);
      problems.push({ pc, before: starts[i - 1] ?? null, after: starts[i] ?? null });
    }
  }
  if (problems.length > 0) throw new ProbePcError(source, problems);
  return { pcs: distinct, indexOf };
}

/** Index of the first instruction whose offset is above `pc` (binary search). */
function firstAbove(starts: readonly Instruction[], pc: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid].offset > pc) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
