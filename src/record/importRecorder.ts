/**
 * Builds the import object for a recording: each import is the WASI host's function (or a
 * trapping stub) wrapped so that every call is appended to the trace's input log with its
 * arguments, result, every byte the host wrote into guest memory and the output it produced.
 * The wrapper adds no behaviour: it returns what the host returned and rethrows what it threw.
 */
import type { ImportInfo, MemoryWrite, OutputBytes, TraceWriter } from '../trace/index.js';
import type { WasiFunction, WasiHost } from '../wasi/index.js';

/** What the current import call has done so far; shared with the recording stdout/stderr sinks. */
export class CallCapture {
  writes: MemoryWrite[] = [];
  output: OutputBytes[] = [];

  onWrite(address: number, bytes: Uint8Array): void {
    this.writes.push({ address, bytes });
  }

  onOutput(stream: 1 | 2, bytes: Uint8Array): void {
    this.output.push({ stream, bytes: bytes.slice() });
  }

  /** Forgets the current call's effects (after they were logged). Allocates only if there were any. */
  reset(): void {
    if (this.writes.length > 0) this.writes = [];
    if (this.output.length > 0) this.output = [];
  }
}

/** Thrown by a stubbed unknown import when the program calls it. */
export class UnknownImportCalled extends Error {
  constructor(readonly module: string, readonly field: string) {
    super(`the program called ${module}.${field}, an import that was stubbed by --allow-unknown-imports`);
  }
}

/** The import object: `{ [module]: { [name]: wrapped function } }`. */
export function recordingImports(
  imports: readonly ImportInfo[],
  host: WasiHost,
  capture: CallCapture,
  writer: TraceWriter,
  stdinRelayed: boolean,
  /** Reads the instrumented module's instruction counter; null when the module is not instrumented. */
  now: (() => bigint) | null = null,
  /** Told the time of every import call before the host runs (keyframes are taken there). */
  onCall: ((time: bigint) => void) | null = null,
): WebAssembly.Imports {
  const object: Record<string, Record<string, Function>> = {};
  for (const imp of imports) {
    const target: WasiFunction = imp.stubbed
      ? () => {
          throw new UnknownImportCalled(imp.module, imp.name);
        }
      : host.functions[imp.name];
    const wrapped = loggedImport(imp.functionIndex, target, capture, writer, now, onCall);
    const blocks = imp.stubbed
      ? undefined
      : imp.name === 'fd_read' && !stdinRelayed
        ? (args: unknown[]) => args[0] === 0
        : MAY_BLOCK[imp.name];
    (object[imp.module] ??= {})[imp.name] = blocks ? flushFirst(wrapped, writer, blocks) : wrapped;
  }
  return object as WebAssembly.Imports;
}

/**
 * Imports that may wait for the outside world: the log is committed before them (at most every
 * `BLOCKING_FLUSH_MS`), so a program killed while it sleeps leaves the calls before the sleep in
 * the trace. Stdin is handled where the read actually starts to wait (stdinRelay.ts); on the
 * current thread without a relay, reads of fd 0 are treated like sleeps here.
 */
const MAY_BLOCK: Record<string, (args: unknown[]) => boolean> = {
  poll_oneoff: () => true,
  sock_recv: () => true,
  sock_accept: () => true,
};
const BLOCKING_FLUSH_MS = 20;

function flushFirst(fn: Function, writer: TraceWriter, blocks: (args: unknown[]) => boolean): Function {
  return (...args: unknown[]) => {
    if (blocks(args)) writer.flushIfOlderThan(BLOCKING_FLUSH_MS);
    return fn(...args);
  };
}

/**
 * One import as a recording sees it: reads the call's time (with full detail) and tells `onCall`
 * before `target` runs, then logs the call with the arguments as given, `target`'s result (null
 * if it threw) and what `capture` collected meanwhile, whether `target` returned or threw.
 * Exported for re-executions that log like a recording (replay/detailIndex/).
 */
export function loggedImport(
  functionIndex: number,
  target: WasiFunction,
  capture: CallCapture,
  writer: TraceWriter,
  now: (() => bigint) | null,
  onCall: ((time: bigint) => void) | null,
): Function {
  return (...args: (number | bigint)[]) => {
    // The counter includes the call instruction itself (docs/instrumentation.md, "Time").
    const time = now === null ? null : now();
    if (time !== null) onCall?.(time);
    let result: number | null = null;
    try {
      result = target(...args);
      return result;
    } finally {
      writer.logCall(functionIndex, time, args, result, capture.writes, capture.output);
      capture.reset();
    }
  };
}
