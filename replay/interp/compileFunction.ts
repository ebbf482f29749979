/**
 * Prepares one function body for the interpreter: decodes every instruction once, validates the
 * operand stack's types as the spec's validation algorithm does, and writes the flat code of
 * compiledCode.ts with every branch target resolved. Branches carry their label's static stack
 * height and arity, so the interpreter keeps no label stack at run time; the labels and the
 * operand stack's types at any instruction are recomputed on demand by the same walk
 * (`typesAt`), from the nearest checkpoint the compilation kept.
 */
import { ByteReader } from '../../src/wasm/byteReader.js';
import { CHECKPOINT_EVERY, Kind, KIND_NAMES, type CompiledFunction, type Ctl, type TypesAt, type WalkCheckpoint } from './compiledCode.js';
import { UnsupportedInstructionError } from './errors.js';
import type { BodyDecl, DecodedModule } from './moduleDecoder.js';
import { BR_IF_RETURN, BR_RETURN, END_FUNC, FC, LOCAL_GET32, LOCAL_SET32, LOCAL_TEE32, mnemonic, NUMERIC } from './opcodes.js';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, isSupportedType, UNKNOWN, type FuncType } from './valueTypes.js';

export type { CompiledFunction, TypesAt } from './compiledCode.js';

const LOAD_STORE_TYPES: readonly number[] = [
  I32, I64, F32, F64, I32, I32, I32, I32, I64, I64, I64, I64, I64, I64, // loads 0x28..0x35
  I32, I64, F32, F64, I32, I32, I64, I64, I64, // stores 0x36..0x3e
];

/** Compiles function `body` of `m` (bytes: the whole module). */
export function compileFunction(m: DecodedModule, bytes: Uint8Array, body: BodyDecl): CompiledFunction {
  return new Walk(m, bytes, body, -1, null).run() as CompiledFunction;
}

/** The operand stack types and labels before instruction `index` of compiled function `f` (whose body is `body`). */
export function typesAt(m: DecodedModule, bytes: Uint8Array, body: BodyDecl, f: CompiledFunction, index: number): TypesAt {
  let from = f.checkpoints[0];
  for (const c of f.checkpoints) if (c.count <= index) from = c;
  return new Walk(m, bytes, body, index, from).run() as TypesAt;
}

class Walk {
  private readonly r: ByteReader;
  private readonly type: FuncType;
  private readonly localTypes: Uint8Array;
  private code: Int32Array;
  private pcs: Int32Array;
  private opcodes: Int32Array;
  private heights: Int32Array;
  private ends: Int32Array;
  private elses: Int32Array;
  private readonly brTables: number[] = [];
  private readonly vals: number[] = [];
  private readonly ctls: Ctl[] = [];
  private readonly checkpoints: WalkCheckpoint[] = [];
  /** False when only computing types (`typesAt`): nothing is written. */
  private readonly emitting: boolean;
  private count = 0;
  private maxHeight = 0;
  private at = 0;

  constructor(
    private readonly m: DecodedModule,
    bytes: Uint8Array,
    private readonly body: BodyDecl,
    private readonly stopAt: number,
    from: WalkCheckpoint | null,
  ) {
    this.r = new ByteReader(bytes, body.codeStart, body.end);
    this.type = m.types[m.funcTypeIndices[body.funcIndex]];
    const locals = [...this.type.params, ...body.locals];
    for (const t of [...locals, ...this.type.results]) this.checkType(t, body.start);
    this.localTypes = Uint8Array.from(locals);
    this.emitting = from === null;
    const max = this.emitting ? body.end - body.codeStart + 1 : 0;
    this.code = new Int32Array(max * 4);
    this.pcs = new Int32Array(max);
    this.opcodes = new Int32Array(max);
    this.heights = new Int32Array(max);
    this.ends = new Int32Array(max).fill(-1);
    this.elses = new Int32Array(max).fill(-1);
    if (from) {
      this.r.offset = from.offset;
      this.count = from.count;
      this.vals.push(...from.vals);
      this.ctls.push(...from.ctls.map((c) => ({ ...c, fixups: [] })));
    } else {
      this.ctls.push(this.ctl(Kind.Func, 0, this.body.codeStart, { params: [], results: this.type.results }));
    }
  }

  run(): CompiledFunction | TypesAt {
    while (this.ctls.length > 0) {
      if (this.count === this.stopAt) return this.snapshot();
      if (this.emitting && this.count % CHECKPOINT_EVERY === 0) {
        this.checkpoints.push({ count: this.count, offset: this.r.offset, vals: [...this.vals], ctls: this.ctls.map((c) => ({ ...c, fixups: [] })) });
      }
      this.step();
    }
    if (this.stopAt >= 0) throw new RangeError(`instruction ${this.stopAt} is past the end of function ${this.body.funcIndex}`);
    const n = this.count;
    return {
      funcIndex: this.body.funcIndex,
      code: this.code.slice(0, n * 4),
      pcs: this.pcs.slice(0, n),
      opcodes: this.opcodes.slice(0, n),
      heights: this.heights.slice(0, n),
      brTables: Int32Array.from(this.brTables),
      ends: this.ends.slice(0, n),
      elses: this.elses.slice(0, n),
      paramCount: this.type.params.length,
      localTypes: this.localTypes,
      type: this.type,
      maxHeight: this.maxHeight,
      instructionCount: n,
      checkpoints: this.checkpoints,
    };
  }

  private snapshot(): TypesAt {
    return {
      stack: [...this.vals],
      labels: this.ctls.map((c) => ({ kind: KIND_NAMES[c.kind], pc: c.pc, height: c.height })),
    };
  }

  private ctl(kind: Kind, opener: number, pc: number, bt: FuncType): Ctl {
    return { kind, opener, pc, height: this.vals.length, params: bt.params, results: bt.results, unreachable: false, fixups: [], ifAt: -1 };
  }

  private get top(): Ctl {
    return this.ctls[this.ctls.length - 1];
  }

  private push(t: number): void {
    this.vals.push(t);
    if (this.vals.length > this.maxHeight) this.maxHeight = this.vals.length;
  }

  private pushAll(ts: readonly number[]): void {
    for (const t of ts) this.push(t);
  }

  private pop(): number {
    const top = this.top;
    if (this.vals.length === top.height) {
      if (top.unreachable) return UNKNOWN;
      throw this.invalid('operand stack underflow');
    }
    return this.vals.pop()!;
  }

  private popN(n: number): void {
    for (let k = 0; k < n; k++) this.pop();
  }

  private unreachable(): void {
    this.vals.length = this.top.height;
    this.top.unreachable = true;
  }

  private invalid(what: string): Error {
    return new Error(`function ${this.body.funcIndex}: invalid code at pc 0x${this.at.toString(16)}: ${what}`);
  }

  private checkType(t: number, pc: number): void {
    if (!isSupportedType(t)) {
      throw new UnsupportedInstructionError(t === 0x7b ? 'v128 values' : `value type 0x${t.toString(16)}`, pc, `function ${this.body.funcIndex} uses a type outside i32/i64/f32/f64/funcref/externref`);
    }
  }

  private emit(op: number, a = 0, b = 0, c = 0): void {
    if (!this.emitting) return;
    const w = (this.count - 1) * 4;
    this.code[w] = op;
    this.code[w + 1] = a;
    this.code[w + 2] = b;
    this.code[w + 3] = c;
  }

  private blockType(): FuncType {
    const at = this.r.offset;
    const b = this.r.bytes[at];
    if (b === 0x40) {
      this.r.offset++;
      return { params: [], results: [] };
    }
    if (b >= 0x40 && b < 0x80) {
      this.r.offset++;
      this.checkType(b, at);
      return { params: [], results: [b] };
    }
    const type = this.m.types[this.r.s33()];
    for (const t of [...type.params, ...type.results]) this.checkType(t, at);
    return type;
  }

  private labelAt(depth: number): Ctl {
    const c = this.ctls[this.ctls.length - 1 - depth];
    if (!c) throw this.invalid(`no label at depth ${depth}`);
    return c;
  }

  private labelTypes(c: Ctl): readonly number[] {
    return c.kind === Kind.Loop ? c.params : c.results;
  }

  /** The code index a branch to `c` continues at; forward targets are patched at `c`'s end through `fixup`. */
  private target(c: Ctl, fixup: number): number {
    if (c.kind === Kind.Loop) return (c.opener + 1) * 4;
    c.fixups.push(fixup);
    return 0;
  }

  private unsupported(code: number, why: string): Error {
    return new UnsupportedInstructionError(mnemonic(code), this.at, why);
  }

  private calleeType(typeIndex: number): FuncType {
    const t = this.m.types[typeIndex];
    for (const x of [...t.params, ...t.results]) this.checkType(x, this.at);
    return t;
  }

  private memoryIndex(code: number): void {
    if (this.r.u32() !== 0) throw this.unsupported(code, 'multiple memories are not supported');
  }

  /** Decodes and compiles one instruction. */
  private step(): void {
    const r = this.r;
    const at = (this.at = r.offset);
    const i = this.count++;
    const op = r.u8();
    if (this.emitting) {
      this.pcs[i] = at;
      this.heights[i] = this.top.unreachable ? -1 : this.vals.length;
      this.opcodes[i] = op;
    }
    if (op === 0xfc) return this.stepFC(i);
    if (op >= 0x45 && op <= 0xc4) {
      const sig = NUMERIC.get(op)!;
      this.popN(sig.pops.length);
      this.push(sig.push);
      return this.emit(op);
    }
    if (op >= 0x28 && op <= 0x3e) return this.memoryAccess(op);
    switch (op) {
      case 0x00: this.emit(op); return this.unreachable();
      case 0x01: return this.emit(op);
      case 0x02: case 0x03: case 0x04: {
        const bt = this.blockType();
        if (op === 0x04) this.pop();
        this.popN(bt.params.length);
        const c = this.ctl(op === 0x02 ? Kind.Block : op === 0x03 ? Kind.Loop : Kind.If, i, at, bt);
        if (op === 0x04) c.ifAt = i;
        this.ctls.push(c);
        this.pushAll(bt.params);
        return this.emit(op);
      }
      case 0x05: {
        const c = this.top;
        if (c.kind !== Kind.If || c.ifAt < 0) throw this.invalid('else without if');
        if (this.emitting) {
          this.code[c.ifAt * 4 + 1] = (i + 1) * 4;
          this.elses[c.opener] = i;
        }
        c.ifAt = -1;
        c.fixups.push(i * 4 + 1);
        this.vals.length = c.height;
        this.pushAll(c.params);
        c.unreachable = false;
        return this.emit(op);
      }
      case 0x0b: {
        const c = this.ctls.pop()!;
        this.vals.length = c.height;
        if (this.ctls.length === 0) {
          if (r.offset !== this.body.end) throw this.invalid('code after the final end');
          return this.emit(END_FUNC, 0, 0, c.results.length);
        }
        const past = (i + 1) * 4;
        if (this.emitting) {
          this.ends[c.opener] = i;
          for (const f of c.fixups) {
            if (f >= 0) this.code[f] = past;
            else this.brTables[~f] = past;
          }
          if (c.ifAt >= 0) this.code[c.ifAt * 4 + 1] = past;
        }
        this.pushAll(c.results);
        return this.emit(op);
      }
      case 0x0c: case 0x0d: {
        const c = this.labelAt(r.u32());
        const types = this.labelTypes(c);
        if (op === 0x0d) this.pop();
        this.popN(types.length);
        if (c.kind === Kind.Func) this.emit(op === 0x0c ? BR_RETURN : BR_IF_RETURN, 0, 0, types.length);
        else this.emit(op, this.target(c, i * 4 + 1), c.height, types.length);
        if (op === 0x0c) this.unreachable();
        else this.pushAll(types);
        return;
      }
      case 0x0e: {
        const n = r.u32();
        const base = this.brTables.length;
        let arity = 0;
        for (let k = 0; k <= n; k++) {
          const c = this.labelAt(r.u32());
          const e = this.brTables.length;
          arity = this.labelTypes(c).length;
          if (c.kind === Kind.Func) this.brTables.push(-1, 0, arity);
          else this.brTables.push(this.target(c, ~e), c.height, arity);
        }
        this.pop();
        this.popN(arity);
        this.emit(op, base, n);
        return this.unreachable();
      }
      case 0x0f:
        this.emit(op, 0, 0, this.type.results.length);
        return this.unreachable();
      case 0x10: case 0x12: {
        const f = r.u32();
        const t = this.calleeType(this.m.funcTypeIndices[f]);
        this.popN(t.params.length);
        this.emit(op, f, t.params.length, t.results.length);
        if (op === 0x12) return this.unreachable();
        return this.pushAll(t.results);
      }
      case 0x11: case 0x13: {
        const typeIndex = r.u32();
        const table = r.u32();
        const t = this.calleeType(typeIndex);
        this.pop();
        this.popN(t.params.length);
        this.emit(op, typeIndex, table, t.params.length);
        if (op === 0x13) return this.unreachable();
        return this.pushAll(t.results);
      }
      case 0x1a: this.pop(); return this.emit(op);
      case 0x1b: case 0x1c: {
        if (op === 0x1c) {
          for (let n = r.u32(), k = 0; k < n; k++) this.checkType(r.u8(), at);
        }
        this.pop();
        const a = this.pop();
        const b = this.pop();
        this.push(a === UNKNOWN ? b : a);
        return this.emit(0x1b);
      }
      case 0x20: case 0x21: case 0x22: {
        const x = r.u32();
        const t = this.localTypes[x];
        if (t === undefined) throw this.invalid(`no local ${x}`);
        if (op !== 0x20) this.pop();
        if (op !== 0x21) this.push(t);
        const wide = t === I64 || t === F64;
        return this.emit(wide ? op : op === 0x20 ? LOCAL_GET32 : op === 0x21 ? LOCAL_SET32 : LOCAL_TEE32, x);
      }
      case 0x23: case 0x24: {
        const x = r.u32();
        const g = this.m.globals[x];
        if (!g) throw this.invalid(`no global ${x}`);
        this.checkType(g.type, at);
        if (op === 0x23) this.push(g.type);
        else this.pop();
        return this.emit(op, x);
      }
      case 0x25: case 0x26: {
        const x = r.u32();
        if (op === 0x25) {
          this.pop();
          this.push(this.m.tables[x].refType);
        } else this.popN(2);
        return this.emit(op, x);
      }
      case 0x3f: this.memoryIndex(op); this.push(I32); return this.emit(op);
      case 0x40: this.memoryIndex(op); this.pop(); this.push(I32); return this.emit(op);
      case 0x41: this.push(I32); return this.emit(op, r.s32());
      case 0x42: {
        const v = r.s64();
        this.push(I64);
        return this.emit(op, Number(v & 0xffffffffn) | 0, Number(BigInt.asIntN(32, v >> 32n)));
      }
      case 0x43: this.push(F32); return this.emit(op, r.u32le() | 0);
      case 0x44: {
        const lo = r.u32le() | 0;
        const hi = r.u32le() | 0;
        this.push(F64);
        return this.emit(op, lo, hi);
      }
      case 0xd0: {
        const t = r.u8();
        if (t !== FUNCREF && t !== EXTERNREF) throw this.unsupported(op, 'only func and extern references are supported');
        this.push(t);
        return this.emit(op);
      }
      case 0xd1: this.pop(); this.push(I32); return this.emit(op);
      case 0xd2: this.push(FUNCREF); return this.emit(op, r.u32());
      case 0xfd: throw this.unsupported(0xfd0000 | r.u32(), 'SIMD is not supported');
      case 0xfe: throw new UnsupportedInstructionError(`atomic instruction 0xfe ${r.u32()}`, at, 'threads are not supported');
      case 0xfb: throw new UnsupportedInstructionError(`GC instruction 0xfb ${r.u32()}`, at, 'GC is not supported');
      default:
        throw this.unsupported(op, op >= 0x06 && op <= 0x1f ? 'exception handling and typed function references are not supported' : 'not supported');
    }
  }

  private memoryAccess(op: number): void {
    const r = this.r;
    const align = r.u32();
    if (align & 0x40) this.memoryIndex(op);
    const offset = r.u64();
    if (offset > 0xffffffffn) throw this.unsupported(op, 'memory64 offsets are not supported');
    const t = LOAD_STORE_TYPES[op - 0x28];
    if (op <= 0x35) {
      this.pop();
      this.push(t);
    } else this.popN(2);
    this.emit(op, Number(offset) | 0);
  }

  private stepFC(i: number): void {
    const r = this.r;
    const sub = r.u32();
    const code = 0xfc00 | sub;
    if (this.emitting) this.opcodes[i] = code;
    const op = FC + sub;
    if (sub <= 7) {
      const sig = NUMERIC.get(op)!;
      this.popN(sig.pops.length);
      this.push(sig.push);
      return this.emit(op);
    }
    switch (sub) {
      case 8: { const seg = r.u32(); this.memoryIndex(code); this.popN(3); return this.emit(op, seg); }
      case 9: return this.emit(op, r.u32());
      case 10: this.memoryIndex(code); this.memoryIndex(code); this.popN(3); return this.emit(op);
      case 11: this.memoryIndex(code); this.popN(3); return this.emit(op);
      case 12: { const elem = r.u32(); const table = r.u32(); this.popN(3); return this.emit(op, elem, table); }
      case 13: return this.emit(op, r.u32());
      case 14: { const dst = r.u32(); const src = r.u32(); this.popN(3); return this.emit(op, dst, src); }
      case 15: { const t = r.u32(); this.popN(2); this.push(I32); return this.emit(op, t); }
      case 16: { const t = r.u32(); this.push(I32); return this.emit(op, t); }
      case 17: { const t = r.u32(); this.popN(3); return this.emit(op, t); }
      default: throw this.unsupported(code, 'not supported');
    }
  }
}
