/**
 * `diff` at level 1 (observable behaviour): do two executions make the same WASI calls (by
 * meaning, not by pointer), write the same output and end alike? Walks both call streams in
 * lockstep and reports the first divergence with a few preceding calls of each side.
 *
 * Memory stays bounded by 16 bytes a call: side A is re-executed once keeping only comparison
 * keys (callKey.ts), side B is re-executed against those keys until it parts from A, and A is
 * re-executed a second time only when its diverging call itself has to be shown. The output
 * of both logs is hashed during the same passes (each reads its whole log), and a call's text
 * is only built for the few calls a report shows.
 */
import type { CallDescription } from '../../src/wasi/callDescriber.js';
import type { TraceSummary } from '../../src/trace/index.js';
import { callKeysInto, differingFields } from '../callKey.js';
import { streamCalls, type StreamedCall, type StreamResult } from '../callStream.js';
import type { CallView, DiffDivergence, DiffOptions, DiffResult, DiffSide, EndView } from '../diffTypes.js';
import { compareOutputDigests, OutputDigest } from '../outputCompare.js';

/**
 * Compares trace files `a` and `b` at level 1. Throws `InputError`/`TraceFormatError` for a
 * missing or damaged trace, `ReplayDivergenceError` for a trace that does not re-execute from
 * its own log.
 */
export function observableDiff(a: string, b: string, options: DiffOptions = {}): DiffResult<1> {
  return observableDiffWithVolatile(a, b, options).result;
}

/**
 * `observableDiff`, and the index of the first call whose values differed only in volatile
 * values (null if none): level 2 says when a difference it finds comes after one.
 */
export function observableDiffWithVolatile(a: string, b: string, options: DiffOptions = {}): { result: DiffResult<1>; firstVolatile: number | null } {
  const context = options.context ?? 3;
  const strict = options.strict ?? false;

  // Pass 1: A's keys, and its last calls in case B goes on after A ended.
  const keysA = new KeyList();
  const tailA = new Tail(context);
  const outputA = new OutputDigest();
  const runA = streamCalls(
    a,
    (c) => {
      keysA.push(c.description);
      tailA.push(c);
      return true;
    },
    { onLogged: (call) => outputA.add(call) },
  );

  // Pass 2: B against A's keys until they part.
  const tailB = new Tail(context);
  let parted: StreamedCall | null = null;
  let volatileDifferences = 0;
  let firstVolatile: number | null = null;
  const outputB = new OutputDigest();
  const keyB = new Float64Array(2);
  const runB = streamCalls(
    b,
    (c) => {
      if (c.index >= keysA.length) {
        parted = c;
        return false;
      }
      callKeysInto(c.description, keyB, 0);
      const strictKey = keyB[1];
      const same = strict ? strictKey === keysA.strict(c.index) : keyB[0] === keysA.lenient(c.index);
      if (!same) {
        parted = c;
        return false;
      }
      if (strictKey !== keysA.strict(c.index)) {
        volatileDifferences++;
        firstVolatile ??= c.index;
      }
      tailB.push(c);
      return true;
    },
    { onLogged: (call) => outputB.add(call) },
  );

  const sideA = side(a, runA);
  const sideB = side(b, runB);
  const endsEqual = sameEnd(sideA.end, sideB.end);
  const bAt = parted as StreamedCall | null;
  const at = bAt?.index ?? runB.calls;
  let divergence: DiffDivergence | null = null;
  if (at < keysA.length) {
    // A has a call here that B does not match (or B ended): re-execute A up to it for its text.
    const found = callAt(a, at, context);
    divergence = callDivergence(at, found.call, bAt, found.before, tailB.calls(), sideA.end, sideB.end, strict);
  } else if (bAt !== null) {
    divergence = callDivergence(at, null, bAt, tailA.calls(), tailB.calls(), sideA.end, sideB.end, strict);
  } else if (!endsEqual) {
    divergence = {
      kind: 'end', callA: at, callB: at, a: null, b: null, textA: endText(sideA.end), textB: endText(sideB.end),
      fields: [], contextA: tailA.calls(), contextB: tailB.calls(),
    };
  }
  const outputs = compareOutputDigests(a, b, outputA, outputB);
  const result: DiffResult<1> = {
    level: 1,
    equal: divergence === null && outputs.stdout.equal && outputs.stderr.equal && endsEqual,
    strict,
    a: sideA,
    b: sideB,
    callsCompared: at,
    volatileDifferences,
    divergence,
    eventsCompared: null,
    outputs,
    endsEqual,
  };
  return { result, firstVolatile };
}

/** Re-executes `file` up to call `index`: that call and the `context` calls before it. */
function callAt(file: string, index: number, context: number): { call: StreamedCall; before: CallView[] } {
  const tail = new Tail(context);
  let call: StreamedCall | null = null;
  streamCalls(file, (c) => {
    if (c.index === index) {
      call = c;
      return false;
    }
    tail.push(c);
    return true;
  });
  // Pass 1 saw this call, so a deterministic re-execution reaches it again.
  return { call: call!, before: tail.calls() };
}

function callDivergence(
  at: number,
  a: StreamedCall | null,
  b: StreamedCall | null,
  contextA: CallView[],
  contextB: CallView[],
  endA: EndView,
  endB: EndView,
  strict: boolean,
): DiffDivergence {
  return {
    kind: 'call',
    callA: at,
    callB: at,
    a: a === null ? null : view(a),
    b: b === null ? null : view(b),
    textA: a === null ? `end: ${endText(endA)}` : a.description.text,
    textB: b === null ? `end: ${endText(endB)}` : b.description.text,
    fields: a !== null && b !== null ? differingFields(a.description, b.description, strict) : [],
    contextA,
    contextB,
  };
}

function side(file: string, { summary, calls, recordedCalls }: StreamResult): DiffSide {
  return sideOf(file, summary, calls, recordedCalls);
}

/** One side of a diff from its trace's summary and the calls seen of the log. */
export function sideOf(file: string, summary: TraceSummary, callsSeen: number, calls: number): DiffSide {
  return { file, module: { name: summary.module.name, sha256: summary.module.sha256 }, callsSeen, calls, end: endOf(summary) };
}

/** How a recorded run ended, from its summary. */
export function endOf(summary: TraceSummary): EndView {
  const o = summary.outcome;
  return o === null ? { kind: 'incomplete' } :
    o.kind === 'exit' ? { kind: 'exit', exitCode: o.exitCode } :
    { kind: 'trap', message: o.message, functionName: o.functionName, pc: o.pc };
}

/** Ends compare by kind and exit code or trap message: a trap's pc moves with every rebuild. */
export function sameEnd(a: EndView, b: EndView): boolean {
  if (a.kind === 'exit' && b.kind === 'exit') return a.exitCode === b.exitCode;
  if (a.kind === 'trap' && b.kind === 'trap') return a.message === b.message;
  return a.kind === b.kind;
}

/** `exit code 3`, `trap: integer divide by zero in f at pc 0x1a2`, `unknown (incomplete trace)`. */
export function endText(e: EndView): string {
  if (e.kind === 'exit') return `exit code ${e.exitCode}`;
  if (e.kind === 'incomplete') return 'unknown (incomplete trace)';
  const fn = e.functionName === null ? '' : ` in ${e.functionName}`;
  return `trap: ${e.message}${fn}${e.pc === null ? '' : ` at pc 0x${e.pc.toString(16)}`}`;
}

/** A call as a report shows it; the description's fields are read by name (text and data are built on demand). */
function view(c: StreamedCall): CallView {
  const d = c.description;
  const data = d.data;
  return {
    name: d.name,
    args: d.args,
    result: d.result,
    returned: d.returned,
    ...(data === undefined ? {} : { data }),
    volatile: d.volatile,
    text: d.text,
    index: c.index,
    time: c.time === null ? null : c.time.toString(),
  };
}

/** The last `n` calls seen, as views. */
class Tail {
  private readonly items: StreamedCall[] = [];
  constructor(private readonly n: number) {}
  push(c: StreamedCall): void {
    if (this.n === 0) return;
    this.items.push(c);
    if (this.items.length > this.n) this.items.shift();
  }
  calls(): CallView[] {
    return this.items.map(view);
  }
}

/** Both keys of every call of one side, in growable typed arrays. */
class KeyList {
  private keys = new Float64Array(1024);
  length = 0;
  /** Appends both keys of `d`. */
  push(d: CallDescription): void {
    if (2 * this.length + 2 > this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    callKeysInto(d, this.keys, 2 * this.length);
    this.length++;
  }
  lenient(i: number): number {
    return this.keys[2 * i];
  }
  strict(i: number): number {
    return this.keys[2 * i + 1];
  }
}
