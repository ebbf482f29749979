/**
 * Original positions: every defined function of a module with its instructions at their byte
 * offsets in the ORIGINAL bytes, counted from the `\0asm` magic. These offsets are wtrace's pc
 * (DESIGN.md, "Time and positions"), the numbers `wasm-objdump -d` prints. Nothing here looks at
 * an instrumented module.
 */
import { UnsupportedWasmError } from '../src/errors.js';
import { WasmDecodeError } from '../src/wasm/byteReader.js';
import { decodeBody, type Instruction } from './codeDecoder.js';
import { readModuleLayout, type BodySpan, type ModuleLayout } from './moduleLayout.js';

export type { Instruction } from './codeDecoder.js';

/** One defined function's original code. */
export interface FunctionPositions {
  /** Index in the function index space (imported functions first). */
  readonly funcIndex: number;
  /** The body's offset range: from its local declarations (the offset wasm-objdump prints for the function) to just past its final `end`. */
  readonly body: BodySpan;
  /** Every instruction of the body in byte order, the final `end` included; no local declarations. */
  readonly instructions: readonly Instruction[];
}

/** The decoded positions of a whole module. */
export interface ModulePositions {
  readonly layout: ModuleLayout;
  /** Defined functions in index order. */
  readonly functions: readonly FunctionPositions[];
}

/**
 * Decodes every function body of `wasm`. Problems (unsupported opcodes, malformed bodies) are
 * collected over all functions and thrown together as one `UnsupportedWasmError` naming each
 * function and offset; a malformed module layout fails at once.
 *
 * @param source names the input in error messages (a file name, or `module`).
 */
export function decodePositions(wasm: Uint8Array, source = 'module'): ModulePositions {
  let layout: ModuleLayout;
  try {
    layout = readModuleLayout(wasm);
  } catch (e) {
    if (e instanceof WasmDecodeError) throw new UnsupportedWasmError(source, [`${e.message} (offset 0x${e.offset.toString(16)})`]);
    throw e;
  }
  const problems: string[] = [];
  const functions: FunctionPositions[] = [];
  for (const body of layout.bodies) {
    try {
      functions.push({ funcIndex: body.funcIndex, body, instructions: decodeBody(wasm, body) });
    } catch (e) {
      if (!(e instanceof WasmDecodeError)) throw e;
      problems.push(`function ${body.funcIndex}: ${e.message}`);
    }
  }
  if (problems.length > 0) throw new UnsupportedWasmError(source, problems);
  return { layout, functions };
}
