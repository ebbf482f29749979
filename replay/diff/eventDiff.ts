/**
 * `diff` at level 3, for two recordings of the same module: every detail event (stores with
 * their old and new bytes, memory.grow/fill/copy/init, global.set, enter and exit with their
 * values, catch) and every import call (arguments, result, the bytes the host wrote), each at
 * its pc and instruction time, compared exactly, in one streaming pass over both traces. A pc
 * or time that differs means control flow went another way since the last event alike.
 *
 * One pass, no re-execution: the output and the end are compared from the logs as well. Only a
 * diverging import call is re-executed to, to describe it by meaning. Locals snapshots are not
 * compared (their placement depends on a recording option, and the values they hold show up in
 * the events that use them).
 */
import { EventKind } from '../../instrument/detailEvents.js';
import type { ImportCall } from '../../src/trace/index.js';
import type { CallDescription } from '../../src/wasi/callDescriber.js';
import { differingFields } from '../callKey.js';
import { streamCalls } from '../callStream.js';
import type { DiffOptions, DiffResult, EventDivergence } from '../diffTypes.js';
import { compareOutputDigests, OutputDigest } from '../outputCompare.js';
import { DetailTrace } from './detailTrace.js';
import { DiffInputError } from './errors.js';
import { findBranch } from './branch.js';
import { divergenceAt, mirrorSkipper, sameTail, walk, type DivergenceDetail, type WalkEnd } from './lockstep.js';
import { endOf, sameEnd, sideOf } from './observable.js';
import { kindMask } from './rawEvents.js';
import { ITEM_CALL, SideStream } from './sideStream.js';

/** Every event kind but snapshots. */
const COMPARED_EVENTS = kindMask(Object.values(EventKind).filter((k) => k !== EventKind.snapshot && k !== EventKind.sync));

/** Level 3. Throws `DiffInputError` for a trace without detail events or traces of different modules. */
export function eventDiff(a: string, b: string, options: DiffOptions = {}): DiffResult<3> {
  const context = options.context ?? 3;
  const ta = DetailTrace.open(a, 3);
  let tb: DetailTrace;
  try {
    tb = DetailTrace.open(b, 3);
  } catch (e) {
    ta.close();
    throw e;
  }
  try {
    const shaA = ta.summary.module.sha256;
    const shaB = tb.summary.module.sha256;
    if (shaA !== shaB) throw DiffInputError.differentModules(a, b, shaA, shaB);
    const outputA = new OutputDigest();
    const outputB = new OutputDigest();
    const sa = new SideStream(ta, COMPARED_EVENTS, (c) => outputA.add(c));
    const sb = new SideStream(tb, COMPARED_EVENTS, (c) => outputB.add(c));
    const ends = { a: endOf(ta.summary), b: endOf(tb.summary) };
    // An input that differs (an import call answered differently, its arguments alike) does
    // not stop the walk: the first is the divergence, and the walk goes on to the first place
    // the program itself acts differently, the effect.
    let input: EventDivergence | null = null;
    let callsBeforeInput = 0;
    const w = walk(sa, sb, context, (sofar) => {
      const fields = compareExact(sa, sb);
      if (fields === null || !isInputOnly(sa, sb, fields)) return fields;
      // Later inputs that differ are followed past too: the effect is the program's own.
      if (input === null) {
        input = divergenceAt(3, sa, sb, { ...sofar, fields, hasA: true, hasB: true }, ends, explain(sa, sb, fields, true));
        callsBeforeInput = sa.calls - 1;
      }
      return null;
    }, mirrorSkipper(sa, sb));
    const found = w.fields === null ? null : divergenceAt(3, sa, sb, w, ends, withBranch(explain(sa, sb, w.fields, w.hasA && w.hasB), sa, sb, w));
    // Calls alike: those consumed before the diverging item (the same number on both sides).
    const callsBefore = sa.calls - (found !== null && w.hasA && sa.item === ITEM_CALL ? 1 : 0);
    const sideA = sideOf(a, ta.summary, sa.calls, sa.drain());
    const sideB = sideOf(b, tb.summary, sb.calls, sb.drain());
    const endsEqual = sameEnd(sideA.end, sideB.end);
    const outputs = compareOutputDigests(a, b, outputA, outputB);
    const first = input as EventDivergence | null;
    const divergence = first === null ? found : { ...first, effect: found };
    return {
      level: 3,
      equal: divergence === null && endsEqual && outputs.stdout.equal && outputs.stderr.equal,
      strict: true,
      a: sideA,
      b: sideB,
      callsCompared: first === null ? callsBefore : callsBeforeInput,
      volatileDifferences: 0,
      divergence,
      eventsCompared: first === null ? w.compared : first.indexA,
      outputs,
      endsEqual,
    };
  } finally {
    ta.close();
    tb.close();
  }
}

/** Adds where control flow parted, when the fields say it did (both streams still on an item). */
function withBranch(detail: DivergenceDetail, sa: SideStream, sb: SideStream, w: WalkEnd): DivergenceDetail {
  const fields = w.fields ?? [];
  if (!w.hasA || !w.hasB || !(fields.includes('pc') || fields.includes('time') || fields.includes('kind'))) return detail;
  try {
    const branch = findBranch(sa.trace, sb.trace, w.lastTime, Math.min(sa.time, sb.time));
    return branch === null ? { ...detail, note: `${detail.note} (the instruction where they part was not found within a million steps)` } : { ...detail, branch };
  } catch (e) {
    return { ...detail, note: `${detail.note} (the instruction where they part could not be located: ${(e as Error).message})` };
  }
}

/** An import call whose arguments are alike but whose answer (result, bytes written) differs: a different input. */
function isInputOnly(sa: SideStream, sb: SideStream, fields: readonly string[]): boolean {
  return sa.item === ITEM_CALL && sb.item === ITEM_CALL && fields.every((f) => f === 'result' || f === 'writes');
}

/** Fields in which the current items differ exactly; null when alike. */
function compareExact(sa: SideStream, sb: SideStream): string[] | null {
  if (sa.item !== sb.item) return ['kind'];
  if (sa.item === ITEM_CALL) return compareCalls(sa.call!, sb.call!);
  const ea = sa.events;
  const eb = sb.events;
  if (ea.kind === eb.kind && ea.pc === eb.pc && ea.time === eb.time && sameTail(sa, sb, 0)) return null;
  const fields: string[] = [];
  if (ea.kind !== eb.kind) fields.push('kind');
  if (ea.pc !== eb.pc) fields.push('pc');
  if (ea.time !== eb.time) fields.push('time');
  if (fields.length === 0) fields.push(...payloadFields(sa, sb));
  return fields;
}

function compareCalls(a: ImportCall, b: ImportCall): string[] | null {
  const fields: string[] = [];
  if (a.functionIndex !== b.functionIndex) fields.push('function');
  if (a.time !== b.time) fields.push('time');
  if (a.args.length !== b.args.length || a.args.some((v, i) => v !== b.args[i])) fields.push('args');
  if (a.result !== b.result) fields.push('result');
  if (!sameWrites(a, b)) fields.push('writes');
  return fields.length === 0 ? null : fields;
}

function sameWrites(a: ImportCall, b: ImportCall): boolean {
  if (a.writes.length !== b.writes.length) return false;
  for (let i = 0; i < a.writes.length; i++) {
    const x = a.writes[i];
    const y = b.writes[i];
    if (x.address !== y.address || !Buffer.from(x.bytes).equals(y.bytes)) return false;
  }
  return true;
}

/** The payload fields of two events of the same kind, pc and time that differ (decoded: only at a divergence). */
function payloadFields(sa: SideStream, sb: SideStream): string[] {
  const x = sa.events.decode() as unknown as Record<string, unknown>;
  const y = sb.events.decode() as unknown as Record<string, unknown>;
  const renamed: Record<string, string> = { newBytes: 'value', oldBytes: 'old value', func: 'function', dest: 'address' };
  const out: string[] = [];
  for (const k of Object.keys(x)) {
    if (k === 'kind' || k === 'pc' || k === 'time') continue;
    if (JSON.stringify(x[k], jsonable) !== JSON.stringify(y[k], jsonable)) out.push(renamed[k] ?? k);
  }
  return out;
}

function jsonable(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}

/** What the fields of a level-3 divergence mean, and import calls described by meaning. */
function explain(sa: SideStream, sb: SideStream, fields: readonly string[], both: boolean): DivergenceDetail {
  if (!both) return {};
  if (sa.item === ITEM_CALL && sb.item === ITEM_CALL && !fields.includes('function')) {
    const da = describedCall(sa.trace.file, sa.call!.index);
    const db = describedCall(sb.trace.file, sb.call!.index);
    if (da === null || db === null) return {};
    const meaning = differingFields(da, db, true);
    const volatile = meaning.length > 0 && meaning.every((f) => da.volatile.includes(f) || db.volatile.includes(f));
    return {
      textA: da.text,
      textB: db.text,
      note: volatile
        ? `only values that differ between any two runs differ here (${meaning.join(', ')}: a clock, random bytes, file times): level 3 compares them exactly; ` +
          '`wtrace rerun` replays the golden run\'s inputs, or compare at level 1 or 2, which ignore them'
        : null,
    };
  }
  if (fields.includes('kind') || fields.includes('pc') || fields.includes('time')) {
    return { note: 'control flow differs: since the last item alike, the runs executed different instructions (a branch went the other way, or a loop ran a different number of times)' };
  }
  return {};
}

/** Call `index` of `file`'s log described by meaning (re-executes up to it); null if the run does not get there. */
function describedCall(file: string, index: number): CallDescription | null {
  let found: CallDescription | null = null;
  streamCalls(file, (c) => {
    if (c.index !== index) return true;
    found = c.description;
    return false;
  });
  return found;
}
