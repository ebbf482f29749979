/**
 * Breakpoints and watchpoints of one replay: resolving a spec (pc, function name, file:line) to
 * instruction offsets, and the times each breakpoint pc is hit, found once per pc by a
 * `HitFinder` and kept (the history never changes, so neither do the hits).
 */
import { UsageError } from '../../src/errors.js';
import type { ReplayModule } from './moduleView.js';
import type { Breakpoint, BreakpointSpec, Watchpoint } from './types.js';

/** Every time (sorted) at which the instruction at each pc was the next to execute. */
export type HitFinder = (pcs: readonly number[]) => Map<number, readonly bigint[]>;

export class BreakpointSet {
  private readonly list: Breakpoint[] = [];
  private readonly watches: Watchpoint[] = [];
  private readonly hits = new Map<number, readonly bigint[]>();
  private nextId = 1;

  constructor(
    private readonly module: ReplayModule,
    private readonly findHits: HitFinder,
  ) {}

  add(spec: BreakpointSpec): Breakpoint {
    const { pcs, note } = this.resolve(spec);
    const missing = pcs.filter((pc) => !this.hits.has(pc));
    if (missing.length > 0) for (const [pc, times] of this.findHits(missing)) this.hits.set(pc, times);
    const bp: Breakpoint = { id: this.nextId++, spec, pcs, note };
    this.list.push(bp);
    return bp;
  }

  remove(id: number): boolean {
    const i = this.list.findIndex((b) => b.id === id);
    if (i < 0) return false;
    this.list.splice(i, 1);
    return true;
  }

  all(): readonly Breakpoint[] {
    return this.list;
  }

  addWatch(address: number, size: number): Watchpoint {
    if (!Number.isInteger(address) || address < 0 || !Number.isInteger(size) || size < 1 || size > 4096) {
      throw new UsageError(`a watchpoint needs an address >= 0 and a size of 1..4096 bytes (got ${address}, ${size})`);
    }
    const w: Watchpoint = { id: this.nextId++, address, size };
    this.watches.push(w);
    return w;
  }

  removeWatch(id: number): boolean {
    const i = this.watches.findIndex((w) => w.id === id);
    if (i < 0) return false;
    this.watches.splice(i, 1);
    return true;
  }

  allWatches(): readonly Watchpoint[] {
    return this.watches;
  }

  /** The earliest hit of any breakpoint after `t` (forward) or the latest before it (backward). */
  nextHit(t: bigint, forward: boolean): { time: bigint; breakpoint: Breakpoint } | null {
    let best: { time: bigint; breakpoint: Breakpoint } | null = null;
    for (const bp of this.list) {
      for (const pc of bp.pcs) {
        const times = this.hits.get(pc) ?? [];
        const time = forward ? firstAfter(times, t) : lastBefore(times, t);
        if (time === null) continue;
        if (best === null || (forward ? time < best.time : time > best.time)) best = { time, breakpoint: bp };
      }
    }
    return best;
  }

  /** The breakpoint whose pc is `pc` and that hits at `t`, if any. */
  hitAt(t: bigint, pc: number): Breakpoint | null {
    return this.list.find((bp) => bp.pcs.includes(pc) && (this.hits.get(pc) ?? []).includes(t)) ?? null;
  }

  private resolve(spec: BreakpointSpec): { pcs: number[]; note: string | null } {
    const m = this.module;
    if (spec.kind === 'pc') {
      const at = m.instructionAtOrAfter(spec.pc);
      if (at === null) throw new UsageError(`pc 0x${spec.pc.toString(16)} is not inside any function's code`);
      const note = at.offset === spec.pc ? null : `pc 0x${spec.pc.toString(16)} is not an instruction; slipped to 0x${at.offset.toString(16)}`;
      return { pcs: [at.offset], note };
    }
    if (spec.kind === 'function') {
      return { pcs: [afterPrologue(m, m.definedFunctionNamed(spec.name))], note: null };
    }
    const { line, pcs } = m.lines.pcsForLine(spec.file, spec.line);
    return { pcs: [...pcs], note: line === spec.line ? null : `line ${spec.line} has no code; using line ${line}` };
  }
}

function firstAfter(times: readonly bigint[], t: bigint): bigint | null {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return times[lo] ?? null;
}

function lastBefore(times: readonly bigint[], t: bigint): bigint | null {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? times[lo - 1] : null;
}

/**
 * Where a debugger stops for "break at function f": its first statement on a line after the
 * line that opens it (clang's prologue, which sets up the shadow-stack frame, carries the
 * opening line), as gdb and lldb do; the first instruction when there is no such line.
 */
function afterPrologue(m: ReplayModule, funcIndex: number): number {
  const instructions = m.positions(funcIndex)!.instructions;
  const first = instructions[0].offset;
  const opening = m.lines.locationAt(first);
  if (opening === null) return first;
  for (const i of instructions) {
    const at = m.lines.locationAt(i.offset);
    if (at !== null && m.lines.isStatement(i.offset) && (at.line !== opening.line || at.file !== opening.file)) return i.offset;
  }
  return first;
}
