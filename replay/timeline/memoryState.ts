/**
 * Applying and undoing memory effects on a copy of linear memory: detail events forward (new
 * bytes) and backward (the old bytes each event carries), and the host writes of import calls
 * (whose overwritten bytes the index captured). A grow reallocates; undoing it truncates.
 */
import type { DetailEvent } from '../../instrument/index.js';
import type { ImportCallRecord } from './types.js';

const PAGE = 65536;

/** Linear memory being rebuilt: `bytes` is replaced when it grows or shrinks. */
export class MemoryImage {
  constructor(public bytes: Uint8Array) {}

  /** Applies `e` forward (events that do not touch memory are ignored). */
  apply(e: DetailEvent): void {
    const m = this.bytes;
    switch (e.kind) {
      case 'store': m.set(e.newBytes, e.address); break;
      case 'fill': m.fill(e.value, e.dest, e.dest + e.size); break;
      case 'copy': m.copyWithin(e.dest, e.source, e.source + e.size); break;
      case 'init': this.bytes.set(this.segmentBytes(e.segment, e.sourceOffset, e.size), e.dest); break;
      case 'grow':
        if (e.result !== -1) {
          const grown = new Uint8Array((e.oldPages + e.delta) * PAGE);
          grown.set(m);
          this.bytes = grown;
        }
        break;
    }
  }

  /** Undoes `e`: memory afterwards is as it was before `e` executed. */
  undo(e: DetailEvent): void {
    switch (e.kind) {
      case 'store': this.bytes.set(e.oldBytes, e.address); break;
      case 'fill': case 'copy': case 'init': this.bytes.set(e.oldBytes, e.dest); break;
      case 'grow':
        if (e.result !== -1) this.bytes = this.bytes.slice(0, e.oldPages * PAGE);
        break;
    }
  }

  /** The host's writes of one import call, in order. */
  applyCall(call: ImportCallRecord): void {
    for (const w of call.writes) this.bytes.set(w.bytes, w.address);
  }

  /** Undoes one call's host writes, last first. */
  undoCall(call: ImportCallRecord): void {
    for (let i = call.writes.length - 1; i >= 0; i--) this.bytes.set(call.writes[i].oldBytes, call.writes[i].address);
  }

  /** The module's data segments, for `memory.init` forward (the event carries only old bytes). */
  segments: readonly Uint8Array[] = [];

  private segmentBytes(segment: number, offset: number, size: number): Uint8Array {
    const data = this.segments[segment];
    if (data === undefined || offset + size > data.length) throw new Error(`memory.init of data segment ${segment} outside the module's segments`);
    return data.subarray(offset, offset + size);
  }
}
