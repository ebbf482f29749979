/**
 * Re-executes one trace from its input log (as `verify` does, without the instruction counter)
 * and hands every import call to a callback, described by meaning from guest memory at the
 * moment of the call (src/wasi/callDescriber.ts). The callback can stop the run early. Nothing
 * is kept: memory use does not grow with the length of the log.
 *
 * A trace whose log does not re-execute (its module calls something else than the log says) is
 * not a trace diff can compare: that is a `ReplayDivergenceError` naming the file.
 */
import { runEntry } from '../src/runtime/runEntry.js';
import { ReplayDivergenceError } from '../src/errors.js';
import { TraceReader, type ImportCall, type TraceSummary } from '../src/trace/index.js';
import { describeCall, type CallDescription } from '../src/wasi/callDescriber.js';
import { LogExhausted, LogMismatch, replayImports, StubbedImportCalled, WasiExit } from '../src/wasi/index.js';
import { isGuestFault } from '../src/runtime/trapInfo.js';

/** One import call of a re-executed trace. */
export interface StreamedCall {
  /** Position in the log, from 0. */
  readonly index: number;
  /** Executed instructions before the call, when the recording counted them. */
  readonly time: bigint | null;
  readonly description: CallDescription;
}

/** Called for each import call before it is answered; return false to stop the run there. */
export type CallVisitor = (call: StreamedCall) => boolean;

/** Options of `streamCalls`. */
export interface StreamOptions {
  /**
   * Called once for every call of the log, in order, whether or not the run gets to it (the
   * rest of the log is read after the run ends): lets a caller fold a pass over the whole log,
   * such as hashing the output, into the re-execution.
   */
  readonly onLogged?: (call: ImportCall) => void;
}

/** What `streamCalls` saw. */
export interface StreamResult {
  readonly summary: TraceSummary;
  /** Calls handed to the visitor. */
  readonly calls: number;
  /** Import calls in the trace's log (whether or not the run got to all of them). */
  readonly recordedCalls: number;
  /** True when the visitor stopped the run. */
  readonly stopped: boolean;
}

/** Thrown through the guest to end a run the visitor no longer needs. */
class StopRun extends Error {}

/**
 * Re-executes `file`, calling `visit` at every import call in order. Throws `InputError` /
 * `TraceFormatError` for a missing or damaged trace and `ReplayDivergenceError` when the trace
 * does not re-execute from its own log.
 */
export function streamCalls(file: string, visit: CallVisitor, options: StreamOptions = {}): StreamResult {
  const reader = TraceReader.open(file);
  try {
    const summary = reader.summary();
    const bytes = reader.verifiedModuleBytes();
    const imports = reader.imports();
    // Every call of the log passes here once: counted (the log's length) and shown to onLogged.
    let recordedCalls = 0;
    const onLogged = options.onLogged ?? null;
    const log = peekable(reader.importCalls(), (c) => {
      recordedCalls++;
      if (onLogged !== null) onLogged(c);
    });
    const replay = replayImports(imports, log, null);
    let memory: WebAssembly.Memory | null = null;
    // One view of guest memory, made again only when memory grows (a new buffer).
    let buffer: ArrayBuffer | null = null;
    let view = new Uint8Array(0);
    let calls = 0;
    const object: Record<string, Record<string, Function>> = {};
    for (const imp of imports) {
      const answer = (replay.imports[imp.module] as Record<string, Function>)[imp.name];
      // A plain function passing `arguments` on: no array is built per call.
      (object[imp.module] ??= {})[imp.name] = function (this: unknown) {
        const logged = log.peek();
        // A call that does not match the log is left to the replay host, which throws LogMismatch.
        if (logged !== null && logged.functionIndex === imp.functionIndex) {
          const current = memory!.buffer;
          if (current !== buffer) {
            buffer = current;
            view = new Uint8Array(current);
          }
          const description = describeCall({
            name: imp.name,
            args: logged.args,
            memory: view,
            writes: logged.writes,
            result: logged.result,
          });
          calls++;
          if (!visit({ index: logged.index, time: logged.time, description })) throw new StopRun();
        }
        return answer.apply(undefined, arguments as unknown as unknown[]);
      };
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), object as WebAssembly.Imports);
    memory = instance.exports.memory as WebAssembly.Memory;
    replay.bind(memory);
    const stopped = run(file, instance, summary.invoke);
    // The rest of the log, which the run did not get to: its length and onLogged need it.
    while (!log.next().done);
    return { summary, calls, recordedCalls, stopped };
  } finally {
    reader.close();
  }
}

/** Runs the program; true when the visitor stopped it. Traps and exits end the stream alike. */
function run(file: string, instance: WebAssembly.Instance, invoke: string | null): boolean {
  try {
    runEntry(instance, invoke);
    return false;
  } catch (e) {
    if (e instanceof StopRun) return true;
    if (e instanceof WasiExit || e instanceof LogExhausted || e instanceof StubbedImportCalled || isGuestFault(e)) return false;
    if (e instanceof LogMismatch) {
      throw new ReplayDivergenceError(
        `${file}: does not re-execute from its own input log (import call ${e.callIndex}); check it with \`wtrace replay --verify ${file}\``,
      );
    }
    throw e;
  }
}

/** An iterator whose next value can be looked at before the replay host consumes it. */
function peekable(
  source: Iterator<ImportCall>,
  onLogged: (call: ImportCall) => void,
): Iterator<ImportCall> & { peek(): ImportCall | null } {
  let ahead: IteratorResult<ImportCall> | null = null;
  const pull = (): IteratorResult<ImportCall> => {
    const r = source.next();
    if (!r.done) onLogged(r.value);
    return r;
  };
  return {
    peek() {
      ahead ??= pull();
      return ahead.done ? null : ahead.value;
    },
    next() {
      const r = ahead ?? pull();
      ahead = null;
      return r;
    },
  };
}
