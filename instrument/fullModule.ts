/**
 * Builds the detail-mode `full` module, byte level like `inputs` (countInstructions.ts): the
 * instruction counter of `inputs`, plus detail events (detailEmitter.ts) appended to a buffer in
 * a memory of wtrace's own and flushed to JS through one imported function.
 *
 * What is added, all appended after existing entries:
 * - a type `(func (param i32) (result i32))`;
 * - the import `wtrace.flush` (that type). Imported functions come first in the function index
 *   space, so every defined function's index grows by one: `call`, `return_call` and `ref.func`
 *   in code, function exports, the start function, element segments and `ref.func` in constant
 *   expressions are renumbered. The `name` custom section, keyed by function index, is dropped;
 * - the defined functions `reserve(n) -> p` (the buffer's slow path) and `sync(p) -> p` (a time
 *   sync before an event whose time delta does not fit 16 bits), then the snapshot writers
 *   (snapshotWriters.ts) and their types;
 * - the event memory (index = number of original memories), exported as `__wtrace_events`;
 * - globals `T` (time, exported as `__wtrace_time`), `P` (the buffer's end, exported as
 *   `__wtrace_events_end`) and `LIMIT`; `D` (the call depth) if some function has a `try_table`;
 *   `L` (the time of the last committed event or sync, exported as `__wtrace_events_time`) and
 *   `N` (the time of the event being written);
 * - the export `__wtrace_flush` (the imported flush function, re-exported so that `drain` can
 *   reach the runtime that an instance was linked with);
 * - unless snapshots are off: the global `S` (the next snapshot time; snapshotEmitter.ts);
 * - globals `K` (events committed since the buffer restarted, exported as
 *   `__wtrace_events_count`) and `Q` (the buffer offset just past the last sync that `sync`
 *   wrote, exported as `__wtrace_events_sync_end`): with `L`, what a flush reports about its
 *   buffer without JS reading it;
 * - per function: the counter local and scratch locals.
 */
import { UnsupportedWasmError } from '../src/errors.js';
import { ByteReader, WasmDecodeError } from '../src/wasm/byteReader.js';
import { ByteWriter } from './byteWriter.js';
import { decodeInstruction } from './codeDecoder.js';
import { TIME_EXPORT } from './countInstructions.js';
import { MAX_FIXED_EVENT_SIZE, SYNC_SIZE } from './detailEvents.js';
import { DetailEmitter, type DetailSlots } from './detailEmitter.js';
import { ValType } from './eventWriter.js';
import { scratchLocals } from './scratchLocals.js';
import type { SectionSpan } from './moduleLayout.js';
import type { ModulePositions } from './positions.js';
import { emitCountedCode } from './timeCounter.js';
import { reserveBody, roomBody, syncBody } from './bufferHelpers.js';
import { CopyLog, type RewrittenModule } from './copyLog.js';
import { planSnapshots, snapshotIntervalOf, type SnapshotOptions } from './snapshotPlan.js';
import type { FunctionSignatures } from './snapshotStackHeight.js';
import { SnapshotWriters } from './snapshotWriters.js';

export const EVENTS_EXPORT = '__wtrace_events';
/** `${GLOBAL_EXPORT_PREFIX}N` re-exports the program's global N (numeric globals only). */
export const GLOBAL_EXPORT_PREFIX = '__wtrace_global_';
/** i32, i64, f32, f64. */
const NUMERIC_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c]);
export const EVENTS_END_EXPORT = '__wtrace_events_end';
/** The time of the last committed event or sync (i64): what the next time delta counts from. */
export const EVENTS_TIME_EXPORT = '__wtrace_events_time';
/** Events committed since the buffer last restarted (i32). */
export const EVENTS_COUNT_EXPORT = '__wtrace_events_count';
/** The buffer offset just past the last sync that `sync` wrote (i32; 0 before any): a buffer that ends there ends with a sync. */
export const EVENTS_SYNC_END_EXPORT = '__wtrace_events_sync_end';
export const FLUSH_EXPORT = '__wtrace_flush';
export const RUNTIME_MODULE = 'wtrace';
export const FLUSH_IMPORT = 'flush';
/** Initial size of the event memory in 64 KiB pages: the buffer flushed to JS when nearly full. */
export const EVENT_MEMORY_PAGES = 4;

const S = { custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7, start: 8, element: 9, code: 10, data: 11, dataCount: 12, tag: 13 };
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6]; // index = id
const rank = (id: number) => SECTION_ORDER[id] ?? -1;
const END_OF_MODULE = -1;

/** What `full` needs beyond `ModuleLayout`: types, imports, memories, globals. */
interface FullLayout {
  typeCount: number;
  /** Each type's parameter and result value types, each as its bytes (a reference type may carry a heap type). */
  types: { params: Uint8Array[]; results: Uint8Array[] }[];
  /** Type index of each defined function. */
  functionTypes: number[];
  /** Type index of each imported function. */
  importedFunctionTypes: number[];
  importedFunctions: number;
  memories: { memory64: boolean }[];
  globalTypes: number[];
  definedFunctionCount: number;
}

/**
 * Rewrites `wasm` (decoded into `positions`) for detail mode `full`. Throws `RangeError` for a
 * bad `snapshotInterval`.
 */
export function addDetailEvents(wasm: Uint8Array, positions: ModulePositions, source: string, options: SnapshotOptions = {}): RewrittenModule {
  const interval = snapshotIntervalOf(options.snapshotInterval);
  const { layout } = positions;
  const taken = [...layout.exportNames].filter(
    (n) => [TIME_EXPORT, EVENTS_EXPORT, EVENTS_END_EXPORT, EVENTS_TIME_EXPORT, EVENTS_COUNT_EXPORT, EVENTS_SYNC_END_EXPORT, FLUSH_EXPORT].includes(n) || n.startsWith(GLOBAL_EXPORT_PREFIX),
  );
  if (taken.length > 0) throw new UnsupportedWasmError(source, taken.map((n) => `the module already exports "${n}", a name wtrace needs`));
  const find = (id: number) => layout.sections.find((s) => s.id === id);
  let full: FullLayout;
  try {
    full = readFullLayout(wasm, find);
  } catch (e) {
    if (e instanceof WasmDecodeError) throw new UnsupportedWasmError(source, [`${e.message} (offset 0x${e.offset.toString(16)})`]);
    throw e;
  }
  const problems: string[] = [];
  if (full.memories.length > 1) problems.push(`${full.memories.length} memories: detail 'full' supports one memory (multi-memory is not supported)`);
  if (full.memories.some((m) => m.memory64)) problems.push(`a 64-bit memory: detail 'full' supports 32-bit memories only (memory64 is not supported)`);
  if (problems.length > 0) throw new UnsupportedWasmError(source, problems);

  const shift = (f: number) => (f >= full.importedFunctions ? f + 1 : f);
  const flushType = full.typeCount;
  const flushFunc = full.importedFunctions; // the appended import's index
  const reserveFunc = full.definedFunctionCount + full.importedFunctions + 1;
  const eventMemory = full.memories.length;
  const timeGlobal = full.globalTypes.length;
  const endGlobal = timeGlobal + 1;
  const limitGlobal = timeGlobal + 2;
  // The call depth `D`, only where a try_table can catch (see detailEmitter.ts, exceptions).
  const hasTryTable = positions.functions.some((f) => f.instructions.some((i) => i.name === 'try_table'));
  const depthGlobal = hasTryTable ? timeGlobal + 3 : -1;
  // `L`: the time of the last committed event or sync; `N`: the time of the event being written.
  const lastTimeGlobal = timeGlobal + (hasTryTable ? 4 : 3);
  const eventTimeGlobal = lastTimeGlobal + 1;
  const nextSnapshotGlobal = interval === null ? -1 : eventTimeGlobal + 1; // `S`
  const countGlobal = eventTimeGlobal + (interval === null ? 1 : 2); // `K`
  const syncEndGlobal = countGlobal + 1; // `Q`
  const syncFunc = reserveFunc + 1;
  const roomFunc = reserveFunc + 2;
  const roomType = flushType + 1;
  const initialLimit = EVENT_MEMORY_PAGES * 65536 - MAX_FIXED_EVENT_SIZE;

  // Snapshots: the loops of each function that take them, and one writer per distinct list of
  // local types (functions after `room`, types after room's).
  const signatures = signaturesOf(full);
  const typeOf = (funcIndex: number) => full.types[full.functionTypes[funcIndex - full.importedFunctions]];
  const writers = new SnapshotWriters(roomFunc + 1, roomType + 1);
  const snapshotSites = positions.functions.map((fn) => {
    const type = typeOf(fn.funcIndex);
    const plan = interval === null ? undefined : planSnapshots(wasm, fn, type.params, signatures, type.results.length);
    return plan && { loops: plan.loops, localCount: plan.localTypes.length, writer: writers.writerFor(plan.localTypes) };
  });

  const sections = new Map<number, Uint8Array>();
  const vec = (id: number, extra: (w: ByteWriter) => number, rewrite?: (r: ByteReader, w: ByteWriter, i: number) => void) => {
    sections.set(id, rewriteVector(wasm, find(id), extra, rewrite));
  };
  vec(S.type, (w) => {
    w.bytes(new Uint8Array([0x60, 1, ValType.i32, 1, ValType.i32])); // flush, reserve, sync
    w.bytes(new Uint8Array([0x60, 0, 1, ValType.i32])); // room
    for (const t of writers.typeEntries()) w.bytes(t);
    return 2 + writers.count;
  });
  vec(S.import, (w) => (w.name(RUNTIME_MODULE).name(FLUSH_IMPORT).u8(0).u32(flushType), 1));
  vec(S.function, (w) => {
    w.u32(flushType).u32(flushType).u32(roomType); // reserve, sync, room
    for (let k = 0; k < writers.count; k++) w.u32(writers.firstType + k);
    return 3 + writers.count;
  });
  vec(S.memory, (w) => (w.u8(0).u32(EVENT_MEMORY_PAGES), 1));
  vec(S.global, (w) => {
    w.bytes(new Uint8Array([ValType.i64, 1, 0x42, 0, 0x0b])); // T
    // P: the buffer starts with a sync of time 0, which is all zero bytes (a fresh memory)
    w.bytes(new Uint8Array([ValType.i32, 1, 0x41, SYNC_SIZE, 0x0b])); // P
    w.u8(ValType.i32).u8(1).u8(0x41).s64(BigInt(initialLimit | 0)).u8(0x0b); // LIMIT
    if (depthGlobal >= 0) w.bytes(new Uint8Array([ValType.i32, 1, 0x41, 0, 0x0b])); // D
    w.bytes(new Uint8Array([ValType.i64, 1, 0x42, 0, 0x0b])); // L
    w.bytes(new Uint8Array([ValType.i64, 1, 0x42, 0, 0x0b])); // N
    if (interval !== null) w.u8(ValType.i64).u8(1).u8(0x42).s64(interval).u8(0x0b); // S: the first snapshot once the time reaches the interval
    w.bytes(new Uint8Array([ValType.i32, 1, 0x41, 0, 0x0b])); // K
    w.bytes(new Uint8Array([ValType.i32, 1, 0x41, 0, 0x0b])); // Q
    return (depthGlobal >= 0 ? 8 : 7) + (interval === null ? 0 : 1);
  }, (r, w) => {
    copyValType(r, w);
    w.u8(r.u8());
    rewriteExpr(r, w, shift);
  });
  vec(S.export, (w) => {
    w.name(TIME_EXPORT).u8(3).u32(timeGlobal);
    w.name(EVENTS_EXPORT).u8(2).u32(eventMemory);
    w.name(EVENTS_END_EXPORT).u8(3).u32(endGlobal);
    w.name(FLUSH_EXPORT).u8(0).u32(flushFunc);
    w.name(EVENTS_TIME_EXPORT).u8(3).u32(lastTimeGlobal);
    w.name(EVENTS_COUNT_EXPORT).u8(3).u32(countGlobal);
    w.name(EVENTS_SYNC_END_EXPORT).u8(3).u32(syncEndGlobal);
    // Every numeric global of the program, so keyframes can hold their values (JS cannot read
    // an unexported global; v128 and reference globals are not readable as numbers).
    let extra = 0;
    full.globalTypes.forEach((type, index) => {
      if (!NUMERIC_TYPES.has(type)) return;
      w.name(`${GLOBAL_EXPORT_PREFIX}${index}`).u8(3).u32(index);
      extra++;
    });
    return 7 + extra;
  }, (r, w) => {
    const nameStart = r.offset;
    const nameLength = r.u32();
    r.offset += nameLength; // copied as bytes: decoding would drop a leading BOM
    w.bytes(r.bytes.subarray(nameStart, r.offset));
    const kind = r.u8();
    const index = r.u32();
    w.u8(kind).u32(kind === 0 ? shift(index) : index);
  });
  const start = find(S.start);
  if (start) sections.set(S.start, new ByteWriter().u32(shift(new ByteReader(wasm, start.payloadStart, start.end).u32())).toBytes());
  if (find(S.element)) vec(S.element, () => 0, (r, w) => rewriteElement(r, w, shift));
  if (find(S.table)) vec(S.table, () => 0, (r, w) => rewriteTable(r, w, shift));

  const slots = {
    timeGlobal, endGlobal, limitGlobal, depthGlobal, lastTimeGlobal, eventTimeGlobal, countGlobal,
    reserveFunc, syncFunc, roomFunc, eventMemory, globalTypes: full.globalTypes, importedFunctionCount: full.importedFunctions,
  };
  const copies = new CopyLog();
  const code = new ByteWriter().u32(positions.functions.length + 3 + writers.count);
  positions.functions.forEach((fn, i) => {
    const { body } = fn;
    const head = new ByteReader(wasm, body.start, body.codeStart);
    const groups = head.u32();
    const local = body.paramCount + body.localCount;
    const type = typeOf(fn.funcIndex);
    const site = snapshotSites[i];
    const snapshots = site && { ...site, funcIndex: fn.funcIndex, nextGlobal: nextSnapshotGlobal, timeGlobal, counterLocal: local };
    const scratch = scratchLocals(fn.instructions, full.globalTypes, local + 1, type.results, depthGlobal >= 0, site !== undefined);
    const w = new ByteWriter();
    w.u32(groups + 1 + scratch.decls.length).bytes(wasm.subarray(head.offset, body.codeStart)).u8(1).u8(ValType.i64);
    for (const [n, t] of scratch.decls) w.u32(n).bytes(t);
    const detail: DetailSlots = { ...slots, funcIndex: fn.funcIndex, local, scratch: scratch.locals, params: type.params, results: type.results, snapshots };
    const observer = copies.startFunction(w.length);
    const emitter = new DetailEmitter(wasm, detail, w, fn.instructions);
    emitter.enter(fn.instructions[0].offset);
    emitCountedCode(wasm, fn.instructions, { local, global: timeGlobal }, w, emitter, observer);
    code.u32(w.length).bytes(w.toBytes());
  });
  const reserve = reserveBody({ flushFunc, endGlobal, limitGlobal, lastTimeGlobal, countGlobal, eventMemory });
  code.u32(reserve.length).bytes(reserve);
  const sync = syncBody({ endGlobal, lastTimeGlobal, eventTimeGlobal, syncEndGlobal, eventMemory });
  code.u32(sync.length).bytes(sync);
  const room = roomBody({ endGlobal, limitGlobal, lastTimeGlobal, eventTimeGlobal, reserveFunc, syncFunc });
  code.u32(room.length).bytes(room);
  if (interval !== null) for (const b of writers.bodies(wasm, slots, nextSnapshotGlobal, interval)) code.u32(b.length).bytes(b);
  sections.set(S.code, code.toBytes());

  // Write: replaced sections in place, new ones at their place in the order, `name` dropped.
  const out = new ByteWriter().bytes(wasm.subarray(0, 8));
  const pending = new Set(sections.keys());
  const emitPendingBefore = (id: number) => {
    for (const p of [...pending].sort((a, b) => rank(a) - rank(b))) {
      if (rank(p) >= (id === END_OF_MODULE ? Infinity : rank(id))) break;
      out.u8(p).u32(sections.get(p)!.length).bytes(sections.get(p)!);
      pending.delete(p);
    }
  };
  for (const s of layout.sections) {
    if (s.id === S.custom) {
      if (customName(wasm, s) === 'name') continue;
    } else {
      emitPendingBefore(s.id);
    }
    if (pending.has(s.id)) {
      out.u8(s.id).u32(sections.get(s.id)!.length).bytes(sections.get(s.id)!);
      pending.delete(s.id);
    } else {
      out.bytes(wasm.subarray(s.start, s.end));
    }
  }
  emitPendingBefore(END_OF_MODULE);
  return { bytes: out.toBytes(), copies: copies.functions, addedImports: 1 };
}

/** What the snapshot height analysis needs: every type's arities and every function's type. */
function signaturesOf(full: FullLayout): FunctionSignatures {
  return {
    types: full.types.map((t) => ({ params: t.params.length, results: t.results.length })),
    functionTypes: [...full.importedFunctionTypes, ...full.functionTypes],
  };
}

/**
 * The signatures of `wasm`'s types and functions as detail `full` reads them (for tests of the
 * height analysis, `snapshotStackHeight.ts`). Throws `WasmDecodeError` on a malformed module.
 */
export function functionSignatures(wasm: Uint8Array, positions: ModulePositions): FunctionSignatures {
  const find = (id: number) => positions.layout.sections.find((s) => s.id === id);
  return signaturesOf(readFullLayout(wasm, find));
}

function customName(wasm: Uint8Array, s: SectionSpan): string | undefined {
  try {
    return new ByteReader(wasm, s.payloadStart, s.end).name();
  } catch {
    return undefined;
  }
}

/** Copies (or rewrites element by element) a vector section and appends `extra`'s elements. */
function rewriteVector(
  wasm: Uint8Array,
  s: SectionSpan | undefined,
  extra: (w: ByteWriter) => number,
  rewrite?: (r: ByteReader, w: ByteWriter, i: number) => void,
): Uint8Array {
  const body = new ByteWriter();
  let count = 0;
  if (s) {
    const r = new ByteReader(wasm, s.payloadStart, s.end);
    count = r.u32();
    if (rewrite) for (let i = 0; i < count; i++) rewrite(r, body, i);
    else body.bytes(wasm.subarray(r.offset, s.end));
  }
  const added = extra(body);
  return new ByteWriter().u32(count + added).bytes(body.toBytes()).toBytes();
}

function copyValType(r: ByteReader, w: ByteWriter): number {
  const start = r.offset;
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.s33();
  w.bytes(r.bytes.subarray(start, r.offset));
  return b;
}

/** Copies a constant expression through its `end`, shifting `ref.func` indices. */
function rewriteExpr(r: ByteReader, w: ByteWriter, shift: (f: number) => number): void {
  let depth = 0;
  for (;;) {
    const ins = decodeInstruction(r);
    if (ins.name === 'ref.func') w.u8(0xd2).u32(shift(ins.index));
    else w.bytes(r.bytes.subarray(ins.offset, ins.end));
    if (ins.name === 'block' || ins.name === 'loop' || ins.name === 'if') depth++;
    if (ins.name === 'end' && depth-- === 0) return;
  }
}

function copyLimits(r: ByteReader, w: ByteWriter): void {
  const start = r.offset;
  const flags = r.u8();
  r.u64();
  if (flags & 1) r.u64();
  w.bytes(r.bytes.subarray(start, r.offset));
}

function rewriteTable(r: ByteReader, w: ByteWriter, shift: (f: number) => number): void {
  if (r.bytes[r.offset] === 0x40) {
    w.bytes(r.bytes.subarray(r.offset, r.offset + 2)); // 0x40 0x00: a table with an initialiser
    r.offset += 2;
    copyValType(r, w);
    copyLimits(r, w);
    rewriteExpr(r, w, shift);
  } else {
    copyValType(r, w);
    copyLimits(r, w);
  }
}

/** One element segment, in any of its eight encodings. */
function rewriteElement(r: ByteReader, w: ByteWriter, shift: (f: number) => number): void {
  const flags = r.u32();
  w.u32(flags);
  const passiveOrDeclarative = (flags & 1) !== 0;
  const explicitTable = (flags & 2) !== 0;
  const expressions = (flags & 4) !== 0;
  if (!passiveOrDeclarative) {
    if (explicitTable) w.u32(r.u32());
    rewriteExpr(r, w, shift);
  }
  if (passiveOrDeclarative || explicitTable) {
    if (expressions) copyValType(r, w);
    else w.u8(r.u8()); // elemkind 0x00
  }
  const n = r.u32();
  w.u32(n);
  for (let i = 0; i < n; i++) {
    if (expressions) rewriteExpr(r, w, shift);
    else w.u32(shift(r.u32()));
  }
}

function readFullLayout(wasm: Uint8Array, find: (id: number) => SectionSpan | undefined): FullLayout {
  const reader = (id: number) => {
    const s = find(id);
    return s ? new ByteReader(wasm, s.payloadStart, s.end) : undefined;
  };
  const typeSection = reader(S.type);
  const typeCount = typeSection ? typeSection.u32() : 0;
  const types: FullLayout['types'] = [];
  const valTypes = (r: ByteReader) => {
    const out: Uint8Array[] = [];
    for (let i = 0, n = r.u32(); i < n; i++) {
      const w = new ByteWriter();
      copyValType(r, w);
      out.push(w.toBytes());
    }
    return out;
  };
  for (let i = 0; i < typeCount; i++) {
    const at = typeSection!.offset;
    if (typeSection!.u8() !== 0x60) throw new WasmDecodeError('type is not a plain function type (GC types are unsupported)', at);
    types.push({ params: valTypes(typeSection!), results: valTypes(typeSection!) });
  }
  const importedFunctionTypes: number[] = [];
  const memories: { memory64: boolean }[] = [];
  const globalTypes: number[] = [];
  const sink = new ByteWriter();
  const imports = reader(S.import);
  const limitsFlags = (r: ByteReader) => {
    const flags = r.u8();
    r.u64();
    if (flags & 1) r.u64();
    return flags;
  };
  if (imports) {
    const n = imports.u32();
    for (let i = 0; i < n; i++) {
      imports.name();
      imports.name();
      const kind = imports.u8();
      if (kind === 0) {
        importedFunctionTypes.push(imports.u32());
      } else if (kind === 1) {
        copyValType(imports, sink);
        limitsFlags(imports);
      } else if (kind === 2) {
        memories.push({ memory64: (limitsFlags(imports) & 4) !== 0 });
      } else if (kind === 3) {
        globalTypes.push(copyValType(imports, sink));
        imports.u8();
      } else if (kind === 4) {
        imports.u8();
        imports.u32();
      } else {
        throw new WasmDecodeError(`unknown import kind ${kind}`, imports.offset - 1);
      }
    }
  }
  const mems = reader(S.memory);
  if (mems) for (let i = 0, n = mems.u32(); i < n; i++) memories.push({ memory64: (limitsFlags(mems) & 4) !== 0 });
  const globals = reader(S.global);
  if (globals) {
    for (let i = 0, n = globals.u32(); i < n; i++) {
      globalTypes.push(copyValType(globals, sink));
      globals.u8();
      rewriteExpr(globals, sink, (f) => f);
    }
  }
  const funcs = reader(S.function);
  const functionTypes: number[] = [];
  if (funcs) for (let i = 0, n = funcs.u32(); i < n; i++) functionTypes.push(funcs.u32());
  return {
    typeCount, types, functionTypes, importedFunctionTypes, importedFunctions: importedFunctionTypes.length, memories, globalTypes,
    definedFunctionCount: functionTypes.length,
  };
}
