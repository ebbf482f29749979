/**
 * The code a probe module runs: the report woven in before each probed instruction (as hooks of
 * the instruction counter, timeCounter.ts) and the appended `reserve` function, the buffer's
 * slow path. It only appends records to wtrace's own buffer memory; it never touches the
 * program's memory, globals or operand stack.
 *
 * A record is 16 bytes at `P` (a multiple of 16) in the buffer memory: the time (u64, little-
 * endian) at +0, the probe index (u32) at +8, 4 bytes unused. Time is the number of instructions
 * executed BEFORE the probed one: the counter's `T + c + pending - 1` (docs/instrumentation.md,
 * "Time"; `pending` counts the probed instruction itself).
 */
import { ByteWriter } from '../byteWriter.js';
import type { Instruction } from '../codeDecoder.js';
import type { InstructionHooks, InstructionTime } from '../timeCounter.js';

/** Bytes of one record. */
export const PROBE_RECORD_SIZE = 16;

/** Where a probe module keeps its state (indices in the rewritten module). */
export interface ProbeSlots {
  /** The time global `T`. */
  readonly timeGlobal: number;
  /** `P`: the buffer's end (i32). */
  readonly endGlobal: number;
  /** `LIMIT`: the last offset at which a record still fits (i32, compared unsigned). */
  readonly limitGlobal: number;
  readonly bufferMemory: number;
  /** The table whose slot 0 holds the JS flush function once bound (null before). */
  readonly flushTable: number;
  /** The type `(func (param i32))` of the flush function. */
  readonly flushType: number;
  /** The appended `reserve() -> p`. */
  readonly reserveFunc: number;
}

const OP = {
  if: 0x04, end: 0x0b, call: 0x10, callIndirect: 0x11, return: 0x0f, unreachable: 0x00,
  localGet: 0x20, localSet: 0x21, localTee: 0x22, globalGet: 0x23, globalSet: 0x24, tableGet: 0x25,
  i32Store: 0x36, i64Store: 0x37, memorySize: 0x3f, memoryGrow: 0x40,
  i32Const: 0x41, i64Const: 0x42, i32Eq: 0x46, i32GtU: 0x4b, i32Add: 0x6a, i32Sub: 0x6b, i32Shl: 0x74,
  i64Add: 0x7c, refIsNull: 0xd1,
} as const;
const VOID = 0x40;

/** A memarg for the buffer memory: alignment exponent, memory index (multi-memory form unless 0), offset. */
function memarg(w: ByteWriter, memory: number, align: number, offset: number): void {
  if (memory === 0) w.u32(align);
  else w.u32(align | 0x40).u32(memory);
  w.u32(offset);
}

/**
 * Hooks for one function: before each probed instruction that control can reach, append a
 * record. Instructions are copied byte for byte.
 */
export class ProbeHooks implements InstructionHooks {
  constructor(
    private readonly wasm: Uint8Array,
    private readonly out: ByteWriter,
    private readonly slots: ProbeSlots,
    /** Probe index by original pc, for this function's probes. */
    private readonly probes: ReadonlyMap<number, number>,
    /** The function's counter local `c`, and its added i32 scratch local `p`. */
    private readonly locals: { readonly counter: number; readonly scratch: number },
  ) {}

  before(ins: Instruction, time: InstructionTime): void {
    const index = this.probes.get(ins.offset);
    if (index === undefined) return;
    const { out: w, slots: s, locals } = this;
    // p = P; if (p > LIMIT) p = reserve()
    w.u8(OP.globalGet).u32(s.endGlobal).u8(OP.localTee).u32(locals.scratch);
    w.u8(OP.globalGet).u32(s.limitGlobal).u8(OP.i32GtU);
    w.u8(OP.if).u8(VOID).u8(OP.call).u32(s.reserveFunc).u8(OP.localSet).u32(locals.scratch).u8(OP.end);
    // store time = T (+ c) (+ pending - 1) at p
    w.u8(OP.localGet).u32(locals.scratch).u8(OP.globalGet).u32(s.timeGlobal);
    if (time.dirty) w.u8(OP.localGet).u32(locals.counter).u8(OP.i64Add);
    if (time.pending > 1) w.u8(OP.i64Const).s64(BigInt(time.pending - 1)).u8(OP.i64Add);
    w.u8(OP.i64Store);
    memarg(w, s.bufferMemory, 3, 0);
    // store the probe index at p + 8; P = p + 16
    w.u8(OP.localGet).u32(locals.scratch).u8(OP.i32Const).s64(BigInt(index)).u8(OP.i32Store);
    memarg(w, s.bufferMemory, 2, 8);
    w.u8(OP.localGet).u32(locals.scratch).u8(OP.i32Const).s64(BigInt(PROBE_RECORD_SIZE)).u8(OP.i32Add).u8(OP.globalSet).u32(s.endGlobal);
  }

  after(): void {}

  copy(ins: Instruction, out: ByteWriter): void {
    out.bytes(this.wasm.subarray(ins.offset, ins.end));
  }
}

/**
 * The body of `reserve() -> i32`: makes room for one record and returns where it goes. Once JS
 * has bound a flush function (table slot 0), it hands it the buffer (`flush(P)`) and restarts it
 * at 0. Before that (a start function reporting during instantiation) it doubles the buffer
 * memory instead; a failed grow traps with `unreachable`.
 */
export function reserveBody(s: ProbeSlots): Uint8Array {
  const w = new ByteWriter().u32(0); // no locals
  // if (table[0] == null) { grow; LIMIT = (size << 16) - 16; return P }
  w.u8(OP.i32Const).u8(0).u8(OP.tableGet).u32(s.flushTable).u8(OP.refIsNull).u8(OP.if).u8(VOID);
  w.u8(OP.memorySize).u32(s.bufferMemory).u8(OP.memoryGrow).u32(s.bufferMemory);
  w.u8(OP.i32Const).u8(0x7f).u8(OP.i32Eq).u8(OP.if).u8(VOID).u8(OP.unreachable).u8(OP.end);
  // At 65536 pages the shift wraps to 0 and LIMIT to 2^32 - 16, still right as an unsigned bound.
  w.u8(OP.memorySize).u32(s.bufferMemory).u8(OP.i32Const).u8(16).u8(OP.i32Shl);
  w.u8(OP.i32Const).s64(BigInt(PROBE_RECORD_SIZE)).u8(OP.i32Sub).u8(OP.globalSet).u32(s.limitGlobal);
  w.u8(OP.globalGet).u32(s.endGlobal).u8(OP.return);
  w.u8(OP.end);
  // flush(P); P = 0; return 0
  w.u8(OP.globalGet).u32(s.endGlobal).u8(OP.i32Const).u8(0).u8(OP.callIndirect).u32(s.flushType).u32(s.flushTable);
  w.u8(OP.i32Const).u8(0).u8(OP.globalSet).u32(s.endGlobal);
  w.u8(OP.i32Const).u8(0);
  w.u8(OP.end);
  return w.toBytes();
}
