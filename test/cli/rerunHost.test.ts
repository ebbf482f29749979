/**
 * The rerun host (src/wasi/rerunHost.ts) called directly, as a guest would, on a real
 * WebAssembly.Memory: data is served by meaning (any read size, any order), and what the golden
 * never read stops the run with RerunInputMissing naming it.
 */
import { describe, expect, it } from 'vitest';
import { Errno } from '../../src/wasi/errno.js';
import { RerunInputMissing } from '../../src/wasi/rerunContext.js';
import { KnownBytes } from '../../src/wasi/rerunFiles.js';
import { createRerunHost } from '../../src/wasi/rerunHost.js';
import { emptyFacts, pathKey, type PathFacts, type RerunWorld } from '../../src/wasi/rerunWorld.js';

const text = (s: string) => new TextEncoder().encode(s);

function world(parts: Partial<RerunWorld> = {}): RerunWorld {
  return {
    args: ['app.wasm'], env: [], preopens: ['/data'], stdin: { bytes: new Uint8Array(0), eof: true },
    files: new Map(), clocks: new Map(), resolutions: new Map(), random: new Uint8Array(0), answers: new Map(), stats: new Map(),
    ...parts,
  };
}

function file(content: string, size: number | null): PathFacts {
  return { ...emptyFacts(), openErrno: 0, content: [{ offset: 0, bytes: text(content) }], size };
}

/** A host bound to a fresh memory, with helpers that lay out arguments at fixed addresses. */
function guest(w: RerunWorld) {
  const out: Uint8Array[] = [];
  const host = createRerunHost(w, { stdout: { write: (d) => out.push(d.slice()) }, stderr: { write: () => {} } });
  const memory = new WebAssembly.Memory({ initial: 1 });
  host.memory.bind(memory);
  const bytes = () => new Uint8Array(memory.buffer);
  const view = () => new DataView(memory.buffer);
  const f = host.functions;
  return {
    f,
    out,
    open(path: string, oflags = 0): { errno: number; fd: number } {
      bytes().set(text(path), 1000);
      const errno = f.path_open(3, 0, 1000, text(path).length, oflags, 0xffffffffn, 0xffffffffn, 0, 2000);
      return { errno, fd: view().getUint32(2000, true) };
    },
    read(fd: number, n: number): string {
      view().setUint32(3000, 4096, true);
      view().setUint32(3004, n, true);
      expect(f.fd_read(fd, 3000, 1, 3008)).toBe(Errno.success);
      return new TextDecoder().decode(bytes().subarray(4096, 4096 + view().getUint32(3008, true)));
    },
    write(fd: number, s: string): number {
      bytes().set(text(s), 4096);
      view().setUint32(3000, 4096, true);
      view().setUint32(3004, text(s).length, true);
      return f.fd_write(fd, 3000, 1, 3008);
    },
    u64: (at: number) => view().getBigUint64(at, true),
    bytesAt: (at: number, n: number) => bytes().slice(at, at + n),
  };
}

function missingOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof RerunInputMissing) return e.what;
    throw e;
  }
  throw new Error('expected RerunInputMissing');
}

describe('files by path and offset', () => {
  it('serves a known file with any read size, ending with a short read at its known size', () => {
    const g = guest(world({ files: new Map([['/data/a.txt', file('0123456789', 10)]]) }));
    const { errno, fd } = g.open('a.txt');
    expect(errno).toBe(Errno.success);
    expect(g.read(fd, 3)).toBe('012');
    expect(g.read(fd, 100)).toBe('3456789');
    expect(g.read(fd, 100)).toBe('');
  });

  it('stops at bytes the golden never read when the size is unknown, naming the file and range', () => {
    const g = guest(world({ files: new Map([['/data/a.txt', file('0123456789', null)]]) }));
    const { fd } = g.open('./sub/../a.txt');
    expect(g.read(fd, 10)).toBe('0123456789');
    expect(missingOf(() => g.read(fd, 1))).toBe('bytes 10..11 of /data/a.txt, which the golden trace never read (size unknown)');
    // A seek from the end needs the size.
    expect(missingOf(() => g.f.fd_seek(fd, 0n, 2, 5000))).toBe('the size of /data/a.txt (a seek from its end), which the golden trace never learned');
  });

  it('stops at a path the golden never opened, answers noent where the golden got it, and creates with creat', () => {
    const g = guest(world({ files: new Map([['/data/gone', { ...emptyFacts(), openErrno: Errno.noent }]]) }));
    expect(missingOf(() => g.open('other.txt'))).toBe('/data/other.txt, which the golden trace never opened');
    expect(g.open('gone').errno).toBe(Errno.noent);
    expect(g.open('/etc/passwd').errno).toBe(Errno.perm);
    const created = g.open('new.txt', 1 /* creat */);
    expect(created.errno).toBe(Errno.success);
    expect(g.write(created.fd, 'written in memory')).toBe(Errno.success);
    const again = g.open('new.txt');
    expect(g.read(again.fd, 100)).toBe('written in memory');
  });

  it('stats a preopen as a directory without the golden having stat-ed it', () => {
    const g = guest(world());
    expect(g.f.fd_filestat_get(3, 5000)).toBe(Errno.success);
    expect(g.bytesAt(5016, 1)[0]).toBe(3); // filetype directory
  });
});

describe('stdin, clocks, random', () => {
  it('serves stdin as one stream: short reads, then the end of input the golden saw', () => {
    const g = guest(world({ stdin: { bytes: text('hello'), eof: true } }));
    expect(g.read(0, 2)).toBe('he');
    expect(g.read(0, 10)).toBe('llo');
    expect(g.read(0, 10)).toBe('');
  });

  it('stops past the stdin the golden read when it never saw the end', () => {
    const g = guest(world({ stdin: { bytes: text('hi'), eof: false } }));
    expect(g.read(0, 10)).toBe('hi');
    expect(missingOf(() => g.read(0, 10))).toBe('stdin past the 2 bytes the golden trace read (it never saw the end of input)');
  });

  it("gives each clock's readings in order, then its last again; a clock never read stops", () => {
    const g = guest(world({ clocks: new Map([[1, [5n, 7n]]]) }));
    const times = [0, 1, 2].map(() => (expect(g.f.clock_time_get(1, 0n, 5000)).toBe(0), g.u64(5000)));
    expect(times).toEqual([5n, 7n, 7n]);
    expect(missingOf(() => g.f.clock_time_get(0, 0n, 5000))).toBe('a reading of clock realtime, which the golden trace never read');
    expect(g.f.clock_time_get(9, 0n, 5000)).toBe(Errno.inval);
  });

  it('gives random bytes as one stream, whatever the request sizes, and stops past them', () => {
    const g = guest(world({ random: Uint8Array.of(1, 2, 3, 4) }));
    g.f.random_get(5000, 1);
    g.f.random_get(5001, 3);
    expect([...g.bytesAt(5000, 4)]).toEqual([1, 2, 3, 4]);
    expect(missingOf(() => g.f.random_get(5000, 1))).toBe('random bytes 4..5; the golden trace handed out 4');
  });

  it('captures stdout without touching the process', () => {
    const g = guest(world());
    expect(g.write(1, 'out')).toBe(Errno.success);
    expect(new TextDecoder().decode(g.out[0])).toBe('out');
  });
});

describe('helpers', () => {
  it('pathKey resolves . and .. below the directory and refuses escapes', () => {
    expect(pathKey('/data', 'a/./b/../c')).toBe('/data/a/c');
    expect(pathKey('/data', '..')).toBeNull();
    expect(pathKey('/data', '/abs')).toBeNull();
    expect(pathKey('/data', '')).toBe('');
    expect(pathKey('/data', '.')).toBe('/data');
  });

  it('KnownBytes merges runs, lets newer bytes win, and knows nothing past a cut', () => {
    const k = new KnownBytes();
    k.set(0, text('aaaa'));
    k.set(8, text('cccc'));
    expect(k.get(2, 8)).toBeNull();
    k.set(4, text('bbbb'));
    expect(new TextDecoder().decode(k.get(0, 12)!)).toBe('aaaabbbbcccc');
    k.set(2, text('XX'));
    expect(new TextDecoder().decode(k.get(0, 6)!)).toBe('aaXXbb');
    k.cut(5);
    expect(k.get(0, 6)).toBeNull();
    expect(new TextDecoder().decode(k.get(0, 5)!)).toBe('aaXXb');
  });
});
