/**
 * Finding how one activation ended, given where to start reading the event stream: from the
 * index for long activations and for frames still open at the end, else by scanning forward
 * from a position at or before its `enter` (events read in place; only the exit is decoded).
 */
import { DetailScanner, EventKind, type ScanPosition } from '../../instrument/index.js';
import { valuesOf } from './callStack.js';
import type { TimelineIndex } from './timelineIndex.js';
import type { ActivationEnd, Frame } from './types.js';

/** The function entered at `entryTime` and how it ended (`end` null: never returned); null when nothing is entered then. */
export type ActivationLookup = { readonly func: number; readonly end: ActivationEnd | null } | null;

/**
 * Looks up the activation entered at `entryTime`, reading from event `position` of chunk
 * `chunk` (which must be at or before its `enter` event) when the index does not know it.
 */
export function findActivation(index: TimelineIndex, chunk: number, position: ScanPosition, entryTime: bigint): ActivationLookup {
  const known = index.longActivations.get(entryTime);
  if (known !== undefined) return known;
  for (let f: Frame | null = index.finalStack; f !== null; f = f.caller) {
    if (f.entryTime === entryTime) return { func: f.funcIndex, end: null };
  }
  const entry = Number(entryTime);
  const { chunks } = index;
  let depth = -1;
  let func = -1;
  for (let c = chunk, start = position; c < chunks.chunks.length; c++, start = { offset: 0, prevTime: 0 }) {
    const s = chunks.scanner(c, start);
    while (s.next()) {
      const kind = s.kind;
      if (depth < 0) {
        if (s.time > entry) return null;
        if (kind === EventKind.enter && s.time === entry) {
          depth = 0;
          func = s.func;
        }
        continue;
      }
      if (kind === EventKind.enter) depth++;
      else if (kind === EventKind.exit) {
        if (depth === 0) {
          const e = s.decode();
          return { func, end: { time: e.time, pc: e.pc, results: valuesOf(e, 'results') } };
        }
        depth--;
      } else if (kind === EventKind.catch) {
        const frameTime = s.frameTime;
        if (frameTime < entry) return { func, end: null };
        // Caught inside the activation: exact only when the catching frame is the activation
        // itself (frames between are not tracked here); C, which wtrace mostly replays, never throws.
        if (frameTime === entry) depth = 0;
      }
    }
  }
  return depth < 0 ? null : { func, end: null };
}
