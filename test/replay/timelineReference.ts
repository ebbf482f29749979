/**
 * Brute-force references for the timeline tests: the whole history of a small trace decoded
 * into one list, and a forward replay from time 0 that yields memory at several times in one
 * sweep, plus a linear scan for the last/next write of a byte.
 */
import { CallShapes, decodeDetailEvents, type DetailEvent } from '../../instrument/index.js';
import { TraceReader, type ImportCall } from '../../src/trace/index.js';

/** One memory effect in history order: an event, or one import call's host writes. */
export type Effect = { time: bigint; event: DetailEvent; call?: undefined } | { time: bigint; call: ImportCall; event?: undefined };

export interface History {
  readonly initial: Uint8Array;
  readonly final: Uint8Array;
  /** Events and calls merged: a call at time T after the events at T. */
  readonly effects: readonly Effect[];
  readonly events: readonly DetailEvent[];
  readonly calls: readonly ImportCall[];
}

export function readHistory(file: string): History {
  const reader = TraceReader.open(file);
  const kfs = reader.keyframes();
  const initial = reader.keyframeMemory(kfs[0]);
  const final = reader.keyframeMemory(kfs.at(-1)!);
  const shapes = CallShapes.of(reader.moduleBytes());
  const events = [...reader.detailChunks()].flatMap((c) => decodeDetailEvents(c.events, shapes));
  const calls = [...reader.importCalls()];
  reader.close();
  const effects: Effect[] = [];
  let k = 0;
  for (const e of events) {
    for (; k < calls.length && calls[k].time! < e.time; k++) effects.push({ time: calls[k].time!, call: calls[k] });
    effects.push({ time: e.time, event: e });
  }
  for (; k < calls.length; k++) effects.push({ time: calls[k].time!, call: calls[k] });
  return { initial, final, effects, events, calls };
}

/** Memory at each of `times` by one forward sweep from time 0 (keyed by time). */
export function forwardMemory(h: History, times: readonly bigint[]): Map<bigint, Uint8Array> {
  const sorted = [...new Set(times)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out = new Map<bigint, Uint8Array>();
  let memory = h.initial.slice();
  let i = 0;
  for (const t of sorted) {
    for (; i < h.effects.length && h.effects[i].time <= t; i++) {
      const { event, call } = h.effects[i];
      if (call) for (const w of call.writes) memory.set(w.bytes, w.address);
      else if (event.kind === 'store') memory.set(event.newBytes, event.address);
      else if (event.kind === 'fill') memory.fill(event.value, event.dest, event.dest + event.size);
      else if (event.kind === 'copy') memory.copyWithin(event.dest, event.source, event.source + event.size);
      else if (event.kind === 'grow' && event.result !== -1) {
        const grown = new Uint8Array(memory.length + event.delta * 65536);
        grown.set(memory);
        memory = grown;
      }
    }
    out.set(t, memory.slice());
  }
  return out;
}

function covers(f: Effect, address: number): boolean {
  if (f.call) return f.call.writes.some((w) => address >= w.address && address < w.address + w.bytes.length);
  const e = f.event;
  if (e.kind === 'store') return address >= e.address && address < e.address + e.width;
  if (e.kind === 'fill' || e.kind === 'copy' || e.kind === 'init') return address >= e.dest && address < e.dest + e.size;
  return false;
}

/** The last effect at or before `t` writing `address`, by a linear scan. */
export function scanLast(h: History, address: number, t: bigint): Effect | null {
  for (let i = h.effects.length - 1; i >= 0; i--) if (h.effects[i].time <= t && covers(h.effects[i], address)) return h.effects[i];
  return null;
}

/** The first effect after `t` writing `address`, by a linear scan. */
export function scanNext(h: History, address: number, t: bigint): Effect | null {
  return h.effects.find((f) => f.time > t && covers(f, address)) ?? null;
}

/** Addresses some effect writes (a sample for property tests). */
export function writtenAddresses(h: History, limit = 2000): number[] {
  const out = new Set<number>();
  for (const f of h.effects) {
    if (out.size >= limit) break;
    if (f.call) for (const w of f.call.writes) out.add(w.address);
    else if (f.event.kind === 'store') out.add(f.event.address + f.event.width - 1);
    else if (f.event.kind === 'fill' || f.event.kind === 'copy') out.add(f.event.dest);
  }
  return [...out];
}
