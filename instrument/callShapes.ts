/**
 * What a compact `enter` or `exit` event leaves out, recovered from the original module: the
 * function it belongs to and the types of the values it carries. An `enter`'s pc is its
 * function's first instruction; an `exit`'s pc is an instruction inside its function's body
 * (detailEvents.ts, "compact calls"). Built once per module from the code section's layout,
 * without decoding instructions.
 */
import { readModuleLayout, type BodySpan } from './moduleLayout.js';

/** A call event's function, the first byte of each of its values' types, and their total size. */
export interface CallShape {
  readonly func: number;
  readonly types: Uint8Array;
  /** Bytes the values take in an event (`valueSize` of each type). */
  readonly bytes: number;
}

/** Bytes a value of type byte `t` takes in an event (detailEvents.ts `valueSize`). */
function valueBytes(types: Uint8Array): number {
  let n = 0;
  for (const t of types) n += t === 0x7f || t === 0x7d ? 4 : t === 0x7e || t === 0x7c ? 8 : t === 0x7b ? 16 : 1;
  return n;
}

export class CallShapes {
  private readonly byFirstPc = new Map<number, CallShape>();
  private readonly exits: CallShape[];
  /** Exit pcs already looked up (a program exits from few places, millions of times). */
  private readonly exitMemo = new Map<number, CallShape | undefined>();

  /** `bodies` in code-section order (ascending offsets), as `readModuleLayout` gives them. */
  constructor(private readonly bodies: readonly BodySpan[]) {
    for (const b of bodies) this.byFirstPc.set(b.codeStart, { func: b.funcIndex, types: b.paramTypes, bytes: valueBytes(b.paramTypes) });
    this.exits = bodies.map((b) => ({ func: b.funcIndex, types: b.resultTypes, bytes: valueBytes(b.resultTypes) }));
  }

  /** The shapes of `wasm`'s functions; throws `WasmDecodeError` on a malformed module. */
  static of(wasm: Uint8Array): CallShapes {
    return new CallShapes(readModuleLayout(wasm).bodies);
  }

  /** The function entered at `pc` (its first instruction) and its parameter types; undefined if no function starts there. */
  enter(pc: number): CallShape | undefined {
    return this.byFirstPc.get(pc);
  }

  /** The function whose body holds `pc` and its result types; undefined if no body holds it. */
  exit(pc: number): CallShape | undefined {
    const memo = this.exitMemo.get(pc);
    if (memo !== undefined || this.exitMemo.has(pc)) return memo;
    const bodies = this.bodies;
    let lo = 0;
    let hi = bodies.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bodies[mid].end <= pc) lo = mid + 1;
      else hi = mid;
    }
    const shape = lo < bodies.length && bodies[lo].codeStart <= pc ? this.exits[lo] : undefined;
    this.exitMemo.set(pc, shape);
    return shape;
  }
}
