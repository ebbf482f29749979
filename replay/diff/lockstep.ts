/**
 * The walk levels 2 and 3 share: two side streams advanced together, item by item, until an
 * item differs or a stream ends, with the last few items of each side kept for context; and
 * the divergence a report shows, built from where the walk stopped.
 */
import { HEADER_SIZE } from '../../instrument/detailEvents.js';
import type { BranchView, DiffDivergence, EndView, EventDivergence } from '../diffTypes.js';
import { ContextRing, currentView } from './eventView.js';
import { endText } from './observable.js';
import type { SideStream } from './sideStream.js';

/** Where a walk stopped. */
export interface WalkEnd {
  /** Items compared and found alike. */
  readonly compared: number;
  /** Time of the last item alike (side A); 0 when none. */
  readonly lastTime: number;
  /** null: both streams ended together with every item alike. */
  readonly fields: string[] | null;
  /** Which sides still had an item when the walk stopped. */
  readonly hasA: boolean;
  readonly hasB: boolean;
  readonly contextA: ContextRing;
  readonly contextB: ContextRing;
}

/**
 * Advances `sa` and `sb` together while `compare` (called with both on an item, and the walk so
 * far) returns null; stops at the first item it finds fields of difference for, or where a
 * stream ends.
 */
export function walk(
  sa: SideStream,
  sb: SideStream,
  context: number,
  compare: (sofar: WalkEnd) => string[] | null,
  /** Called before each item: may move both streams over items known to be alike (counting them and keeping the context). */
  skip?: (sofar: WalkState) => void,
): WalkEnd {
  const w: WalkState = { compared: 0, lastTime: 0, fields: null, hasA: true, hasB: true, contextA: new ContextRing(context), contextB: new ContextRing(context) };
  for (;;) {
    if (skip !== undefined) skip(w);
    w.hasA = sa.next();
    w.hasB = sb.next();
    if (!w.hasA || !w.hasB) {
      w.fields = w.hasA || w.hasB ? ['end'] : null;
      return w;
    }
    w.fields = compare(w);
    if (w.fields !== null) return w;
    w.contextA.push(sa);
    w.contextB.push(sb);
    w.compared++;
    w.lastTime = sa.time;
  }
}

/** A walk under way. */
export interface WalkState {
  compared: number;
  lastTime: number;
  fields: string[] | null;
  hasA: boolean;
  hasB: boolean;
  readonly contextA: ContextRing;
  readonly contextB: ContextRing;
}

/** What a level adds to the divergence its walk found. */
export interface DivergenceDetail {
  readonly textA?: string;
  readonly textB?: string;
  readonly call?: DiffDivergence | null;
  readonly note?: string | null;
  readonly effect?: EventDivergence | null;
  readonly branch?: BranchView | null;
}

/** The divergence where `w` stopped (it must have stopped at one). */
export function divergenceAt(
  level: 2 | 3,
  sa: SideStream,
  sb: SideStream,
  w: WalkEnd,
  ends: { a: EndView; b: EndView },
  detail: DivergenceDetail = {},
): EventDivergence {
  const a = w.hasA ? currentView(sa, true) : null;
  const b = w.hasB ? currentView(sb, true) : null;
  return {
    kind: 'event',
    level,
    indexA: w.compared,
    indexB: w.compared,
    a,
    b,
    textA: detail.textA ?? (a === null ? `end: ${endText(ends.a)}` : a.text),
    textB: detail.textB ?? (b === null ? `end: ${endText(ends.b)}` : b.text),
    fields: w.fields ?? [],
    call: detail.call ?? null,
    note: detail.note ?? null,
    effect: detail.effect ?? null,
    branch: detail.branch ?? null,
    contextA: w.contextA.views(sa.trace),
    contextB: w.contextB.views(sb.trace),
  };
}

/** True when the current events of both streams have equal payloads from byte `skip` on (the headers are not compared). */
export function sameTail(sa: SideStream, sb: SideStream, skip: number): boolean {
  const a = sa.events;
  const b = sb.events;
  const n = a.end - a.start;
  if (n !== b.end - b.start) return false;
  const x = a.bytes;
  const y = b.bytes;
  for (let i = HEADER_SIZE + skip, p = a.start, q = b.start; i < n; i++) if (x[p + i] !== y[q + i]) return false;
  return true;
}

/** Switches the fast path below off (bench/diff.mjs measures the walk that compares every event). */
export const fastPath = { enabled: true };

/**
 * The fast path of identical runs: where both traces' readers stand at the same place of
 * chunks whose rest is byte for byte equal (checked once per pair of chunks), every event up
 * to the next import call or the chunk's end is alike without comparing: side A takes them as
 * items, side B is moved to the same place.
 */
export function mirrorSkipper(sa: SideStream, sb: SideStream): ((w: WalkState) => void) | undefined {
  if (!fastPath.enabled) return undefined;
  const ea = sa.events;
  const eb = sb.events;
  let pairA: Uint8Array | null = null;
  let pairB: Uint8Array | null = null;
  let equal = false;
  return (w) => {
    if (sa.waiting || sb.waiting) return;
    if (ea.atChunkEnd && eb.atChunkEnd) {
      // Both chunks read: load the next pair here, so that the fast path starts at its beginning.
      if (!ea.loadChunk() || !eb.loadChunk()) return;
    }
    if (ea.bytes !== pairA || eb.bytes !== pairB) {
      pairA = ea.bytes;
      pairB = eb.bytes;
      equal = ea.sameRest(eb);
    }
    if (!equal || ea.atChunkEnd || ea.end !== eb.end) return;
    const limit = Math.min(sa.nextCallTime(), sb.nextCallTime());
    const n = sa.takeChunkEvents(limit, w.contextA);
    sb.follow(sa);
    if (n === 0) return;
    w.contextB.copyFrom(w.contextA);
    w.compared += n;
    w.lastTime = sa.time;
  };
}
