/** What the probe worker posts back (structured-cloneable): a run, or a typed error as data. */
import type { BadProbePc } from '../../instrument/index.js';
import type { ProbeRun } from './probeRun.js';

export type WorkerAnswer =
  | { readonly run: ProbeRun }
  | { readonly badPcs: readonly BadProbePc[] }
  | { readonly hitLimit: number };
