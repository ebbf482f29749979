/**
 * "When was this byte last written, and by what": the nearest write covering one address before
 * or after a time, among detail events (store/fill/copy/init) and host writes of import calls.
 * Chunks whose page summary does not include the address are never read; the others are
 * scanned in place, and only the write found is decoded.
 */
import type { DetailEvent, DetailScanner, ScanPosition } from '../../instrument/index.js';
import { mayWrite, SUMMARY_PAGE_BITS, writtenRange, type ChunkStore } from './chunkStore.js';
import type { TimelineIndex } from './timelineIndex.js';
import type { WriteRecord } from './types.js';

/** The byte memory held at `address` at a time (after every effect up to it). */
export type ByteAt = (address: number, time: bigint) => number;

/** The latest write covering `address` at a time <= `t`; a call at time T counts after events at T. */
export function lastWrite(index: TimelineIndex, address: number, t: bigint, byteAt: ByteAt): WriteRecord | null {
  let event: DetailEvent | null = null;
  const { chunks } = index;
  const until = Number(t);
  for (let i = chunks.lastStartingAtOrBefore(t); i >= 0 && event === null; i--) {
    if (!mayWrite(chunks.chunks[i], address)) continue;
    const s = chunks.scanner(i);
    let found: ScanPosition | null = null;
    while (s.next() && s.time <= until) if (coversScanned(s, address)) found = s.position();
    if (found !== null) event = decodeAt(chunks, i, found);
  }
  const list = index.callsByPage.get(address >>> SUMMARY_PAGE_BITS) ?? [];
  let call: number | null = null;
  for (let k = list.length - 1; k >= 0; k--) {
    const c = index.calls[list[k]];
    if (c.time <= t && hostCovers(index, list[k], address)) {
      call = list[k];
      break;
    }
  }
  if (call !== null && (event === null || index.calls[call].time >= event.time)) return hostRecord(index, call, address);
  return event === null ? null : eventRecord(event, address, byteAt);
}

/** The earliest write covering `address` at a time > `t`; events at T come before a call at T. */
export function nextWrite(index: TimelineIndex, address: number, t: bigint, byteAt: ByteAt): WriteRecord | null {
  let event: DetailEvent | null = null;
  const { chunks } = index;
  const after = Number(t);
  for (let i = chunks.firstEndingAtOrAfter(t + 1n); i < chunks.chunks.length && event === null; i++) {
    if (!mayWrite(chunks.chunks[i], address)) continue;
    const s = chunks.scanner(i);
    while (s.next()) {
      if (s.time > after && coversScanned(s, address)) {
        event = s.decode();
        break;
      }
    }
  }
  const list = index.callsByPage.get(address >>> SUMMARY_PAGE_BITS) ?? [];
  const call = list.find((k) => index.calls[k].time > t && hostCovers(index, k, address)) ?? null;
  if (call !== null && (event === null || index.calls[call].time < event.time)) return hostRecord(index, call, address);
  return event === null ? null : eventRecord(event, address, byteAt);
}

function coversScanned(s: DetailScanner, address: number): boolean {
  return s.writeRange() && address >= s.writeAddress && address < s.writeAddress + s.writeSize;
}

function decodeAt(chunks: ChunkStore, chunk: number, position: ScanPosition): DetailEvent {
  const s = chunks.scanner(chunk, position);
  s.next();
  return s.decode();
}

function covers(e: DetailEvent, address: number): boolean {
  const r = writtenRange(e);
  return r !== null && address >= r.address && address < r.address + r.size;
}

function hostCovers(index: TimelineIndex, call: number, address: number): boolean {
  return index.calls[call].writes.some((w) => address >= w.address && address < w.address + w.bytes.length);
}

function eventRecord(e: DetailEvent, address: number, byteAt: ByteAt): WriteRecord {
  const r = writtenRange(e)!;
  const at = address - r.address;
  const base = { time: e.time, pc: e.pc, importCall: null, address: r.address, size: r.size };
  switch (e.kind) {
    case 'store': return { ...base, kind: 'store', oldValue: byteAt(address, e.time - 1n), newValue: e.newBytes[at] };
    case 'fill': return { ...base, kind: 'fill', oldValue: e.oldBytes[at], newValue: e.value };
    case 'copy': case 'init': return { ...base, kind: e.kind, oldValue: e.oldBytes[at], newValue: byteAt(address, e.time) };
    default: throw new Error(`event ${e.kind} writes no memory`);
  }
}

/** A call's writes to one byte: old before its first write there, new after its last. */
function hostRecord(index: TimelineIndex, callIndex: number, address: number): WriteRecord {
  const call = index.calls[callIndex];
  const ws = call.writes.filter((w) => address >= w.address && address < w.address + w.bytes.length);
  const first = ws[0];
  const last = ws.at(-1)!;
  return {
    kind: 'host', time: call.time, pc: null, importCall: callIndex, address: last.address, size: last.bytes.length,
    oldValue: first.oldBytes[address - first.address], newValue: last.bytes[address - last.address],
  };
}
