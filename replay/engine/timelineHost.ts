/**
 * The interpreter's host during replay: everything outside one re-executed activation comes
 * from the recording. Memory and globals come from a forward `StateCursor` (which already holds
 * the activation's own writes, read from the detail events: `knowsWrites`); a call to a Wasm
 * function is skipped to the callee's logged exit, with its logged results; an import answers
 * with its logged result. Nothing is executed twice and nothing is guessed: a call with no
 * matching `enter` event is a divergence.
 */
import { ReplayDivergenceError } from '../../src/errors.js';
import type { StateCursor } from '../timeline/stateCursor.js';
import type { Timeline } from '../timeline/index.js';
import type { ActivationHost, CallOutcome, CallTarget, Value } from '../interp/types.js';
import { valueFromBytes } from './values.js';

/** The recording ends inside this call: it never returned (`proc_exit`, a trap in a callee). */
export class NeverReturnedError extends Error {
  constructor(readonly time: bigint) {
    super(`the call at time ${time} never returned in the recording`);
  }
}

export class TimelineHost implements ActivationHost {
  readonly knowsWrites = true;

  constructor(
    private readonly timeline: Timeline,
    private cursor: StateCursor,
    /** Values of every global before its first `global.set`, by index (null when unknown). */
    private readonly initialGlobals: readonly (Value | null)[],
    /** Result types of an imported function, for the results of import calls. */
    private readonly resultTypes: (funcIndex: number) => readonly string[],
  ) {}

  /**
   * Moves the cursor to `time` after a skipped callee: by applying the callee's events, or, when
   * it logged many (a long callee), by rebuilding the state there from the timeline's nearest
   * checkpoint, whichever costs less.
   */
  private skipTo(time: bigint): void {
    const { advance, rebuild } = this.timeline.costs(this.cursor.time, time);
    if (rebuild < advance) this.cursor = this.timeline.cursorAt(time);
  }

  memory(time: bigint): Uint8Array {
    this.cursor.advanceTo(time);
    return this.cursor.memory.bytes;
  }

  grow(time: bigint, pages: number): number {
    if (time > 0n) this.cursor.advanceTo(time - 1n);
    const before = this.cursor.memory.bytes.length / 65536;
    this.cursor.advanceTo(time);
    const after = this.cursor.memory.bytes.length / 65536;
    return pages === 0 || after > before ? before : -1;
  }

  globalGet(time: bigint, index: number): Value {
    this.cursor.advanceTo(time);
    const set = this.cursor.globals.get(index);
    const initial = this.initialGlobals[index];
    const value = set !== undefined && initial !== null ? valueFromBytes(initial.type, set) : initial;
    if (value === null || value === undefined) throw new ReplayDivergenceError(`global ${index} is read at time ${time} but its value is not known to the trace`);
    return value;
  }

  globalSet(): void {
    // The cursor applies the logged `global.set` (knowsWrites).
  }

  call(time: bigint, target: CallTarget, _args: readonly Value[]): CallOutcome {
    const imported = this.timeline.importCallAtTime(time);
    if (imported !== null) {
      if (imported.result === null) throw new NeverReturnedError(time);
      const types = this.resultTypes(imported.functionIndex);
      const results: Value[] = types.length === 0 ? [] : [{ type: 'i32', value: imported.result | 0 }];
      return { results, time };
    }
    this.cursor.advanceTo(time - 1n);
    const callee = this.cursor.peekActivation(time);
    if (callee === null) {
      const what = target.kind === 'direct' ? `function ${target.funcIndex}` : `table ${target.tableIndex}[${target.elementIndex}]`;
      throw new ReplayDivergenceError(`re-execution calls ${what} at time ${time}, but the recording enters no function then`);
    }
    if (target.kind === 'direct' && target.funcIndex !== callee.func) {
      throw new ReplayDivergenceError(`re-execution calls function ${target.funcIndex} at time ${time}, but the recording entered function ${callee.func}`);
    }
    if (callee.end === null) throw new NeverReturnedError(time);
    this.skipTo(callee.end.time);
    return { results: (callee.end.results ?? []) as Value[], time: callee.end.time };
  }
}
