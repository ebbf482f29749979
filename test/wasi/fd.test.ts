/**
 * fd_* conformance on regular files and directories: I/O and offsets, append, struct layouts
 * (fdstat, filestat with nanosecond times, prestat), sizes and times, rights checks and the
 * lifetime of descriptors.
 */
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_RIGHTS, Rights } from '../../src/wasi/constants.js';
import { Errno } from '../../src/wasi/errno.js';
import { ALL, PREOPEN_FD, READ_ONLY, makeHost, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.dispose());

const CREAT = 1, DIRECTORY = 2, EXCL = 4, TRUNC = 8;
const dv = () => new DataView(h.mem.buffer);

function fileWith(content: string, opts: Parameters<Harness['open']>[1] = {}): number {
  fs.writeFileSync(h.at('f'), content);
  const [e, fd] = h.open('f', opts);
  expect(e).toBe(0);
  return fd;
}

describe('fd_read, fd_write, fd_seek, fd_tell', () => {
  it('reads into iovecs in order and advances the offset', () => {
    h = makeHost();
    const fd = fileWith('0123456789');
    expect(fd).toBe(4);
    const a = h.alloc(4), b = h.alloc(4);
    const [iov, n] = h.iovecs([[a, 4], [b, 4]]);
    const out = h.alloc(4);
    expect(h.f.fd_read(fd, iov, n, out)).toBe(0);
    expect(h.u32(out)).toBe(8);
    expect(Buffer.from(h.bytes(a, 4)).toString() + Buffer.from(h.bytes(b, 4)).toString()).toBe('01234567');
    expect(h.f.fd_read(fd, iov, n, out)).toBe(0);
    expect(h.u32(out)).toBe(2); // short read: stops after the first iovec
    expect(Buffer.from(h.bytes(b, 4))).toEqual(Buffer.from('4567'));
    expect(h.f.fd_read(fd, iov, n, out)).toBe(0);
    expect(h.u32(out)).toBe(0);
  });

  it('seeks with set, cur and end and reports the offset via fd_tell', () => {
    h = makeHost();
    const fd = fileWith('0123456789');
    const p = h.alloc(8);
    expect(h.f.fd_seek(fd, 3n, 0, p)).toBe(0);
    expect(h.u64(p)).toBe(3n);
    expect(h.f.fd_seek(fd, 2n, 1, p)).toBe(0);
    expect(h.u64(p)).toBe(5n);
    expect(h.f.fd_seek(fd, -1n, 2, p)).toBe(0);
    expect(h.u64(p)).toBe(9n);
    expect(h.read(fd, 5)).toEqual([0, '9']);
    expect(h.f.fd_tell(fd, p)).toBe(0);
    expect(h.u64(p)).toBe(10n);
    expect(h.f.fd_seek(fd, -11n, 1, p)).toBe(Errno.inval);
    expect(h.f.fd_seek(fd, 0n, 3, p)).toBe(Errno.inval);
    // Seeking past the end is allowed; a write there leaves a zero-filled hole.
    expect(h.f.fd_seek(fd, 12n, 0, p)).toBe(0);
    expect(h.write(fd, 'x')).toEqual([0, 1]);
    expect(fs.readFileSync(h.at('f'))).toEqual(Buffer.from('0123456789\0\0x'));
  });

  it('writes at the offset, and with append always at the end', () => {
    h = makeHost();
    const fd = fileWith('abcdef');
    expect(h.write(fd, 'XY')).toEqual([0, 2]);
    expect(fs.readFileSync(h.at('f'), 'utf8')).toBe('XYcdef');
    expect(h.f.fd_fdstat_set_flags(fd, 1)).toBe(0);
    expect(h.write(fd, '!')).toEqual([0, 1]);
    expect(fs.readFileSync(h.at('f'), 'utf8')).toBe('XYcdef!');
    const p = h.alloc(8);
    h.f.fd_tell(fd, p);
    expect(h.u64(p)).toBe(7n);
    const [e, afd] = h.open('f', { fdflags: 1 });
    expect(e).toBe(0);
    h.f.fd_seek(afd, 0n, 0, p);
    expect(h.write(afd, '?')).toEqual([0, 1]);
    expect(fs.readFileSync(h.at('f'), 'utf8')).toBe('XYcdef!?');
  });

  it('pread and pwrite use their offset and leave the file offset alone', () => {
    h = makeHost();
    const fd = fileWith('0123456789');
    const buf = h.alloc(4);
    const [iov, n] = h.iovecs([[buf, 4]]);
    const out = h.alloc(4);
    expect(h.f.fd_pread(fd, iov, n, 6n, out)).toBe(0);
    expect([h.u32(out), Buffer.from(h.bytes(buf, 4)).toString()]).toEqual([4, '6789']);
    const [s, sl] = h.str('AB');
    const [wiov, wn] = h.iovecs([[s, sl]]);
    expect(h.f.fd_pwrite(fd, wiov, wn, 1n, out)).toBe(0);
    expect(h.u32(out)).toBe(2);
    expect(fs.readFileSync(h.at('f'), 'utf8')).toBe('0AB3456789');
    const p = h.alloc(8);
    h.f.fd_tell(fd, p);
    expect(h.u64(p)).toBe(0n);
    expect(h.f.fd_pread(fd, iov, n, 100n, out)).toBe(0);
    expect(h.u32(out)).toBe(0);
  });

  it('answers isdir for byte I/O on a directory and badf on a closed fd', () => {
    h = makeHost();
    expect(h.read(PREOPEN_FD, 4)[0]).toBe(Errno.isdir);
    expect(h.write(PREOPEN_FD, 'x')[0]).toBe(Errno.isdir);
    expect(h.read(42, 4)[0]).toBe(Errno.badf);
    expect(h.f.fd_seek(42, 0n, 0, h.alloc(8))).toBe(Errno.badf);
  });
});

describe('rights', () => {
  it('gives a path_open fd the requested rights intersected with the inheriting ones', () => {
    h = makeHost();
    const fd = fileWith('data', { rights: READ_ONLY });
    expect(h.write(fd, 'x')[0]).toBe(Errno.notcapable);
    expect(h.read(fd, 4)).toEqual([0, 'data']);
    const st = h.alloc(24);
    h.f.fd_fdstat_get(fd, st);
    expect(dv().getBigUint64(st + 8, true)).toBe(READ_ONLY & FILE_RIGHTS);
    // A directory cannot gain file rights it never had.
    expect(h.f.fd_fdstat_set_rights(PREOPEN_FD, ALL, ALL)).toBe(Errno.notcapable);
    // The preopen gives up fd_write for its children: a later open cannot get it back.
    h.f.fd_fdstat_get(PREOPEN_FD, st);
    const base = dv().getBigUint64(st + 8, true);
    expect(h.f.fd_fdstat_set_rights(PREOPEN_FD, base, ALL & ~Rights.fdWrite)).toBe(0);
    const [e, fd2] = h.open('f');
    expect(e).toBe(0);
    expect(h.write(fd2, 'x')[0]).toBe(Errno.notcapable);
  });

  it('lets fd_fdstat_set_rights only drop rights', () => {
    h = makeHost();
    const fd = fileWith('data');
    expect(h.f.fd_fdstat_set_rights(fd, Rights.fdRead, 0n)).toBe(0);
    expect(h.write(fd, 'x')[0]).toBe(Errno.notcapable);
    expect(h.f.fd_fdstat_set_rights(fd, Rights.fdRead | Rights.fdWrite, 0n)).toBe(Errno.notcapable);
    expect(h.f.fd_seek(fd, 0n, 0, h.alloc(8))).toBe(Errno.notcapable);
    expect(h.f.fd_filestat_get(fd, h.alloc(64))).toBe(Errno.notcapable);
    expect(h.read(fd, 4)).toEqual([0, 'data']);
  });

  it('answers notcapable for each fd right missing on a read-only file', () => {
    h = makeHost();
    const fd = fileWith('data', { rights: Rights.fdRead });
    const p = h.alloc(64);
    expect(h.f.fd_tell(fd, p)).toBe(Errno.notcapable);
    expect(h.f.fd_filestat_set_size(fd, 0n)).toBe(Errno.notcapable);
    expect(h.f.fd_filestat_set_times(fd, 0n, 0n, 2)).toBe(Errno.notcapable);
    expect(h.f.fd_allocate(fd, 0n, 1n)).toBe(Errno.notcapable);
    expect(h.f.fd_advise(fd, 0n, 0n, 0)).toBe(Errno.notcapable);
    expect(h.f.fd_sync(fd)).toBe(Errno.notcapable);
    expect(h.f.fd_datasync(fd)).toBe(Errno.notcapable);
    expect(h.f.fd_fdstat_set_flags(fd, 1)).toBe(Errno.notcapable);
    expect(h.f.fd_readdir(fd, p, 64, 0n, p)).toBe(Errno.notdir);
  });
});

describe('struct layouts', () => {
  it('fdstat is 24 bytes: filetype, flags, rights', () => {
    h = makeHost();
    const fd = fileWith('x', { rights: Rights.fdRead | Rights.fdWrite, fdflags: 1 | 16 });
    const st = h.alloc(32);
    new Uint8Array(h.mem.buffer, st, 32).fill(0xee);
    expect(h.f.fd_fdstat_get(fd, st)).toBe(0);
    const expected = new Uint8Array(24);
    const v = new DataView(expected.buffer);
    v.setUint8(0, 4);
    v.setUint16(2, 17, true);
    v.setBigUint64(8, Rights.fdRead | Rights.fdWrite, true);
    v.setBigUint64(16, ALL, true);
    expect(h.bytes(st, 24)).toEqual(expected);
    expect(h.bytes(st + 24, 8)).toEqual(new Uint8Array(8).fill(0xee));
    // The preopen is a directory.
    h.f.fd_fdstat_get(PREOPEN_FD, st);
    expect(h.bytes(st, 1)[0]).toBe(3);
    expect(dv().getBigUint64(st + 16, true)).toBe(ALL);
  });

  it('filestat is 64 bytes with nanosecond times', () => {
    h = makeHost();
    const fd = fileWith('hello');
    // A time with sub-second digits: node:wasi would truncate it to whole seconds.
    const ns = 1_700_000_000_123_456_000n;
    expect(h.f.fd_filestat_set_times(fd, ns, ns + 1_000n, 1 | 4)).toBe(0);
    const p = h.alloc(64);
    expect(h.f.fd_filestat_get(fd, p)).toBe(0);
    const s = fs.statSync(h.at('f'), { bigint: true });
    expect(h.u64(p)).toBe(s.dev);
    expect(h.u64(p + 8)).toBe(s.ino);
    expect(h.bytes(p + 16, 8)).toEqual(new Uint8Array([4, 0, 0, 0, 0, 0, 0, 0]));
    expect(h.u64(p + 24)).toBe(s.nlink);
    expect(h.u64(p + 32)).toBe(5n);
    expect(h.u64(p + 40)).toBe(s.atimeNs);
    expect(h.u64(p + 48)).toBe(s.mtimeNs);
    expect(h.u64(p + 56)).toBe(s.ctimeNs);
    // Node's utimes goes through a double: within a microsecond, and not whole seconds.
    const diff = (a: bigint, b: bigint) => (a > b ? a - b : b - a);
    expect(diff(h.u64(p + 40), ns)).toBeLessThan(1000n);
    expect(diff(h.u64(p + 48), ns + 1_000n)).toBeLessThan(1000n);
    expect(h.u64(p + 48) % 1_000_000_000n).not.toBe(0n);
  });

  it('prestat is 8 bytes (tag dir, name length) and the name has no NUL', () => {
    h = makeHost();
    const p = h.alloc(8);
    new Uint8Array(h.mem.buffer, p, 8).fill(0xee);
    expect(h.f.fd_prestat_get(PREOPEN_FD, p)).toBe(0);
    expect(h.bytes(p, 8)).toEqual(new Uint8Array([0, 0, 0, 0, 8, 0, 0, 0]));
    const name = h.alloc(16);
    expect(h.f.fd_prestat_dir_name(PREOPEN_FD, name, 16)).toBe(0);
    expect(Buffer.from(h.bytes(name, 9))).toEqual(Buffer.from('/sandbox\0'));
    expect(h.f.fd_prestat_dir_name(PREOPEN_FD, name, 7)).toBe(Errno.nametoolong);
    expect(h.f.fd_prestat_get(4, p)).toBe(Errno.badf);
    expect(h.f.fd_prestat_get(1, p)).toBe(Errno.badf);
    const fd = fileWith('x');
    expect(h.f.fd_prestat_get(fd, p)).toBe(Errno.badf);
    expect(h.f.fd_prestat_dir_name(fd, name, 16)).toBe(Errno.badf);
  });
});

describe('sizes, times, allocation, advice, sync', () => {
  it('fd_filestat_set_size truncates and extends', () => {
    h = makeHost();
    const fd = fileWith('0123456789');
    expect(h.f.fd_filestat_set_size(fd, 4n)).toBe(0);
    expect(fs.readFileSync(h.at('f'), 'utf8')).toBe('0123');
    expect(h.f.fd_filestat_set_size(fd, 6n)).toBe(0);
    expect(fs.readFileSync(h.at('f'))).toEqual(Buffer.from('0123\0\0'));
    expect(h.f.fd_filestat_set_size(PREOPEN_FD, 0n)).toBe(Errno.notcapable);
  });

  it('fd_allocate extends but never shrinks; zero length is inval', () => {
    h = makeHost();
    const fd = fileWith('abc');
    expect(h.f.fd_allocate(fd, 0n, 2n)).toBe(0);
    expect(fs.statSync(h.at('f')).size).toBe(3);
    expect(h.f.fd_allocate(fd, 2n, 8n)).toBe(0);
    expect(fs.statSync(h.at('f')).size).toBe(10);
    expect(h.f.fd_allocate(fd, 0n, 0n)).toBe(Errno.inval);
  });

  it('fd_advise validates the advice', () => {
    h = makeHost();
    const fd = fileWith('abc');
    for (let a = 0; a <= 5; a++) expect(h.f.fd_advise(fd, 0n, 3n, a)).toBe(0);
    expect(h.f.fd_advise(fd, 0n, 3n, 6)).toBe(Errno.inval);
    expect(h.f.fd_advise(99, 0n, 3n, 0)).toBe(Errno.badf);
  });

  it('fd_sync and fd_datasync work on files; stdio lacks the rights', () => {
    h = makeHost();
    const fd = fileWith('abc');
    expect(h.f.fd_sync(fd)).toBe(0);
    expect(h.f.fd_datasync(fd)).toBe(0);
    expect(h.f.fd_sync(PREOPEN_FD)).toBe(0);
    expect(h.f.fd_sync(1)).toBe(Errno.notcapable);
    expect(h.f.fd_datasync(1)).toBe(Errno.notcapable);
  });

  it('fd_filestat_set_times validates fstflags and supports now', () => {
    h = makeHost();
    const fd = fileWith('abc');
    expect(h.f.fd_filestat_set_times(fd, 0n, 0n, 1 | 2)).toBe(Errno.inval);
    expect(h.f.fd_filestat_set_times(fd, 0n, 0n, 4 | 8)).toBe(Errno.inval);
    expect(h.f.fd_filestat_set_times(fd, 0n, 0n, 16)).toBe(Errno.inval);
    expect(h.f.fd_filestat_set_times(fd, 5_000_000_000n, 0n, 1)).toBe(0);
    const before = fs.statSync(h.at('f'), { bigint: true });
    expect(before.atimeNs).toBe(5_000_000_000n);
    expect(h.f.fd_filestat_set_times(fd, 0n, 0n, 8)).toBe(0);
    const after = fs.statSync(h.at('f'), { bigint: true });
    expect(after.atimeNs).toBe(5_000_000_000n); // untouched
    expect(Number(after.mtimeNs / 1_000_000n)).toBeGreaterThan(Date.now() - 5000);
    // Directories too.
    expect(h.f.fd_filestat_set_times(PREOPEN_FD, 7_000_000_000n, 7_000_000_000n, 1 | 4)).toBe(0);
    expect(fs.statSync(h.dir, { bigint: true }).mtimeNs).toBe(7_000_000_000n);
  });
});

describe('descriptor lifetime', () => {
  it('closes once, reuses the lowest number, and close() releases every host fd', () => {
    h = makeHost();
    const count = () => fs.readdirSync('/proc/self/fd').length;
    const before = count();
    const a = fileWith('a');
    const [, b] = h.open('f');
    expect([a, b]).toEqual([4, 5]);
    expect(count()).toBe(before + 2);
    expect(h.f.fd_close(a)).toBe(0);
    expect(count()).toBe(before + 1);
    expect(h.f.fd_close(a)).toBe(Errno.badf);
    expect(h.open('f')[1]).toBe(4);
    h.host.close();
    expect(count()).toBe(before);
    h.host.close();
    expect(h.read(4, 1)[0]).toBe(Errno.badf);
  });

  it('fd_renumber replaces the target and closes its host fd', () => {
    h = makeHost();
    const count = () => fs.readdirSync('/proc/self/fd').length;
    const before = count();
    fs.writeFileSync(h.at('g'), 'g-data');
    const a = fileWith('f-data');
    const [, b] = h.open('g');
    expect(h.f.fd_renumber(a, b)).toBe(0);
    expect(count()).toBe(before + 1);
    expect(h.read(b, 10)).toEqual([0, 'f-data']);
    expect(h.read(a, 10)[0]).toBe(Errno.badf);
    expect(h.f.fd_renumber(a, b)).toBe(Errno.badf);
    // A preopen can be renumbered too and keeps its prestat.
    expect(h.f.fd_renumber(PREOPEN_FD, b)).toBe(0);
    const p = h.alloc(8);
    expect(h.f.fd_prestat_get(b, p)).toBe(0);
    expect(h.f.fd_prestat_get(PREOPEN_FD, p)).toBe(Errno.badf);
    expect(count()).toBe(before);
  });

  it('creat|excl, trunc and directory oflags', () => {
    h = makeHost();
    expect(h.open('new', { oflags: CREAT | EXCL })[0]).toBe(0);
    expect(h.open('new', { oflags: CREAT | EXCL })[0]).toBe(Errno.exist);
    fs.writeFileSync(h.at('new'), 'content');
    const [e, fd] = h.open('new', { oflags: TRUNC });
    expect(e).toBe(0);
    expect(fs.readFileSync(h.at('new'), 'utf8')).toBe('');
    expect(h.read(fd, 1)).toEqual([0, '']);
    expect(h.open('new', { oflags: DIRECTORY })[0]).toBe(Errno.notdir);
    expect(h.open('missing')[0]).toBe(Errno.noent);
    expect(h.open('missing', { oflags: DIRECTORY })[0]).toBe(Errno.noent);
    expect(h.open('.', { oflags: CREAT | EXCL })[0]).toBe(Errno.exist);
    expect(h.open('.', { oflags: TRUNC })[0]).toBe(Errno.isdir);
    expect(h.open('.', { rights: Rights.fdWrite })[0]).toBe(Errno.isdir);
    expect(h.open('new', { oflags: 16 })[0]).toBe(Errno.inval);
    expect(h.open('new', { fdflags: 32 })[0]).toBe(Errno.inval);
  });

  it('path_open needs path_open, path_create_file for creat and path_filestat_set_size for trunc', () => {
    h = makeHost();
    const st = h.alloc(24);
    h.f.fd_fdstat_get(PREOPEN_FD, st);
    const base = dv().getBigUint64(st + 8, true);
    fs.writeFileSync(h.at('f'), 'x');
    expect(h.f.fd_fdstat_set_rights(PREOPEN_FD, base & ~(Rights.pathCreateFile | Rights.pathFilestatSetSize), ALL)).toBe(0);
    expect(h.open('g', { oflags: CREAT })[0]).toBe(Errno.notcapable);
    expect(h.open('f', { oflags: TRUNC })[0]).toBe(Errno.notcapable);
    expect(h.open('f')[0]).toBe(0);
    expect(h.f.fd_fdstat_set_rights(PREOPEN_FD, 0n, ALL)).toBe(0);
    expect(h.open('f')[0]).toBe(Errno.notcapable);
    // path_open on a file descriptor is notdir.
    expect(h.open('x', { dirFd: 1 })[0]).toBe(Errno.notdir);
    expect(h.open('x', { dirFd: 77 })[0]).toBe(Errno.badf);
  });
});
