/**
 * The executed-instruction counter of detail mode `inputs`, written straight into a function
 * body's original bytes. docs/instrumentation.md defines what counts; in short, every
 * instruction `wasm-objdump -d` lists counts each time it executes, and the structural markers
 * `else`, `catch`, `catch_all`, `delegate` and `end` execute only when control falls into them.
 *
 * Scheme (DESIGN.md: counters live in locals, globals are slow):
 * - each activation has an i64 local `c`: instructions it executed since its last flush;
 * - the exported mutable i64 global `T` holds all flushed instructions of the whole run, so
 *   the true time is always `T + c` of the running activation (callees flush before returning);
 * - straight-line code adds its length to `c` once, just before the instruction that ends the
 *   region (a branch, `if`, `else`, `loop`, a join's `end`), so nothing is added per instruction;
 * - before every call, return, throw, `unreachable`, tail call, branch out of the function, and
 *   the final `end`, it flushes: `T += c + k; c = 0`. So `T` is exact whenever control leaves
 *   the function or enters another one, and at every import call it counts that call too.
 * On a trap other than `unreachable` (or a trapping call) the running activation's `c` is lost:
 * `T` then holds the count at that activation's last flush.
 *
 * Nothing is inserted that changes the operand stack or the label depths, so every original
 * instruction is copied byte for byte.
 */
import { ByteWriter } from './byteWriter.js';
import type { Instruction } from './codeDecoder.js';

type FrameKind = 'function' | 'block' | 'loop' | 'if' | 'try' | 'try_table';

interface Frame {
  readonly kind: FrameKind;
  /** Whether control could reach the frame's start; code after its `end` can only be reached if so. */
  readonly live: boolean;
  /** Whether some branch targets this frame's label. */
  targeted: boolean;
}

const OP_LOCAL_GET = 0x20;
const OP_LOCAL_SET = 0x21;
const OP_GLOBAL_GET = 0x23;
const OP_GLOBAL_SET = 0x24;
const OP_I64_CONST = 0x42;
const OP_I64_ADD = 0x7c;

/** Where the counter lives in one function. */
export interface CounterSlots {
  /** Index of the added i64 local `c` (parameters plus original locals). */
  readonly local: number;
  /** Index of the exported i64 global `T`. */
  readonly global: number;
}

/**
 * The time of the instruction being emitted, as the instrumented code can compute it: the
 * count up to and including that instruction is `T + c + pending` (`c` only when `dirty`;
 * otherwise `c` is certainly zero there).
 */
export interface InstructionTime {
  readonly pending: number;
  readonly dirty: boolean;
}

/**
 * Lets detail mode weave its own code around each original instruction (`detailEmitter.ts`).
 * `before` runs for reachable instructions only, before the counter's own code for that
 * instruction (which is stack-neutral); `after` right after the instruction's bytes. `copy`
 * writes the instruction itself (for every instruction, dead code included).
 */
export interface InstructionHooks {
  before(ins: Instruction, time: InstructionTime, exits: ExitKind): void;
  after(ins: Instruction): void;
  copy(ins: Instruction, out: ByteWriter): void;
}

/**
 * Whether a reachable instruction leaves the function normally: `always` (return, the final
 * `end`, a `br` to the function's label, tail calls), `never`, or for `br_if`/`br_table` the
 * labels (by position) that name the function's label.
 */
export type ExitKind = { readonly kind: 'always' | 'never' } | { readonly kind: 'labels'; readonly toFunction: readonly boolean[] };

const NEVER: ExitKind = { kind: 'never' };
const ALWAYS: ExitKind = { kind: 'always' };

/** Emits the instruction sequence of one body with the counter woven in. */
export function emitCountedCode(
  bytes: Uint8Array,
  instructions: readonly Instruction[],
  slots: CounterSlots,
  out: ByteWriter,
  hooks?: InstructionHooks,
  onCopy?: CopyObserver,
): void {
  new CounterEmitter(bytes, slots, out, hooks, onCopy).run(instructions);
}

/** Told where each original instruction lands: its original offset and `out.length` before it. */
export type CopyObserver = (originalOffset: number, emittedAt: number) => void;

class CounterEmitter {
  private readonly frames: Frame[] = [{ kind: 'function', live: true, targeted: false }];
  /** Counted instructions of the current region not yet added to `c`. */
  private pending = 0;
  private reachable = true;
  /**
   * False only where `c` is certainly zero on every path: from function entry or a flush up to
   * the next structural instruction (any of which may be a join). Saves two instructions per flush.
   */
  private counterDirty = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly slots: CounterSlots,
    private readonly out: ByteWriter,
    private readonly hooks?: InstructionHooks,
    private readonly onCopy?: CopyObserver,
  ) {}

  run(instructions: readonly Instruction[]): void {
    for (const ins of instructions) {
      this.step(ins);
      this.hooks?.after(ins);
    }
  }

  private step(ins: Instruction): void {
    const counts = this.reachable;
    if (counts) this.pending++;
    if (counts && this.hooks) this.hooks.before(ins, { pending: this.pending, dirty: this.counterDirty }, this.exitKind(ins));
    switch (ins.name) {
      case 'block':
      case 'try':
      case 'try_table':
        this.copy(ins);
        this.frames.push({ kind: ins.name, live: counts, targeted: false });
        if (ins.labels) for (const l of ins.labels) this.target(l + 1); // catch labels count from outside the try_table
        return;
      case 'loop':
      case 'if':
        this.endRegion(counts);
        this.copy(ins);
        this.frames.push({ kind: ins.name, live: counts, targeted: false });
        this.counterDirty = true;
        return;
      case 'else':
      case 'catch':
      case 'catch_all':
        this.endRegion(counts);
        this.copy(ins);
        this.reachable = this.top().live;
        this.counterDirty = true;
        return;
      case 'delegate':
        this.endRegion(counts);
        this.copy(ins);
        this.reachable = this.frames.pop()!.live;
        this.counterDirty = true;
        return;
      case 'end':
        this.end(ins, counts);
        return;
      case 'br':
      case 'br_if':
      case 'br_table': {
        const labels = ins.labels ?? [ins.index];
        const leaves = labels.map((l) => this.target(l)).some((f) => f.kind === 'function');
        if (leaves) this.flush(counts, ins.name !== 'br_if');
        else this.endRegion(counts);
        this.copy(ins);
        if (ins.name !== 'br_if') this.reachable = false;
        return;
      }
      case 'call':
      case 'call_indirect':
        this.flush(counts, false);
        this.copy(ins);
        return;
      case 'throw':
      case 'rethrow':
      case 'throw_ref':
        // A handler of this same activation may catch it and go on counting in `c`: reset it then.
        this.flush(counts, !this.frames.some((f) => f.kind === 'try' || f.kind === 'try_table'));
        this.copy(ins);
        this.reachable = false;
        return;
      case 'return':
      case 'return_call':
      case 'return_call_indirect':
      case 'unreachable':
        this.flush(counts, true);
        this.copy(ins);
        this.reachable = false;
        return;
      default:
        this.copy(ins);
    }
  }

  private end(ins: Instruction, counts: boolean): void {
    const frame = this.frames.pop()!;
    if (frame.kind === 'function') {
      this.flush(counts, true);
    } else if (frame.kind === 'loop' || ((frame.kind === 'block' || frame.kind === 'try_table') && !frame.targeted)) {
      // Nothing branches to the point after this `end`: the region simply continues.
    } else {
      this.endRegion(counts);
    }
    this.copy(ins);
    if (frame.kind !== 'loop') this.reachable = frame.live;
    this.counterDirty = true;
  }

  /** How `ins` leaves the function (see `ExitKind`); no side effects. */
  private exitKind(ins: Instruction): ExitKind {
    switch (ins.name) {
      case 'return':
      case 'return_call':
      case 'return_call_indirect':
        return ALWAYS;
      case 'end':
        return this.frames.length === 1 ? ALWAYS : NEVER;
      case 'br':
        return ins.index === this.frames.length - 1 ? ALWAYS : NEVER;
      case 'br_if':
        return ins.index === this.frames.length - 1 ? { kind: 'labels', toFunction: [true] } : NEVER;
      case 'br_table': {
        const toFunction = ins.labels!.map((l) => l === this.frames.length - 1);
        if (toFunction.every((x) => x)) return ALWAYS;
        return toFunction.some((x) => x) ? { kind: 'labels', toFunction } : NEVER;
      }
      default:
        return NEVER;
    }
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /** The frame a label depth names; marks it as a branch target. */
  private target(depth: number): Frame {
    const frame = this.frames[this.frames.length - 1 - depth];
    if (!frame) throw new Error(`label depth ${depth} out of range`);
    frame.targeted = true;
    return frame;
  }

  private copy(ins: Instruction): void {
    this.onCopy?.(ins.offset, this.out.length);
    if (this.hooks) this.hooks.copy(ins, this.out);
    else this.out.bytes(this.bytes.subarray(ins.offset, ins.end));
  }

  /** Adds the region's pending count to `c` (only on reachable code). */
  private endRegion(counts: boolean): void {
    if (counts && this.pending > 0) {
      const { out } = this;
      out.u8(OP_LOCAL_GET).u32(this.slots.local);
      out.u8(OP_I64_CONST).s64(BigInt(this.pending)).u8(OP_I64_ADD);
      out.u8(OP_LOCAL_SET).u32(this.slots.local);
      this.counterDirty = true;
    }
    this.pending = 0;
  }

  /** `T += c + pending; c = 0`; when control is `leaving` the function, `c` need not be reset. */
  private flush(counts: boolean, leaving: boolean): void {
    if (counts && this.pending > 0) {
      const { out } = this;
      out.u8(OP_GLOBAL_GET).u32(this.slots.global);
      out.u8(OP_I64_CONST).s64(BigInt(this.pending)).u8(OP_I64_ADD);
      if (this.counterDirty) out.u8(OP_LOCAL_GET).u32(this.slots.local).u8(OP_I64_ADD);
      out.u8(OP_GLOBAL_SET).u32(this.slots.global);
      if (this.counterDirty && !leaving) out.u8(OP_I64_CONST).u8(0).u8(OP_LOCAL_SET).u32(this.slots.local);
      this.counterDirty = false;
    }
    this.pending = 0;
  }
}
