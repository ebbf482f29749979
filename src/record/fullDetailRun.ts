/**
 * The `--detail full` side of one recording: the instrumented module, its instruction clock,
 * and the `DetailRecorder` that turns its event flushes into chunks and keyframes. The
 * recording session wires it in; with `--detail inputs` none of this exists (and the compiler
 * is never loaded).
 */
import type { InstrumentedModule, PcMap } from '../../instrument/index.js';
import type { GlobalValue, RecordingEnd, TraceWriter } from '../trace/index.js';
import { DetailRecorder, type DetailBounds, type DetailChunkStore } from './detailRecorder.js';

type Compiler = typeof import('../../instrument/index.js');

/** A module instrumented for full detail, before any trace exists. */
export interface FullDetailPlan {
  readonly compiler: Compiler;
  readonly instrumented: InstrumentedModule;
}

/**
 * Instruments `bytes` for full detail, loading the compiler only now. `snapshotInterval`: as
 * `InstrumentOptions.snapshotInterval` (absent: the default).
 */
export async function planFullDetail(bytes: Uint8Array, source: string, snapshotInterval?: bigint | false): Promise<FullDetailPlan> {
  const compiler = await import('../../instrument/index.js');
  return { compiler, instrumented: await compiler.instrument(bytes, { detail: 'full', source, snapshotInterval }) };
}

export class FullDetailRun {
  private instance: WebAssembly.Instance | null = null;
  private clock: WebAssembly.Global | null = null;
  readonly recorder: DetailRecorder;
  /** The instrumented module, compiled. */
  readonly module: WebAssembly.Module;

  private readonly compiler: Compiler;
  private readonly instrumented: InstrumentedModule;

  constructor(plan: FullDetailPlan, writer: TraceWriter, bounds: DetailBounds, store: DetailChunkStore | undefined) {
    const { compiler, instrumented } = plan;
    this.compiler = compiler;
    this.instrumented = instrumented;
    this.module = new WebAssembly.Module(instrumented.bytes as Uint8Array<ArrayBuffer>);
    this.recorder = new DetailRecorder(
      writer,
      {
        memory: () => new Uint8Array((this.instance!.exports.memory as WebAssembly.Memory).buffer),
        globals: () => this.globals(),
        now: this.now,
      },
      bounds,
      store,
    );
  }

  /** Executed instructions now (exact at import calls: the module flushes its counters there). */
  readonly now = (): bigint => this.clock!.value as bigint;

  /** Told every import call's time: due keyframes are taken there. */
  readonly onImportCall = (time: bigint): void => this.recorder.atImportCall(time);

  /** The imports the instrumented module needs besides the program's own. */
  runtimeImports(): WebAssembly.Imports {
    return this.instrumented.runtimeImports(this.recorder.sink);
  }

  /** Maps V8's offsets in the instrumented module back to original pcs. */
  pcMap(): PcMap {
    return this.instrumented.pcMap();
  }

  /** Binds the new instance, delivers what its start function logged, takes the keyframe at 0. */
  start(instance: WebAssembly.Instance): void {
    this.instance = instance;
    this.clock = instance.exports[this.instrumented.timeExport] as WebAssembly.Global;
    this.compiler.drain(instance);
    this.recorder.start();
  }

  /** After the run: the last events, the final keyframe, and the run's instruction count. */
  finish(end: RecordingEnd): RecordingEnd {
    this.compiler.drain(this.instance!);
    this.recorder.finish();
    const now = this.now();
    return { ...end, instructionCount: now > this.recorder.lastTime ? now : this.recorder.lastTime };
  }

  /** The program's globals as the module re-exports them, in the form keyframes store. */
  private globals(): GlobalValue[] {
    const prefix = this.compiler.GLOBAL_EXPORT_PREFIX;
    const out: GlobalValue[] = [];
    for (const [name, value] of Object.entries(this.instance!.exports)) {
      if (!name.startsWith(prefix)) continue;
      const v = (value as WebAssembly.Global).value as number | bigint;
      out.push({ name: `global ${name.slice(prefix.length)}`, value: typeof v === 'bigint' ? v.toString() : v });
    }
    return out;
  }
}
