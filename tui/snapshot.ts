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
  /**
   * All of linear memory when it is at most GLOBALS_BY_BYTES_LIMIT: C globals are then compared
   * by their bytes (`changedGlobalVariables`) instead of formatting every global of the program
   * at every stop. Absent or null: their value texts are in `variables`.
   */
  readonly memoryCopy?: Uint8Array | null;
}

/** Memories up to this size are copied at each stop (a few ms for tens of MiB) to compare C globals by bytes. */
export const GLOBALS_BY_BYTES_LIMIT = 64 * 2 ** 20;

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
  const size = withVariables ? debuggee.memorySize() : 0;
  const memoryCopy = withVariables && size <= GLOBALS_BY_BYTES_LIMIT ? debuggee.readMemory(0, size) : null;
  const remember = (key: string, v: SourceValue): void => {
    variables.set(key, v.value);
    for (const c of v.children) variables.set(memberKey(key, c), c.value);
  };
  if (withVariables) {
    try {
      frames.slice(0, SNAPSHOT_FRAMES).forEach((f, i) => {
        for (const v of debuggee.variables(i)) remember(variableKey(frameKey(f), v), v);
      });
      if (memoryCopy === null) for (const v of debuggee.globalVariables()) remember(variableKey(globalOwner(v), v), v);
    } catch {
      // DWARF the engine cannot read: the variables pane says so; Wasm-level highlighting still works.
    }
  }
  let memory: MemoryCapture | null = null;
  if (memoryAddress !== null && memoryAddress < debuggee.memorySize()) {
    const length = Math.min(MEMORY_CAPTURE_BYTES, debuggee.memorySize() - memoryAddress);
    memory = { address: memoryAddress, bytes: debuggee.readMemory(memoryAddress, length).slice() };
  }
  return { time: debuggee.now, locals, globals: debuggee.globals(), variables, memory, memoryCopy };
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

/**
 * Keys of C globals (and their members or elements) whose bytes differ from the previous stop,
 * read now through `readNow`; from the value texts when the previous stop kept no copy of memory.
 * A value without an address or size (a bit field) is never marked when comparing by bytes.
 */
export function changedGlobalVariables(
  previous: StopSnapshot | null,
  globals: readonly SourceVariable[],
  readNow: (address: number, length: number) => Uint8Array,
): ReadonlySet<string> {
  const before = previous?.memoryCopy;
  if (!before) return changedVariables(previous, null, globals);
  const changed = new Set<string>();
  const differs = (v: SourceValue): boolean => {
    if (v.address === null || v.size <= 0 || v.address + v.size > before.length) return false;
    let now: Uint8Array;
    try {
      now = readNow(v.address, v.size);
    } catch {
      return false; // outside memory now: nothing to compare with
    }
    for (let i = 0; i < v.size; i++) if (now[i] !== before[v.address + i]) return true;
    return false;
  };
  for (const v of globals) {
    const key = variableKey(globalOwner(v), v);
    if (differs(v)) changed.add(key);
    for (const c of v.children) if (differs(c)) changed.add(memberKey(key, c));
  }
  return changed;
}
