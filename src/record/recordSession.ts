/**
 * One recording: checks the module, opens the trace, runs the program on the live WASI host with
 * every import call logged, and writes the outcome. Runs on the current thread; `record()` in
 * recordInWorker.ts runs it on a worker with a large stack, which is what the CLI uses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExitCode, InputError } from '../errors.js';
import { planFullDetail } from './fullDetailRun.js';
import type { DetailBounds, DetailChunkStore } from './detailRecorder.js';
import { TraceWriter, type RecordingEnd } from '../trace/index.js';
import { createLiveHost, type ByteSource, type Preopen } from '../wasi/index.js';
import { checkModule } from './moduleCheck.js';
import { CallCapture, recordingImports } from './importRecorder.js';
import { processOutput, processStdin } from './processStdio.js';
import type { TrapInfo } from '../runtime/trapInfo.js';
import { runProgram } from './programRun.js';

export interface RecordOptions {
  /** Path of the module to run. */
  readonly wasmPath: string;
  /** Arguments after the program name (argv[0] is `wasmPath` as given, as in wasmtime). */
  readonly args: readonly string[];
  /** `NAME=VALUE` strings given to the guest; nothing is inherited unless listed. */
  readonly env: readonly string[];
  /** Host directories the guest sees. Checked to exist before anything runs. */
  readonly dirs: readonly Preopen[];
  /** Trace file to write; replaced if it is a trace, refused if it is anything else. */
  readonly output: string;
  readonly detail: 'inputs' | 'full';
  /** Reactor mode: call `_initialize` (if exported) then this export. */
  readonly invoke?: string | null;
  /** Stub imports outside WASI preview1 with functions that trap when called. */
  readonly allowUnknownImports?: boolean;
  /** `full` only: a time window or a flight-recorder length for the detail events. */
  readonly bounds?: DetailBounds;
  /**
   * `full` only: instructions between locals snapshots (default 2^16, `DEFAULT_SNAPSHOT_INTERVAL`);
   * `false` for none. docs/instrumentation.md, "Snapshots".
   */
  readonly snapshotInterval?: bigint | false;
}

export interface RecordResult {
  /** The exit code wasmtime would give: the program's own, 134 after a trap. */
  readonly exitCode: number;
  readonly trap: TrapInfo | null;
  readonly tracePath: string;
  readonly importCalls: number;
  /** Executed instructions (`full` only; null for `inputs`, which does not count them). */
  readonly instructions: bigint | null;
  /** Detail events written (0 for `inputs`). */
  readonly detailEvents: number;
}

/** Exit code of a trapped program, as wasmtime gives on Unix (128 + SIGABRT). */
export const TRAP_EXIT_CODE = ExitCode.trap;

/** How the program's stdin is read; by default synchronously from fd 0 on this thread. */
export type StdinFactory = (onBlock: () => void) => ByteSource;

/**
 * Records a run on this thread. Throws `InputError`/`UnsupportedWasmError`/`OutputError` before
 * running. `stdin`, when given, builds the program's stdin and calls `onBlock` when a read starts
 * to wait (the log is then committed); see stdinRelay.ts. With `detail: 'full'` the program runs
 * instrumented (instrument/): every import call gets its instruction time, and the detail events
 * and keyframes go into the trace (detailRecorder.ts).
 */
export async function recordHere(
  options: RecordOptions,
  stdin?: StdinFactory,
  /** Where detail chunks go (default: compressed and written on this thread). */
  detailStore?: (writer: TraceWriter) => DetailChunkStore,
): Promise<RecordResult> {
  const bytes = readModule(options.wasmPath);
  const invoke = options.invoke ?? null;
  const checked = checkModule(options.wasmPath, bytes, { invoke, allowUnknownImports: options.allowUnknownImports ?? false });
  for (const dir of options.dirs) checkDir(dir);
  // The compiler loads only for full detail: inputs recordings start faster without it.
  const plan = options.detail === 'full' ? await planFullDetail(bytes, options.wasmPath, options.snapshotInterval) : null;

  const fileName = path.basename(options.wasmPath);
  const argv = [options.wasmPath, ...options.args];
  const writer = TraceWriter.create(options.output, {
    module: {
      name: checked.info.moduleName ?? fileName.replace(/\.wasm$/, ''),
      fileName,
      bytes,
      codeOffset: checked.info.codeSectionPayloadOffset,
    },
    detail: options.detail,
    argv,
    env: options.env,
    preopens: options.dirs,
    invoke,
    stubUnknown: options.allowUnknownImports ?? false,
    imports: checked.imports,
    detailBounds: options.detail === 'full' ? options.bounds : undefined,
  });

  const capture = new CallCapture();
  const host = createLiveHost({
    args: argv,
    env: options.env,
    preopens: options.dirs,
    stdin: stdin ? stdin(() => writer.flushIfOlderThan(0)) : processStdin(),
    stdout: processOutput(1, capture),
    stderr: processOutput(2, capture),
  });
  host.memory.observer = capture;
  let end: RecordingEnd;
  try {
    end = runProgram({
      module: checked.module,
      plan,
      writer,
      bounds: options.bounds ?? {},
      store: plan ? detailStore?.(writer) : undefined,
      invoke,
      names: checked.info.functionNames,
      programImports: (now, onCall) => recordingImports(checked.imports, host, capture, writer, stdin !== undefined, now, onCall),
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
    exitCode: end.exitCode,
    trap: end.outcome === 'trap' ? (end.trap ?? null) : null,
    tracePath: options.output,
    importCalls: writer.importCallCount,
    instructions: end.instructionCount,
    detailEvents: writer.detailEventCount,
  };
}

function readModule(file: string): Uint8Array {
  try {
    const bytes = fs.readFileSync(file);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError('not-found', `${file}: no such file`);
    if (code === 'EISDIR') throw new InputError('not-a-file', `${file}: is a directory, not a WebAssembly module`);
    throw new InputError('unreadable', `${file}: cannot read (${(e as Error).message})`);
  }
}

function checkDir(dir: Preopen): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir.hostPath);
  } catch {
    throw new InputError('bad-dir', `--dir ${dir.hostPath}: no such directory`);
  }
  if (!stat.isDirectory()) throw new InputError('bad-dir', `--dir ${dir.hostPath}: not a directory`);
}
