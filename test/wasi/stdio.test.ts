/**
 * Stdio lives in the host's own table: fds 0-2 wrap the embedder's ByteSource/ByteSinks, so a
 * guest that closes or renumbers them changes only its own table. These tests spy on the real
 * process stdout to prove it is never touched.
 */
import * as fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Errno } from '../../src/wasi/errno.js';
import { FixedSource, makeHost, type Harness } from './harness.js';

let h: Harness;
afterEach(() => {
  h?.dispose();
  vi.restoreAllMocks();
});

describe('stdio', () => {
  it('writes fd 1 and fd 2 to their sinks, gathering iovecs in order', () => {
    h = makeHost();
    const [a, al] = h.str('hello ');
    const [b, bl] = h.str('world\n');
    const [iov, n] = h.iovecs([[a, al], [b, 0], [b, bl]]);
    const out = h.alloc(4);
    expect(h.f.fd_write(1, iov, n, out)).toBe(0);
    expect(h.u32(out)).toBe(12);
    expect(h.stdout.text()).toBe('hello world\n');
    expect(h.write(2, 'oops')).toEqual([0, 4]);
    expect(h.stderr.text()).toBe('oops');
  });

  it('reads fd 0 from the source across iovecs, stopping at a short read', () => {
    h = makeHost({ stdin: new FixedSource(new TextEncoder().encode('abcdefg'), 3) });
    const b1 = h.alloc(3), b2 = h.alloc(3);
    const [iov, n] = h.iovecs([[b1, 3], [b2, 3]]);
    const out = h.alloc(4);
    expect(h.f.fd_read(0, iov, n, out)).toBe(0);
    expect(h.u32(out)).toBe(6);
    expect(Buffer.from(h.bytes(b1, 3)).toString() + Buffer.from(h.bytes(b2, 3)).toString()).toBe('abcdef');
    expect(h.f.fd_read(0, iov, n, out)).toBe(0);
    expect(h.u32(out)).toBe(1); // 'g', then short read ends the call
    expect(h.f.fd_read(0, iov, n, out)).toBe(0);
    expect(h.u32(out)).toBe(0); // end of input
  });

  it('describes stdio as character devices with direction-specific rights', () => {
    h = makeHost();
    const st = h.alloc(24);
    for (const fd of [0, 1, 2]) {
      expect(h.f.fd_fdstat_get(fd, st)).toBe(0);
      expect(h.bytes(st, 1)[0]).toBe(2); // character_device
    }
    expect(h.write(0, 'x')[0]).toBe(Errno.notcapable);
    expect(h.read(1, 4)[0]).toBe(Errno.notcapable);
    const fs64 = h.alloc(64);
    expect(h.f.fd_filestat_get(1, fs64)).toBe(0);
    expect(h.bytes(fs64, 64)[16]).toBe(2);
  });

  it('answers spipe for seek, tell, pread and pwrite on stdio', () => {
    h = makeHost();
    const p = h.alloc(8);
    const [iov, n] = h.iovecs([[p, 1]]);
    expect(h.f.fd_seek(1, 0n, 0, p)).toBe(Errno.spipe);
    expect(h.f.fd_tell(0, p)).toBe(Errno.spipe);
    expect(h.f.fd_pread(0, iov, n, 0n, p)).toBe(Errno.spipe);
    expect(h.f.fd_pwrite(1, iov, n, 0n, p)).toBe(Errno.spipe);
  });

  it('closing fd 1 affects only the guest table, never the process stdout', () => {
    const spyStdout = vi.spyOn(process.stdout, 'write');
    const spyStderr = vi.spyOn(process.stderr, 'write');
    const fd1Before = fs.fstatSync(1);
    const fd1Target = fs.readlinkSync('/proc/self/fd/1');
    h = makeHost();
    expect(h.f.fd_close(1)).toBe(0);
    expect(h.write(1, 'gone')[0]).toBe(Errno.badf);
    expect(h.f.fd_close(1)).toBe(Errno.badf);
    expect(h.write(2, 'still here')).toEqual([0, 10]);
    expect(h.stderr.text()).toBe('still here');
    // The next open takes the lowest free number: 1, now a file.
    const [e, fd] = h.open('f.txt', { oflags: 1 });
    expect([e, fd]).toEqual([0, 1]);
    expect(h.write(1, 'to file')).toEqual([0, 7]);
    expect(fs.readFileSync(h.at('f.txt'), 'utf8')).toBe('to file');
    expect(h.stdout.chunks).toHaveLength(0);
    expect(spyStdout).not.toHaveBeenCalled();
    expect(spyStderr).not.toHaveBeenCalled();
    // The process's own fd 1 is still open and still the same file.
    const fd1After = fs.fstatSync(1);
    expect([fd1After.dev, fd1After.ino]).toEqual([fd1Before.dev, fd1Before.ino]);
    expect(fs.readlinkSync('/proc/self/fd/1')).toBe(fd1Target);
  });

  it('renumbering fd 2 onto fd 1 makes fd 1 write to stderr and leaves fd 2 closed', () => {
    h = makeHost();
    expect(h.f.fd_renumber(2, 1)).toBe(0);
    expect(h.write(1, 'err')).toEqual([0, 3]);
    expect(h.stderr.text()).toBe('err');
    expect(h.stdout.chunks).toHaveLength(0);
    expect(h.write(2, 'x')[0]).toBe(Errno.badf);
    // Renumbering onto a closed target is badf; onto itself is a no-op.
    expect(h.f.fd_renumber(1, 2)).toBe(Errno.badf);
    expect(h.f.fd_renumber(1, 1)).toBe(0);
    expect(h.f.fd_renumber(9, 1)).toBe(Errno.badf);
  });

  it('renumbering a file onto fd 1 redirects only the guest view', () => {
    h = makeHost();
    const [, fd] = h.open('out.txt', { oflags: 1 });
    expect(h.f.fd_renumber(fd, 1)).toBe(0);
    expect(h.write(1, 'redirected')).toEqual([0, 10]);
    expect(fs.readFileSync(h.at('out.txt'), 'utf8')).toBe('redirected');
    expect(h.stdout.chunks).toHaveLength(0);
    expect(h.f.fd_close(fd)).toBe(Errno.badf);
  });

  it('accepts fd_fdstat_set_flags on stdio and reports the flags back', () => {
    h = makeHost();
    expect(h.f.fd_fdstat_set_flags(1, 4)).toBe(0);
    const st = h.alloc(24);
    h.f.fd_fdstat_get(1, st);
    expect(new DataView(h.mem.buffer).getUint16(st + 2, true)).toBe(4);
    expect(h.f.fd_fdstat_set_flags(1, 32)).toBe(Errno.inval);
  });
});
