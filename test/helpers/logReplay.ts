/**
 * A minimal re-execution from a trace's input log, for tests: every import call of the guest is
 * checked against the next logged call (same import, same arguments), the logged memory writes
 * are applied and the logged result returned. If the log is complete, the guest runs to the same
 * end without any host. (The replay engine proper is replay/; this only proves completeness.)
 */
import { TraceReader, type ImportCall } from '../../src/trace/index.js';

export interface ReplayOutcome {
  callsReplayed: number;
  callsLogged: number;
  /** First mismatch, if any. */
  divergence: string | null;
  /** stdout bytes the replayed guest produced (from the log's output records). */
  stdout: string;
  ended: 'returned' | 'exit' | 'trap' | 'divergence';
}

class Stop extends Error {
  constructor(readonly why: 'exit' | 'divergence') {
    super(why);
  }
}

export function replayFromLog(tracePath: string): ReplayOutcome {
  const reader = TraceReader.open(tracePath);
  const summary = reader.summary();
  const imports = reader.imports();
  const calls: ImportCall[] = [...reader.importCalls()];
  const module = new WebAssembly.Module(reader.moduleBytes() as Uint8Array<ArrayBuffer>);
  reader.close();

  let next = 0;
  let divergence: string | null = null;
  let memory: WebAssembly.Memory | null = null;
  let stdout = '';
  const decoder = new TextDecoder();
  const object: Record<string, Record<string, Function>> = {};
  for (const imp of imports) {
    (object[imp.module] ??= {})[imp.name] = (...raw: (number | bigint)[]) => {
      const args = raw.map((v, i) => (imp.params[i] === 'i32' ? (v as number) >>> 0 : imp.params[i] === 'i64' ? BigInt.asUintN(64, v as bigint) : v));
      const logged = calls[next];
      if (logged === undefined || logged.functionIndex !== imp.functionIndex || JSON.stringify(logged.args, big) !== JSON.stringify(args, big)) {
        divergence = `call ${next}: guest called ${imp.name}(${JSON.stringify(args, big)}), log has ${logged ? `${imports.find((i) => i.functionIndex === logged.functionIndex)?.name}(${JSON.stringify(logged.args, big)})` : 'nothing'}`;
        throw new Stop('divergence');
      }
      next++;
      const bytes = new Uint8Array(memory!.buffer);
      for (const w of logged.writes) bytes.set(w.bytes, w.address);
      for (const o of logged.output) if (o.stream === 1) stdout += decoder.decode(o.bytes, { stream: true });
      if (logged.result === null) throw new Stop('exit');
      return logged.result | 0;
    };
  }
  const instance = new WebAssembly.Instance(module, object as WebAssembly.Imports);
  memory = instance.exports.memory as WebAssembly.Memory;
  let ended: ReplayOutcome['ended'] = 'returned';
  try {
    const exports = instance.exports as Record<string, Function>;
    if (summary.invoke === null) exports._start();
    else {
      exports._initialize?.();
      exports[summary.invoke]();
    }
  } catch (e) {
    if (e instanceof Stop) ended = e.why;
    else if (e instanceof WebAssembly.RuntimeError) ended = 'trap';
    else throw e;
  }
  return { callsReplayed: next, callsLogged: calls.length, divergence, stdout, ended };
}

function big(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
