/**
 * The input log's import calls as the timeline holds them: with their times, names and host
 * writes, and an index of which 256-byte granules each call's writes touch. Shared by the index
 * pass (which fills in the bytes each host write overwrote) and the stored index's loader
 * (which takes those bytes from the trace).
 */
import type { TraceReader } from '../../src/trace/index.js';
import { SUMMARY_PAGE_BITS } from './chunkStore.js';
import { TimelineCoverageError } from './errors.js';
import type { ImportCallRecord } from './types.js';

/** A call record whose writes' `oldBytes` are still to be filled in (empty until then). */
export type OpenCallRecord = Omit<ImportCallRecord, 'writes'> & { readonly writes: { address: number; bytes: Uint8Array; oldBytes: Uint8Array }[] };

/** Every logged call in order; throws `TimelineCoverageError` for a call without a time. */
export function readCalls(reader: TraceReader, file: string): OpenCallRecord[] {
  const importNames = new Map(reader.imports().map((i) => [i.functionIndex, `${i.module}.${i.name}`]));
  return [...reader.importCalls()].map((c): OpenCallRecord => {
    if (c.time === null) throw new TimelineCoverageError(file, `import call ${c.index} has no time`);
    const writes = c.writes.map((w) => ({ address: w.address, bytes: w.bytes, oldBytes: new Uint8Array(0) }));
    return { index: c.index, time: c.time, functionIndex: c.functionIndex, name: importNames.get(c.functionIndex) ?? '?', args: c.args, result: c.result, output: c.output, writes };
  });
}

/** Granule (256 bytes) to the indices of the calls whose host writes touch it, in call order. */
export function callsByGranule(calls: readonly ImportCallRecord[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const call of calls) {
    for (const w of call.writes) {
      if (w.bytes.length === 0) continue;
      for (let p = w.address >>> SUMMARY_PAGE_BITS; p <= (w.address + w.bytes.length - 1) >>> SUMMARY_PAGE_BITS; p++) {
        const list = out.get(p);
        if (list === undefined) out.set(p, [call.index]);
        else if (list.at(-1) !== call.index) list.push(call.index);
      }
    }
  }
  return out;
}
