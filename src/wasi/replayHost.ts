/**
 * The replay host: answers every import call of a re-executed module from the trace's input
 * log instead of the world. Each call must match the next logged call (same import, same
 * arguments) or re-execution stops with a `LogMismatch` describing both; a matching call gets
 * the logged memory writes applied and the logged result returned. No file, clock, randomness
 * or environment is touched.
 */
import type { ImportCall, ImportInfo } from '../trace/index.js';
import { WasiExit } from './hostTypes.js';

/** An import call as a divergence report shows it. */
export interface LoggedCallView {
  readonly name: string;
  readonly args: readonly (number | bigint)[];
  /** Executed instructions at the call, when known. */
  readonly time: bigint | null;
}

/** Why re-execution stopped inside an import call. */
export class LogMismatch extends Error {
  constructor(
    /** Index of the call in the log (the number of calls that matched before it). */
    readonly callIndex: number,
    /** What the program called now. */
    readonly actual: LoggedCallView | null,
    /** What the log holds at this index; null when the log has no more calls. */
    readonly expected: LoggedCallView | null,
    /** The V8 stack at the call: the caller's function index and pc can be read from it. */
    readonly stackText: string,
    /** Executed instructions at the call, when the re-executed module counts them. */
    readonly time: bigint | null,
  ) {
    super(`import call ${callIndex} does not match the log`);
  }
}

/** The log ended inside this call (the recording was cut short): nothing more to replay. */
export class LogExhausted extends Error {
  constructor(readonly callIndex: number) {
    super(`the input log ends at call ${callIndex}`);
  }
}

/** A stubbed unknown import was called, as during the recording: the same trap. */
export class StubbedImportCalled extends Error {
  constructor(readonly module: string, readonly field: string) {
    super(`the program called ${module}.${field}, an import that was stubbed by --allow-unknown-imports`);
  }
}

export interface ReplayImports {
  readonly imports: WebAssembly.Imports;
  /** Binds the instance's memory; call before the program runs. */
  bind(memory: WebAssembly.Memory): void;
  /** Calls answered so far. */
  readonly callsReplayed: number;
}

/**
 * Builds the import object that replays `calls` (consumed lazily, in order). `now`, when given,
 * reads the re-executed module's instruction counter: a logged call that has a time must then
 * happen at exactly that time, or it is a mismatch too.
 */
export function replayImports(
  imports: readonly ImportInfo[],
  calls: Iterator<ImportCall>,
  now: (() => bigint) | null = null,
): ReplayImports {
  let memory: WebAssembly.Memory | null = null;
  let replayed = 0;
  const nameOf = new Map(imports.map((i) => [i.functionIndex, i.name]));
  const object: Record<string, Record<string, Function>> = {};
  for (const imp of imports) {
    const params = imp.params;
    (object[imp.module] ??= {})[imp.name] = (...raw: (number | bigint)[]) => {
      const args = raw.map((v, i) => normalize(params[i], v));
      const next = calls.next();
      const logged = next.done ? null : next.value;
      const time = now === null ? null : now();
      if (
        logged === null ||
        logged.functionIndex !== imp.functionIndex ||
        !sameArgs(logged.args, args) ||
        (logged.time !== null && time !== null && logged.time !== time)
      ) {
        const expected =
          logged === null
            ? null
            : { name: nameOf.get(logged.functionIndex) ?? `#${logged.functionIndex}`, args: logged.args, time: logged.time };
        throw new LogMismatch(replayed, { name: imp.name, args, time }, expected, new Error().stack ?? '', time);
      }
      const bytes = new Uint8Array(memory!.buffer);
      for (const w of logged.writes) bytes.set(w.bytes, w.address);
      replayed++;
      if (logged.result !== null) return logged.result | 0;
      if (imp.stubbed) throw new StubbedImportCalled(imp.module, imp.name);
      if (imp.name === 'proc_exit') throw new WasiExit(Number(args[0]));
      throw new LogExhausted(replayed - 1);
    };
  }
  return {
    imports: object as WebAssembly.Imports,
    bind(m) {
      memory = m;
    },
    get callsReplayed() {
      return replayed;
    },
  };
}

/** Arguments as the log stores them: i32 unsigned, i64 unsigned bigint, floats as numbers. */
function normalize(type: string, v: number | bigint): number | bigint {
  if (type === 'i32') return (v as number) >>> 0;
  if (type === 'i64') return BigInt.asUintN(64, v as bigint);
  return v;
}

function sameArgs(a: readonly (number | bigint)[], b: readonly (number | bigint)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
