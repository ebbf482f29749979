/**
 * Compares what two recordings wrote to stdout and to stderr, byte for byte, from the output
 * bytes their input logs carry (no re-execution). Streams both logs one chunk at a time, so
 * memory does not grow with the output.
 */
import { createHash } from 'node:crypto';
import { TraceReader, type ImportCall } from '../src/trace/index.js';
import { quote } from '../src/wasi/callDescriber.js';

/** One output stream of two recordings compared. */
export interface StreamComparison {
  readonly equal: boolean;
  /** Total bytes each side wrote. */
  readonly bytesA: number;
  readonly bytesB: number;
  /** Offset of the first byte that differs (or where the shorter one ends); null when equal. */
  readonly firstDifference: number | null;
  /** Up to PREVIEW bytes of each side from `firstDifference`, quoted; null when equal. */
  readonly a: string | null;
  readonly b: string | null;
}

export interface OutputComparison {
  readonly stdout: StreamComparison;
  readonly stderr: StreamComparison;
}

const PREVIEW = 32;

/**
 * Compares the stdout and stderr bytes logged in trace files `a` and `b`: one pass over each
 * log hashes both streams; only a stream that differs is read again to find where.
 */
export function compareOutputs(a: string, b: string): OutputComparison {
  return compareOutputDigests(a, b, OutputDigest.of(a), OutputDigest.of(b));
}

/**
 * Compares two recordings whose output has already been hashed (by a pass over their logs
 * that had another purpose too, such as `diff`'s re-executions): a stream that differs is
 * read again from the files to find where.
 */
export function compareOutputDigests(a: string, b: string, da: OutputDigest, db: OutputDigest): OutputComparison {
  const compare = (s: 1 | 2): StreamComparison =>
    da.digest(s).equals(db.digest(s))
      ? { equal: true, bytesA: da.bytes[s], bytesB: da.bytes[s], firstDifference: null, a: null, b: null }
      : compareStream(a, b, s);
  return { stdout: compare(1), stderr: compare(2) };
}

/** SHA-256 (with the length folded in) and byte count of each output stream of one log, fed a call at a time. */
export class OutputDigest {
  private readonly hashes = { 1: createHash('sha256'), 2: createHash('sha256') };
  private readonly digests: { 1: Buffer | null; 2: Buffer | null } = { 1: null, 2: null };
  readonly bytes = { 1: 0, 2: 0 };

  /** Hashes the output of every call of `file`'s log. */
  static of(file: string): OutputDigest {
    const reader = TraceReader.open(file);
    try {
      const d = new OutputDigest();
      for (const call of reader.importCalls()) d.add(call);
      return d;
    } finally {
      reader.close();
    }
  }

  /** Adds the output of the next call of the log. */
  add(call: ImportCall): void {
    for (const o of call.output) {
      this.hashes[o.stream].update(o.bytes);
      this.bytes[o.stream] += o.bytes.length;
    }
  }

  /** The digest of one stream; no more calls can be added after. */
  digest(s: 1 | 2): Buffer {
    return (this.digests[s] ??= this.hashes[s].update(String(this.bytes[s])).digest());
  }
}

function compareStream(fileA: string, fileB: string, stream: 1 | 2): StreamComparison {
  const ra = TraceReader.open(fileA);
  const rb = TraceReader.open(fileB);
  try {
    const sa = new ByteStream(outputChunks(ra, stream));
    const sb = new ByteStream(outputChunks(rb, stream));
    let offset = 0;
    for (;;) {
      const x = sa.next();
      const y = sb.next();
      if (x === -1 && y === -1) return { equal: true, bytesA: offset, bytesB: offset, firstDifference: null, a: null, b: null };
      if (x !== y) {
        const pa = sa.take(x, PREVIEW);
        const pb = sb.take(y, PREVIEW);
        return {
          equal: false,
          bytesA: offset + pa.consumed + sa.drain(),
          bytesB: offset + pb.consumed + sb.drain(),
          firstDifference: offset,
          a: pa.text,
          b: pb.text,
        };
      }
      offset++;
    }
  } finally {
    ra.close();
    rb.close();
  }
}

function* outputChunks(reader: TraceReader, stream: 1 | 2): Generator<Uint8Array> {
  for (const call of reader.importCalls()) for (const o of call.output) if (o.stream === stream && o.bytes.length > 0) yield o.bytes;
}

/** Bytes of a chunk sequence, one at a time; -1 at the end. */
class ByteStream {
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  constructor(private readonly chunks: Iterator<Uint8Array>) {}
  next(): number {
    while (this.at >= this.chunk.length) {
      const r = this.chunks.next();
      if (r.done) return -1;
      this.chunk = r.value;
      this.at = 0;
    }
    return this.chunk[this.at++];
  }
  /** `first` (already read) and up to `max - 1` more bytes, quoted; how many bytes that was. */
  take(first: number, max: number): { text: string; consumed: number } {
    const bytes: number[] = [];
    for (let c = first; c !== -1 && bytes.length < max; c = bytes.length < max ? this.next() : -1) bytes.push(c);
    return { text: quote(Uint8Array.from(bytes)), consumed: bytes.length };
  }
  /** Reads to the end; the number of bytes skipped. */
  drain(): number {
    let n = this.chunk.length - this.at;
    for (let r = this.chunks.next(); !r.done; r = this.chunks.next()) n += r.value.length;
    this.at = this.chunk.length;
    return n;
  }
}
