/**
 * The building blocks of detail-event code (detailEvents.ts has the layout): room in wtrace's
 * event memory at its end pointer `P`, the header with the time delta (and a sync before it when
 * the delta does not fit), payload values, and the commit that advances `P`. An event is
 * committed only by advancing `P`, so code that traps before the commit leaves the stream as it
 * was. The fast path of an event tests in one branch whether `P > LIMIT` (no room for the
 * largest fixed-size event) or the delta needs a sync, and then calls the module's `room`
 * helper, which flushes the buffer to JS or grows the event memory (`reserve`), and syncs.
 */
import type { ByteWriter } from './byteWriter.js';
import { MAX_FIXED_EVENT_SIZE, MAX_TIME_DELTA, SYNC_SIZE } from './detailEvents.js';
import {
  CALL, END, GLOBAL_GET, GLOBAL_SET, I32_ADD, I32_CONST, I32_GT_U, I64_ADD, I64_CONST, I64_EXTEND_I32_U, I64_GT_U, I64_OR, I64_SHL,
  I32_OR, I64_STORE16, I64_SUB, IF, LOCAL_GET, LOCAL_SET, LOCAL_TEE, VOID,
} from './emitOps.js';
import type { InstructionTime } from './timeCounter.js';

/** A value the emitted code reads from a local (an i32 pc, an i64 time) instead of a constant. */
export interface InLocal {
  readonly local: number;
}

/** Value types as their binary bytes. */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

const NUMERIC = new Set<number>([ValType.i32, ValType.i64, ValType.f32, ValType.f64, ValType.v128]);

/** The module's event machinery, as any event-writing code finds it. */
export interface EventSlots {
  /** The time global `T`. */
  readonly timeGlobal: number;
  /** The function's counter local `c` (i64), or -1 where none is used. */
  readonly local: number;
  /** The event buffer's end pointer `P` (i32). */
  readonly endGlobal: number;
  /** `P` above this needs the slow path (i32, unsigned). */
  readonly limitGlobal: number;
  /** New index of the `reserve(n: i32) -> i32` helper. */
  readonly reserveFunc: number;
  /** New index of the `sync(p: i32) -> i32` helper (commits a time sync at `p`, returns where the event goes). */
  readonly syncFunc: number;
  /** New index of the `room() -> i32` helper: `reserve(0)` if `P > LIMIT`, then `sync` if `N` needs it; returns where the event goes. */
  readonly roomFunc: number;
  /** `L` (i64): the time of the last committed event or sync, which a header's delta counts from. */
  readonly lastTimeGlobal: number;
  /** `N` (i64): the time of the event being written, set only before calling `room` or `sync` (the event code keeps it in a local). */
  readonly eventTimeGlobal: number;
  /** `K` (i32): events committed since the buffer last restarted (what a flush reports as its count). */
  readonly countGlobal: number;
  /** Index of wtrace's event memory (= number of original memories). */
  readonly eventMemory: number;
}

/**
 * Emits event code into `out`; the event being written is at the address in local `p`, and its
 * time `N` in the i64 local `n` (or in the local an event's time is given in). The global `N`
 * is set only on the slow path, for the `room` and `sync` helpers to read.
 */
export class EventWriter<S extends EventSlots = EventSlots> {
  /** The local holding the current event's time (set by its header, read at its commit). */
  private timeLocal = -1;

  constructor(
    protected readonly slots: S,
    readonly out: ByteWriter,
    protected readonly p: number,
    /** i64 scratch local for event times computed from `T` (-1: every event's time is given in a local). */
    private readonly n = -1,
  ) {}

  /**
   * Stores `local` (value type `t`, its first byte) at `p + at` as an event value: numbers as
   * raw bits (floats reinterpreted), v128 as 16 bytes, a reference as one byte (1: not null).
   */
  storeValue(local: number, t: number, at: number): void {
    const { out } = this;
    this.getP().get(local);
    if (t === ValType.i32) this.i32Store(at);
    else if (t === ValType.i64) out.u8(0x37);
    else if (t === ValType.f32) this.op(0xbc).i32Store(at); // i32.reinterpret_f32
    else if (t === ValType.f64) out.u8(0xbd).u8(0x37); // i64.reinterpret_f64
    else if (t === ValType.v128) out.u8(0xfd).u32(0x0b);
    else out.u8(0xd1).u8(0x45).u8(0x3a); // ref.is_null, i32.eqz (1: not null), i32.store8
    if (t === ValType.i64 || t === ValType.f64 || t === ValType.v128 || !NUMERIC.has(t)) this.eventMemarg(at);
  }

  /**
   * Constant bytes at a static offset of the event, in i64/i32/i16/i8 stores; with `spare`, the
   * last store may write up to that many bytes past them (which the caller overwrites).
   */
  constBytes(offset: number, data: Uint8Array, spare = 0): void {
    // `spare` bytes after the constant are written later by the caller: a short tail may spill
    // into them, so that one i64 store replaces up to three narrower ones.
    const padded = new Uint8Array(data.length + 8);
    padded.set(data);
    const dv = new DataView(padded.buffer);
    let i = 0;
    while (i < data.length) {
      const left = data.length - i;
      this.getP();
      if (left >= 8 || left + spare >= 8) {
        this.out.u8(I64_CONST).s64(dv.getBigInt64(i, true)).u8(0x37);
        this.eventMemarg(offset + i);
        i += 8;
      } else if (left >= 4) {
        this.i32c(dv.getInt32(i, true)).i32Store(offset + i);
        i += 4;
      } else if (left >= 2) {
        this.i32c(dv.getUint16(i, true)).op(0x3b).eventMemarg(offset + i); // i32.store16
        i += 2;
      } else {
        this.i32c(data[i]).op(0x3a).eventMemarg(offset + i); // i32.store8
        i += 1;
      }
    }
  }



  /** Room and header, `payload()`, commit: an event of fixed `size` completed at once. */
  protected fixedEvent(kind: number, pc: number, time: InstructionTime, size: number, payload: () => void): void {
    this.roomAndHeader(kind, pc, time);
    payload();
    this.commit(size);
  }

  /**
   * Starts an event of `size` bytes: room and header (`roomAndHeader`) up to
   * `MAX_FIXED_EVENT_SIZE` with a sync; a larger one reserves its exact size first
   * (`p = P; if (p + k > LIMIT) p = reserve(k)`), then `header`.
   */
  startEvent(size: number, kind: number, pc: number | InLocal, time: InstructionTime | InLocal): void {
    if (size + SYNC_SIZE <= MAX_FIXED_EVENT_SIZE) {
      this.roomAndHeader(kind, pc, time);
      return;
    }
    const { out, slots } = this;
    const k = size + SYNC_SIZE - MAX_FIXED_EVENT_SIZE; // room for a sync before the event too
    out.u8(GLOBAL_GET).u32(slots.endGlobal).u8(LOCAL_TEE).u32(this.p).u8(I32_CONST).s64(BigInt(k)).u8(I32_ADD);
    out.u8(GLOBAL_GET).u32(slots.limitGlobal).u8(I32_GT_U);
    out.u8(IF).u8(VOID).u8(I32_CONST).s64(BigInt(k)).u8(CALL).u32(slots.reserveFunc).u8(LOCAL_SET).u32(this.p).u8(END);
    this.header(kind, pc, time);
  }

  /**
   * The fast path of an event of at most `MAX_FIXED_EVENT_SIZE - SYNC_SIZE` bytes: `N` = its
   * time, `p = P`, and one branch, taken when the buffer needs the slow path (`P > LIMIT`) or the
   * delta does not fit a u16 (`N - L > MAX_TIME_DELTA`, or negative): `p = room()`, which
   * reserves and syncs as needed. Then the header, as `header` writes it. One cold branch and
   * one call site per event, instead of two, keeps the instrumented code small: V8's
   * optimizing tier compiles it faster and runs it faster (BENCHMARKS.md).
   */
  roomAndHeader(kind: number, pc: number | InLocal, time: InstructionTime | InLocal): void {
    const { out, slots } = this;
    this.eventTime(time);
    out.u8(GLOBAL_GET).u32(slots.lastTimeGlobal).u8(I64_SUB);
    out.u8(I64_CONST).s64(BigInt(MAX_TIME_DELTA)).u8(I64_GT_U);
    out.u8(GLOBAL_GET).u32(slots.endGlobal).u8(LOCAL_TEE).u32(this.p);
    out.u8(GLOBAL_GET).u32(slots.limitGlobal).u8(I32_GT_U).u8(I32_OR);
    out.u8(IF).u8(VOID);
    out.u8(LOCAL_GET).u32(this.timeLocal).u8(GLOBAL_SET).u32(slots.eventTimeGlobal);
    out.u8(CALL).u32(slots.roomFunc).u8(LOCAL_SET).u32(this.p).u8(END);
    this.headerBytes(kind, pc);
  }

  /**
   * For an event whose room is reserved (a large event in `startEvent`, or a bulk event's own reserve): `N` =
   * its time (`T + c + k`, or an i64 local); if `N - L` does not fit a u16 (or is negative),
   * `p = sync(p)` first; then the header bytes (`headerBytes`). `L = N` happens at the commit,
   * so an event that is never committed (a trap) leaves the stream consistent.
   */
  header(kind: number, pc: number | InLocal, time: InstructionTime | InLocal): void {
    const { out, slots } = this;
    this.eventTime(time);
    out.u8(GLOBAL_GET).u32(slots.lastTimeGlobal).u8(I64_SUB);
    out.u8(I64_CONST).s64(BigInt(MAX_TIME_DELTA)).u8(I64_GT_U);
    out.u8(IF).u8(VOID);
    out.u8(LOCAL_GET).u32(this.timeLocal).u8(GLOBAL_SET).u32(slots.eventTimeGlobal);
    this.getP();
    out.u8(CALL).u32(slots.syncFunc).u8(LOCAL_SET).u32(this.p).u8(END);
    this.headerBytes(kind, pc);
  }

  /**
   * Leaves the event's time on the stack and in `timeLocal`: an i64 local it is given in, or
   * `T + c + k` teed into `n`.
   */
  private eventTime(time: InstructionTime | InLocal): void {
    const { out, slots } = this;
    if ('local' in time) {
      this.timeLocal = time.local;
      out.u8(LOCAL_GET).u32(time.local);
      return;
    }
    if (this.n < 0) throw new Error('an event time computed from T needs the time scratch local');
    this.timeLocal = this.n;
    out.u8(GLOBAL_GET).u32(slots.timeGlobal);
    if (time.dirty) out.u8(LOCAL_GET).u32(slots.local).u8(I64_ADD);
    if (time.pending > 0) out.u8(I64_CONST).s64(BigInt(time.pending)).u8(I64_ADD);
    out.u8(LOCAL_TEE).u32(this.n);
  }

  /**
   * Kind and pc (a constant, or an i32 local) in one i64 store at +0 and the delta `N - L`
   * (u16) at +5, overwriting the first store's top bytes; the payload overwrites its last one
   * (or, after an event without payload, the next event: the byte lies within the room reserved).
   */
  private headerBytes(kind: number, pc: number | InLocal): void {
    const { out, slots } = this;
    this.getP();
    if (typeof pc === 'number') out.u8(I64_CONST).s64(BigInt(kind) | (BigInt(pc) << 8n));
    else out.u8(LOCAL_GET).u32(pc.local).u8(I64_EXTEND_I32_U).u8(I64_CONST).u8(8).u8(I64_SHL).u8(I64_CONST).s64(BigInt(kind)).u8(I64_OR);
    out.u8(0x37);
    this.eventMemarg(0);
    this.getP();
    out.u8(LOCAL_GET).u32(this.timeLocal).u8(GLOBAL_GET).u32(slots.lastTimeGlobal).u8(I64_SUB);
    out.u8(I64_STORE16);
    this.eventMemarg(5);
  }

  /** `P = p + size; L = N; K += 1`. */
  commit(size: number): void {
    this.getP().i32c(size).op(I32_ADD);
    this.out.u8(GLOBAL_SET).u32(this.slots.endGlobal);
    this.commitTime();
  }

  /**
   * `L = N; K += 1`: the event at `p` is committed (`P` was moved past it). `L` is then the
   * buffer's last event time, unless a sync ends the buffer (`Q`; detailRuntime.ts).
   */
  protected commitTime(): void {
    const { out, slots } = this;
    out.u8(LOCAL_GET).u32(this.timeLocal).u8(GLOBAL_SET).u32(slots.lastTimeGlobal);
    out.u8(GLOBAL_GET).u32(slots.countGlobal).u8(I32_CONST).u8(1).u8(I32_ADD).u8(GLOBAL_SET).u32(slots.countGlobal);
  }

  protected getP(): this {
    return this.get(this.p);
  }

  protected get(local: number): this {
    this.out.u8(LOCAL_GET).u32(local);
    return this;
  }

  protected i32c(v: number): this {
    this.out.u8(I32_CONST).s64(BigInt(v | 0));
    return this;
  }

  protected op(code: number): this {
    this.out.u8(code);
    return this;
  }

  protected i32Store(offset: number): this {
    this.out.u8(0x36);
    return this.eventMemarg(offset);
  }

  /** A memarg (align 0) addressing the event memory at a static offset. */
  protected eventMemarg(offset: number): this {
    const memory = this.slots.eventMemory;
    if (memory === 0) this.out.u8(0);
    else this.out.u8(0x40).u32(memory);
    this.out.u32(offset);
    return this;
  }
}
