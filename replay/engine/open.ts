/**
 * Opening a trace for replay: the timeline (building the detail index first when the trace has
 * only its input log), the module's code for the interpreter, its line table, and the hit
 * finder for breakpoints (a probe re-execution on a worker, so any pc can be a breakpoint).
 */
import * as path from 'node:path';
import { runOnWorkerSync } from '../../src/runtime/syncWorker.js';
import { workerUrl } from '../../src/runtime/bigStackWorker.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { SourceMap } from '../../src/source/index.js';
import { buildDetailIndex } from '../detailIndex/index.js';
import { ModuleCode } from '../interp/index.js';
import { DetailNeededError, Timeline, type StoredIndexUse } from '../timeline/index.js';
import { Activations } from './activations.js';
import { BreakpointSet, type HitFinder } from './breakpoints.js';
import { ReplayModule } from './moduleView.js';
import { Motions } from './motions.js';
import { Positions } from './positions.js';
import { Replay } from './replay.js';
import { NO_SOURCE, type SourceLines } from './sourceLines.js';

export interface OpenOptions {
  /** Progress of building the detail index of an inputs-only trace (instructions done, total). */
  readonly onIndexProgress?: (done: bigint, total: bigint | null) => void;
  /** Progress of the timeline's pass over the detail events, done at every open (events read, in all). */
  readonly onTimelineProgress?: (eventsDone: number, eventsTotal: number) => void;
  /**
   * How to use the timeline index stored in the trace (default `read-write`: read it when it
   * matches the trace, else build it and store it when the file can be written; `read`: never
   * write; `none`: always build, never store). See docs/replay.md, "The stored index".
   */
  readonly storedIndex?: StoredIndexUse;
  /**
   * Told the timeline once it is open: where its index came from (`indexOrigin`, e.g. to say that
   * it could not be stored), `storeIndex()` for a deferred write, `prefetched()`.
   */
  readonly onTimelineOpen?: (timeline: Timeline) => void;
  /** Stack of the worker threads that re-execute the program, in MiB. */
  readonly stackSizeMb?: number;
  /**
   * Whether re-execution may start from the recording's locals snapshots (default true). False
   * re-executes every activation from its entry: slower, and the independent check the tests use.
   */
  readonly snapshots?: boolean;
}

/** Opens `file` for replay, stopped at time 0 (before the program's first instruction). */
export async function openReplay(file: string, options: OpenOptions = {}): Promise<Replay> {
  const timeline = await openTimeline(file, options);
  try {
    const bytes = timeline.moduleBytes();
    const lines = sourceLinesOf(bytes);
    const info = readModuleInfo(bytes);
    const module = new ReplayModule(bytes, info.moduleName ?? path.basename(timeline.moduleFileName), lines);
    const code = ModuleCode.from(bytes);
    const types = functionResultTypes(bytes);
    const activations = new Activations(timeline, code, (f) => types[f] ?? [], options.snapshots ?? true);
    const positions = new Positions(timeline, activations);
    const breakpoints = new BreakpointSet(module, probeHitFinder(file, timeline, module, options.stackSizeMb));
    const motions = new Motions(timeline, activations, positions, module, breakpoints);
    return new Replay({ timeline, module, activations, positions, breakpoints, motions });
  } catch (e) {
    timeline.close();
    throw e;
  }
}

async function openTimeline(file: string, options: OpenOptions): Promise<Timeline> {
  const index = { onProgress: options.onTimelineProgress, stored: options.storedIndex };
  const opened = (timeline: Timeline) => {
    options.onTimelineOpen?.(timeline);
    return timeline;
  };
  try {
    return opened(Timeline.open(file, index));
  } catch (e) {
    if (!(e instanceof DetailNeededError)) throw e;
  }
  await buildDetailIndex(file, { onProgress: options.onIndexProgress, stackSizeMb: options.stackSizeMb });
  return opened(Timeline.open(file, index));
}

function sourceLinesOf(bytes: Uint8Array): SourceLines {
  const map = SourceMap.fromModule(bytes);
  if (map === null) return NO_SOURCE;
  return {
    locationAt: (pc) => map.locationAt(pc),
    isStatement: (pc) => map.isStatement(pc),
    pcsForLine: (file, line) => map.pcsForLine(file, line),
  };
}

/** Result types of the imported functions, by function index (the host answers imports from the log). */
function functionResultTypes(bytes: Uint8Array): (readonly string[])[] {
  return readModuleInfo(bytes).imports.filter((i) => i.desc.kind === 'func').map((i) => (i.desc.kind === 'func' ? (i.desc.type?.results ?? []) : []));
}

/**
 * Breakpoint hits: a function's first instruction is hit exactly when the function is entered
 * (the timeline knows every entry); any other pc takes one probe re-execution of the trace.
 */
function probeHitFinder(file: string, timeline: Timeline, module: ReplayModule, stackSizeMb?: number): HitFinder {
  return (pcs) => {
    const out = new Map<number, readonly bigint[]>();
    const rest: number[] = [];
    for (const pc of pcs) {
      const f = module.functionAt(pc);
      const first = f === null ? null : module.positions(f)?.instructions[0]?.offset;
      if (f !== null && first === pc) out.set(pc, timeline.callsOf(f).map((c) => c.frame.entryTime));
      else rest.push(pc);
    }
    if (rest.length > 0) {
      const found = runOnWorkerSync<Map<number, bigint[]>>(workerUrl(import.meta.url, 'hitWorker'), { file, pcs: rest }, { stackSizeMb });
      for (const [pc, times] of found) out.set(pc, times);
    }
    return out;
  };
}
