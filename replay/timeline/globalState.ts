/**
 * Globals at one time, from what the trace and the module say: the latest `global.set` at or
 * before it; else the old value of the global's first `global.set` (nothing else changes a
 * global in a WASI program); else the module's constant initializer; else unknown.
 */
import type { TimelineIndex } from './timelineIndex.js';
import type { GlobalState } from './types.js';

/** Every global of the module, given the values set up to the time (`set`: global to new bytes). */
export function globalStates(index: TimelineIndex, set: ReadonlyMap<number, Uint8Array>): GlobalState[] {
  return index.globals.map((decl, i) => {
    const latest = set.get(i);
    const before = index.firstSet.get(i)?.oldBytes ?? decl.initial;
    const bytes = latest ?? before ?? null;
    const usable = bytes !== null && bytes.length > 0 ? bytes : null;
    return {
      index: i,
      type: decl.type,
      mutable: decl.mutable,
      known: latest !== undefined ? 'set' : bytes !== null ? 'initial' : 'unknown',
      bytes: usable,
      value: usable === null ? null : typedValue(decl.type, usable),
    };
  });
}

/** i32 as a signed number, i64 as a signed bigint, f32/f64 as numbers; null for other types. */
export function typedValue(type: string, bytes: Uint8Array): number | bigint | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'i32': return bytes.length === 4 ? view.getInt32(0, true) : null;
    case 'i64': return bytes.length === 8 ? view.getBigInt64(0, true) : null;
    case 'f32': return bytes.length === 4 ? view.getFloat32(0, true) : null;
    case 'f64': return bytes.length === 8 ? view.getFloat64(0, true) : null;
    default: return null;
  }
}
