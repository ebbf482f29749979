/**
 * Evaluates DWARF location expressions (DWARF 5, section 2.5/2.6) as clang emits them for
 * wasm32: `DW_OP_WASM_location` (a Wasm local, global or operand-stack value), `DW_OP_fbreg`
 * over a frame base that is itself such an expression, `DW_OP_addr`/`DW_OP_addrx`,
 * `DW_OP_stack_value`, `DW_OP_implicit_value`, `DW_OP_piece`, constants, arithmetic, stack
 * operations, branches and `DW_OP_deref`. Pure: the frame's values come from an
 * `ExprContext`. An operation it cannot evaluate (registers, entry values, TLS...) gives an
 * `unavailable` result naming it; a malformed expression gives one too, never an exception.
 */

/** What an expression can ask of the stopped program. Scalars are unsigned, as wide as their Wasm type. */
export interface ExprContext {
  /** Wasm local `index` of the frame (params first), or null when it does not exist. */
  local(index: number): WasmScalar | null;
  global(index: number): WasmScalar | null;
  /** Operand stack entry `index`, counted from the bottom of the frame's stack. */
  operand(index: number): WasmScalar | null;
  /** `length` bytes of linear memory at `address`, or null when outside it. */
  readMemory(address: number, length: number): Uint8Array | null;
  /** Entry `index` of the unit's `.debug_addr` table (`DW_OP_addrx`, `DW_OP_constx`). */
  addressAtIndex(index: number): number;
  /** The frame base (`DW_AT_frame_base` evaluated), for `DW_OP_fbreg`; null when the function has none. */
  frameBase(): bigint | null;
}

/** A Wasm value as an expression sees it: its bytes (little-endian) and the unsigned number they hold. */
export interface WasmScalar {
  readonly bytes: Uint8Array;
  readonly value: bigint;
}

/** Where a value is, or what it is. */
export type SimpleLocation =
  /** In linear memory at `address`. */
  | { readonly kind: 'memory'; readonly address: number }
  /** Not in memory: the value itself (a Wasm local's value, `DW_OP_stack_value`, `DW_OP_implicit_value`). */
  | { readonly kind: 'value'; readonly bytes: Uint8Array };

export type EvaluatedLocation =
  | SimpleLocation
  /** Assembled from pieces, in order; a piece without a location was optimised out. */
  | { readonly kind: 'pieces'; readonly pieces: readonly { readonly size: number; readonly location: SimpleLocation | null }[] }
  | { readonly kind: 'unavailable'; readonly reason: string };

const MASK64 = (1n << 64n) - 1n;
const MAX_STEPS = 10_000;

class ExprError extends Error {}

/** Evaluates `expr` to where the variable is (or what it is). */
export function evaluateLocation(expr: Uint8Array, ctx: ExprContext): EvaluatedLocation {
  try {
    return run(expr, ctx);
  } catch (e) {
    if (e instanceof ExprError) return { kind: 'unavailable', reason: e.message };
    throw e;
  }
}

/** Evaluates a frame base expression to a number (the stack pointer the frame's `DW_OP_fbreg`s count from). */
export function evaluateFrameBase(expr: Uint8Array, ctx: ExprContext): bigint | null {
  const inner: ExprContext = {
    local: (i) => ctx.local(i), global: (i) => ctx.global(i), operand: (i) => ctx.operand(i),
    readMemory: (a, n) => ctx.readMemory(a, n), addressAtIndex: (i) => ctx.addressAtIndex(i), frameBase: () => null,
  };
  const loc = evaluateLocation(expr, inner);
  if (loc.kind === 'memory') return BigInt(loc.address);
  if (loc.kind === 'value') return bytesToBig(loc.bytes);
  return null;
}

function run(expr: Uint8Array, ctx: ExprContext): EvaluatedLocation {
  const r = new Cursor(expr);
  const stack: bigint[] = [];
  const pieces: { size: number; location: SimpleLocation | null }[] = [];
  /** Set by DW_OP_stack_value / a lone DW_OP_WASM_location / DW_OP_implicit_value: the result is a value, not an address. */
  let implicit: Uint8Array | null = null;
  let isValue = false;
  const pop = (): bigint => {
    const v = stack.pop();
    if (v === undefined) throw new ExprError('malformed expression: stack underflow');
    return v;
  };
  const top = (): SimpleLocation | null => {
    if (implicit !== null) return { kind: 'value', bytes: implicit };
    if (stack.length === 0) return null;
    const v = stack[stack.length - 1];
    if (isValue) return { kind: 'value', bytes: bigToBytes(v, 8) };
    return { kind: 'memory', address: Number(v & 0xffffffffn) };
  };
  const wasmValue = (kind: number, index: number): WasmScalar => {
    const v = kind === 0 ? ctx.local(index) : kind === 1 || kind === 3 ? ctx.global(index) : kind === 2 ? ctx.operand(index) : null;
    const what = kind === 0 ? 'local' : kind === 2 ? 'operand stack entry' : 'global';
    if (v === null) throw new ExprError(`Wasm ${what} ${index} is not available`);
    return v;
  };
  for (let steps = 0; !r.atEnd(); steps++) {
    if (steps > MAX_STEPS) throw new ExprError('expression does not terminate');
    const op = r.u8();
    if (implicit !== null && op !== 0x93 && op !== 0x9d) throw new ExprError('malformed expression: operation after an implicit value');
    if (op >= 0x30 && op <= 0x4f) { stack.push(BigInt(op - 0x30)); continue; }
    if (op >= 0x50 && op <= 0x6f) throw new ExprError(`DW_OP_reg${op - 0x50}: Wasm has no registers`);
    if (op >= 0x70 && op <= 0x8f) throw new ExprError(`DW_OP_breg${op - 0x70}: Wasm has no registers`);
    switch (op) {
      case 0x03: stack.push(BigInt(r.uint(4))); break; // addr (wasm32: 4-byte addresses)
      case 0x06: stack.push(deref(ctx, pop(), 4)); break;
      case 0x08: stack.push(BigInt(r.uint(1))); break;
      case 0x09: stack.push(BigInt(r.sint(1))); break;
      case 0x0a: stack.push(BigInt(r.uint(2))); break;
      case 0x0b: stack.push(BigInt(r.sint(2))); break;
      case 0x0c: stack.push(BigInt(r.uint(4))); break;
      case 0x0d: stack.push(BigInt(r.sint(4))); break;
      case 0x0e: stack.push(r.u64()); break;
      case 0x0f: stack.push(BigInt.asIntN(64, r.u64())); break;
      case 0x10: stack.push(r.ulebBig()); break;
      case 0x11: stack.push(r.slebBig()); break;
      case 0x12: { const v = pop(); stack.push(v, v); break; }
      case 0x13: pop(); break;
      case 0x14: { if (stack.length < 2) throw new ExprError('malformed expression: stack underflow'); stack.push(stack[stack.length - 2]); break; }
      case 0x15: { const i = r.u8(); if (i >= stack.length) throw new ExprError('malformed expression: DW_OP_pick past the stack'); stack.push(stack[stack.length - 1 - i]); break; }
      case 0x16: { const a = pop(), b = pop(); stack.push(a, b); break; }
      case 0x17: { const a = pop(), b = pop(), c = pop(); stack.push(a, c, b); break; }
      case 0x19: { const v = BigInt.asIntN(64, pop()); stack.push(v < 0n ? -v : v); break; }
      case 0x1a: { const b = pop(), a = pop(); stack.push(a & b); break; }
      case 0x1b: { const b = BigInt.asIntN(64, pop()), a = BigInt.asIntN(64, pop()); if (b === 0n) throw new ExprError('division by zero'); stack.push(a / b); break; }
      case 0x1c: { const b = pop(), a = pop(); stack.push(a - b); break; }
      case 0x1d: { const b = pop(), a = pop(); if (b === 0n) throw new ExprError('division by zero'); stack.push(BigInt.asUintN(64, a) % BigInt.asUintN(64, b)); break; }
      case 0x1e: { const b = pop(), a = pop(); stack.push(a * b); break; }
      case 0x1f: stack.push(-pop()); break;
      case 0x20: stack.push(~pop()); break;
      case 0x21: { const b = pop(), a = pop(); stack.push(a | b); break; }
      case 0x22: { const b = pop(), a = pop(); stack.push(a + b); break; }
      case 0x23: stack.push(pop() + r.ulebBig()); break;
      case 0x24: { const b = pop(), a = pop(); stack.push(a << (b & 63n)); break; }
      case 0x25: { const b = pop(), a = pop(); stack.push(BigInt.asUintN(64, a) >> (b & 63n)); break; }
      case 0x26: { const b = pop(), a = pop(); stack.push(BigInt.asIntN(64, a) >> (b & 63n)); break; }
      case 0x27: { const b = pop(), a = pop(); stack.push(a ^ b); break; }
      case 0x28: { const offset = r.sint(2); if ((pop() & MASK64) !== 0n) r.jump(offset); break; } // bra
      case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e: {
        const b = BigInt.asIntN(64, pop()), a = BigInt.asIntN(64, pop());
        const result = [a === b, a >= b, a > b, a <= b, a < b, a !== b][op - 0x29];
        stack.push(result ? 1n : 0n);
        break;
      }
      case 0x2f: r.jump(r.sint(2)); break; // skip
      case 0x91: { // fbreg
        const offset = r.slebBig();
        const base = ctx.frameBase();
        if (base === null) throw new ExprError('DW_OP_fbreg without a frame base');
        stack.push(base + offset);
        break;
      }
      case 0x93: { // piece
        const size = Number(r.ulebBig());
        pieces.push({ size, location: top() });
        stack.length = 0;
        implicit = null;
        isValue = false;
        break;
      }
      case 0x94: { const size = r.u8(); stack.push(deref(ctx, pop(), size)); break; }
      case 0x96: break; // nop
      case 0x9e: { const length = Number(r.ulebBig()); implicit = r.bytes(length); break; }
      case 0x9f: isValue = true; break; // stack_value
      case 0xa1: case 0xe1: stack.push(BigInt(ctx.addressAtIndex(Number(r.ulebBig())))); break; // addrx, GNU_addr_index
      case 0xa2: case 0xe2: stack.push(BigInt(ctx.addressAtIndex(Number(r.ulebBig())))); break; // constx, GNU_const_index
      case 0xed: { // WASM_location: kind, then index (a fixed u32 for kind 3, a relocatable global)
        const kind = r.u8();
        const index = kind === 3 ? r.uint(4) : Number(r.ulebBig());
        if (kind > 3) throw new ExprError(`DW_OP_WASM_location of unknown kind ${kind}`);
        const v = wasmValue(kind, index);
        stack.push(v.value);
        // Without a following operation the location IS the Wasm value (like a register location).
        if (r.atEnd() || r.peek() === 0x93) implicit = v.bytes;
        break;
      }
      case 0x9c: throw new ExprError('DW_OP_call_frame_cfa is not supported for Wasm');
      case 0xa3: case 0xf3: throw new ExprError('entry values (DW_OP_entry_value) are not supported');
      case 0xa0: case 0xf2: throw new ExprError('implicit pointers (DW_OP_implicit_pointer) are not supported');
      case 0x9b: case 0xe0: throw new ExprError('thread-local storage (DW_OP_form_tls_address) is not supported');
      default: throw new ExprError(`unsupported DWARF operation 0x${op.toString(16)}`);
    }
  }
  if (pieces.length > 0) return { kind: 'pieces', pieces };
  const loc = top();
  if (loc === null) return { kind: 'unavailable', reason: 'optimized out' };
  return loc;
}

function deref(ctx: ExprContext, address: bigint, size: number): bigint {
  const a = Number(address & 0xffffffffn);
  const bytes = ctx.readMemory(a, size);
  if (bytes === null) throw new ExprError(`DW_OP_deref of address 0x${a.toString(16)} outside linear memory`);
  return bytesToBig(bytes);
}

/** The unsigned little-endian number in `bytes`. */
export function bytesToBig(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

/** `v` as `size` little-endian bytes (two's complement for negatives). */
export function bigToBytes(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
}

/** A cursor over expression bytes whose overruns are `ExprError`s. */
class Cursor {
  private at = 0;
  constructor(private readonly b: Uint8Array) {}
  atEnd(): boolean { return this.at >= this.b.length; }
  peek(): number { return this.b[this.at]; }
  u8(): number {
    if (this.at >= this.b.length) throw new ExprError('malformed expression: truncated');
    return this.b[this.at++];
  }
  uint(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v += this.u8() * 2 ** (8 * i);
    return v;
  }
  sint(n: number): number {
    const v = this.uint(n);
    return v >= 2 ** (8 * n - 1) ? v - 2 ** (8 * n) : v;
  }
  u64(): bigint { return BigInt(this.uint(4)) | (BigInt(this.uint(4)) << 32n); }
  ulebBig(): bigint {
    let v = 0n, shift = 0n, b: number;
    do { b = this.u8(); v |= BigInt(b & 0x7f) << shift; shift += 7n; } while (b & 0x80);
    return v;
  }
  slebBig(): bigint {
    let v = 0n, shift = 0n, b: number;
    do { b = this.u8(); v |= BigInt(b & 0x7f) << shift; shift += 7n; } while (b & 0x80);
    return b & 0x40 ? v - (1n << shift) : v;
  }
  bytes(n: number): Uint8Array {
    if (this.at + n > this.b.length) throw new ExprError('malformed expression: truncated');
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  jump(offset: number): void {
    const to = this.at + offset;
    if (to < 0 || to > this.b.length) throw new ExprError('malformed expression: branch outside the expression');
    this.at = to;
  }
}
