/** Worker entry of the engine's breakpoint hit finder: a probe run of the trace (replay/probe). */
import { syncWorkerMain } from '../../src/runtime/syncWorker.js';
import { probeHitsHere } from '../probe/index.js';

syncWorkerMain((d: { file: string; pcs: number[] }) => probeHitsHere(d.file, d.pcs));
