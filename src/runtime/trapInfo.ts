/**
 * Turns what V8 throws out of a running instance into a trap description: the kind in the
 * words wasmtime uses, and where it happened (function index and the pc as a byte offset in the
 * module, both read from V8's `wasm-function[N]:0xOFFSET` stack frames).
 */

export interface TrapInfo {
  /** Human description, e.g. "integer divide by zero". */
  readonly message: string;
  readonly functionIndex?: number;
  readonly functionName?: string;
  /** Byte offset of the trapping instruction from the start of the module. */
  readonly pc?: number;
}

/** V8 RuntimeError messages and the wording wasmtime prints for the same trap. */
const TRAP_WORDS: readonly [RegExp, string][] = [
  [/unreachable/i, 'wasm `unreachable` instruction executed'],
  [/divide by zero|remainder by zero/i, 'integer divide by zero'],
  [/integer overflow|divide result unrepresentable/i, 'integer overflow'],
  [/float unrepresentable|invalid conversion/i, 'invalid conversion to integer'],
  [/memory access out of bounds/i, 'out of bounds memory access'],
  [/table index is out of bounds|element segment out of bounds/i, 'undefined element: out of bounds table access'],
  [/null function|function signature mismatch|null reference/i, 'indirect call type mismatch or null function'],
  [/array element access out of bounds|data segment out of bounds/i, 'out of bounds access'],
];

/** True for errors that a Wasm instance raises itself (traps, stack overflow, uncaught exceptions). */
export function isGuestFault(e: unknown): boolean {
  return (
    e instanceof WebAssembly.RuntimeError ||
    e instanceof WebAssembly.Exception ||
    (e instanceof RangeError && /call stack/i.test(e.message))
  );
}

export function trapInfo(e: unknown, functionNames: ReadonlyMap<number, string>): TrapInfo {
  let message: string;
  if (e instanceof WebAssembly.Exception) message = 'uncaught wasm exception';
  else if (e instanceof RangeError) message = 'call stack exhausted';
  else {
    const text = e instanceof Error ? e.message : String(e);
    message = TRAP_WORDS.find(([re]) => re.test(text))?.[1] ?? text;
  }
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const frame = /wasm-function\[(\d+)\]:0x([0-9a-f]+)/.exec(stack);
  if (frame === null) return { message };
  const functionIndex = Number(frame[1]);
  return {
    message,
    functionIndex,
    functionName: functionNames.get(functionIndex),
    pc: parseInt(frame[2], 16),
  };
}
