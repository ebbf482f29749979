/**
 * Describes one WASI preview1 call by what it means rather than by its raw arguments, the way
 * strace does: strings and bytes read from guest memory instead of pointers, flag names instead
 * of bit masks, and what the call handed back through memory (an fd, a byte count, the bytes
 * read). Two builds of the same program pass different pointers but make calls that describe
 * alike, which is what `wtrace diff` compares.
 *
 * Pure: reads the memory view it is given and the call's logged writes, never the world, and
 * never modifies either. Values that legitimately differ between two runs of one program
 * (clock readings, random bytes, file times, inode numbers) are described but listed in
 * `volatile`.
 */
import type { MemoryWrite } from '../trace/index.js';
import { Errno } from './errno.js';
import { Clockid, Fdflags, Filetype, Fstflags, Lookupflags, Oflags, Sdflags, Subclockflags } from './constants.js';

/** The inputs of `describeCall`: one call as re-execution sees it. */
export interface CallToDescribe {
  /** Import field name (`fd_write`); a non-preview1 name gets a generic description. */
  readonly name: string;
  /** Raw arguments as the log stores them: i32 unsigned numbers, i64 unsigned bigints. */
  readonly args: readonly (number | bigint)[];
  /** Guest linear memory as it was when the call was made (before the host wrote anything). */
  readonly memory: Uint8Array;
  /** Every byte the host wrote during the call, in order (the input log's writes). */
  readonly writes: readonly MemoryWrite[];
  /** The errno the call returned, or null when it did not return (proc_exit). */
  readonly result: number | null;
}

/** A call described by meaning. */
export interface CallDescription {
  readonly name: string;
  /**
   * Meaningful arguments by parameter name. Strings read from guest memory are quoted and
   * escaped, as strace shows them (`"out.txt"`); flag and enum names are bare (`creat|trunc`).
   */
  readonly args: Record<string, string | number>;
  /** The errno result (0 = success); null when the call did not return. */
  readonly result: number | null;
  /** What the call returned through memory (only on success): `fd`, `nread`, `time`, ... */
  readonly returned: Record<string, string | number>;
  /** Preview (quoted, escaped, at most PREVIEW_BYTES) of the bytes the call wrote or read. */
  readonly data?: string;
  /** All the bytes behind `data`, for exact comparison; not meant for display. */
  readonly bytes?: Uint8Array;
  /** Fields whose values legitimately differ between runs: `args.x`, `returned.y` or `data`. */
  readonly volatile: readonly string[];
  /** One line: `fd_write(fd=1, "hi\n") = 0 -> nwritten=3`; volatile values are prefixed `~`. */
  readonly text: string;
}

/** Bytes of I/O data kept in `CallDescription.data`. */
export const PREVIEW_BYTES = 64;

const errnoNames = new Map<number, string>(Object.entries(Errno).map(([k, v]) => [v, k]));
const byValue = (o: Record<string, number>) => new Map(Object.entries(o).map(([k, v]) => [v, k]));
const clockNames = byValue(Clockid);
const filetypeNames = byValue(Filetype);
const whenceNames = ['set', 'cur', 'end'];
const adviceNames = ['normal', 'sequential', 'random', 'willneed', 'dontneed', 'noreuse'];
const eventNames = ['clock', 'fd_read', 'fd_write'];

/** Describes `call`. Never throws: unreadable memory is shown as `<fault>`. */
export function describeCall(call: CallToDescribe): CallDescription {
  const d = new Describer(call);
  (DESCRIBERS[call.name] ?? generic)(d, call.args.map(num));
  return d.finish();
}

/** Reads guest memory before the call (`in*`) and after the logged writes (`out*`). */
class CallMemory {
  constructor(private readonly memory: Uint8Array, private readonly writes: readonly MemoryWrite[]) {}
  in(address: number, length: number): Uint8Array | null {
    if (address + length > this.memory.length) return null;
    return this.memory.slice(address, address + length);
  }
  out(address: number, length: number): Uint8Array | null {
    const bytes = this.in(address, length);
    if (bytes === null) return null;
    for (const w of this.writes) {
      const from = Math.max(address, w.address);
      const to = Math.min(address + length, w.address + w.bytes.length);
      if (from < to) bytes.set(w.bytes.subarray(from - w.address, to - w.address), from - address);
    }
    return bytes;
  }
  u32(after: boolean, address: number): number | null {
    const b = this.source(after, address, 4);
    if (b === null) return null;
    const [bytes, at] = b;
    return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  }
  u64(after: boolean, address: number): bigint | null {
    const lo = this.u32(after, address);
    const hi = this.u32(after, address + 4);
    return lo === null || hi === null ? null : (BigInt(hi) << 32n) | BigInt(lo);
  }
  /** Where `length` bytes at `address` can be read without copying: one write holding them all, or memory. */
  private source(after: boolean, address: number, length: number): [Uint8Array, number] | null {
    if (after) {
      for (let i = this.writes.length - 1; i >= 0; i--) {
        const w = this.writes[i];
        const end = w.address + w.bytes.length;
        if (w.address <= address && address + length <= end) return [w.bytes, address - w.address];
        if (w.address < address + length && address < end) {
          const copy = this.out(address, length);
          return copy === null ? null : [copy, 0];
        }
      }
    }
    return address + length > this.memory.length ? null : [this.memory, address];
  }
  /** The bytes of `count` iovecs at `ptr`, concatenated; `limit` caps the total (a read's count). */
  iovecs(after: boolean, ptr: number, count: number, limit = Infinity): Uint8Array | null {
    const parts: Uint8Array[] = [];
    let left = limit;
    for (let i = 0; i < count && left > 0; i++) {
      const buf = this.u32(false, ptr + i * 8);
      const len = this.u32(false, ptr + i * 8 + 4);
      if (buf === null || len === null) return null;
      const part = after ? this.out(buf, Math.min(len, left)) : this.in(buf, Math.min(len, left));
      if (part === null) return null;
      parts.push(part);
      left -= part.length;
    }
    return concat(parts);
  }
  /** Sum of the lengths of `count` iovecs: how many bytes a read asked for. */
  iovecTotal(ptr: number, count: number): number | null {
    let total = 0;
    for (let i = 0; i < count; i++) {
      const len = this.u32(false, ptr + i * 8 + 4);
      if (len === null) return null;
      total += len;
    }
    return total;
  }
}

/** Collects one description; field helpers mark volatile values. */
class Describer {
  readonly mem: CallMemory;
  readonly args: Record<string, string | number> = {};
  readonly returned: Record<string, string | number> = {};
  readonly volatile: string[] = [];
  data: { bytes: Uint8Array; direction: 'in' | 'out' } | null = null;
  dataVolatile = false;
  constructor(readonly call: CallToDescribe) {
    this.mem = new CallMemory(call.memory, call.writes);
  }
  get ok(): boolean {
    return this.call.result === 0;
  }
  arg(key: string, value: string | number | null, volatile = false): this {
    this.args[key] = value ?? '<fault>';
    if (volatile) this.volatile.push(`args.${key}`);
    return this;
  }
  /** Sets a returned value; ignored unless the call succeeded (memory is not written on error). */
  ret(key: string, value: string | number | null, volatile = false): this {
    if (!this.ok) return this;
    this.returned[key] = value ?? '<fault>';
    if (volatile) this.volatile.push(`returned.${key}`);
    return this;
  }
  str(key: string, ptr: number, len: number): this {
    const b = this.mem.in(ptr, len);
    return this.arg(key, b === null ? null : quote(b));
  }
  /** Data the call sends (`in`) or receives (`out`). */
  setData(bytes: Uint8Array | null, direction: 'in' | 'out', volatile = false): void {
    if (bytes === null) return void this.arg('data', null);
    if (direction === 'out' && !this.ok) return;
    this.data = { bytes, direction };
    this.dataVolatile = volatile;
  }
  finish(): CallDescription {
    const volatile = this.dataVolatile ? [...this.volatile, 'data'] : this.volatile;
    return new Description(this, volatile);
  }

  /** Quoted preview of the data, or undefined when the call has none. */
  preview(): string | undefined {
    return this.data === null ? undefined : quote(this.data.bytes, PREVIEW_BYTES);
  }

  text(volatile: readonly string[]): string {
    const { name, result } = this.call;
    const isVolatile = (k: string) => volatile.includes(k);
    const fields = (o: Record<string, string | number>, prefix: string) =>
      Object.entries(o).map(([k, v]) => `${k}=${isVolatile(`${prefix}.${k}`) ? '~' : ''}${v}`);
    const preview = this.data === null ? null : quote(this.data.bytes, PREVIEW_BYTES);
    // Volatile bytes (random) are noise on a line: their count says enough.
    const shown = preview === null ? null : this.dataVolatile ? `~(${this.data!.bytes.length} bytes)` : preview;
    const inArgs = [...fields(this.args, 'args'), ...(this.data?.direction === 'in' ? [shown!] : [])];
    const outs = [...fields(this.returned, 'returned'), ...(this.data?.direction === 'out' ? [shown!] : [])];
    const res = result === null ? ' (did not return)' : result === 0 ? ' = 0' : ` = ${result} (${errnoNames.get(result) ?? '?'})`;
    return `${name}(${inArgs.join(', ')})${res}${outs.length > 0 ? ` -> ${outs.join(', ')}` : ''}`;
  }
}

/**
 * A finished description. The line (`text`) and the preview (`data`) are built on first use:
 * a diff reads them for a handful of calls out of millions. They are accessors, so code that
 * wants a plain object should use `toJSON()` (or read the fields by name) rather than spread.
 */
class Description implements CallDescription {
  readonly name: string;
  readonly args: Record<string, string | number>;
  readonly result: number | null;
  readonly returned: Record<string, string | number>;
  readonly volatile: readonly string[];
  #describer: Describer;
  #text: string | null = null;
  #data: string | undefined | null = null;
  constructor(d: Describer, volatile: readonly string[]) {
    this.name = d.call.name;
    this.args = d.args;
    this.result = d.call.result;
    this.returned = d.returned;
    this.volatile = volatile;
    this.#describer = d;
  }
  get data(): string | undefined {
    if (this.#data === null) this.#data = this.#describer.preview();
    return this.#data;
  }
  get bytes(): Uint8Array | undefined {
    return this.#describer.data?.bytes;
  }
  get text(): string {
    return (this.#text ??= this.#describer.text(this.volatile));
  }
  /** The description as a plain object (what `JSON.stringify` shows). */
  toJSON(): CallDescription {
    const bytes = this.bytes;
    return {
      name: this.name,
      args: this.args,
      result: this.result,
      returned: this.returned,
      ...(bytes === undefined ? {} : { data: this.data, bytes }),
      volatile: this.volatile,
      text: this.text,
    };
  }
}

type Fn = (d: Describer, a: number[]) => void;

/** i32 and i64 arguments as numbers (u64 beyond 2^53 lose precision; only times and rights get there). */
function num(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** An i64 argument exactly, as a number when safe and as a decimal string otherwise. */
function big(v: bigint | null): string | number | null {
  if (v === null) return null;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

const rawArg = (d: Describer, i: number) => d.call.args[i];
const hex64 = (v: number | bigint) => `0x${BigInt(v).toString(16)}`;

function flags(value: number, table: Record<string, number>): string {
  const names = Object.entries(table).filter(([, bit]) => value & bit).map(([k]) => k);
  const rest = value & ~Object.values(table).reduce((a, b) => a | b, 0);
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.length === 0 ? '0' : names.join('|');
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `"text\n"` with C escapes; longer than `max` bytes ends in `...` after the quote. */
export function quote(bytes: Uint8Array, max = Infinity): string {
  let s = '"';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += '\\\\';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x09) s += '\\t';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s + '"' + (bytes.length > n ? `...(${bytes.length} bytes)` : '');
}

/** NUL-terminated strings packed in the write at `bufPtr` (args_get, environ_get). */
function stringList(d: Describer, bufPtr: number): string {
  const w = d.call.writes.find((x) => x.address === bufPtr);
  if (w === undefined) return '[]';
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < w.bytes.length; i++) {
    if (w.bytes[i] === 0) {
      parts.push(quote(w.bytes.subarray(start, i)));
      start = i + 1;
    }
  }
  return `[${parts.join(', ')}]`;
}

function filestat(d: Describer, ptr: number): void {
  if (!d.ok) return;
  const b = d.mem.out(ptr, 64);
  if (b === null) return void d.ret('filestat', null);
  const v = new DataView(b.buffer);
  const u = (at: number) => big(v.getBigUint64(at, true));
  d.ret('filetype', filetypeNames.get(v.getUint8(16)) ?? v.getUint8(16));
  d.ret('size', u(32)).ret('nlink', u(24));
  d.ret('dev', u(0), true).ret('ino', u(8), true);
  d.ret('atim', u(40), true).ret('mtim', u(48), true).ret('ctim', u(56), true);
}

const fdOnly: Fn = (d, [fd]) => void d.arg('fd', fd);

function strings(d: Describer, bufPtr: number, key: string): void {
  d.ret(key, stringList(d, bufPtr));
}

function sizes(d: Describer, countPtr: number, sizePtr: number): void {
  d.ret('count', d.mem.u32(true, countPtr)).ret('size', d.mem.u32(true, sizePtr));
}

function readLike(d: Describer, fd: number, iovs: number, count: number, nreadPtr: number): void {
  d.arg('fd', fd).arg('asked', d.mem.iovecTotal(iovs, count));
  const n = d.mem.u32(true, nreadPtr);
  d.ret('nread', n);
  if (d.ok && n !== null) d.setData(d.mem.iovecs(true, iovs, count, n), 'out');
}

function writeLike(d: Describer, fd: number, iovs: number, count: number, nwrittenPtr: number): void {
  d.arg('fd', fd);
  d.setData(d.mem.iovecs(false, iovs, count), 'in');
  d.ret('nwritten', d.mem.u32(true, nwrittenPtr));
}

function pollSubscriptions(d: Describer, inPtr: number, n: number): void {
  const subs: string[] = [];
  let volatile = false;
  for (let i = 0; i < n; i++) {
    const b = d.mem.in(inPtr + i * 48, 48);
    if (b === null) return void d.arg('subscriptions', null);
    const v = new DataView(b.buffer);
    const tag = v.getUint8(8);
    if (tag === 0) {
      const abs = (v.getUint16(40, true) & Subclockflags.abstime) !== 0;
      volatile ||= abs;
      const id = v.getUint32(16, true);
      subs.push(`clock ${clockNames.get(id) ?? id} ${abs ? 'at' : 'in'} ${v.getBigUint64(24, true)}ns`);
    } else subs.push(`${eventNames[tag] ?? `type${tag}`} fd ${v.getUint32(16, true)}`);
  }
  d.arg('subscriptions', `[${subs.join(', ')}]`, volatile);
}

function pollEvents(d: Describer, outPtr: number, neventsPtr: number): void {
  const n = d.mem.u32(true, neventsPtr);
  d.ret('nevents', n);
  if (!d.ok || n === null) return;
  const events: string[] = [];
  for (let i = 0; i < n; i++) {
    const b = d.mem.out(outPtr + i * 32, 32);
    if (b === null) return void d.ret('events', null);
    const v = new DataView(b.buffer);
    const type = v.getUint8(10);
    const error = v.getUint16(8, true);
    const nbytes = type === 0 ? '' : ` nbytes=${v.getBigUint64(16, true)}`;
    events.push(`${eventNames[type] ?? `type${type}`} ${error === 0 ? 'ok' : (errnoNames.get(error) ?? error)}${nbytes}`);
  }
  d.ret('events', `[${events.join(', ')}]`);
}

function readdirEntries(d: Describer, buf: number, usedPtr: number): void {
  const used = d.mem.u32(true, usedPtr);
  d.ret('bufused', used);
  if (!d.ok || used === null) return;
  const b = d.mem.out(buf, used);
  if (b === null) return void d.ret('entries', null);
  const v = new DataView(b.buffer);
  const names: string[] = [];
  const inodes: string[] = [];
  for (let at = 0; at + 24 <= used; ) {
    const len = v.getUint32(at + 16, true);
    const type = filetypeNames.get(v.getUint8(at + 20)) ?? 'unknown';
    names.push(`${quote(b.subarray(at + 24, Math.min(at + 24 + len, used)))} ${type}`);
    inodes.push(String(v.getBigUint64(at + 8, true)));
    at += 24 + len;
  }
  d.ret('entries', `[${names.join(', ')}]`).ret('inodes', `[${inodes.join(', ')}]`, true);
}

const DESCRIBERS: Record<string, Fn> = {
  args_get: (d, [, buf]) => strings(d, buf, 'argv'),
  args_sizes_get: (d, [count, size]) => sizes(d, count, size),
  environ_get: (d, [, buf]) => strings(d, buf, 'environ'),
  environ_sizes_get: (d, [count, size]) => sizes(d, count, size),
  clock_res_get: (d, [id, ptr]) => void d.arg('id', clockNames.get(id) ?? id).ret('resolution', big(d.mem.u64(true, ptr)), true),
  clock_time_get: (d, [id, , ptr]) =>
    void d.arg('id', clockNames.get(id) ?? id).arg('precision', big(rawArg(d, 1) as bigint)).ret('time', big(d.mem.u64(true, ptr)), true),
  fd_advise: (d, [fd, offset, len, advice]) =>
    void d.arg('fd', fd).arg('offset', offset).arg('len', len).arg('advice', adviceNames[advice] ?? advice),
  fd_allocate: (d, [fd, offset, len]) => void d.arg('fd', fd).arg('offset', offset).arg('len', len),
  fd_close: fdOnly,
  fd_datasync: fdOnly,
  fd_fdstat_get: (d, [fd, ptr]) => {
    d.arg('fd', fd);
    if (!d.ok) return;
    const b = d.mem.out(ptr, 24);
    if (b === null) return void d.ret('fdstat', null);
    const v = new DataView(b.buffer);
    d.ret('filetype', filetypeNames.get(v.getUint8(0)) ?? v.getUint8(0)).ret('flags', flags(v.getUint16(2, true), Fdflags));
    d.ret('rights_base', hex64(v.getBigUint64(8, true))).ret('rights_inheriting', hex64(v.getBigUint64(16, true)));
  },
  fd_fdstat_set_flags: (d, [fd, f]) => void d.arg('fd', fd).arg('flags', flags(f, Fdflags)),
  fd_fdstat_set_rights: (d, [fd]) =>
    void d.arg('fd', fd).arg('rights_base', hex64(rawArg(d, 1))).arg('rights_inheriting', hex64(rawArg(d, 2))),
  fd_filestat_get: (d, [fd, ptr]) => {
    d.arg('fd', fd);
    filestat(d, ptr);
  },
  fd_filestat_set_size: (d, [fd]) => void d.arg('fd', fd).arg('size', big(rawArg(d, 1) as bigint)),
  fd_filestat_set_times: (d, [fd, , , fst]) =>
    void d.arg('fd', fd).arg('atim', big(rawArg(d, 1) as bigint), true).arg('mtim', big(rawArg(d, 2) as bigint), true).arg('flags', flags(fst, Fstflags)),
  fd_pread: (d, [fd, iovs, count, , nread]) => {
    readLike(d, fd, iovs, count, nread);
    d.arg('offset', big(rawArg(d, 3) as bigint));
  },
  fd_prestat_get: (d, [fd, ptr]) => void d.arg('fd', fd).ret('type', 'dir').ret('name_len', d.mem.u32(true, ptr + 4)),
  fd_prestat_dir_name: (d, [fd, ptr, len]) => {
    d.arg('fd', fd);
    const b = d.mem.out(ptr, len);
    d.ret('name', b === null ? null : quote(b));
  },
  fd_pwrite: (d, [fd, iovs, count, , nwritten]) => {
    d.arg('offset', big(rawArg(d, 3) as bigint));
    writeLike(d, fd, iovs, count, nwritten);
  },
  fd_read: (d, [fd, iovs, count, nread]) => readLike(d, fd, iovs, count, nread),
  fd_readdir: (d, [fd, buf, len, , used]) => {
    d.arg('fd', fd).arg('buf_len', len).arg('cookie', big(rawArg(d, 3) as bigint));
    readdirEntries(d, buf, used);
  },
  fd_renumber: (d, [fd, to]) => void d.arg('fd', fd).arg('to', to),
  fd_seek: (d, [fd, , whence, ptr]) =>
    void d
      .arg('fd', fd)
      .arg('offset', big(BigInt.asIntN(64, rawArg(d, 1) as bigint)) ?? 0)
      .arg('whence', whenceNames[whence] ?? whence)
      .ret('newoffset', big(d.mem.u64(true, ptr))),
  fd_sync: fdOnly,
  fd_tell: (d, [fd, ptr]) => void d.arg('fd', fd).ret('offset', big(d.mem.u64(true, ptr))),
  fd_write: (d, [fd, iovs, count, nwritten]) => writeLike(d, fd, iovs, count, nwritten),
  path_create_directory: (d, [fd, p, len]) => void d.arg('dirfd', fd).str('path', p, len),
  path_filestat_get: (d, [fd, lf, p, len, buf]) => {
    d.arg('dirfd', fd).arg('lookupflags', flags(lf, Lookupflags)).str('path', p, len);
    filestat(d, buf);
  },
  path_filestat_set_times: (d, [fd, lf, p, len, , , fst]) =>
    void d
      .arg('dirfd', fd)
      .arg('lookupflags', flags(lf, Lookupflags))
      .str('path', p, len)
      .arg('atim', big(rawArg(d, 4) as bigint), true)
      .arg('mtim', big(rawArg(d, 5) as bigint), true)
      .arg('flags', flags(fst, Fstflags)),
  path_link: (d, [ofd, lf, op, olen, nfd, np, nlen]) =>
    void d.arg('old_dirfd', ofd).arg('lookupflags', flags(lf, Lookupflags)).str('old_path', op, olen).arg('new_dirfd', nfd).str('new_path', np, nlen),
  path_open: (d, [fd, lf, p, len, of, , , fdf, out]) =>
    void d
      .arg('dirfd', fd)
      .arg('lookupflags', flags(lf, Lookupflags))
      .str('path', p, len)
      .arg('oflags', flags(of, Oflags))
      .arg('rights_base', hex64(rawArg(d, 5)))
      .arg('rights_inheriting', hex64(rawArg(d, 6)))
      .arg('fdflags', flags(fdf, Fdflags))
      .ret('fd', d.mem.u32(true, out)),
  path_readlink: (d, [fd, p, len, buf, bufLen, used]) => {
    d.arg('dirfd', fd).str('path', p, len).arg('buf_len', bufLen);
    const n = d.mem.u32(true, used);
    const b = n === null ? null : d.mem.out(buf, n);
    d.ret('target', b === null ? null : quote(b));
  },
  path_remove_directory: (d, [fd, p, len]) => void d.arg('dirfd', fd).str('path', p, len),
  path_rename: (d, [ofd, op, olen, nfd, np, nlen]) =>
    void d.arg('old_dirfd', ofd).str('old_path', op, olen).arg('new_dirfd', nfd).str('new_path', np, nlen),
  path_symlink: (d, [op, olen, fd, np, nlen]) => void d.str('target', op, olen).arg('dirfd', fd).str('path', np, nlen),
  path_unlink_file: (d, [fd, p, len]) => void d.arg('dirfd', fd).str('path', p, len),
  poll_oneoff: (d, [inPtr, outPtr, n, nevents]) => {
    pollSubscriptions(d, inPtr, n);
    pollEvents(d, outPtr, nevents);
  },
  proc_exit: (d, [code]) => void d.arg('code', code),
  proc_raise: (d, [sig]) => void d.arg('signal', sig),
  sched_yield: () => {},
  random_get: (d, [buf, len]) => {
    d.arg('len', len);
    d.setData(d.mem.out(buf, len), 'out', true);
  },
  sock_accept: (d, [fd, f, out]) => void d.arg('fd', fd).arg('flags', flags(f, Fdflags)).ret('fd', d.mem.u32(true, out)),
  sock_recv: (d, [fd, iovs, count, riFlags, lenPtr, flagsPtr]) => {
    readLike(d, fd, iovs, count, lenPtr);
    const ro = d.mem.out(flagsPtr, 2);
    d.arg('flags', riFlags).ret('roflags', ro === null ? null : ro[0] | (ro[1] << 8));
  },
  sock_send: (d, [fd, iovs, count, siFlags, lenPtr]) => {
    writeLike(d, fd, iovs, count, lenPtr);
    d.arg('flags', siFlags);
  },
  sock_shutdown: (d, [fd, how]) => void d.arg('fd', fd).arg('how', flags(how, Sdflags)),
};

/** An import outside preview1 (or a stub): the raw scalars are all there is to say. */
function generic(d: Describer, a: number[]): void {
  a.forEach((_, i) => d.arg(`a${i}`, typeof d.call.args[i] === 'bigint' ? String(d.call.args[i]) : a[i]));
}

/** The preview1 names this module describes by meaning (all 46). */
export const DESCRIBED_FUNCTIONS: readonly string[] = Object.keys(DESCRIBERS);
