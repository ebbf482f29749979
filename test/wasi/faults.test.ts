/**
 * Out-of-bounds guest pointers answer errno `fault` (21) instead of throwing into the guest,
 * and a faulting call has no side effect (no descriptor leaked, no file created). Pointers are
 * i32 and may arrive negative; the host reads them as unsigned.
 */
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Errno } from '../../src/wasi/errno.js';
import { PREOPEN_FD, makeHost, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.dispose());

const END = 2 * 65536;

describe('out-of-bounds pointers', () => {
  it('answers fault for result pointers past the end or negative', () => {
    h = makeHost();
    for (const bad of [END - 2, END, -4, 0x7fffffff]) {
      expect(h.f.args_sizes_get(bad, 0)).toBe(Errno.fault);
      expect(h.f.environ_sizes_get(0, bad)).toBe(Errno.fault);
      expect(h.f.clock_time_get(1, 0n, bad)).toBe(Errno.fault);
      expect(h.f.clock_res_get(1, bad)).toBe(Errno.fault);
      expect(h.f.fd_fdstat_get(1, bad)).toBe(Errno.fault);
      expect(h.f.fd_filestat_get(PREOPEN_FD, bad)).toBe(Errno.fault);
      expect(h.f.fd_prestat_get(PREOPEN_FD, bad)).toBe(Errno.fault);
      expect(h.f.fd_prestat_dir_name(PREOPEN_FD, bad, 8)).toBe(Errno.fault);
      expect(h.f.random_get(bad, 16)).toBe(Errno.fault);
    }
  });

  it('answers fault for iovecs, buffers and paths out of bounds', () => {
    h = makeHost();
    const ok = h.alloc(8);
    const [iovBad, n] = h.iovecs([[END - 2, 8]]);
    expect(h.f.fd_write(1, iovBad, n, ok)).toBe(Errno.fault);
    expect(h.stdout.chunks).toHaveLength(0);
    expect(h.f.fd_write(1, END - 4, 1, ok)).toBe(Errno.fault);
    expect(h.f.fd_write(1, ok, 0x10000000, ok)).toBe(Errno.fault);
    expect(h.f.fd_read(0, iovBad, n, ok)).toBe(Errno.fault);
    expect(h.f.fd_readdir(PREOPEN_FD, END - 8, 64, 0n, ok)).toBe(Errno.fault);
    expect(h.f.path_create_directory(PREOPEN_FD, END - 1, 4)).toBe(Errno.fault);
    expect(h.f.path_create_directory(PREOPEN_FD, -1, 4)).toBe(Errno.fault);
    expect(h.f.poll_oneoff(END - 8, ok, 1, ok)).toBe(Errno.fault);
    expect(h.f.args_get(ok, END - 1)).toBe(Errno.fault);
  });

  it('does not act when the result pointer is bad', () => {
    h = makeHost();
    const count = () => fs.readdirSync('/proc/self/fd').length;
    const before = count();
    const [p, l] = h.str('created');
    expect(h.f.path_open(PREOPEN_FD, 0, p, l, 1, (1n << 30n) - 1n, 0n, 0, END)).toBe(Errno.fault);
    expect(fs.existsSync(h.at('created'))).toBe(false);
    expect(count()).toBe(before);
    expect(h.open('x', { oflags: 1 })).toEqual([0, 4]); // no descriptor was consumed
    // fd_write with a bad nwritten pointer writes nothing to the sink.
    const [s, sl] = h.str('data');
    const [iov, n] = h.iovecs([[s, sl]]);
    expect(h.f.fd_write(1, iov, n, END)).toBe(Errno.fault);
    expect(h.stdout.chunks).toHaveLength(0);
  });

  it('follows memory growth', () => {
    h = makeHost();
    expect(h.f.clock_time_get(1, 0n, END + 8)).toBe(Errno.fault);
    h.mem.grow(1);
    expect(h.f.clock_time_get(1, 0n, END + 8)).toBe(0);
    expect(h.u64(END + 8)).toBeGreaterThan(0n);
  });
});
