/**
 * MemoryCache: one engine read per position for memories up to the snapshot limit, fresh data
 * after every motion, short reads at the end, null outside, and direct reads above the limit.
 */
import { describe, expect, it } from 'vitest';
import { MemoryCache, SNAPSHOT_LIMIT } from '../../src/gdbstub/memoryCache.js';
import type { Debuggee } from '../../replay/engine/types.js';

/** A debuggee whose memory at time t is filled with the byte t, counting the engine calls. */
function memoryDebuggee(size: number) {
  const calls = { readMemory: [] as Array<[number, number]>, memorySize: 0 };
  const d = {
    now: 1n,
    memorySize: () => { calls.memorySize++; return size; },
    readMemory: (address: number, length: number) => {
      calls.readMemory.push([address, length]);
      if (address + length > size) throw new RangeError('outside');
      return new Uint8Array(length).fill(Number(d.now));
    },
  };
  return { debuggee: d as unknown as Debuggee & { now: bigint }, calls, d };
}

describe('MemoryCache', () => {
  it('copies memory once per position and serves every read there from the copy', () => {
    const { debuggee, calls, d } = memoryDebuggee(4096);
    const cache = new MemoryCache(debuggee);
    expect(cache.read(0, 16)).toEqual(new Uint8Array(16).fill(1));
    expect(cache.read(4000, 16)).toEqual(new Uint8Array(16).fill(1));
    expect(cache.memorySize()).toBe(4096);
    expect(calls.readMemory).toEqual([[0, 4096]]);
    expect(calls.memorySize).toBe(1);
    d.now = 2n; // a motion
    expect(cache.read(8, 4)).toEqual(new Uint8Array(4).fill(2));
    expect(calls.readMemory).toEqual([[0, 4096], [0, 4096]]);
    expect(calls.memorySize).toBe(2);
  });

  it('answers short at the end of memory and null past it', () => {
    const { debuggee } = memoryDebuggee(4096);
    const cache = new MemoryCache(debuggee);
    expect(cache.read(4090, 16)?.length).toBe(6);
    expect(cache.read(4096, 1)).toBeNull();
    expect(cache.read(1 << 30, 4)).toBeNull();
  });

  it('reads a memory larger than the limit from the engine, only the bytes asked for', () => {
    const { debuggee, calls } = memoryDebuggee(SNAPSHOT_LIMIT + 65536);
    const cache = new MemoryCache(debuggee);
    expect(cache.read(SNAPSHOT_LIMIT + 65530, 16)?.length).toBe(6);
    expect(cache.read(100, 8)).toEqual(new Uint8Array(8).fill(1));
    expect(calls.readMemory).toEqual([[SNAPSHOT_LIMIT + 65530, 6], [100, 8]]);
  });
});
