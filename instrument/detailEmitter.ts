/**
 * Detail mode `full`, per function: the code that appends detail events (detailEvents.ts) to
 * wtrace's event memory, woven around the original instructions by the counter's hooks
 * (timeCounter.ts). Every original instruction keeps its bytes, except that function indices
 * (`call`, `return_call`, `ref.func`) are shifted past the one added import (fullModule.ts).
 *
 * The event code's building blocks (room, header, commit) are eventWriter.ts's. An instruction
 * that can trap has its event committed after it (a store) or only once the trap is excluded
 * (bulk operations check their range first), so a trap commits nothing.
 */
import type { ByteWriter } from './byteWriter.js';
import type { Instruction } from './codeDecoder.js';
import { COMPACT_ENTER, COMPACT_EXIT, COMPACT_MAX_VALUE_BYTES, EventKind, HEADER_SIZE, storeKind, valueSize } from './detailEvents.js';
import {
  CALL, ELSE, END, GLOBAL_GET, I32_ADD, I32_CONST, I32_EQ, I32_GE_U, I32_NE, I32_OR, I32_SUB, I64_ADD, I64_CONST, I64_EXTEND_I32_U,
  GLOBAL_SET, I64_LE_U, I64_SHL, IF, LOCAL_GET, LOCAL_SET, LOCAL_TEE, MEMORY_SIZE, VOID,
} from './emitOps.js';
import { EventWriter, ValType, type EventSlots } from './eventWriter.js';
import {
  CODE_GLOBAL_SET, CODE_MEMORY_COPY, CODE_MEMORY_FILL, CODE_MEMORY_GROW, CODE_MEMORY_INIT, NON_NULLABLE_REF, REF_AS_NON_NULL, scratchFor, STORES,
  type ScratchLocals, type StoreShape,
} from './scratchLocals.js';
import { emitLoopSnapshot, emitSnapshotLimit, type SnapshotSlots } from './snapshotEmitter.js';
import type { ExitKind, InstructionHooks, InstructionTime } from './timeCounter.js';

/** Where a function's counter, scratch locals and the module's event machinery live. */
export interface DetailSlots extends EventSlots {
  /** Original index of the function being emitted (reported in enter/exit events). */
  readonly funcIndex: number;
  /** The scratch locals after the counter (`scratchLocals`). */
  readonly scratch: ScratchLocals;
  /** Value type byte of every global by index (imports first); reference types as their first byte. */
  readonly globalTypes: readonly number[];
  /** Number of imported functions in the original module: indices at or above shift by one. */
  readonly importedFunctionCount: number;
  /** The call-depth global `D` (i32), or -1: only modules with a `try_table` keep it. */
  readonly depthGlobal: number;
  /** The function's parameter and result types, each as its value-type bytes. */
  readonly params: readonly Uint8Array[];
  readonly results: readonly Uint8Array[];
  /** Where this function takes locals snapshots (snapshotEmitter.ts); absent: nowhere. */
  readonly snapshots?: Omit<SnapshotSlots, 'frameTimeLocal' | 'limitLocal'>;
}

/** The hooks that weave detail events into one function body. */
export class DetailEmitter extends EventWriter<DetailSlots> implements InstructionHooks {
  private readonly a: number;
  private readonly b: number;
  private readonly x: number;
  /** Set by `before` for instructions whose event is completed in `after`. */
  private post: (() => void) | undefined;
  /** Offset of the last instruction `before` saw (so `after` knows whether it was reachable). */
  private lastReachable = -1;
  /** Open structured instructions (the function's own frame first): start offset, reachable. */
  private readonly frames: { start: number; live: boolean }[] = [{ start: -1, live: true }];
  /** Start offsets of the blocks/loops (and -1: the function) that a `try_table` catch clause names. */
  private readonly catchTargets: Set<number>;
  private readonly snapshots: SnapshotSlots | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    slots: DetailSlots,
    out: ByteWriter,
    instructions: readonly Instruction[] = [],
  ) {
    super(slots, out, slots.scratch.p, slots.scratch.n);
    ({ a: this.a, b: this.b, x: this.x } = slots.scratch);
    this.catchTargets = tryTableTargets(instructions);
    const { entry, snapshotLimit } = slots.scratch;
    if (slots.snapshots && (entry < 0 || snapshotLimit < 0)) throw new Error(`function ${slots.funcIndex}: snapshots need the enter-time and limit locals`);
    this.snapshots = slots.snapshots && { ...slots.snapshots, frameTimeLocal: entry, limitLocal: snapshotLimit };
  }

  /**
   * At entry (`c` is zero there, so `T` is the enter time): `D += 1` where the module keeps `D`,
   * the frame's enter time and depth where it has handlers or snapshots, the snapshot limit, and
   * the `enter` event with the parameters read from their locals.
   */
  enter(firstPc: number): void {
    const { out, slots } = this;
    const { entry, depth } = slots.scratch;
    if (slots.depthGlobal >= 0) {
      out.u8(GLOBAL_GET).u32(slots.depthGlobal).u8(I32_CONST).u8(1).u8(I32_ADD);
      if (depth >= 0) out.u8(LOCAL_TEE).u32(depth);
      out.u8(GLOBAL_SET).u32(slots.depthGlobal);
    }
    if (entry >= 0) out.u8(GLOBAL_GET).u32(slots.timeGlobal).u8(LOCAL_SET).u32(entry);
    if (this.snapshots) emitSnapshotLimit(out, this.snapshots);
    this.valuesEvent(EventKind.enter, firstPc, { pending: 0, dirty: false }, slots.params.map((type, local) => ({ type, local })));
  }

  before(ins: Instruction, time: InstructionTime, exits: ExitKind): void {
    this.post = undefined;
    this.lastReachable = ins.offset;
    if (exits.kind === 'always') this.alwaysExit(ins, time);
    else if (exits.kind === 'labels') this.conditionalExit(ins, time, exits.toFunction);
    const store = STORES.get(ins.code);
    if (store) this.store(ins, store, time);
    else if (ins.code === CODE_GLOBAL_SET) this.globalSet(ins, time);
    else if (ins.code === CODE_MEMORY_GROW) this.grow(ins, time);
    else if (ins.code === CODE_MEMORY_FILL || ins.code === CODE_MEMORY_COPY || ins.code === CODE_MEMORY_INIT) this.bulk(ins, time);
  }

  after(ins: Instruction): void {
    const post = this.post;
    this.post = undefined;
    post?.();
    const live = this.lastReachable === ins.offset;
    switch (ins.name) {
      case 'block':
      case 'if':
      case 'try':
      case 'try_table':
        this.frames.push({ start: ins.offset, live });
        break;
      case 'loop':
        this.frames.push({ start: ins.offset, live });
        if (live && this.catchTargets.has(ins.offset)) this.tryTableResume(ins.offset);
        if (live && this.snapshots) emitLoopSnapshot(this.out, this.snapshots, ins);
        break;
      case 'catch':
      case 'catch_all':
        // Reached only by an exception (a try body falling into it jumps past the `end`).
        if (this.frames[this.frames.length - 1].live) {
          this.catchEvent(ins.offset);
          if (this.snapshots) emitSnapshotLimit(this.out, this.snapshots); // the throw flushed `c`
        }
        break;
      case 'delegate':
        this.frames.pop();
        break;
      case 'call':
      case 'call_indirect':
        // The callee moved `T`, and maybe `S`.
        if (live && this.snapshots) emitSnapshotLimit(this.out, this.snapshots);
        break;
      case 'br_if':
      case 'br_table':
        // Staying after a branch that may leave the function: it flushed `c` into `T`.
        if (live && this.snapshots && [ins.index, ...(ins.labels ?? [])].includes(this.frames.length - 1)) emitSnapshotLimit(this.out, this.snapshots);
        break;
      case 'end': {
        const frame = this.frames.pop()!;
        if (frame.live && frame.start >= 0 && this.catchTargets.has(frame.start) && this.bytes[frame.start] !== 0x03) this.tryTableResume(ins.offset);
        break;
      }
      default:
        break;
    }
  }

  /** Copies the instruction, shifting defined-function indices past the added import. */
  copy(ins: Instruction, out: ByteWriter): void {
    const op = this.bytes[ins.offset];
    const shifts = (op === 0x10 || op === 0x12 || op === 0xd2) && ins.index >= this.slots.importedFunctionCount;
    if (shifts) out.u8(op).u32(ins.index + 1);
    else out.bytes(this.bytes.subarray(ins.offset, ins.end));
  }

  // --- events ---------------------------------------------------------------------------

  /**
   * The `exit` event with the results, which are in the result locals (`stashResults`); `D -= 1`.
   * A tail call logs no results (`withResults` false).
   */
  private exit(ins: Instruction, time: InstructionTime, withResults: boolean): void {
    const { out, slots } = this;
    if (slots.depthGlobal >= 0) out.u8(GLOBAL_GET).u32(slots.depthGlobal).u8(I32_CONST).u8(1).u8(I32_SUB).u8(GLOBAL_SET).u32(slots.depthGlobal);
    const values = withResults ? slots.results.map((type, i) => ({ type, local: slots.scratch.results[i] })) : [];
    this.valuesEvent(EventKind.exit, ins.offset, time, values);
  }

  /**
   * Moves the results (the top `results.length` operands) into the result locals. A single
   * result that needs no cast stays on the stack (`local.tee`); `restoreResults` pushes the rest back.
   */
  private stashResults(): void {
    const { results } = this.slots;
    const locals = this.slots.scratch.results;
    for (let i = results.length - 1; i >= 0; i--) {
      const keep = i === 0 && results[0][0] !== NON_NULLABLE_REF;
      this.out.u8(keep ? LOCAL_TEE : LOCAL_SET).u32(locals[i]);
    }
  }

  private restoreResults(): void {
    const { results } = this.slots;
    const locals = this.slots.scratch.results;
    results.forEach((type, i) => {
      if (i === 0 && type[0] !== NON_NULLABLE_REF) return; // still on the stack
      this.out.u8(LOCAL_GET).u32(locals[i]);
      if (type[0] === NON_NULLABLE_REF) this.out.u8(REF_AS_NON_NULL);
    });
  }

  /** An instruction that always leaves: `return`, the final `end`, a `br` (or `br_table`) to the function, a tail call. */
  private alwaysExit(ins: Instruction, time: InstructionTime): void {
    if (ins.name === 'return_call' || ins.name === 'return_call_indirect') {
      this.exit(ins, time, false);
      return;
    }
    const table = ins.name === 'br_table';
    if (table) this.out.u8(LOCAL_SET).u32(this.b);
    this.stashResults();
    this.exit(ins, time, true);
    this.restoreResults();
    if (table) this.out.u8(LOCAL_GET).u32(this.b);
  }

  /** `br_if` / `br_table` that may leave the function: log `exit` only when it does. */
  private conditionalExit(ins: Instruction, time: InstructionTime, toFunction: readonly boolean[]): void {
    const { out } = this;
    out.u8(LOCAL_SET).u32(this.b);
    this.stashResults();
    if (ins.name === 'br_if') {
      out.u8(LOCAL_GET).u32(this.b);
    } else {
      // br_table: the index selects label j (< n) or the default (index >= n).
      const n = toFunction.length - 1;
      let terms = 0;
      toFunction.forEach((yes, j) => {
        if (!yes) return;
        out.u8(LOCAL_GET).u32(this.b).u8(I32_CONST).s64(BigInt(j < n ? j : n)).u8(j < n ? I32_EQ : I32_GE_U);
        if (terms++ > 0) out.u8(I32_OR);
      });
    }
    out.u8(IF).u8(VOID);
    this.exit(ins, time, true);
    out.u8(END);
    this.restoreResults();
    out.u8(LOCAL_GET).u32(this.b);
  }

  /**
   * The `catch` event: this frame (its function and enter time) caught an exception; frames
   * above it were unwound. `c` is zero here (whatever threw flushed and reset it), so the time
   * is `T`. Resets `D` to this frame's depth.
   */
  private catchEvent(pc: number): void {
    const { out, slots } = this;
    if (slots.depthGlobal >= 0) out.u8(LOCAL_GET).u32(slots.scratch.depth).u8(GLOBAL_SET).u32(slots.depthGlobal);
    this.fixedEvent(EventKind.catch, pc, { pending: 0, dirty: false }, HEADER_SIZE + 12, () => {
      this.getP().i32c(slots.funcIndex).i32Store(HEADER_SIZE);
      this.getP().get(slots.scratch.entry);
      out.u8(0x37); // i64.store
      this.eventMemarg(HEADER_SIZE + 4);
    });
  }

  /**
   * Where a `try_table` catch clause's label resumes (also reached normally): if frames were
   * unwound (`D` is not this frame's depth), log `catch`.
   */
  private tryTableResume(pc: number): void {
    const { out, slots } = this;
    out.u8(GLOBAL_GET).u32(slots.depthGlobal).u8(LOCAL_GET).u32(slots.scratch.depth).u8(I32_NE);
    out.u8(IF).u8(VOID);
    this.catchEvent(pc);
    out.u8(END);
    if (this.snapshots) emitSnapshotLimit(out, this.snapshots); // a throw (maybe caught in this frame) flushed `c`
  }

  /**
   * An enter/exit event. Compact (detailEvents.ts) when the values take at most
   * `COMPACT_MAX_VALUE_BYTES`: the kind byte holds their byte count and the values follow the
   * header. Otherwise the long form: the function index, the size of what follows (u16), the
   * values' type bytes, then the values. Values: numbers as raw bits (floats reinterpreted), v128
   * as 16 bytes, a reference as one byte (1: not null).
   */
  private valuesEvent(kind: number, pc: number, time: InstructionTime, values: readonly { type: Uint8Array; local: number }[]): void {
    const valueBytes = values.reduce((n, v) => n + valueSize(v.type[0]), 0);
    if (valueBytes <= COMPACT_MAX_VALUE_BYTES) {
      const total = HEADER_SIZE + valueBytes;
      this.startEvent(total, (kind === EventKind.enter ? COMPACT_ENTER : COMPACT_EXIT) + valueBytes, pc, time);
      this.storeValues(values, HEADER_SIZE);
      this.commit(total);
      return;
    }
    const size = values.length + valueBytes;
    if (size > 0xffff) throw new Error(`function ${this.slots.funcIndex}: ${values.length} values do not fit an event`);
    const total = HEADER_SIZE + 6 + size;
    this.startEvent(total, kind, pc, time);
    const fixed = new Uint8Array(6 + values.length);
    const dv = new DataView(fixed.buffer);
    dv.setUint32(0, this.slots.funcIndex, true);
    dv.setUint16(4, size, true);
    values.forEach((v, i) => (fixed[6 + i] = v.type[0]));
    this.constBytes(HEADER_SIZE, fixed, valueBytes);
    this.storeValues(values, HEADER_SIZE + 6 + values.length);
    this.commit(total);
  }

  /** The values, one after another from offset `at` of the event. */
  private storeValues(values: readonly { type: Uint8Array; local: number }[], at: number): void {
    for (const v of values) {
      this.storeValue(v.local, v.type[0], at);
      at += valueSize(v.type[0]);
    }
  }

  /**
   * A store: the effective address and the new bytes (the original opcode, into the event
   * memory), then the store itself; the event is committed after it, so a store that traps
   * (out of bounds, or an address + offset past 2^32) logs nothing.
   */
  private store(ins: Instruction, s: StoreShape, time: InstructionTime): void {
    const { out } = this;
    const value = scratchFor(this.slots.scratch, s.type);
    const memarg = this.memargBytes(ins, s.lane);
    const memoryOffset = ins.memoryOffset ?? 0;
    out.u8(LOCAL_SET).u32(value).u8(LOCAL_SET).u32(this.a);
    this.roomAndHeader(storeKind(s.width), ins.offset, time);
    // effective address (wrapped when it exceeds 2^32; the store then traps before the commit)
    this.getP().get(this.a);
    if (memoryOffset !== 0) this.i32c(memoryOffset).op(I32_ADD);
    this.i32Store(HEADER_SIZE);
    this.getP().get(value);
    out.bytes(this.bytes.subarray(ins.offset, memarg.start));
    this.eventMemarg(HEADER_SIZE + 4);
    if (s.lane) out.u8(this.bytes[ins.end - 1]);
    out.u8(LOCAL_GET).u32(this.a).u8(LOCAL_GET).u32(value);
    this.post = () => this.commit(HEADER_SIZE + 4 + s.width);
  }

  private globalSet(ins: Instruction, time: InstructionTime): void {
    const type = this.slots.globalTypes[ins.index];
    const width = ({ [ValType.i32]: 4, [ValType.f32]: 4, [ValType.i64]: 8, [ValType.f64]: 8, [ValType.v128]: 16 } as Record<number, number>)[type] ?? 0;
    const value = width > 0 ? scratchFor(this.slots.scratch, type) : -1;
    if (width > 0) this.out.u8(LOCAL_SET).u32(value);
    this.fixedEvent(EventKind.globalSet, ins.offset, time, HEADER_SIZE + 5 + 2 * width, () => {
      this.getP().i32c(ins.index).i32Store(HEADER_SIZE);
      this.getP().i32c(width).op(0x3a).eventMemarg(HEADER_SIZE + 4); // i32.store8
      if (width === 0) return;
      const store = typedStore(type);
      this.getP().out.u8(GLOBAL_GET).u32(ins.index);
      this.out.bytes(new Uint8Array(store));
      this.eventMemarg(HEADER_SIZE + 5);
      this.getP().get(value);
      this.out.bytes(new Uint8Array(store));
      this.eventMemarg(HEADER_SIZE + 5 + width);
    });
    if (width > 0) this.out.u8(LOCAL_GET).u32(value);
  }

  /** memory.grow: size and delta before, the result after. */
  private grow(ins: Instruction, time: InstructionTime): void {
    const { out } = this;
    const memory = ins.index;
    out.u8(LOCAL_SET).u32(this.a);
    this.roomAndHeader(EventKind.grow, ins.offset, time);
    this.getP().out.u8(MEMORY_SIZE).u32(memory);
    this.i32Store(HEADER_SIZE);
    this.getP().get(this.a).i32Store(HEADER_SIZE + 4);
    out.u8(LOCAL_GET).u32(this.a);
    this.post = () => {
      out.u8(LOCAL_TEE).u32(this.b);
      this.getP().get(this.b).i32Store(HEADER_SIZE + 8);
      this.commit(HEADER_SIZE + 12);
    };
  }

  /**
   * memory.fill / memory.copy / memory.init: operands (d, x, n). If the destination range is in
   * bounds, reserve room for the header and the n old bytes, copy them from the program's
   * memory, and commit after the instruction (a trap, e.g. on the source, commits nothing).
   * Otherwise the instruction traps and nothing is logged (`p` = -1).
   */
  private bulk(ins: Instruction, time: InstructionTime): void {
    const { out } = this;
    const code = ins.code;
    const memory = code === CODE_MEMORY_INIT ? this.secondImmediate(ins) : ins.index;
    const kind = code === CODE_MEMORY_FILL ? EventKind.fill : code === CODE_MEMORY_COPY ? EventKind.copy : EventKind.init;
    const fields = code === CODE_MEMORY_FILL ? 9 : code === CODE_MEMORY_COPY ? 12 : 16;
    out.u8(LOCAL_SET).u32(this.x).u8(LOCAL_SET).u32(this.b).u8(LOCAL_SET).u32(this.a); // n, x, d
    // d + n <= memory.size * 64Ki (as i64)
    this.get(this.a).op(I64_EXTEND_I32_U).get(this.x).op(I64_EXTEND_I32_U).op(I64_ADD);
    out.u8(MEMORY_SIZE).u32(memory).u8(I64_EXTEND_I32_U).u8(I64_CONST).u8(16).u8(I64_SHL).u8(I64_LE_U);
    out.u8(IF).u8(VOID);
    this.get(this.x).i32c(fields).op(I32_ADD);
    out.u8(CALL).u32(this.slots.reserveFunc).u8(LOCAL_SET).u32(this.p);
    this.header(kind, ins.offset, time);
    this.getP().get(this.a).i32Store(HEADER_SIZE);
    if (code === CODE_MEMORY_FILL) {
      this.getP().get(this.x).i32Store(HEADER_SIZE + 4);
      this.getP().get(this.b).op(0x3a).eventMemarg(HEADER_SIZE + 8); // i32.store8 value
    } else if (code === CODE_MEMORY_COPY) {
      this.getP().get(this.b).i32Store(HEADER_SIZE + 4);
      this.getP().get(this.x).i32Store(HEADER_SIZE + 8);
    } else {
      this.getP().i32c(ins.index).i32Store(HEADER_SIZE + 4);
      this.getP().get(this.b).i32Store(HEADER_SIZE + 8);
      this.getP().get(this.x).i32Store(HEADER_SIZE + 12);
    }
    // old bytes: memory.copy from the program's memory into the event memory
    this.getP().i32c(HEADER_SIZE + fields).op(I32_ADD).get(this.a).get(this.x);
    out.u8(0xfc).u32(10).u32(this.slots.eventMemory).u32(memory);
    out.u8(ELSE);
    this.i32c(-1);
    out.u8(LOCAL_SET).u32(this.p);
    out.u8(END);
    this.get(this.a).get(this.b).get(this.x);
    this.post = () => {
      this.getP().i32c(-1).op(I32_NE);
      out.u8(IF).u8(VOID);
      this.getP().i32c(HEADER_SIZE + fields).op(I32_ADD).get(this.x).op(I32_ADD);
      out.u8(GLOBAL_SET).u32(this.slots.endGlobal);
      this.commitTime();
      out.u8(END);
    };
  }

  /** Where an instruction's memarg starts, and its bytes (align, memory, offset). */
  private memargBytes(ins: Instruction, lane: boolean): { start: number; address: Uint8Array } {
    let at = ins.offset + 1;
    if (this.bytes[ins.offset] === 0xfd) while (this.bytes[at++] & 0x80);
    const end = lane ? ins.end - 1 : ins.end;
    return { start: at, address: this.bytes.subarray(at, end) };
  }

  /** memory.init's memory index (its second immediate). */
  private secondImmediate(ins: Instruction): number {
    let at = ins.offset + 1;
    while (this.bytes[at++] & 0x80); // sub-opcode
    while (this.bytes[at++] & 0x80); // data index
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = this.bytes[at++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return v;
    }
  }
}

function typedStore(type: number): number[] {
  switch (type) {
    case ValType.i32: return [0x36];
    case ValType.i64: return [0x37];
    case ValType.f32: return [0x38];
    case ValType.f64: return [0x39];
    case ValType.v128: return [0xfd, 0x0b];
    default: throw new Error(`no store for type 0x${type.toString(16)}`);
  }
}

/**
 * Start offsets of the structured instructions whose label some `try_table` catch clause names
 * (-1: the function's own label). A catch clause's label counts from outside its `try_table`.
 */
function tryTableTargets(instructions: readonly Instruction[]): Set<number> {
  const targets = new Set<number>();
  const open: number[] = [-1];
  for (const ins of instructions) {
    switch (ins.name) {
      case 'try_table':
        for (const l of ins.labels ?? []) targets.add(open[open.length - 1 - l]);
        open.push(ins.offset);
        break;
      case 'block':
      case 'loop':
      case 'if':
      case 'try':
        open.push(ins.offset);
        break;
      case 'end':
      case 'delegate':
        open.pop();
        break;
      default:
        break;
    }
  }
  return targets;
}
