/**
 * What the UI remembers of the previous stop, to highlight what changed since: each frame's
 * Wasm locals and C variables (per activation), the Wasm globals and C globals, and the bytes
 * around the memory view's address. Taken just before every motion. Reads the debuggee; never
 * moves it.
 */
import type { Debuggee, FrameView, GlobalState, SourceValue, SourceVariable, Value } from './engineApi.js';
import type { MemoryCapture } from './views/hexDump.js';

/** Bytes captured around the memory view's address: more than any pane shows. */
export const MEMORY_CAPTURE_BYTES = 1024;

export interface StopSnapshot {
  readonly time: bigint;
  /** Locals per activation (`frameKey`). */
  readonly locals: ReadonlyMap<string, readonly Value[]>;
  readonly globals: readonly GlobalState[];
  /** C variables' value texts by `variableKey` (innermost frames only: see SNAPSHOT_FRAMES). */
  readonly variables: ReadonlyMap<string, string>;
  readonly memory: MemoryCapture | null;
}

/** How many frames' C variables a snapshot keeps: the ones a user looks at after a step. */
export const SNAPSHOT_FRAMES = 8;

/** A C variable's identity across stops: its activation (or `global` and unit), inlined function, name and declaration line. */
export function variableKey(owner: string, v: SourceVariable): string {
  return `${owner}|${v.inlined === null ? '' : `${v.inlined}:`}${v.name}@${v.declLine ?? ''}`;
}

/** The owner key of a C global (its compile unit). */
export const globalOwner = (v: SourceVariable): string => `global ${v.unit}`;

/** A member's or element's key under its variable's (one level: what the pane expands). */
export function memberKey(variable: string, child: SourceValue): string {
  return `${variable}/${child.name}`;
}

/** An activation's identity across stops: the same function entered at the same time. */
export function frameKey(frame: FrameView): string {
  return `${frame.funcIndex}@${frame.entryTime}`;
}

/** The state to compare the next stop with; C variables only when `withVariables` (they cost a memory state). */
export function takeSnapshot(debuggee: Debuggee, memoryAddress: number | null, withVariables = true): StopSnapshot {
  const locals = new Map<string, readonly Value[]>();
  const variables = new Map<string, string>();
  const frames = debuggee.frames();
  for (const f of frames) locals.set(frameKey(f), f.locals);
  const remember = (key: string, v: SourceValue): void => {
    variables.set(key, v.value);
    for (const c of v.children) variables.set(memberKey(key, c), c.value);
  };
  if (withVariables) {
    try {
      frames.slice(0, SNAPSHOT_FRAMES).forEach((f, i) => {
        for (const v of debuggee.variables(i)) remember(variableKey(frameKey(f), v), v);
      });
      for (const v of debuggee.globalVariables()) remember(variableKey(globalOwner(v), v), v);
    } catch {
      // DWARF the engine cannot read: the variables pane says so; Wasm-level highlighting still works.
    }
  }
  let memory: MemoryCapture | null = null;
  if (memoryAddress !== null && memoryAddress < debuggee.memorySize()) {
    const length = Math.min(MEMORY_CAPTURE_BYTES, debuggee.memorySize() - memoryAddress);
    memory = { address: memoryAddress, bytes: debuggee.readMemory(memoryAddress, length).slice() };
  }
  return { time: debuggee.now, locals, globals: debuggee.globals(), variables, memory };
}

/** Same type and same bits (so NaNs with equal bits are equal and 0 differs from -0). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'i32':
    case 'i64':
      return a.value === (b as typeof a).value;
    case 'f32':
    case 'f64':
      return a.bits === (b as typeof a).bits;
    case 'v128':
      return a.bytes.every((x, i) => x === (b as typeof a).bytes[i]);
    case 'ref':
      return a.isNull === (b as typeof a).isNull && a.refType === (b as typeof a).refType;
  }
}

/** Indices of `frame`'s locals that differ from the same activation at the previous stop (none for a new activation). */
export function changedLocals(previous: StopSnapshot | null, frame: FrameView): ReadonlySet<number> {
  const before = previous?.locals.get(frameKey(frame));
  const changed = new Set<number>();
  if (!before) return changed;
  frame.locals.forEach((v, i) => {
    if (before[i] && !valuesEqual(before[i], v)) changed.add(i);
  });
  return changed;
}

/** Indices of globals whose bytes differ from the previous stop. */
export function changedGlobals(previous: StopSnapshot | null, globals: readonly GlobalState[]): ReadonlySet<number> {
  const changed = new Set<number>();
  if (!previous) return changed;
  const before = new Map(previous.globals.map((g) => [g.index, g]));
  for (const g of globals) {
    const b = before.get(g.index);
    if (b && !sameBytes(b.bytes, g.bytes)) changed.add(g.index);
  }
  return changed;
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Keys (`variableKey`, `memberKey` for members and elements) of `vars` whose value text differs
 * from the previous stop: `frame`'s C variables, or C globals when `frame` is null. A variable not in the previous snapshot (a new
 * activation, a block just entered) is not "changed".
 */
export function changedVariables(previous: StopSnapshot | null, frame: FrameView | null, vars: readonly SourceVariable[]): ReadonlySet<string> {
  const changed = new Set<string>();
  if (!previous) return changed;
  const check = (key: string, value: string): void => {
    const before = previous.variables.get(key);
    if (before !== undefined && before !== value) changed.add(key);
  };
  for (const v of vars) {
    const key = variableKey(frame ? frameKey(frame) : globalOwner(v), v);
    check(key, v.value);
    for (const c of v.children) check(memberKey(key, c), c.value);
  }
  return changed;
}
