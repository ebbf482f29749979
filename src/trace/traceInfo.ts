/**
 * `traceInfo()`: what a trace holds, as one JSON-ready object (what `wtrace info --json` prints).
 * Works on incomplete traces too, counting the import calls that were flushed.
 */
import { TraceReader, type DetailSummary, type TraceSummary } from './traceReader.js';

export interface TraceInfo {
  readonly file: string;
  readonly fileSize: number;
  readonly formatVersion: number;
  readonly complete: boolean;
  readonly detail: TraceSummary['detail'];
  readonly module: { name: string; fileName: string; size: number; sha256: string };
  readonly argv: string[];
  readonly env: string[];
  readonly preopens: TraceSummary['preopens'];
  readonly invoke: string | null;
  /** null while incomplete. */
  readonly outcome: TraceSummary['outcome'];
  /** Decimal string (may exceed 2^53); null when the recording did not count instructions. */
  readonly instructionCount: string | null;
  readonly importCalls: { total: number; byFunction: Record<string, number> };
  /** Detail events and keyframes (zeros for an inputs-only trace). */
  readonly detailEvents: DetailSummary;
  /** The input log's size: as stored (compressed) and decoded. */
  readonly inputLog: { storedBytes: number; rawBytes: number };
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly recordedWith: TraceSummary['recordedWith'];
}

export function traceInfo(file: string): TraceInfo {
  const reader = TraceReader.open(file);
  try {
    const s = reader.summary();
    const counts = reader.importCallCounts();
    const byFunction = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
    return {
      file,
      fileSize: reader.fileSize(),
      formatVersion: s.formatVersion,
      complete: s.complete,
      detail: s.detail,
      module: { name: s.module.name, fileName: s.module.fileName, size: s.module.size, sha256: s.module.sha256 },
      argv: s.argv,
      env: s.env,
      preopens: s.preopens,
      invoke: s.invoke,
      outcome: s.outcome,
      instructionCount: s.instructionCount === null ? null : String(s.instructionCount),
      importCalls: { total: [...counts.values()].reduce((a, b) => a + b, 0), byFunction },
      detailEvents: reader.detailSummary(),
      inputLog: (({ stored, raw }) => ({ storedBytes: stored, rawBytes: raw }))(reader.inputLogSize()),
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      recordedWith: s.recordedWith,
    };
  } finally {
    reader.close();
  }
}
