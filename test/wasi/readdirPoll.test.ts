/**
 * fd_readdir (dirent layout, `.` and `..`, cookies, truncation) and poll_oneoff (event
 * layout, clock timeouts, fd readiness, error cases).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Errno } from '../../src/wasi/errno.js';
import { PREOPEN_FD, makeHost, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.dispose());

interface Dirent { next: bigint; ino: bigint; type: number; name: string }

function readdir(cookie: bigint, size: number, fd = PREOPEN_FD): { used: number; bytes: Uint8Array; errno: number } {
  const buf = h.alloc(size);
  const used = h.alloc(4);
  const errno = h.f.fd_readdir(fd, buf, size, cookie, used);
  return { errno, used: h.u32(used), bytes: h.bytes(buf, size) };
}

function parse(bytes: Uint8Array): Dirent[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Dirent[] = [];
  for (let at = 0; at + 24 <= bytes.length;) {
    const len = v.getUint32(at + 16, true);
    if (at + 24 + len > bytes.length) break;
    out.push({
      next: v.getBigUint64(at, true), ino: v.getBigUint64(at + 8, true), type: v.getUint8(at + 20),
      name: Buffer.from(bytes.subarray(at + 24, at + 24 + len)).toString(),
    });
    at += 24 + len;
  }
  return out;
}

describe('fd_readdir', () => {
  it('lists . and .. first, then sorted entries with types, inodes and d_next cookies', () => {
    h = makeHost();
    fs.writeFileSync(h.at('b-file'), '');
    fs.mkdirSync(h.at('a-dir'));
    fs.symlinkSync('b-file', h.at('c-link'));
    const r = readdir(0n, 1024);
    expect(r.errno).toBe(0);
    const list = parse(r.bytes.subarray(0, r.used));
    expect(list.map((d) => [d.name, d.type, d.next])).toEqual([
      ['.', 3, 1n], ['..', 3, 2n], ['a-dir', 3, 3n], ['b-file', 4, 4n], ['c-link', 7, 5n],
    ]);
    expect(r.used).toBe(5 * 24 + 1 + 2 + 5 + 6 + 6);
    expect(list[0].ino).toBe(fs.statSync(h.dir, { bigint: true }).ino);
    expect(list[1].ino).toBe(fs.statSync(path.dirname(h.dir), { bigint: true }).ino);
    expect(list[3].ino).toBe(fs.statSync(h.at('b-file'), { bigint: true }).ino);
    // Resuming from a cookie continues from that entry.
    const rest = readdir(3n, 1024);
    expect(parse(rest.bytes.subarray(0, rest.used)).map((d) => d.name)).toEqual(['b-file', 'c-link']);
    expect(readdir(5n, 1024).used).toBe(0);
    expect(readdir(1000n, 1024).used).toBe(0);
  });

  it('fills a small buffer completely, truncating the last entry', () => {
    h = makeHost();
    fs.writeFileSync(h.at('long-name-entry'), '');
    const full = readdir(0n, 1024);
    const r = readdir(0n, 60);
    expect(r.used).toBe(60);
    expect(r.bytes).toEqual(full.bytes.subarray(0, 60));
    expect(parse(r.bytes).map((d) => d.name)).toEqual(['.', '..']);
    // Header cut in the middle.
    const tiny = readdir(0n, 10);
    expect(tiny.used).toBe(10);
    expect(tiny.bytes).toEqual(full.bytes.subarray(0, 10));
  });

  it('answers notdir on files, notcapable without fd_readdir, badf on closed fds', () => {
    h = makeHost();
    fs.writeFileSync(h.at('f'), '');
    const [, fd] = h.open('f');
    expect(readdir(0n, 64, fd).errno).toBe(Errno.notdir);
    expect(readdir(0n, 64, 1).errno).toBe(Errno.notdir);
    expect(readdir(0n, 64, 77).errno).toBe(Errno.badf);
    expect(h.f.fd_fdstat_set_rights(PREOPEN_FD, 0n, 0n)).toBe(0);
    expect(readdir(0n, 64).errno).toBe(Errno.notcapable);
  });
});

/** Writes subscriptions; returns [inPtr, count]. */
function subscriptions(subs: Array<{ userdata: bigint; tag: number; clock?: number; timeout?: bigint; flags?: number; fd?: number }>): [number, number] {
  const p = h.alloc(48 * subs.length);
  const v = new DataView(h.mem.buffer);
  subs.forEach((s, i) => {
    const at = p + 48 * i;
    v.setBigUint64(at, s.userdata, true);
    v.setUint8(at + 8, s.tag);
    if (s.tag === 0) {
      v.setUint32(at + 16, s.clock ?? 1, true);
      v.setBigUint64(at + 24, s.timeout ?? 0n, true);
      v.setBigUint64(at + 32, 0n, true);
      v.setUint16(at + 40, s.flags ?? 0, true);
    } else {
      v.setUint32(at + 16, s.fd ?? 0, true);
    }
  });
  return [p, subs.length];
}

function poll(subs: Parameters<typeof subscriptions>[0]): { errno: number; events: Uint8Array[] } {
  const [inPtr, n] = subscriptions(subs);
  const out = h.alloc(32 * Math.max(n, 1));
  const nevents = h.alloc(4);
  const errno = h.f.poll_oneoff(inPtr, out, n, nevents);
  const count = h.u32(nevents);
  return { errno, events: [...Array(count).keys()].map((i) => h.bytes(out + 32 * i, 32)) };
}

function event(userdata: bigint, error: number, type: number, nbytes = 0n): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, userdata, true);
  v.setUint16(8, error, true);
  v.setUint8(10, type);
  v.setBigUint64(16, nbytes, true);
  return b;
}

describe('poll_oneoff', () => {
  it('sleeps for a relative monotonic timeout and writes a 32-byte clock event', () => {
    h = makeHost();
    const start = process.hrtime.bigint();
    const r = poll([{ userdata: 0x1122334455667788n, tag: 0, clock: 1, timeout: 30_000_000n }]);
    const elapsed = process.hrtime.bigint() - start;
    expect(r.errno).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(30_000_000n);
    expect(r.events).toEqual([event(0x1122334455667788n, 0, 0)]);
  });

  it('waits for the earliest of several clocks and reports only expired ones', () => {
    h = makeHost();
    const r = poll([
      { userdata: 1n, tag: 0, clock: 1, timeout: 5_000_000_000n },
      { userdata: 2n, tag: 0, clock: 1, timeout: 10_000_000n },
    ]);
    expect(r.events).toEqual([event(2n, 0, 0)]);
  });

  it('supports absolute realtime deadlines, including past ones', () => {
    h = makeHost();
    const t = h.alloc(8);
    h.f.clock_time_get(0, 0n, t);
    const start = process.hrtime.bigint();
    const r = poll([{ userdata: 7n, tag: 0, clock: 0, timeout: h.u64(t) + 20_000_000n, flags: 1 }]);
    expect(process.hrtime.bigint() - start).toBeGreaterThanOrEqual(15_000_000n);
    expect(r.events).toEqual([event(7n, 0, 0)]);
    expect(poll([{ userdata: 8n, tag: 0, clock: 0, timeout: 1n, flags: 1 }]).events).toEqual([event(8n, 0, 0)]);
  });

  it('reports fd subscriptions ready at once with bytes available, without waiting for clocks', () => {
    h = makeHost();
    fs.writeFileSync(h.at('f'), '0123456789');
    const [, fd] = h.open('f');
    h.read(fd, 4);
    const start = process.hrtime.bigint();
    const r = poll([
      { userdata: 1n, tag: 0, clock: 1, timeout: 10_000_000_000n },
      { userdata: 2n, tag: 1, fd },
      { userdata: 3n, tag: 2, fd: 1 },
      { userdata: 4n, tag: 1, fd: 99 },
    ]);
    expect(process.hrtime.bigint() - start).toBeLessThan(1_000_000_000n);
    expect(r.errno).toBe(0);
    expect(r.events).toEqual([event(2n, 0, 1, 6n), event(3n, 0, 2), event(4n, Errno.badf, 1)]);
  });

  it('rejects zero subscriptions and unknown tags; reports a bad clock id in its event', () => {
    h = makeHost();
    expect(h.f.poll_oneoff(h.alloc(48), h.alloc(32), 0, h.alloc(4))).toBe(Errno.inval);
    expect(poll([{ userdata: 1n, tag: 3 }]).errno).toBe(Errno.inval);
    expect(poll([{ userdata: 5n, tag: 0, clock: 9, timeout: 1n }]).events).toEqual([event(5n, Errno.inval, 0)]);
  });
});
