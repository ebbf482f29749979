/**
 * The host's surface: every preview1 function exists and answers an errno, errno numbers are
 * the specification's, and the functions without a filesystem (args, environ, clocks, random,
 * proc, sched, sock) behave per the specification.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Errno } from '../../src/wasi/errno.js';
import { WasiExit } from '../../src/wasi/hostTypes.js';
import { WASI_SIGNATURES } from '../../src/wasi/signatures.js';
import { makeHost, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.dispose());

describe('surface', () => {
  it('has every preview1 function, each answering an errno for a bad descriptor', () => {
    h = makeHost();
    expect(Object.keys(h.f).sort()).toEqual(WASI_SIGNATURES.map((s) => s.name).sort());
    for (const sig of WASI_SIGNATURES) {
      if (sig.name === 'proc_exit') continue;
      // fd 99 is never open; pointers are valid; i64 params as bigints.
      const args = sig.params.map((t, i) => (t === 'i64' ? 0n : i === 0 ? 99 : 2048));
      const result = h.f[sig.name](...args);
      expect(typeof result, sig.name).toBe('number');
      expect(result, sig.name).toBeGreaterThanOrEqual(0);
      expect(result, sig.name).toBeLessThanOrEqual(76);
    }
  });

  it('uses the specification errno numbers', () => {
    expect([Errno.success, Errno.toobig, Errno.acces, Errno.badf, Errno.exist, Errno.fault]).toEqual([0, 1, 2, 8, 20, 21]);
    expect([Errno.ilseq, Errno.inval, Errno.isdir, Errno.loop, Errno.nametoolong, Errno.noent]).toEqual([25, 28, 31, 32, 37, 44]);
    expect([Errno.nosys, Errno.notdir, Errno.notempty, Errno.notsock, Errno.perm, Errno.spipe]).toEqual([52, 54, 55, 57, 63, 70]);
    expect([Errno.xdev, Errno.notcapable]).toEqual([75, 76]);
    expect(Object.keys(Errno)).toHaveLength(77);
    expect(Object.values(Errno)).toEqual([...Array(77).keys()]);
  });
});

describe('args and environ', () => {
  it('reports sizes including NULs and writes pointer arrays and strings', () => {
    h = makeHost({ args: ['prog', 'a b', 'é'], env: ['A=1', 'EMPTY='] });
    const c = h.alloc(4), s = h.alloc(4);
    expect(h.f.args_sizes_get(c, s)).toBe(0);
    expect([h.u32(c), h.u32(s)]).toEqual([3, 5 + 4 + 3]);
    const argv = h.alloc(12), buf = h.alloc(12);
    expect(h.f.args_get(argv, buf)).toBe(0);
    expect([h.u32(argv), h.u32(argv + 4), h.u32(argv + 8)]).toEqual([buf, buf + 5, buf + 9]);
    expect(Buffer.from(h.bytes(buf, 12)).toString('utf8')).toBe('prog\0a b\0é\0');

    expect(h.f.environ_sizes_get(c, s)).toBe(0);
    expect([h.u32(c), h.u32(s)]).toEqual([2, 4 + 7]);
    const envp = h.alloc(8), ebuf = h.alloc(11);
    expect(h.f.environ_get(envp, ebuf)).toBe(0);
    expect([h.u32(envp), h.u32(envp + 4)]).toEqual([ebuf, ebuf + 4]);
    expect(Buffer.from(h.bytes(ebuf, 11)).toString()).toBe('A=1\0EMPTY=\0');
  });

  it('handles an empty environment', () => {
    h = makeHost();
    const c = h.alloc(4), s = h.alloc(4);
    expect(h.f.environ_sizes_get(c, s)).toBe(0);
    expect([h.u32(c), h.u32(s)]).toEqual([0, 0]);
    expect(h.f.environ_get(h.alloc(4), h.alloc(4))).toBe(0);
  });
});

describe('clocks', () => {
  it('reads realtime near Date.now with ns resolution and a monotonic clock that advances', () => {
    h = makeHost();
    const t = h.alloc(8);
    expect(h.f.clock_time_get(0, 1n, t)).toBe(0);
    const real = h.u64(t);
    expect(Number(real / 1_000_000n)).toBeGreaterThan(Date.now() - 5000);
    expect(Number(real / 1_000_000n)).toBeLessThanOrEqual(Date.now() + 5);
    // ns resolution: sub-millisecond digits vary across reads.
    const subMs = new Set<bigint>();
    for (let i = 0; i < 20; i++) {
      h.f.clock_time_get(0, 0n, t);
      subMs.add(h.u64(t) % 1_000_000n);
    }
    expect(subMs.size).toBeGreaterThan(1);
    expect(h.f.clock_time_get(1, 0n, t)).toBe(0);
    const m1 = h.u64(t);
    h.f.clock_time_get(1, 0n, t);
    expect(h.u64(t)).toBeGreaterThanOrEqual(m1);
    for (const id of [2, 3]) {
      expect(h.f.clock_time_get(id, 0n, t)).toBe(0);
      expect(h.u64(t)).toBeGreaterThan(0n);
    }
  });

  it('reports resolutions and refuses unknown clocks', () => {
    h = makeHost();
    const r = h.alloc(8);
    for (const id of [0, 1, 2, 3]) {
      expect(h.f.clock_res_get(id, r)).toBe(0);
      expect(h.u64(r)).toBeGreaterThan(0n);
    }
    expect(h.f.clock_res_get(4, r)).toBe(Errno.inval);
    expect(h.f.clock_time_get(4, 0n, r)).toBe(Errno.inval);
    expect(h.f.clock_time_get(-1, 0n, r)).toBe(Errno.inval);
  });
});

describe('random, proc, sched, sock', () => {
  it('random_get fills exactly the buffer', () => {
    h = makeHost();
    const p = h.alloc(80);
    expect(h.f.random_get(p + 8, 64)).toBe(0);
    const b = h.bytes(p, 80);
    expect(b.subarray(0, 8).every((x) => x === 0)).toBe(true);
    expect(b.subarray(72, 80).every((x) => x === 0)).toBe(true);
    expect(new Set(b.subarray(8, 72)).size).toBeGreaterThan(16);
    expect(h.f.random_get(p, 0)).toBe(0);
  });

  it('proc_exit throws WasiExit with the code; proc_raise is nosys; sched_yield succeeds', () => {
    h = makeHost();
    expect(() => h.f.proc_exit(3)).toThrow(WasiExit);
    try {
      h.f.proc_exit(42);
    } catch (e) {
      expect((e as WasiExit).code).toBe(42);
    }
    expect(h.f.proc_raise(9)).toBe(Errno.nosys);
    expect(h.f.sched_yield()).toBe(0);
  });

  it('sock_* answer notsock on open descriptors and badf on closed ones', () => {
    h = makeHost();
    const p = h.alloc(16);
    for (const fd of [0, 1, 3]) {
      expect(h.f.sock_accept(fd, 0, p)).toBe(Errno.notsock);
      expect(h.f.sock_recv(fd, p, 0, 0, p, p + 4)).toBe(Errno.notsock);
      expect(h.f.sock_send(fd, p, 0, 0, p)).toBe(Errno.notsock);
      expect(h.f.sock_shutdown(fd, 3)).toBe(Errno.notsock);
    }
    expect(h.f.sock_accept(77, 0, p)).toBe(Errno.badf);
    expect(h.f.sock_recv(77, p, 0, 0, p, p + 4)).toBe(Errno.badf);
    expect(h.f.sock_send(77, p, 0, 0, p)).toBe(Errno.badf);
    expect(h.f.sock_shutdown(77, 3)).toBe(Errno.badf);
  });
});
