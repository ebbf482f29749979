/**
 * Builds a golden trace's `RerunWorld` (src/wasi/rerunWorld.ts): re-executes the golden from its
 * input log (every call checked, as `verify` does) and reads, at each import call, what it meant:
 * the path a path_open named (from guest memory) and the descriptor it got, the bytes each read
 * returned and at which offset of which file (following the golden's own descriptor table and
 * file positions), stdin bytes, clock readings, random bytes, sizes told by short reads, seeks
 * and stats, and the answers of calls the rerun host does not model by meaning.
 *
 * Nothing but the trace is read; memory use is the data the golden read, not the log.
 */
import { ReplayDivergenceError } from '../../src/errors.js';
import { runEntry } from '../../src/runtime/runEntry.js';
import { isGuestFault } from '../../src/runtime/trapInfo.js';
import type { TraceReader, TraceSummary } from '../../src/trace/index.js';
import { Oflags, Whence, Filetype } from '../../src/wasi/constants.js';
import { GuestFault, GuestMemory } from '../../src/wasi/guestMemory.js';
import { LogExhausted, LogMismatch, replayImports, StubbedImportCalled, WasiExit } from '../../src/wasi/index.js';
import { answerKey, emptyFacts, pathKey, type LoggedAnswer, type PathFacts, type RerunWorld } from '../../src/wasi/rerunWorld.js';
import { readIovecs, type Iovec } from '../../src/wasi/structs.js';

/** A descriptor of the golden's, as far as the world needs it. */
type Golden = { kind: 'stdin' } | { kind: 'dir'; key: string } | { kind: 'file'; key: string; position: number };

/** Reads the golden trace's world. Throws `ReplayDivergenceError` when it does not re-execute from its own log. */
export function collectWorld(reader: TraceReader, summary: TraceSummary, bytes: Uint8Array): RerunWorld {
  const preopens = summary.preopens.map((p) => p.guestPath);
  const world: RerunWorld = {
    args: summary.argv, env: summary.env, preopens,
    stdin: { bytes: new Uint8Array(0), eof: false }, files: new Map(), clocks: new Map(), resolutions: new Map(),
    random: new Uint8Array(0), answers: new Map(), stats: new Map(),
  };
  const stdin = new Growable();
  const random = new Growable();
  let eof = false;
  const fds = new Map<number, Golden>([[0, { kind: 'stdin' }]]);
  preopens.forEach((p, i) => fds.set(3 + i, { kind: 'dir', key: p }));
  const memory = new GuestMemory();
  // Paths the golden itself wrote, created, truncated, renamed or removed: what it saw of them
  // afterwards is its own doing, not input, so facts stop being noted (the rerun does its own).
  const mutated = new Set<string>();
  const facts = (key: string): PathFacts => {
    if (mutated.has(key)) return emptyFacts();
    let f = world.files.get(key);
    if (f === undefined) world.files.set(key, (f = emptyFacts()));
    return f;
  };
  const answer = (key: string, a: LoggedAnswer) => {
    const list = world.answers.get(key);
    if (list === undefined) world.answers.set(key, [a]);
    else list.push(a);
  };
  const keyAt = (dirFd: number, ptr: number, len: number): string | null => {
    const dir = fds.get(dirFd);
    if (dir?.kind !== 'dir') return null;
    const key = pathKey(dir.key, new TextDecoder().decode(memory.bytes(ptr, len)));
    return key === '' ? null : key;
  };
  const gathered = (iovecs: Iovec[], n: number) => {
    const out = new Uint8Array(n);
    let at = 0;
    for (const iov of iovecs) {
      const k = Math.min(iov.len, n - at);
      out.set(memory.bytes(iov.buf, k), at);
      at += k;
      if (at >= n) break;
    }
    return out;
  };
  const readInto = (g: Golden | undefined, at: number | null, iovecs: Iovec[], n: number) => {
    const asked = iovecs.reduce((s, iov) => s + iov.len, 0);
    const data = gathered(iovecs, n);
    if (g?.kind === 'stdin') {
      stdin.push(data);
      if (n === 0 && asked > 0) eof = true;
    } else if (g?.kind === 'file') {
      const offset = at ?? g.position;
      const f = facts(g.key);
      if (n > 0) f.content.push({ offset, bytes: data });
      if (n < asked) f.size ??= offset + n;
      if (at === null) g.position += n;
    }
  };

  const logStat = (key: string, stat: Uint8Array) => {
    const list = world.stats.get(key);
    if (list === undefined) world.stats.set(key, [stat.slice()]);
    else list.push(stat.slice());
  };
  const changes = (g: Golden | undefined) => {
    if (g?.kind === 'file') mutated.add(g.key);
  };

  /** Per import: what to note before the call (pointers into memory that the call overwrites) and after. */
  type Pre = unknown;
  const before: Record<string, (a: number[]) => Pre> = {
    fd_read: ([, iovs, n]) => readIovecs(memory, iovs, n),
    fd_pread: ([, iovs, n]) => readIovecs(memory, iovs, n),
    path_open: ([dirFd, , p, len]) => keyAt(dirFd, p, len),
    path_filestat_get: ([dirFd, , p, len]) => keyAt(dirFd, p, len),
  };
  const after: Record<string, (a: number[], r: number, pre: Pre, raw: (number | bigint)[]) => void> = {
    fd_read: ([fd, , , nread], r, iovecs) => r === 0 && readInto(fds.get(fd), null, iovecs as Iovec[], memory.readU32(nread)),
    fd_pread: ([fd, , , , nread], r, iovecs, raw) =>
      r === 0 && readInto(fds.get(fd), Number(raw[3]), iovecs as Iovec[], memory.readU32(nread)),
    fd_seek: ([fd, , whence, ptr], r, _pre, raw) => {
      const g = fds.get(fd);
      if (r !== 0 || g?.kind !== 'file') return;
      const next = memory.readU64(ptr);
      if (whence === Whence.end) facts(g.key).size ??= Number(next - BigInt.asIntN(64, raw[1] as bigint));
      g.position = Number(next);
    },
    fd_tell: ([fd, ptr], r) => {
      const g = fds.get(fd);
      if (r === 0 && g?.kind === 'file') g.position = Number(memory.readU64(ptr));
    },
    fd_write: ([fd]) => changes(fds.get(fd)),
    fd_pwrite: ([fd]) => changes(fds.get(fd)),
    fd_filestat_set_size: ([fd]) => changes(fds.get(fd)),
    fd_allocate: ([fd]) => changes(fds.get(fd)),
    fd_close: ([fd], r) => r === 0 && fds.delete(fd),
    fd_renumber: ([from, to], r) => {
      if (r !== 0 || !fds.has(from)) return;
      fds.set(to, fds.get(from)!);
      if (from !== to) fds.delete(from);
    },
    path_open: ([, , , , oflags, , , , out], r, key) => {
      if (key === null) return;
      const f = facts(key as string);
      if ((oflags & Oflags.creat) === 0) f.openErrno ??= r;
      if (r !== 0) return;
      if (oflags & Oflags.directory) f.directory = true;
      if (oflags & (Oflags.creat | Oflags.trunc)) mutated.add(key as string);
      fds.set(memory.readU32(out), f.directory ? { kind: 'dir', key: key as string } : { kind: 'file', key: key as string, position: 0 });
    },
    fd_fdstat_get: ([fd, ptr], r) => {
      const g = fds.get(fd);
      if (r === 0 && g?.kind === 'file' && memory.readU8(ptr) === Filetype.directory) {
        facts(g.key).directory = true;
        fds.set(fd, { kind: 'dir', key: g.key });
      }
    },
    fd_filestat_get: ([fd, ptr], r) => {
      const g = fds.get(fd);
      if (r !== 0 || g === undefined || g.kind === 'stdin') return;
      noteStat(facts(g.key), 0, memory.bytes(ptr, 64));
      logStat(g.key, memory.bytes(ptr, 64));
    },
    path_filestat_get: ([, , , , ptr], r, key) => {
      if (key === null) return;
      noteStat(facts(key as string), r, r === 0 ? memory.bytes(ptr, 64) : null);
      if (r === 0) logStat(key as string, memory.bytes(ptr, 64));
    },
    clock_time_get: ([id, , ptr], r) => {
      if (r !== 0) return;
      const list = world.clocks.get(id) ?? [];
      list.push(memory.readU64(ptr));
      world.clocks.set(id, list);
    },
    clock_res_get: ([id, ptr], r) => r === 0 && world.resolutions.set(id, memory.readU64(ptr)),
    random_get: ([buf, len], r) => r === 0 && random.push(memory.bytes(buf, len).slice()),
    fd_readdir: ([fd, buf, len, , used], r, _pre, raw) => {
      const g = fds.get(fd);
      if (g === undefined || g.kind === 'stdin') return;
      answer(answerKey('fd_readdir', g.key, raw[3] as bigint, len), { result: r, data: r === 0 ? memory.bytes(buf, memory.readU32(used)).slice() : null });
    },
  };
  // Calls on one or two paths whose answers the rerun host replays by key (rerunPathFunctions.ts).
  const pathCalls: Record<string, (a: number[]) => (string | null)[]> = {
    path_create_directory: ([fd, p, len]) => [keyAt(fd, p, len)],
    path_remove_directory: ([fd, p, len]) => [keyAt(fd, p, len)],
    path_unlink_file: ([fd, p, len]) => [keyAt(fd, p, len)],
    path_filestat_set_times: ([fd, , p, len]) => [keyAt(fd, p, len)],
    path_rename: ([fd, op, olen, nfd, np, nlen]) => [keyAt(fd, op, olen), keyAt(nfd, np, nlen)],
    path_link: ([ofd, , op, olen, nfd, np, nlen]) => [keyAt(ofd, op, olen), keyAt(nfd, np, nlen)],
    path_symlink: ([op, olen, fd, np, nlen]) => [new TextDecoder().decode(memory.bytes(op, olen)), keyAt(fd, np, nlen)],
    path_readlink: ([fd, p, len]) => [keyAt(fd, p, len)],
  };

  const imports = reader.imports();
  const replay = replayImports(imports, reader.importCalls(), null);
  const object: Record<string, Record<string, Function>> = {};
  for (const imp of imports) {
    const answerCall = (replay.imports[imp.module] as Record<string, Function>)[imp.name];
    const pre = imp.module === 'wasi_snapshot_preview1' ? before[imp.name] : undefined;
    const post = imp.module === 'wasi_snapshot_preview1' ? after[imp.name] : undefined;
    const paths = imp.module === 'wasi_snapshot_preview1' ? pathCalls[imp.name] : undefined;
    (object[imp.module] ??= {})[imp.name] = (...raw: (number | bigint)[]) => {
      const a = raw.map((v) => (typeof v === 'number' ? v >>> 0 : 0));
      const noted = safely(() => pre?.(a) ?? null);
      const keys = paths === undefined ? null : safely(() => paths(a));
      const r = answerCall(...raw) as number;
      const result = r >>> 0;
      safely(() => post?.(a, result, noted, raw));
      if (keys !== null && keys.every((k) => k !== null)) {
        const data = imp.name === 'path_readlink' && result === 0 ? safely(() => memory.bytes(a[3], memory.readU32(a[5])).slice()) : null;
        answer(answerKey(imp.name, ...(keys as string[])), { result, data });
        if (result === 0 && MUTATING.has(imp.name)) for (const k of keys as string[]) mutated.add(k);
      }
      return r;
    };
  }
  const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(module, object as WebAssembly.Imports);
  const mem = instance.exports.memory as WebAssembly.Memory;
  replay.bind(mem);
  memory.bind(mem);
  run(reader.path, instance, summary.invoke);
  return { ...world, stdin: { bytes: stdin.bytes(), eof }, random: random.bytes() };
}

/** Path calls that change what is at their paths when they succeed. */
const MUTATING = new Set(['path_create_directory', 'path_remove_directory', 'path_unlink_file', 'path_rename', 'path_link', 'path_symlink']);

function noteStat(f: PathFacts, errno: number, stat: Uint8Array | null): void {
  f.statErrno ??= errno;
  if (stat === null || f.stat !== null) return;
  f.stat = stat.slice();
  const v = new DataView(f.stat.buffer);
  if (v.getUint8(16) === Filetype.directory) f.directory = true;
  else f.size ??= Number(v.getBigUint64(32, true));
}

/** A bad pointer in the golden (the call answered `fault`) tells nothing: skip it. */
function safely<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GuestFault) return null;
    if (e instanceof RangeError || e instanceof TypeError) return null;
    throw e;
  }
}

function run(file: string, instance: WebAssembly.Instance, invoke: string | null): void {
  try {
    runEntry(instance, invoke);
  } catch (e) {
    if (e instanceof WasiExit || e instanceof LogExhausted || e instanceof StubbedImportCalled || isGuestFault(e)) return;
    if (e instanceof LogMismatch) {
      throw new ReplayDivergenceError(
        `${file}: does not re-execute from its own input log (import call ${e.callIndex}); check it with \`wtrace replay --verify ${file}\``,
      );
    }
    throw e;
  }
}

/** A byte buffer that doubles as it grows. */
class Growable {
  private buf = new Uint8Array(256);
  private length = 0;
  push(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + bytes.length));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
