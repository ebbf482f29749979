/**
 * Copy-on-write page tables (replay/timeline/pagedMemory.ts): every table taken along a random
 * history of writes and grows materializes to the memory as it was then, and turning one
 * table's memory, changed in some pages, into another's by copying only the pages that differ
 * gives the same bytes as a fresh copy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markPages, materialize, PAGE_SIZE, PageTracker, rematerialize, type PageTable } from '../../replay/timeline/pagedMemory.js';

type Step = { kind: 'write'; address: number; bytes: number[] } | { kind: 'grow'; pages: number } | { kind: 'take' };

const step = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('write' as const), address: fc.nat({ max: 4 * 65536 - 1 }), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 9000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('grow' as const), pages: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'take' as const }) },
);

/** Runs the steps on a plain memory and a tracker; returns every table with the memory it should hold. */
function history(steps: readonly Step[]): { table: PageTable; memory: Uint8Array }[] {
  let memory = new Uint8Array(65536).map((_, i) => (i * 7) & 0xff);
  const tracker = new PageTracker(memory);
  const out = [{ table: tracker.take(memory), memory: memory.slice() }];
  for (const s of steps) {
    if (s.kind === 'write') {
      const n = Math.min(s.bytes.length, memory.length - s.address);
      if (n <= 0) continue;
      memory.set(s.bytes.slice(0, n), s.address);
      tracker.mark(s.address, n);
    } else if (s.kind === 'grow') {
      const grown = new Uint8Array(memory.length + s.pages * 65536);
      grown.set(memory);
      memory = grown;
      tracker.resize(memory.length);
    } else {
      out.push({ table: tracker.take(memory), memory: memory.slice() });
    }
  }
  out.push({ table: tracker.take(memory), memory: memory.slice() });
  return out;
}

describe('paged memory tables', () => {
  it('materialize every table to the memory at the time it was taken', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        for (const { table, memory } of history(steps)) expect(Buffer.from(materialize(table)).equals(Buffer.from(memory))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('turn one table\'s memory, changed since, into another\'s by copying only the differing pages', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.array(fc.record({ address: fc.nat({ max: 65535 }), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 20 }),
        (steps, i, j, scribbles) => {
          const tables = history(steps);
          const from = tables[i % tables.length];
          const to = tables[j % tables.length];
          const out = materialize(from.table);
          const dirty = new Uint8Array(Math.ceil(out.length / PAGE_SIZE));
          for (const w of scribbles) {
            out[w.address] = w.value;
            markPages(dirty, w.address, 1);
          }
          const done = rematerialize(to.table, out, from.table, dirty);
          expect(done).toBe(from.table.size === to.table.size);
          if (done) expect(Buffer.from(out).equals(Buffer.from(to.memory))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('share the pages no write touched between two tables', () => {
    const memory = new Uint8Array(4 * PAGE_SIZE);
    const tracker = new PageTracker(memory);
    const a = tracker.take(memory);
    memory[PAGE_SIZE + 5] = 1;
    tracker.mark(PAGE_SIZE + 5, 1);
    const b = tracker.take(memory);
    expect([...b.ids].map((id, k) => id === a.ids[k])).toEqual([true, false, true, true]);
  });
});
