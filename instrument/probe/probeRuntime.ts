/**
 * The JS side of a probe module: binds an instance's flush slot to a collector that sorts the
 * buffered records into one list of times per probe. Records are read as 32-bit halves into
 * typed arrays, so no BigInt is made per hit; the lists come out as `BigUint64Array`s.
 * It does not run the program.
 */
import { ExitCode, WtraceError } from '../../src/errors.js';
import { PROBE_RECORD_SIZE } from './probeCode.js';
import { PROBE_FLUSH_TABLE_EXPORT, PROBES_END_EXPORT, PROBES_MEMORY_EXPORT } from './probeModule.js';

/** Hits went past the limit the caller set (`maxHits`): the run was stopped there. */
export class ProbeHitLimitError extends WtraceError {
  constructor(readonly limit: number) {
    super('probe-hit-limit', `the probes were hit more than ${limit.toLocaleString('en-US')} times; probe fewer or colder pcs, or raise maxHits`, ExitCode.usage);
  }
}

/** Collects the hits of one instance. */
export interface ProbeCollector {
  /** Hits collected so far (flushed buffers only, until `finish`). */
  readonly hits: number;
  /**
   * Reads what the buffer still holds and returns the times per probe index, each in the order
   * hit, which is increasing time. Call once, after the run ended (normally, by `proc_exit`, or
   * by a trap: records are complete up to the trap).
   */
  finish(): BigUint64Array[];
}

/** A flush function reaches the table through a Wasm export of this module: (import "p" "f" (func (param i32))). */
const TRAMPOLINE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, // type (func (param i32))
  0x02, 0x07, 0x01, 0x01, 0x70, 0x01, 0x66, 0x00, 0x00, // import "p" "f"
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f"
]);
let trampoline: WebAssembly.Module | undefined;

/**
 * The times of each probe as chunks of 32-bit halves (low, high), one chunk per flush that hit
 * it, each allocated at its exact size: no per-hit method call or growth check.
 */
class TimeChunks {
  private readonly chunks: Uint32Array[][];
  constructor(private readonly probeCount: number) {
    this.chunks = Array.from({ length: probeCount }, () => []);
  }

  /** Sorts `records` records (16 bytes each, as words) by probe. */
  add(words: Uint32Array, records: number): void {
    const end = records * WORDS;
    if (this.probeCount === 1) {
      const out = new Uint32Array(2 * records);
      for (let w = 0, k = 0; w < end; w += WORDS, k += 2) {
        out[k] = words[w];
        out[k + 1] = words[w + 1];
      }
      this.chunks[0].push(out);
      return;
    }
    const fill = new Uint32Array(this.probeCount);
    for (let w = 2; w < end; w += WORDS) fill[words[w]] += 2;
    const outs = Array.from(fill, (n, i) => {
      const out = new Uint32Array(n);
      if (n > 0) this.chunks[i].push(out);
      return out;
    });
    fill.fill(0);
    for (let w = 0; w < end; w += WORDS) {
      const i = words[w + 2];
      const k = fill[i];
      outs[i][k] = words[w];
      outs[i][k + 1] = words[w + 1];
      fill[i] = k + 2;
    }
  }

  /** Each probe's times, in the order hit. */
  times(): BigUint64Array[] {
    return this.chunks.map((chunks) => {
      const all = new BigUint64Array(chunks.reduce((n, c) => n + c.length / 2, 0));
      const halves = new Uint32Array(all.buffer);
      let at = 0;
      for (const c of chunks) {
        halves.set(c, at);
        at += c.length;
      }
      return all;
    });
  }
}

/**
 * Binds `instance` (of a probe module with `probeCount` probes) to a new collector: from now on
 * a full buffer is flushed to it instead of growing. Records made before (by a start function)
 * wait in the buffer. Past `maxHits` hits, the flush throws `ProbeHitLimitError` through the
 * running program.
 */
export function collectProbeHits(instance: WebAssembly.Instance, probeCount: number, options: { maxHits?: number } = {}): ProbeCollector {
  const maxHits = options.maxHits ?? Infinity;
  const lists = new TimeChunks(probeCount);
  let hits = 0;
  const finish = bindFlush(instance, (words, n) => {
    hits += n;
    if (hits > maxHits) throw new ProbeHitLimitError(maxHits);
    lists.add(words, n);
  });
  return {
    get hits() {
      return hits;
    },
    finish() {
      finish();
      return lists.times();
    },
  };
}

/**
 * Like `collectProbeHits`, but keeps only how many times each probe was hit: no limit, and
 * memory does not grow with the hits. `finish()` returns the counts by probe index.
 */
export function countProbeHits(instance: WebAssembly.Instance, probeCount: number): { finish(): number[] } {
  const counts = new Array<number>(probeCount).fill(0);
  const finish = bindFlush(instance, (words, n) => {
    for (let w = 2; w < n * WORDS; w += WORDS) counts[words[w]]++;
  });
  return {
    finish() {
      finish();
      return counts;
    },
  };
}

const WORDS = PROBE_RECORD_SIZE / 4;

/**
 * Puts a flush function that hands each buffer's records (as 32-bit words) to `take` into the
 * instance's flush slot; returns `finish`, which hands over what is still buffered (once).
 */
function bindFlush(instance: WebAssembly.Instance, take: (words: Uint32Array, records: number) => void): () => void {
  const exports = instance.exports;
  const memory = exports[PROBES_MEMORY_EXPORT] as WebAssembly.Memory | undefined;
  const end = exports[PROBES_END_EXPORT] as WebAssembly.Global | undefined;
  const table = exports[PROBE_FLUSH_TABLE_EXPORT] as WebAssembly.Table | undefined;
  if (!memory || !end || !table) throw new TypeError('not an instance of a probe module');
  const read = (length: number) => take(new Uint32Array(memory.buffer, 0, length / 4), length / PROBE_RECORD_SIZE);
  trampoline ??= new WebAssembly.Module(TRAMPOLINE);
  table.set(0, new WebAssembly.Instance(trampoline, { p: { f: read } }).exports.f);
  let finished = false;
  return () => {
    if (finished) throw new Error('probe hits: finish called twice');
    finished = true;
    read(end.value as number);
    end.value = 0;
  };
}
