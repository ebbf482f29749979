/**
 * A tiny harness for calling the live WASI host directly: a fresh temp directory preopened as
 * `/sandbox` (fd 3), recording stdio, a bound 2-page memory and a bump allocator to place
 * arguments. Tests call `h.f.name(...)` exactly as Wasm would (i32 as numbers, i64 as bigints).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rights } from '../../src/wasi/constants.js';
import type { ByteSink, ByteSource, WasiFunction, WasiHost } from '../../src/wasi/hostTypes.js';
import { createLiveHost } from '../../src/wasi/liveHost.js';

/** A ByteSink that keeps every write (copied). */
export class RecordingSink implements ByteSink {
  readonly chunks: Uint8Array[] = [];
  write(data: Uint8Array): void {
    this.chunks.push(data.slice());
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A ByteSource over fixed bytes that hands out at most `chunk` bytes per read. */
export class FixedSource implements ByteSource {
  private offset = 0;
  constructor(private readonly data: Uint8Array, private readonly chunk = Infinity) {}
  read(target: Uint8Array): number {
    const n = Math.min(target.length, this.data.length - this.offset, this.chunk);
    target.set(this.data.subarray(this.offset, this.offset + n));
    this.offset += n;
    return n;
  }
}

export const PREOPEN_FD = 3;
/** Rights a wasi-libc O_RDWR open asks for (everything; the host intersects). */
export const ALL = (1n << 30n) - 1n;
export const READ_ONLY = Rights.fdRead | Rights.fdSeek | Rights.fdTell | Rights.fdFilestatGet | Rights.fdReaddir;

export interface Harness {
  readonly host: WasiHost;
  readonly f: Readonly<Record<string, WasiFunction>>;
  readonly mem: WebAssembly.Memory;
  /** Host path of the preopened directory. */
  readonly dir: string;
  readonly stdout: RecordingSink;
  readonly stderr: RecordingSink;
  /** `size` zeroed bytes, 8-aligned; returns the address. */
  alloc(size: number): number;
  /** Places UTF-8 `s` in memory; returns [ptr, len]. */
  str(s: string): [number, number];
  bytes(ptr: number, len: number): Uint8Array;
  u32(ptr: number): number;
  u64(ptr: number): bigint;
  /** Places iovecs for the given buffers; returns [iovsPtr, count]. */
  iovecs(bufs: Array<[number, number]>): [number, number];
  /** path_open relative to the preopen; returns [errno, fd]. */
  open(p: string, opts?: { oflags?: number; rights?: bigint; inheriting?: bigint; fdflags?: number; follow?: boolean; dirFd?: number }): [number, number];
  /** Writes `text` through fd_write; returns [errno, nwritten]. */
  write(fd: number, text: string): [number, number];
  /** Reads up to `n` bytes through fd_read; returns [errno, text]. */
  read(fd: number, n: number): [number, string];
  /** Host path below the sandbox. */
  at(...parts: string[]): string;
  /** Closes the host and removes the temp directory. */
  dispose(): void;
}

export function makeHost(options: { args?: string[]; env?: string[]; stdin?: ByteSource } = {}): Harness {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-wasi-')));
  const stdout = new RecordingSink();
  const stderr = new RecordingSink();
  const host = createLiveHost({
    args: options.args ?? ['prog'],
    env: options.env ?? [],
    preopens: [{ hostPath: dir, guestPath: '/sandbox' }],
    stdin: options.stdin ?? new FixedSource(new Uint8Array()),
    stdout,
    stderr,
  });
  const mem = new WebAssembly.Memory({ initial: 2 });
  host.memory.bind(mem);
  let next = 1024;
  const view = () => new DataView(mem.buffer);
  const h: Harness = {
    host, f: host.functions, mem, dir, stdout, stderr,
    alloc(size) {
      const at = next;
      next = (next + size + 7) & ~7;
      new Uint8Array(mem.buffer, at, size).fill(0);
      return at;
    },
    str(s) {
      const b = new TextEncoder().encode(s);
      const p = h.alloc(b.length);
      new Uint8Array(mem.buffer).set(b, p);
      return [p, b.length];
    },
    bytes: (p, len) => new Uint8Array(mem.buffer).slice(p, p + len),
    u32: (p) => view().getUint32(p, true),
    u64: (p) => view().getBigUint64(p, true),
    iovecs(bufs) {
      const p = h.alloc(bufs.length * 8);
      bufs.forEach(([b, l], i) => {
        view().setUint32(p + i * 8, b, true);
        view().setUint32(p + i * 8 + 4, l, true);
      });
      return [p, bufs.length];
    },
    open(p, o = {}) {
      const [pp, pl] = h.str(p);
      const out = h.alloc(4);
      const e = h.f.path_open(
        o.dirFd ?? PREOPEN_FD, o.follow === false ? 0 : 1, pp, pl, o.oflags ?? 0,
        o.rights ?? ALL, o.inheriting ?? ALL, o.fdflags ?? 0, out,
      );
      return [e, h.u32(out)];
    },
    write(fd, text) {
      const [p, l] = h.str(text);
      const [iov, n] = h.iovecs([[p, l]]);
      const out = h.alloc(4);
      return [h.f.fd_write(fd, iov, n, out), h.u32(out)];
    },
    read(fd, n) {
      const buf = h.alloc(n);
      const [iov, c] = h.iovecs([[buf, n]]);
      const out = h.alloc(4);
      const e = h.f.fd_read(fd, iov, c, out);
      return [e, Buffer.from(h.bytes(buf, h.u32(out))).toString('utf8')];
    },
    at: (...parts) => path.join(dir, ...parts),
    dispose() {
      host.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
