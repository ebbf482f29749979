/**
 * Input-log completeness per WASI function: the recorder learns what the host wrote into guest
 * memory only through GuestMemory's observer. For every function that writes memory, this
 * table states which (address, length) ranges the specification says it writes, and checks
 * that the observer saw exactly those writes, that the reported bytes are the final memory
 * contents, and that no other byte of memory changed. Failing calls must write nothing.
 */
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedSource, PREOPEN_FD, makeHost, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.dispose());

interface Case {
  readonly name: string;
  /** Prepares state and returns the call's arguments and the ranges it must write. */
  setup(h: Harness): { args: unknown[]; writes: Array<[number, number]> };
  readonly fn?: string;
}

function file(h: Harness, content: string): number {
  fs.writeFileSync(h.at('f'), content);
  return h.open('f')[1];
}

const CASES: Case[] = [
  { name: 'args_sizes_get', setup: (h) => { const a = h.alloc(4), b = h.alloc(4); return { args: [a, b], writes: [[a, 4], [b, 4]] }; } },
  { name: 'args_get', setup: (h) => { const a = h.alloc(8), b = h.alloc(16); return { args: [a, b], writes: [[a, 8], [b, 'prog\0arg1\0'.length]] }; } },
  { name: 'environ_sizes_get', setup: (h) => { const a = h.alloc(4), b = h.alloc(4); return { args: [a, b], writes: [[a, 4], [b, 4]] }; } },
  { name: 'environ_get', setup: (h) => { const a = h.alloc(4), b = h.alloc(8); return { args: [a, b], writes: [[a, 4], [b, 4]] }; } },
  { name: 'clock_res_get', setup: (h) => { const p = h.alloc(8); return { args: [1, p], writes: [[p, 8]] }; } },
  { name: 'clock_time_get', setup: (h) => { const p = h.alloc(8); return { args: [0, 0n, p], writes: [[p, 8]] }; } },
  { name: 'random_get', setup: (h) => { const p = h.alloc(33); return { args: [p, 33], writes: [[p, 33]] }; } },
  { name: 'fd_fdstat_get', setup: (h) => { const p = h.alloc(24); return { args: [1, p], writes: [[p, 24]] }; } },
  { name: 'fd_filestat_get', setup: (h) => { const fd = file(h, 'x'); const p = h.alloc(64); return { args: [fd, p], writes: [[p, 64]] }; } },
  { name: 'fd_prestat_get', setup: (h) => { const p = h.alloc(8); return { args: [PREOPEN_FD, p], writes: [[p, 8]] }; } },
  { name: 'fd_prestat_dir_name', setup: (h) => { const p = h.alloc(16); return { args: [PREOPEN_FD, p, 16], writes: [[p, 8]] }; } },
  {
    name: 'fd_read (file, two iovecs, short)', fn: 'fd_read',
    setup: (h) => {
      const fd = file(h, 'abcdef');
      const a = h.alloc(4), b = h.alloc(4);
      const [iov, n] = h.iovecs([[a, 4], [b, 4]]);
      const out = h.alloc(4);
      return { args: [fd, iov, n, out], writes: [[a, 4], [b, 2], [out, 4]] };
    },
  },
  {
    name: 'fd_read (stdin)', fn: 'fd_read',
    setup: (h) => {
      const a = h.alloc(8);
      const [iov, n] = h.iovecs([[a, 8]]);
      const out = h.alloc(4);
      return { args: [0, iov, n, out], writes: [[a, 5], [out, 4]] };
    },
  },
  {
    name: 'fd_pread', setup: (h) => {
      const fd = file(h, 'abcdef');
      const a = h.alloc(8);
      const [iov, n] = h.iovecs([[a, 8]]);
      const out = h.alloc(4);
      return { args: [fd, iov, n, 2n, out], writes: [[a, 4], [out, 4]] };
    },
  },
  {
    name: 'fd_write (writes only nwritten)', fn: 'fd_write',
    setup: (h) => {
      const [s, l] = h.str('hello');
      const [iov, n] = h.iovecs([[s, l]]);
      const out = h.alloc(4);
      return { args: [1, iov, n, out], writes: [[out, 4]] };
    },
  },
  {
    name: 'fd_pwrite', setup: (h) => {
      const fd = file(h, '');
      const [s, l] = h.str('hello');
      const [iov, n] = h.iovecs([[s, l]]);
      const out = h.alloc(4);
      return { args: [fd, iov, n, 0n, out], writes: [[out, 4]] };
    },
  },
  { name: 'fd_seek', setup: (h) => { const fd = file(h, 'abc'); const p = h.alloc(8); return { args: [fd, 1n, 0, p], writes: [[p, 8]] }; } },
  { name: 'fd_tell', setup: (h) => { const fd = file(h, 'abc'); const p = h.alloc(8); return { args: [fd, p], writes: [[p, 8]] }; } },
  {
    name: 'fd_readdir', setup: (h) => {
      fs.writeFileSync(h.at('entry'), '');
      const p = h.alloc(40), used = h.alloc(4);
      // '.' (25 bytes) + '..' truncated to the 15 remaining bytes.
      return { args: [PREOPEN_FD, p, 40, 0n, used], writes: [[p, 40], [used, 4]] };
    },
  },
  {
    name: 'path_open', setup: (h) => {
      const [p, l] = h.str('new');
      const out = h.alloc(4);
      return { args: [PREOPEN_FD, 0, p, l, 1, (1n << 30n) - 1n, 0n, 0, out], writes: [[out, 4]] };
    },
  },
  {
    name: 'path_filestat_get', setup: (h) => {
      fs.writeFileSync(h.at('f'), 'x');
      const [p, l] = h.str('f');
      const out = h.alloc(64);
      return { args: [PREOPEN_FD, 1, p, l, out], writes: [[out, 64]] };
    },
  },
  {
    name: 'path_readlink', setup: (h) => {
      fs.symlinkSync('target', h.at('l'));
      const [p, l] = h.str('l');
      const buf = h.alloc(16), used = h.alloc(4);
      return { args: [PREOPEN_FD, p, l, buf, 16, used], writes: [[buf, 6], [used, 4]] };
    },
  },
  {
    name: 'poll_oneoff', setup: (h) => {
      const sub = h.alloc(96);
      const v = new DataView(h.mem.buffer);
      v.setUint8(sub + 8, 0); // clock, monotonic, relative 0: expires at once
      v.setUint32(sub + 16, 1, true);
      v.setUint8(sub + 48 + 8, 2); // fd_write on stdout
      v.setUint32(sub + 48 + 16, 1, true);
      const out = h.alloc(64), n = h.alloc(4);
      return { args: [sub, out, 2, n], writes: [[out, 64], [n, 4]] };
    },
  },
  // Failing calls write nothing.
  { name: 'fd_read on a closed fd', fn: 'fd_read', setup: (h) => { const [iov, n] = h.iovecs([[h.alloc(4), 4]]); return { args: [50, iov, n, h.alloc(4)], writes: [] }; } },
  { name: 'path_open of a missing file', fn: 'path_open', setup: (h) => { const [p, l] = h.str('missing'); return { args: [PREOPEN_FD, 0, p, l, 0, 0n, 0n, 0, h.alloc(4)], writes: [] }; } },
  { name: 'args_get with the string buffer out of bounds', fn: 'args_get', setup: (h) => ({ args: [h.alloc(8), 131072 - 4], writes: [] }) },
  { name: 'clock_time_get of an unknown clock', fn: 'clock_time_get', setup: (h) => ({ args: [7, 0n, h.alloc(8)], writes: [] }) },
];

describe('every host write into guest memory is reported', () => {
  it.each(CASES)('$name', (c) => {
    h = makeHost({ args: ['prog', 'arg1'], env: ['A=1'], stdin: new FixedSource(new TextEncoder().encode('input')) });
    const { args, writes } = c.setup(h);
    // A write of a byte's existing value changes nothing for replay, so comparing snapshots is
    // the right test for "no unreported write".
    const snapshot = new Uint8Array(h.mem.buffer).slice();
    const seen: Array<[number, Uint8Array]> = [];
    h.host.memory.observer = { onWrite: (address, bytes) => seen.push([address, bytes.slice()]) };
    const errno = h.f[c.fn ?? c.name](...args);
    h.host.memory.observer = null;
    expect(errno === 0).toBe(writes.length > 0);
    expect(seen.map(([a, b]) => [a, b.length])).toEqual(writes);
    const after = new Uint8Array(h.mem.buffer);
    for (const [a, b] of seen) expect(after.subarray(a, a + b.length)).toEqual(b);
    const covered = (i: number) => seen.some(([a, b]) => i >= a && i < a + b.length);
    const stray: number[] = [];
    for (let i = 0; i < after.length; i++) if (after[i] !== snapshot[i] && !covered(i)) stray.push(i);
    expect(stray).toEqual([]);
  });
});
