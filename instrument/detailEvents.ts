/**
 * The binary layout of detail events (detail mode `full`) and its decoder. The instrumented
 * module appends events to a buffer in a memory of wtrace's own and hands the bytes to JS in
 * chunks (`detailRuntime.ts`); concatenated chunks form one stream that `decodeDetailEvents`
 * reads. docs/instrumentation.md ("Detail events") is the reference for the layout.
 *
 * Every event starts with a 7-byte header, little-endian and unaligned:
 *
 *   u8 kind | u32 pc | u16 time delta
 *
 * `pc` is the ORIGINAL module's byte offset (from `\0asm`) of the instruction that caused the
 * event; its time is the executed-instruction count up to and including that instruction (the
 * definition of docs/instrumentation.md, "Time"; for `enter` and `snapshot`, the count before
 * `pc` runs), stored as the delta from the time of the previous event or time sync. The payload
 * follows, by kind.
 *
 * A time sync (kind 0, then the absolute u64 time; 9 bytes) sets the time the next delta counts
 * from. Every buffer the module flushes starts with one, so each decodes on its own; the module
 * also writes one before an event whose delta does not fit 16 bits (under 1 % of events in the
 * bench programs). Syncs are not events: the decoder consumes them and reports absolute times.
 *
 * Format 3 took the old bytes out of store events and narrowed the delta from 32 to 16 bits: a
 * quarter fewer raw bytes to compress while recording (BENCHMARKS.md). The bytes a store
 * overwrote are the memory's bytes just before it, which a replay reads from its state.
 *
 * Format 4 (this layout) adds compact calls: an `enter` or `exit` whose values take at most
 * `COMPACT_MAX_VALUE_BYTES` is the header and the values alone, its kind byte `COMPACT_ENTER`
 * or `COMPACT_EXIT` plus the values' byte count. The function and the value types follow from
 * the pc and the module (`CallShapes`): an `enter`'s pc is its function's first instruction, an
 * `exit`'s pc lies in its function's body; a tail call's `exit` carries no values (count 0).
 * Sizes stay readable without the module; only decoding a compact call's values needs it. The
 * long forms (kinds 11 and 12) remain for calls with more value bytes. A call-heavy program's
 * raw events shrink by about a third.
 */
import type { CallShapes } from './callShapes.js';

/** Event kinds (the header's first byte). Stores use one kind per width. */
export const EventKind = {
  /** Not an event: an absolute time (u64) the following deltas count from. */
  sync: 0,
  store1: 1,
  store2: 2,
  store4: 3,
  store8: 4,
  store16: 5,
  grow: 6,
  fill: 7,
  copy: 8,
  init: 9,
  globalSet: 10,
  enter: 11,
  exit: 12,
  catch: 13,
  snapshot: 14,
} as const;

/** Kind byte of a compact `enter`: this plus the byte count of its argument values. */
export const COMPACT_ENTER = 0x40;
/** Kind byte of a compact `exit`: this plus the byte count of its result values. */
export const COMPACT_EXIT = 0x80;
/** Most value bytes a compact call event holds (its kind's low 6 bits). */
export const COMPACT_MAX_VALUE_BYTES = 0x3f;

/** The `EventKind` of a kind byte: compact calls are `enter` and `exit`; any other byte is itself. */
export function kindOf(byte: number): number {
  if (byte < COMPACT_ENTER || byte >= COMPACT_EXIT + 0x40) return byte;
  return byte < COMPACT_EXIT ? EventKind.enter : EventKind.exit;
}

/** True for the kind byte of a compact `enter` or `exit`. */
export function isCompactCall(byte: number): boolean {
  return byte >= COMPACT_ENTER && byte < COMPACT_EXIT + 0x40;
}

/** Bytes of the common header: kind, pc, time delta (u16). */
export const HEADER_SIZE = 7;
/** Bytes of a snapshot before its locals: header, function u32, frame enter time u64, size u32. */
export const SNAPSHOT_FIXED_SIZE = HEADER_SIZE + 16;
/** Bytes of a time sync: kind 0, absolute time (u64). */
export const SYNC_SIZE = 9;
/** Largest time delta an event header holds; a larger one (or a time going back) needs a sync first. */
export const MAX_TIME_DELTA = 0xffff;
/**
 * Events up to this size, plus a possible sync before them, take the buffer's fast path (a
 * v128 store: 7 + 4 + 16 = 27, + 9); larger ones (bulk events, enter/exit with many
 * values) reserve their exact size.
 */
export const MAX_FIXED_EVENT_SIZE = 64;

/** Store kind for a width in bytes. */
export function storeKind(width: number): number {
  switch (width) {
    case 1: return EventKind.store1;
    case 2: return EventKind.store2;
    case 4: return EventKind.store4;
    case 8: return EventKind.store8;
    case 16: return EventKind.store16;
    default: throw new Error(`no store kind for width ${width}`);
  }
}

interface EventBase {
  /** Executed-instruction count up to and including the instruction at `pc`. */
  readonly time: bigint;
  /** Original byte offset of the instruction (enter: the callee's first instruction). */
  readonly pc: number;
}

/**
 * A store to the program's memory (memory 0): `width` bytes at `address` (offset included). The
 * bytes it overwrote are not logged: they are the memory's at `time - 1`.
 */
export interface StoreEvent extends EventBase {
  readonly kind: 'store';
  readonly address: number;
  readonly width: number;
  /** The bytes the store wrote. */
  readonly newBytes: Uint8Array;
}

/** `memory.grow`: the size before (pages), the requested delta, the result (-1: failed). */
export interface GrowEvent extends EventBase {
  readonly kind: 'grow';
  readonly oldPages: number;
  readonly delta: number;
  readonly result: number;
}

/** `memory.fill` of `size` bytes at `dest` with `value`; `oldBytes` are the bytes it overwrote. */
export interface FillEvent extends EventBase {
  readonly kind: 'fill';
  readonly dest: number;
  readonly size: number;
  readonly value: number;
  readonly oldBytes: Uint8Array;
}

/** `memory.copy` of `size` bytes from `source` to `dest`; `oldBytes` were at `dest` before. */
export interface CopyEvent extends EventBase {
  readonly kind: 'copy';
  readonly dest: number;
  readonly source: number;
  readonly size: number;
  readonly oldBytes: Uint8Array;
}

/** `memory.init` of `size` bytes of data segment `segment` from `sourceOffset` to `dest`. */
export interface InitEvent extends EventBase {
  readonly kind: 'init';
  readonly dest: number;
  readonly segment: number;
  readonly sourceOffset: number;
  readonly size: number;
  readonly oldBytes: Uint8Array;
}

/**
 * `global.set`: the global's index and its old and new value as little-endian bytes (4, 8 or
 * 16 bytes by type; empty for reference-typed globals, whose values are not logged).
 */
export interface GlobalSetEvent extends EventBase {
  readonly kind: 'globalSet';
  readonly global: number;
  readonly oldBytes: Uint8Array;
  readonly newBytes: Uint8Array;
}

/**
 * One argument or result value. Numbers are raw bits: `f32`/`f64` carry their bit pattern (NaN
 * payloads survive), `i32` is signed, `i64` a signed bigint. References cannot be stored, so a
 * reference value is only its type byte and whether it was null.
 */
export type DetailValue =
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'i64'; readonly value: bigint }
  | { readonly type: 'f32'; readonly bits: number }
  | { readonly type: 'f64'; readonly bits: bigint }
  | { readonly type: 'v128'; readonly bytes: Uint8Array }
  /** `refType`: the value type's first byte (0x70 funcref, 0x6f externref, 0x69 exnref, 0x63/0x64 typed). */
  | { readonly type: 'ref'; readonly refType: number; readonly isNull: boolean };

/**
 * A function starts (called by `call`, `call_indirect`, a tail call, from JS or as the start
 * function). `pc` is the callee's first instruction; `time` is the count before it runs (so, for
 * a Wasm caller, the time of the call instruction). Enter times of the frames live at once
 * strictly increase with depth, so `time` identifies a frame on the stack (see `CatchEvent`).
 */
export interface EnterEvent extends EventBase {
  readonly kind: 'enter';
  /** Original function index (imports first). */
  readonly func: number;
  /** The parameters, in declared order, as the callee received them. */
  readonly args: readonly DetailValue[];
}

/**
 * A function returns normally (by `return`, its final `end`, a branch to its label) or leaves
 * by a tail call (the callee's `enter` follows). `pc` is that instruction.
 */
export interface ExitEvent extends EventBase {
  readonly kind: 'exit';
  readonly func: number;
  /**
   * The values returned, in declared order. Empty for a function without results and for a
   * tail call (`pc` names a `return_call*`): the frame ends, its callee produces the results.
   */
  readonly results: readonly DetailValue[];
}

/**
 * An exception was caught by frame `frameTime` (the `time` of that frame's `enter` event), a
 * call of `func`. Every frame entered after it and not yet exited was unwound: a reader pops
 * frames until the top one's enter time is `frameTime`. Logged at every legacy `catch` /
 * `catch_all` that is entered (`pc`: that instruction), and where a `try_table` catch clause's
 * label resumes (`pc`: the `end` of the label's block, or the `loop`) when frames were unwound.
 * `time` is the count at the throw (the marker does not count).
 */
export interface CatchEvent extends EventBase {
  readonly kind: 'catch';
  readonly func: number;
  readonly frameTime: bigint;
}

/**
 * Every local of an activation at the start of a loop body (docs/instrumentation.md,
 * "Snapshots"), where its operand stack is empty: with memory and globals, the whole state a
 * re-execution of that activation can resume from. Like `enter`, `time` is the count BEFORE the
 * instruction at `pc` (the loop's first body instruction) runs: the state at `time` has `pc` as
 * the next instruction. Taken on entry to the loop or after a branch back to it, once the time
 * has reached the module's next snapshot time.
 */
export interface SnapshotEvent extends EventBase {
  readonly kind: 'snapshot';
  /** Original function index of the activation. */
  readonly func: number;
  /** The `time` of the activation's `enter` event: which frame this is (as `CatchEvent.frameTime`). */
  readonly frameTime: bigint;
  /** Every local: the parameters in declared order, then the declared locals, typed as enter arguments. */
  readonly locals: readonly DetailValue[];
}

export type DetailEvent =
  | StoreEvent
  | GrowEvent
  | FillEvent
  | CopyEvent
  | InitEvent
  | GlobalSetEvent
  | EnterEvent
  | ExitEvent
  | CatchEvent
  | SnapshotEvent;

/** The stream is cut or holds an unknown kind; `offset` is where decoding failed. */
export class DetailEventDecodeError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (offset ${offset})`);
  }
}

const STORE_WIDTHS = [0, 1, 2, 4, 8, 16];

function u32At(bytes: Uint8Array, o: number): number {
  return (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
}

/** The time delta in the header of the event at `at` (not a sync). */
export function timeDeltaAt(bytes: Uint8Array, at: number): number {
  return bytes[at + 5] | (bytes[at + 6] << 8);
}

/**
 * The offset just past the event whose header starts at `at` (not a sync), read from its kind
 * and size fields only. Throws `DetailEventDecodeError` for an unknown kind; the caller checks
 * the result against the stream's length. The one place that knows every kind's size.
 */
export function eventEnd(bytes: Uint8Array, at: number): number {
  const kind = bytes[at];
  const p = at + HEADER_SIZE;
  if (kind >= EventKind.store1 && kind <= EventKind.store16) return p + 4 + STORE_WIDTHS[kind];
  if (isCompactCall(kind)) return p + (kind & COMPACT_MAX_VALUE_BYTES);
  switch (kind) {
    case EventKind.enter:
    case EventKind.exit: return p + 6 + (bytes[p + 4] | (bytes[p + 5] << 8));
    case EventKind.grow: return p + 12;
    case EventKind.fill: return p + 9 + u32At(bytes, p + 4);
    case EventKind.copy: return p + 12 + u32At(bytes, p + 8);
    case EventKind.init: return p + 16 + u32At(bytes, p + 12);
    case EventKind.globalSet: return p + 5 + 2 * bytes[p + 4];
    case EventKind.catch: return p + 12;
    case EventKind.snapshot: return p + 16 + u32At(bytes, p + 12);
    default: throw new DetailEventDecodeError(`unknown event kind ${kind}`, at);
  }
}

/** Bytes a logged value takes, by its type byte (references: a 1-byte null marker). */
export function valueSize(type: number): number {
  switch (type) {
    case 0x7f: case 0x7d: return 4; // i32, f32
    case 0x7e: case 0x7c: return 8; // i64, f64
    case 0x7b: return 16; // v128
    default: return 1; // a reference type: 0 null, 1 non-null
  }
}

/**
 * The values of an enter/exit/snapshot event: `size` bytes at `at` holding n type bytes, then
 * the n values. n is where the type bytes read so far plus their values' sizes reach `size`.
 */
function decodeValues(bytes: Uint8Array, view: DataView, at: number, size: number): DetailValue[] {
  let n = 0;
  let used = 0;
  while (used < size) used += 1 + valueSize(bytes[at + n++]);
  if (used !== size) throw new DetailEventDecodeError('event values do not fill their size', at);
  return readValues(bytes, view, bytes.subarray(at, at + n), at + n);
}

/** The values of types `types` (their first bytes) stored from `at` on. */
function readValues(bytes: Uint8Array, view: DataView, types: Uint8Array, at: number): DetailValue[] {
  const out: DetailValue[] = [];
  let v = at;
  for (let i = 0; i < types.length; i++) {
    const type = types[i];
    switch (type) {
      case 0x7f: out.push({ type: 'i32', value: view.getInt32(v, true) }); break;
      case 0x7e: out.push({ type: 'i64', value: view.getBigInt64(v, true) }); break;
      case 0x7d: out.push({ type: 'f32', bits: view.getUint32(v, true) }); break;
      case 0x7c: out.push({ type: 'f64', bits: view.getBigUint64(v, true) }); break;
      case 0x7b: out.push({ type: 'v128', bytes: new Uint8Array(bytes.subarray(v, v + 16)) }); break;
      default: out.push({ type: 'ref', refType: type, isNull: bytes[v] === 0 });
    }
    v += valueSize(type);
  }
  return out;
}

/** Decodes a whole stream of events (chunks concatenated in the order they were delivered). */
export function decodeDetailEvents(bytes: Uint8Array, shapes?: CallShapes): DetailEvent[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: DetailEvent[] = [];
  let at = 0;
  let prev = 0n; // time of the previous event or sync
  while (at < bytes.length) {
    if (bytes[at] === EventKind.sync) {
      if (at + SYNC_SIZE > bytes.length) throw new DetailEventDecodeError('event runs past the end of the stream', at);
      prev = view.getBigUint64(at + 1, true);
      at += SYNC_SIZE;
      continue;
    }
    if (at + HEADER_SIZE > bytes.length) throw new DetailEventDecodeError('event runs past the end of the stream', at);
    const delta = timeDeltaAt(bytes, at);
    const time = delta === 0 ? prev : prev + BigInt(delta);
    prev = time;
    const decoded = decodeEventAt(bytes, view, at, time, shapes);
    out.push(decoded.event);
    at = decoded.next;
  }
  return out;
}

/**
 * Decodes the event at `at` (not a sync) whose absolute time is `time`: the event and the
 * offset after it. Byte payloads are views into `bytes` (no copy): events keep the stream
 * alive, and nothing writes through them. A compact call needs the module's `shapes`.
 */
export function decodeEventAt(bytes: Uint8Array, view: DataView, at: number, time: bigint, shapes?: CallShapes): { event: DetailEvent; next: number } {
  const need = (n: number) => {
    if (at + n > bytes.length) throw new DetailEventDecodeError('event runs past the end of the stream', at);
  };
  const u32 = (o: number) => view.getUint32(o, true);
  const slice = (o: number, n: number) => new Uint8Array(bytes.buffer, bytes.byteOffset + o, n);
  need(HEADER_SIZE);
  const kind = bytes[at];
  const pc = u32(at + 1);
  const p = at + HEADER_SIZE;
  if (isCompactCall(kind)) return decodeCompactCall(bytes, view, at, time, shapes);
  if (kind >= EventKind.store1 && kind <= EventKind.store16) {
    const width = STORE_WIDTHS[kind];
    need(HEADER_SIZE + 4 + width);
    return { event: { kind: 'store', time, pc, address: u32(p), width, newBytes: slice(p + 4, width) }, next: p + 4 + width };
  }
  switch (kind) {
    case EventKind.grow:
      need(HEADER_SIZE + 12);
      return { event: { kind: 'grow', time, pc, oldPages: u32(p), delta: u32(p + 4), result: view.getInt32(p + 8, true) }, next: p + 12 };
    case EventKind.fill: {
      need(HEADER_SIZE + 9);
      const size = u32(p + 4);
      need(HEADER_SIZE + 9 + size);
      return { event: { kind: 'fill', time, pc, dest: u32(p), size, value: bytes[p + 8], oldBytes: slice(p + 9, size) }, next: p + 9 + size };
    }
    case EventKind.copy: {
      need(HEADER_SIZE + 12);
      const size = u32(p + 8);
      need(HEADER_SIZE + 12 + size);
      return { event: { kind: 'copy', time, pc, dest: u32(p), source: u32(p + 4), size, oldBytes: slice(p + 12, size) }, next: p + 12 + size };
    }
    case EventKind.init: {
      need(HEADER_SIZE + 16);
      const size = u32(p + 12);
      need(HEADER_SIZE + 16 + size);
      const event: InitEvent = { kind: 'init', time, pc, dest: u32(p), segment: u32(p + 4), sourceOffset: u32(p + 8), size, oldBytes: slice(p + 16, size) };
      return { event, next: p + 16 + size };
    }
    case EventKind.globalSet: {
      need(HEADER_SIZE + 5);
      const width = bytes[p + 4];
      need(HEADER_SIZE + 5 + 2 * width);
      return { event: { kind: 'globalSet', time, pc, global: u32(p), oldBytes: slice(p + 5, width), newBytes: slice(p + 5 + width, width) }, next: p + 5 + 2 * width };
    }
    case EventKind.enter:
    case EventKind.exit: {
      need(HEADER_SIZE + 6);
      const size = view.getUint16(p + 4, true);
      need(HEADER_SIZE + 6 + size);
      const values = decodeValues(bytes, view, p + 6, size);
      const event: DetailEvent = kind === EventKind.enter ? { kind: 'enter', time, pc, func: u32(p), args: values } : { kind: 'exit', time, pc, func: u32(p), results: values };
      return { event, next: p + 6 + size };
    }
    case EventKind.catch:
      need(HEADER_SIZE + 12);
      return { event: { kind: 'catch', time, pc, func: u32(p), frameTime: view.getBigUint64(p + 4, true) }, next: p + 12 };
    case EventKind.snapshot: {
      need(SNAPSHOT_FIXED_SIZE);
      const size = u32(p + 12);
      need(SNAPSHOT_FIXED_SIZE + size);
      const locals = decodeValues(bytes, view, p + 16, size);
      return { event: { kind: 'snapshot', time, pc, func: u32(p), frameTime: view.getBigUint64(p + 4, true), locals }, next: p + 16 + size };
    }
    default:
      throw new DetailEventDecodeError(`unknown event kind ${kind}`, at);
  }
}

/** A compact `enter`/`exit`: its function and value types from the module (`shapes`). */
function decodeCompactCall(bytes: Uint8Array, view: DataView, at: number, time: bigint, shapes: CallShapes | undefined): { event: DetailEvent; next: number } {
  const kind = bytes[at];
  const pc = view.getUint32(at + 1, true);
  const size = kind & COMPACT_MAX_VALUE_BYTES;
  const next = at + HEADER_SIZE + size;
  if (next > bytes.length) throw new DetailEventDecodeError('event runs past the end of the stream', at);
  if (!shapes) throw new DetailEventDecodeError('a compact call event needs its module to decode', at);
  const enter = kind < COMPACT_EXIT;
  const shape = enter ? shapes.enter(pc) : shapes.exit(pc);
  if (!shape) throw new DetailEventDecodeError(`no function ${enter ? 'starts at' : 'holds'} pc ${pc}`, at);
  // An exit without values is a tail call's (or a function's without results).
  const none = !enter && size === 0;
  if (!none && shape.bytes !== size) throw new DetailEventDecodeError(`event values take ${size} bytes, function ${shape.func}'s types ${shape.bytes}`, at);
  const values = none ? [] : readValues(bytes, view, shape.types, at + HEADER_SIZE);
  const event: DetailEvent = enter ? { kind: 'enter', time, pc, func: shape.func, args: values } : { kind: 'exit', time, pc, func: shape.func, results: values };
  return { event, next };
}

/**
 * Counts the events in a stream without decoding them (the recorder's per-chunk count). Reads
 * only each event's kind and, for variable-size kinds, its size field.
 */
export function countDetailEvents(bytes: Uint8Array): number {
  return scanDetailEvents(bytes).count;
}

/**
 * Counts the events in a stream and reads the times of the first and the last (the recorder's
 * per-chunk summary) without decoding payloads: only each event's kind, time delta and size
 * fields (and syncs). A stream without events (empty, or only syncs) has count 0 and times 0.
 */
export function scanDetailEvents(bytes: Uint8Array): { count: number; firstTime: bigint; lastTime: bigint } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let n = 0;
  // The running time is base + sum (sum: deltas since base, kept exact as a Number below 2^53).
  let base = 0n;
  let sum = 0;
  let firstTime = 0n;
  let lastBase = 0n;
  let lastSum = 0;
  while (at < bytes.length) {
    const kind = bytes[at];
    if (kind === EventKind.sync) {
      if (at + SYNC_SIZE > bytes.length) break;
      base = view.getBigUint64(at + 1, true);
      sum = 0;
      at += SYNC_SIZE;
      continue;
    }
    if (at + HEADER_SIZE > bytes.length) break;
    sum += timeDeltaAt(bytes, at);
    if (sum > 2 ** 52) {
      base += BigInt(sum);
      sum = 0;
    }
    if (n === 0) firstTime = base + BigInt(sum);
    lastBase = base;
    lastSum = sum;
    at = eventEnd(bytes, at);
    n++;
  }
  if (at !== bytes.length) throw new DetailEventDecodeError('event runs past the end of the stream', at);
  // The last event's time, not a later sync's (one is left when the event after it trapped).
  return { count: n, firstTime, lastTime: n > 0 ? lastBase + BigInt(lastSum) : 0n };
}
