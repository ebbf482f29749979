/**
 * What a compact `enter` or `exit` event leaves out, recovered from the original module: the
 * function it belongs to and the types of the values it carries. An `enter`'s pc is its
 * function's first instruction; an `exit`'s pc is an instruction inside its function's body
 * (detailEvents.ts, "compact calls"). Built once per module from the code section's layout,
 * without decoding instructions.
 */
import { readModuleLayout, type BodySpan } from './moduleLayout.js';

/** A call event's function and the first byte of each of its values' types. */
export interface CallShape {
  readonly func: number;
  readonly types: Uint8Array;
}

export class CallShapes {
  private readonly byFirstPc = new Map<number, BodySpan>();

  /** `bodies` in code-section order (ascending offsets), as `readModuleLayout` gives them. */
  constructor(private readonly bodies: readonly BodySpan[]) {
    for (const b of bodies) this.byFirstPc.set(b.codeStart, b);
  }

  /** The shapes of `wasm`'s functions; throws `WasmDecodeError` on a malformed module. */
  static of(wasm: Uint8Array): CallShapes {
    return new CallShapes(readModuleLayout(wasm).bodies);
  }

  /** The function entered at `pc` (its first instruction) and its parameter types; undefined if no function starts there. */
  enter(pc: number): CallShape | undefined {
    const b = this.byFirstPc.get(pc);
    return b && { func: b.funcIndex, types: b.paramTypes };
  }

  /** The function whose body holds `pc` and its result types; undefined if no body holds it. */
  exit(pc: number): CallShape | undefined {
    const bodies = this.bodies;
    let lo = 0;
    let hi = bodies.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bodies[mid].end <= pc) lo = mid + 1;
      else hi = mid;
    }
    const b = bodies[lo];
    return b && b.codeStart <= pc ? { func: b.funcIndex, types: b.resultTypes } : undefined;
  }
}
