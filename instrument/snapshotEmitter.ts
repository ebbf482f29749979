/**
 * Detail mode `full`: the code at the start of a loop body that takes a locals snapshot once
 * the time has reached the next snapshot time `S` (an i64 global). Which loops get it:
 * `snapshotPlan.ts`; the event itself is written by the function's snapshot writer
 * (`snapshotWriters.ts`), which also moves `S`; the layout: detailEvents.ts and
 * docs/instrumentation.md ("Snapshots").
 *
 * It is emitted right after the `loop` instruction, so it runs on entry to the loop and after
 * every branch back to it. The counter has just added everything up to that point to `c` (a
 * `loop` and a branch both end a counted region), so `T + c` is the exact count before the first
 * body instruction, and the snapshot's time.
 *
 * The test `T + c >= S` would load two globals per iteration; instead each activation keeps the
 * local `lim = S - T` and tests `c >=s lim`, two locals. `T` and `S` change only where `c` is
 * flushed or a callee ran, so `lim` is recomputed at entry, after every call (and snapshot),
 * after a `br_if`/`br_table` that flushed but stayed, and where an exception is caught
 * (`emitSnapshotLimit`, called by `DetailEmitter`). Should `lim` go stale anyway, that would only
 * move when a snapshot is taken, never its time, which is always `T + c`. The code is
 * stack-neutral and its block is closed before the next original instruction, so no original
 * label depth changes.
 */
import type { ByteWriter } from './byteWriter.js';
import type { Instruction } from './codeDecoder.js';
import { BLOCK, BR_IF, CALL, END, GLOBAL_GET, I32_CONST, I64_ADD, I64_LT_S, I64_SUB, LOCAL_GET, LOCAL_SET, VOID } from './emitOps.js';


/** Where one function's snapshot code finds its pieces. */
export interface SnapshotSlots {
  /** Offsets of the `loop`s that take snapshots. */
  readonly loops: ReadonlySet<number>;
  /** Number of locals (parameters included): all are passed to the writer. */
  readonly localCount: number;
  /** Function index of the snapshot writer for this function's local types. */
  readonly writer: number;
  /** Original index of the function (the event's `func`). */
  readonly funcIndex: number;
  /** The i64 global `S`: the next snapshot time. */
  readonly nextGlobal: number;
  /** The time global `T`. */
  readonly timeGlobal: number;
  /** The counter local `c`. */
  readonly counterLocal: number;
  /** The i64 local holding this activation's enter time. */
  readonly frameTimeLocal: number;
  /** The i64 local `lim` = `S - T`. */
  readonly limitLocal: number;
}

/** `lim = S - T`: after anything that may have moved `T` or `S` without moving `c` along. */
export function emitSnapshotLimit(out: ByteWriter, s: SnapshotSlots): void {
  out.u8(GLOBAL_GET).u32(s.nextGlobal).u8(GLOBAL_GET).u32(s.timeGlobal).u8(I64_SUB).u8(LOCAL_SET).u32(s.limitLocal);
}

/**
 * At the start of the body of `loop` (emitted right after it), if it takes snapshots:
 * `if (c >=s lim) { writer(T + c, pc, func, frameTime, local 0, local 1, ...); lim = S - T }`,
 * written as `block; br_if 0 (c <s lim); ...; end`: the check runs on every iteration, and V8
 * ran this shape faster than an `if` (compress: about 9% over no check, against 16-17%).
 */
export function emitLoopSnapshot(out: ByteWriter, s: SnapshotSlots, loop: Instruction): void {
  if (!s.loops.has(loop.offset)) return;
  out.u8(BLOCK).u8(VOID);
  out.u8(LOCAL_GET).u32(s.counterLocal).u8(LOCAL_GET).u32(s.limitLocal).u8(I64_LT_S).u8(BR_IF).u8(0);
  out.u8(GLOBAL_GET).u32(s.timeGlobal).u8(LOCAL_GET).u32(s.counterLocal).u8(I64_ADD);
  // pc: the first body instruction, which starts where the loop's immediates end
  out.u8(I32_CONST).s64(BigInt(loop.end | 0)).u8(I32_CONST).s64(BigInt(s.funcIndex | 0));
  out.u8(LOCAL_GET).u32(s.frameTimeLocal);
  for (let i = 0; i < s.localCount; i++) out.u8(LOCAL_GET).u32(i);
  out.u8(CALL).u32(s.writer);
  emitSnapshotLimit(out, s);
  out.u8(END);
}
