/**
 * `diff` at level 2: level 1 (observable behaviour), then the call tree by function name. Walks
 * both traces' enter, exit and catch events, merged with their import calls in time order, and
 * compares item by item: the function entered or left (by name, so a rebuild that renumbers
 * functions compares equal), the argument and result values, and which import call comes
 * where. An import call level 1 found different is reported here, at its place in the tree.
 *
 * Not compared: times and pcs (they change with every rebuild) and what happens between calls
 * (level 3). Arguments compare by value, pointers included: a rebuild that moves data or stack
 * frames shows up as different arguments.
 */
import { EventKind } from '../../instrument/detailEvents.js';
import type { DiffDivergence, DiffOptions, DiffResult } from '../diffTypes.js';
import { DetailTrace } from './detailTrace.js';
import { divergenceAt, mirrorSkipper, sameTail, walk } from './lockstep.js';
import { observableDiffWithVolatile } from './observable.js';
import { kindMask } from './rawEvents.js';
import { ITEM_CALL, SideStream } from './sideStream.js';

const TREE_EVENTS = kindMask([EventKind.enter, EventKind.exit, EventKind.catch]);

/** Level 2. Throws `DiffInputError` for a trace without detail events, before re-executing anything. */
export function treeDiff(a: string, b: string, options: DiffOptions = {}): DiffResult<2> {
  const context = options.context ?? 3;
  const ta = DetailTrace.open(a, 2);
  let tb: DetailTrace;
  try {
    tb = DetailTrace.open(b, 2);
  } catch (e) {
    ta.close();
    throw e;
  }
  try {
    const { result: observable, firstVolatile } = observableDiffWithVolatile(a, b, options);
    const d = observable.divergence as DiffDivergence | null;
    // The import call (same index on both sides) that differs by meaning, if any.
    const differingCall = d !== null && d.kind === 'call' && d.a !== null && d.b !== null ? d.callA : -1;
    const sa = new SideStream(ta, TREE_EVENTS);
    const sb = new SideStream(tb, TREE_EVENTS);
    let callDiffers = false;
    const w = walk(sa, sb, context, () => {
      if (sa.item !== sb.item) return ['kind'];
      if (sa.item === ITEM_CALL) {
        if (ta.importName(sa.call!.functionIndex) !== tb.importName(sb.call!.functionIndex)) return ['function'];
        if (sa.call!.index === differingCall) {
          callDiffers = true;
          return [...d!.fields];
        }
        return null;
      }
      return compareTreeEvents(sa, sb);
      // Equal chunks hold equal events; they compare alike by name only within one module.
    }, ta.summary.module.sha256 === tb.summary.module.sha256 ? mirrorSkipper(sa, sb) : undefined);
    const divergence =
      w.fields === null
        ? observable.divergence
        : divergenceAt(2, sa, sb, w, { a: observable.a.end, b: observable.b.end }, callDiffers ? { textA: d!.textA, textB: d!.textB, call: d } : { note: volatileNote(sa, firstVolatile) });
    return {
      ...observable,
      level: 2,
      equal: observable.equal && w.fields === null,
      divergence,
      eventsCompared: w.compared,
    };
  } finally {
    ta.close();
    tb.close();
  }
}

/**
 * When an earlier import call gave the two runs different volatile values (a clock, random
 * bytes), which level 1 lets pass: a value computed from them differs at level 2 too.
 */
function volatileNote(sa: SideStream, firstVolatile: number | null): string | null {
  const before = sa.calls - (sa.item === ITEM_CALL ? 1 : 0);
  if (firstVolatile === null || firstVolatile >= before) return null;
  return (
    `the runs read different volatile values before this point (import call ${firstVolatile} is the first, e.g. a clock or random bytes), ` +
    'so values computed from them may differ here; `wtrace rerun` replays the golden run\'s inputs'
  );
}

/** Fields in which the current enter/exit/catch events of two streams differ; null when alike. */
function compareTreeEvents(sa: SideStream, sb: SideStream): string[] | null {
  const ea = sa.events;
  const eb = sb.events;
  if (ea.kind !== eb.kind) return ['kind'];
  const fields: string[] = [];
  if (sa.trace.functionName(ea.func) !== sb.trace.functionName(eb.func)) fields.push('function');
  if (sa.depth !== sb.depth) fields.push('depth');
  // catch: func u32, frame time (not comparable).
  if (ea.kind !== EventKind.catch && !sameCallValues(sa, sb)) fields.push(ea.kind === EventKind.enter ? 'args' : 'results');
  return fields.length === 0 ? null : fields;
}

/**
 * Whether two enter (or exit) events carry the same values, byte for byte: a compact call's
 * payload is its values; a long one's is func u32, then size, types and values. A call is compact
 * exactly when its values take at most 63 bytes, so calls in different forms carry different
 * values, and their lengths already differ.
 */
function sameCallValues(sa: SideStream, sb: SideStream): boolean {
  const a = sa.events;
  return a.compactCall === sb.events.compactCall && sameTail(sa, sb, a.compactCall ? 0 : 4);
}
