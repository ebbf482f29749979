/**
 * One rerun: reads the golden trace's world (collectWorld.ts), then records the golden's module,
 * or a new build of it, on the rerun host (src/wasi/rerunHost.ts) into a new trace, exactly as
 * `wtrace record` writes one (same writer, same logged imports, same full-detail run), with the
 * golden's argv, environment and preopen names. Nothing reaches the terminal or the disk but the
 * new trace: the program's stdout and stderr are only captured into it.
 *
 * When the program asks for input the golden never read, the run ends at that call, recorded as
 * a trap whose message starts `rerun: input not in the golden trace:` (docs/rerun.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, UsageError } from '../../src/errors.js';
import { CallCapture, checkModule, loggedImport, planFullDetail, runProgram, UnknownImportCalled } from '../../src/record/index.js';
import { TraceReader, TraceWriter, type RecordingEnd } from '../../src/trace/index.js';
import type { ByteSink, WasiFunction } from '../../src/wasi/index.js';
import { RerunInputMissing } from '../../src/wasi/rerunContext.js';
import { createRerunHost } from '../../src/wasi/rerunHost.js';
import { collectWorld } from './collectWorld.js';

export interface RerunOptions {
  /** The golden trace: its module, argv, environment and every input it read. */
  readonly golden: string;
  /** A new build to run instead of the golden's module; null runs the golden's own. */
  readonly module: string | null;
  /** The new trace to write (replaced if it is a trace, refused if it is anything else). */
  readonly output: string;
  /** What the new trace records; null records as much as the golden did. */
  readonly detail: 'inputs' | 'full' | null;
}

export interface RerunResult {
  readonly tracePath: string;
  /** The exit code the run ended with (134 after a trap, including a missing input). */
  readonly exitCode: number;
  readonly importCalls: number;
  /** What the program asked for that the golden never read, when that ended the run; else null. */
  readonly missingInput: string | null;
  /** Milliseconds spent reading the golden's world and running the new recording. */
  readonly worldMs: number;
  readonly recordMs: number;
}

/**
 * The rerun host's `RerunInputMissing`, as the trap it ends the run with: `runProgram` classifies
 * an import that cannot be answered (UnknownImportCalled) as a trap with this message.
 */
class InputMissingStop extends UnknownImportCalled {
  constructor(readonly what: string) {
    super('wasi_snapshot_preview1', 'rerun');
    this.message = `rerun: input not in the golden trace: ${what}`;
  }
}

/**
 * Runs a rerun on this thread. Throws `UsageError` when `output` is the golden itself,
 * `InputError`/`TraceFormatError` for bad input, `OutputError` for a bad output path.
 */
export async function rerunHere(options: RerunOptions): Promise<RerunResult> {
  const t0 = performance.now();
  if (path.resolve(options.output) === path.resolve(options.golden)) {
    throw new UsageError(`-o ${options.output}: that is the golden trace; give the new trace another name`);
  }
  const golden = TraceReader.open(options.golden);
  let summary;
  let goldenBytes: Uint8Array;
  let world;
  let stubUnknown: boolean;
  try {
    summary = golden.summary();
    if (!summary.complete) {
      throw new InputError('incomplete-golden', `${options.golden}: the golden trace is incomplete (its recording was cut short); rerun needs a complete one`);
    }
    goldenBytes = golden.verifiedModuleBytes();
    stubUnknown = golden.imports().some((i) => i.stubbed);
    world = collectWorld(golden, summary, goldenBytes);
  } finally {
    golden.close();
  }
  const t1 = performance.now();

  const wasmPath = options.module ?? summary.module.fileName;
  const bytes = options.module === null ? goldenBytes : readModule(options.module);
  const checked = checkModule(wasmPath, bytes, { invoke: summary.invoke, allowUnknownImports: stubUnknown });
  const detail = options.detail ?? summary.detail;
  const plan = detail === 'full' ? await planFullDetail(bytes, wasmPath) : null;
  const fileName = path.basename(wasmPath);
  const writer = TraceWriter.create(options.output, {
    module: { name: checked.info.moduleName ?? fileName.replace(/\.wasm$/, ''), fileName, bytes, codeOffset: checked.info.codeSectionPayloadOffset },
    detail,
    argv: summary.argv,
    env: summary.env,
    preopens: summary.preopens,
    invoke: summary.invoke,
    stubUnknown,
    imports: checked.imports,
  });
  const capture = new CallCapture();
  const captured = (stream: 1 | 2): ByteSink => ({ write: (data) => capture.onOutput(stream, data) });
  const host = createRerunHost(world, { stdout: captured(1), stderr: captured(2) });
  host.memory.observer = capture;
  let missingInput: string | null = null;
  const answering = (fn: WasiFunction): WasiFunction => (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (!(e instanceof RerunInputMissing)) throw e;
      missingInput = e.what;
      throw new InputMissingStop(e.what);
    }
  };
  let end: RecordingEnd;
  try {
    end = runProgram({
      module: checked.module,
      plan,
      writer,
      bounds: {},
      store: undefined,
      invoke: summary.invoke,
      names: checked.info.functionNames,
      programImports: (now, onCall) => {
        const object: Record<string, Record<string, Function>> = {};
        for (const imp of checked.imports) {
          const target: WasiFunction = imp.stubbed
            ? () => {
                throw new UnknownImportCalled(imp.module, imp.name);
              }
            : answering(host.functions[imp.name]);
          (object[imp.module] ??= {})[imp.name] = loggedImport(imp.functionIndex, target, capture, writer, now, onCall);
        }
        return object as WebAssembly.Imports;
      },
      bindMemory: (memory) => host.memory.bind(memory),
    });
  } catch (e) {
    writer.close();
    throw e;
  } finally {
    host.close();
  }
  writer.finish(end);
  return {
    tracePath: options.output,
    exitCode: end.exitCode,
    importCalls: writer.importCallCount,
    missingInput,
    worldMs: t1 - t0,
    recordMs: performance.now() - t1,
  };
}

function readModule(file: string): Uint8Array {
  try {
    const b = fs.readFileSync(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError('not-found', `--module ${file}: no such file`);
    if (code === 'EISDIR') throw new InputError('not-a-file', `--module ${file}: is a directory, not a WebAssembly module`);
    throw new InputError('unreadable', `--module ${file}: cannot read (${(e as Error).message})`);
  }
}
