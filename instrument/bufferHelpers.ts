/**
 * The helper functions a detail-mode `full` module gets (fullModule.ts), as code bodies:
 * `reserve`, the event buffer's slow path, `sync`, which commits a time sync, and `room`, which
 * an event's fast path calls when it needs either.
 */
import { ByteWriter } from './byteWriter.js';
import { MAX_FIXED_EVENT_SIZE, MAX_TIME_DELTA, SYNC_SIZE } from './detailEvents.js';
import { ValType } from './eventWriter.js';

/**
 * `reserve(n: i32) -> i32`: makes room for `n` bytes plus any fixed-size event past `P` and
 * returns `P`. It first offers the buffered bytes to JS (`flush(P)` returns 1 if it took them);
 * if the room is still missing (no consumer bound yet, or a bulk event larger than the buffer)
 * it grows the event memory, at least doubling it. A failed grow traps (`unreachable`).
 */
export function reserveBody(s: { flushFunc: number; endGlobal: number; limitGlobal: number; lastTimeGlobal: number; countGlobal: number; eventMemory: number }): Uint8Array {
  const w = new ByteWriter();
  // locals: 1 = need (i64), 2 = cap (i64), 3 = pages (i32)
  w.u32(2).u32(2).u8(ValType.i64).u32(1).u8(ValType.i32);
  const g = (i: number) => w.u8(0x23).u32(i);
  const lg = (i: number) => w.u8(0x20).u32(i);
  const ls = (i: number) => w.u8(0x21).u32(i);
  const msize = () => w.u8(0x3f).u32(s.eventMemory);
  const memarg = (offset: number) => (s.eventMemory === 0 ? w.u8(0) : w.u8(0x40).u32(s.eventMemory), w.u32(offset));
  // if (P > SYNC_SIZE && flush(P)) { the buffer restarts with a sync of L; P = SYNC_SIZE; K = 0 }
  g(s.endGlobal).u8(0x41).u8(SYNC_SIZE).u8(0x4b).u8(0x04).u8(0x40); // i32.gt_u; if
  g(s.endGlobal).u8(0x10).u32(s.flushFunc);
  w.u8(0x04).u8(0x40);
  w.u8(0x41).u8(0).u8(0x41).u8(0).u8(0x3a); // i32.store8 kind 0 at 0
  memarg(0);
  w.u8(0x41).u8(0);
  g(s.lastTimeGlobal).u8(0x37); // i64.store L at 1
  memarg(1);
  w.u8(0x41).u8(SYNC_SIZE).u8(0x24).u32(s.endGlobal);
  w.u8(0x41).u8(0).u8(0x24).u32(s.countGlobal);
  w.u8(0x0b);
  w.u8(0x0b);
  // need = P + n + MAX_FIXED_EVENT_SIZE; cap = size << 16
  g(s.endGlobal).u8(0xad);
  lg(0).u8(0xad).u8(0x7c).u8(0x42).s64(BigInt(MAX_FIXED_EVENT_SIZE)).u8(0x7c);
  ls(1);
  msize().u8(0xad).u8(0x42).u8(16).u8(0x86);
  ls(2);
  lg(1);
  lg(2);
  w.u8(0x56).u8(0x04).u8(0x40); // i64.gt_u; if
  // pages = max(ceil((need - cap) / 64Ki), size)
  lg(1);
  lg(2);
  w.u8(0x7d).u8(0x42).s64(65535n).u8(0x7c).u8(0x42).u8(16).u8(0x88).u8(0xa7); // sub, +65535, shr_u, wrap
  ls(3);
  lg(3);
  msize();
  lg(3);
  msize();
  w.u8(0x4b).u8(0x1b); // i32.gt_u, select
  w.u8(0x40).u32(s.eventMemory); // memory.grow
  w.u8(0x41).u8(0x7f).u8(0x46).u8(0x04).u8(0x40).u8(0x00).u8(0x0b); // == -1: unreachable
  // LIMIT = (size << 16) - MAX_FIXED_EVENT_SIZE
  msize().u8(0xad).u8(0x42).u8(16).u8(0x86).u8(0x42).s64(BigInt(MAX_FIXED_EVENT_SIZE)).u8(0x7d).u8(0xa7);
  w.u8(0x24).u32(s.limitGlobal);
  w.u8(0x0b);
  g(s.endGlobal);
  w.u8(0x0b);
  return w.toBytes();
}

/**
 * `sync(p: i32) -> i32`: commits a time sync (kind 0, the absolute time `N`) at `p` (= `P`),
 * so that the event being written at the returned `p + SYNC_SIZE` has delta 0; `L = N`, and
 * `Q = P`, so that the runtime can tell a buffer that ends with this sync (its event trapped).
 * Called when an event's delta from `L` does not fit 16 bits. Room for it was reserved with the event.
 */
export function syncBody(s: { endGlobal: number; lastTimeGlobal: number; eventTimeGlobal: number; syncEndGlobal: number; eventMemory: number }): Uint8Array {
  const w = new ByteWriter();
  w.u32(0); // no locals
  const memarg = (offset: number) => (s.eventMemory === 0 ? w.u8(0) : w.u8(0x40).u32(s.eventMemory), w.u32(offset));
  w.u8(0x20).u32(0).u8(0x41).u8(0).u8(0x3a); // i32.store8 kind 0
  memarg(0);
  w.u8(0x20).u32(0).u8(0x23).u32(s.eventTimeGlobal).u8(0x37); // i64.store N at 1
  memarg(1);
  w.u8(0x23).u32(s.eventTimeGlobal).u8(0x24).u32(s.lastTimeGlobal);
  w.u8(0x20).u32(0).u8(0x41).u8(SYNC_SIZE).u8(0x6a).u8(0x22).u32(0).u8(0x24).u32(s.endGlobal); // P = p + SYNC_SIZE
  w.u8(0x20).u32(0).u8(0x24).u32(s.syncEndGlobal); // Q = P
  w.u8(0x20).u32(0);
  w.u8(0x0b);
  return w.toBytes();
}

/**
 * `room() -> i32`: `p = P; if (p > LIMIT) p = reserve(0); if (N - L > MAX_TIME_DELTA) p =
 * sync(p)`; returns `p`, where the event goes. An event's fast path calls it when either test
 * holds (eventWriter.ts, `roomAndHeader`).
 */
export function roomBody(s: { endGlobal: number; limitGlobal: number; lastTimeGlobal: number; eventTimeGlobal: number; reserveFunc: number; syncFunc: number }): Uint8Array {
  const w = new ByteWriter();
  w.u32(1).u32(1).u8(ValType.i32); // local 0 = p
  w.u8(0x23).u32(s.endGlobal).u8(0x22).u32(0); // p = P
  w.u8(0x23).u32(s.limitGlobal).u8(0x4b).u8(0x04).u8(0x40); // > LIMIT: if
  w.u8(0x41).u8(0).u8(0x10).u32(s.reserveFunc).u8(0x21).u32(0); // p = reserve(0)
  w.u8(0x0b);
  w.u8(0x23).u32(s.eventTimeGlobal).u8(0x23).u32(s.lastTimeGlobal).u8(0x7d); // N - L
  w.u8(0x42).s64(BigInt(MAX_TIME_DELTA)).u8(0x56).u8(0x04).u8(0x40); // > MAX_TIME_DELTA: if
  w.u8(0x20).u32(0).u8(0x10).u32(s.syncFunc).u8(0x21).u32(0); // p = sync(p)
  w.u8(0x0b);
  w.u8(0x20).u32(0);
  w.u8(0x0b);
  return w.toBytes();
}
