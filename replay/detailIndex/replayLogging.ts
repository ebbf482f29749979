/**
 * The program's imports for building detail by re-execution: every call is answered from the
 * trace's input log by the replay host (src/wasi/replayHost.ts: same import, same arguments, and
 * the same instruction time when the log has one, or `LogMismatch`), and logged into the new
 * trace by the recorder's own wrapper (`loggedImport`), now with its exact time, exactly as a
 * `--detail full` recording logs it: the arguments as passed, the result, and the memory writes
 * and output the log holds for that call.
 *
 * Must not: touch anything outside the instance's memory (no files, clocks or environment).
 */
import { CallCapture, loggedImport, UnknownImportCalled } from '../../src/record/index.js';
import type { ImportCall, ImportInfo, MemoryWrite, OutputBytes, TraceWriter } from '../../src/trace/index.js';
import { replayImports, StubbedImportCalled } from '../../src/wasi/index.js';

export interface LoggingReplay {
  readonly imports: WebAssembly.Imports;
  /** Binds the instance's memory; call before the program runs. */
  bind(memory: WebAssembly.Memory): void;
  /** Logged calls answered so far. */
  readonly callsReplayed: number;
}

/**
 * Builds the import object. `now` reads the instrumented module's clock; `onCall` is told each
 * call's time before it is answered (where the recorder takes keyframes). A stubbed import
 * throws the recorder's `UnknownImportCalled`, so the run ends as the recording did.
 */
export function loggingReplay(
  imports: readonly ImportInfo[],
  calls: Iterable<ImportCall>,
  writer: TraceWriter,
  now: () => bigint,
  onCall: (time: bigint) => void,
): LoggingReplay {
  // The replay host consumes the log through this iterator; the call it took last is `current`.
  const source = calls[Symbol.iterator]();
  let current: ImportCall | null = null;
  const tee: Iterator<ImportCall> = {
    next() {
      const r = source.next();
      current = r.done ? null : r.value;
      return r;
    },
  };
  const replay = replayImports(imports, tee, now);
  const capture = new CallCapture();
  const object: Record<string, Record<string, Function>> = {};
  for (const imp of imports) {
    const answer = (replay.imports[imp.module] as Record<string, Function>)[imp.name];
    const target = (...args: (number | bigint)[]) => {
      const before = replay.callsReplayed;
      try {
        return answer(...args);
      } catch (e) {
        if (e instanceof StubbedImportCalled) throw new UnknownImportCalled(imp.module, imp.name);
        throw e;
      } finally {
        // A call the log answered did what the log says: its writes and output are logged again.
        if (replay.callsReplayed > before && current !== null) {
          capture.writes = current.writes as MemoryWrite[];
          capture.output = current.output as OutputBytes[];
        }
      }
    };
    (object[imp.module] ??= {})[imp.name] = loggedImport(imp.functionIndex, target, capture, writer, now, onCall);
  }
  return {
    imports: object as WebAssembly.Imports,
    bind: (memory) => replay.bind(memory),
    get callsReplayed() {
      return replay.callsReplayed;
    },
  };
}
