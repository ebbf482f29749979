/**
 * Builds a probe module: the detail-mode `inputs` module (the same instruction counter, the same
 * `__wtrace_time` export) plus, before each probed instruction, a record of (probe index, time)
 * appended to a buffer in a memory of wtrace's own (probeCode.ts). Byte level like
 * countInstructions.ts: every original instruction is copied byte for byte.
 *
 * Everything is APPENDED, so no existing index of any kind changes (calls, exports, the start
 * function, element segments and the `name` section stay valid as they are):
 * - types `(func (param i32))` (flush) and `(func (result i32))` (reserve);
 * - the defined function `reserve`, after the program's functions;
 * - a funcref table of one slot, exported as `__wtrace_probe_flush`: JS puts its flush function
 *   there after instantiating (a function import would shift every defined function's index);
 * - the buffer memory, exported as `__wtrace_probes` (multi-memory);
 * - globals `T` (exported `__wtrace_time`), `P` (the buffer's end, exported
 *   `__wtrace_probes_end`) and `LIMIT`;
 * - per function: the counter's i64 local, and an i32 scratch local where it has probes.
 */
import { UnsupportedWasmError } from '../../src/errors.js';
import { ByteReader, WasmDecodeError } from '../../src/wasm/byteReader.js';
import { ByteWriter } from '../byteWriter.js';
import { CopyLog, type RewrittenModule } from '../copyLog.js';
import { TIME_EXPORT } from '../countInstructions.js';
import type { ModulePositions } from '../positions.js';
import { emitCountedCode } from '../timeCounter.js';
import { PROBE_RECORD_SIZE, ProbeHooks, reserveBody, type ProbeSlots } from './probeCode.js';
import type { ResolvedProbes } from './probePcs.js';

export const PROBES_MEMORY_EXPORT = '__wtrace_probes';
export const PROBES_END_EXPORT = '__wtrace_probes_end';
export const PROBE_FLUSH_TABLE_EXPORT = '__wtrace_probe_flush';
/** Initial size of the buffer memory in 64 KiB pages (65,536 records between flushes). */
export const PROBE_MEMORY_PAGES = 16;

const S = { type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7, code: 10 };
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6]; // index = id
const rank = (id: number) => SECTION_ORDER[id] ?? -1;
const I32 = 0x7f;
const I64 = 0x7e;

/** Rewrites `wasm` (decoded into `positions`) with the counter and `probes`. */
export function addProbes(wasm: Uint8Array, positions: ModulePositions, probes: ResolvedProbes, source: string): RewrittenModule {
  const { layout } = positions;
  const taken = [TIME_EXPORT, PROBES_MEMORY_EXPORT, PROBES_END_EXPORT, PROBE_FLUSH_TABLE_EXPORT].filter((n) => layout.exportNames.has(n));
  if (taken.length > 0) throw new UnsupportedWasmError(source, taken.map((n) => `the module already exports "${n}", a name wtrace needs`));
  const section = (id: number) => layout.sections.find((s) => s.id === id);
  let counts: ReturnType<typeof countEntries>;
  try {
    counts = countEntries(wasm, section);
  } catch (e) {
    if (e instanceof WasmDecodeError) throw new UnsupportedWasmError(source, [`${e.message} (offset 0x${e.offset.toString(16)})`]);
    throw e;
  }
  const timeGlobal = layout.importedGlobalCount + layout.definedGlobalCount;
  const slots: ProbeSlots = {
    timeGlobal,
    endGlobal: timeGlobal + 1,
    limitGlobal: timeGlobal + 2,
    bufferMemory: counts.memories,
    flushTable: counts.tables,
    flushType: counts.types,
    reserveFunc: layout.importedFunctionCount + positions.functions.length,
  };
  const reserveType = counts.types + 1;
  const sections = new Map<number, Uint8Array>();
  const append = (id: number, extra: (w: ByteWriter) => number) => sections.set(id, appendToVector(wasm, section(id), extra));
  append(S.type, (w) => (w.bytes(new Uint8Array([0x60, 1, I32, 0, 0x60, 0, 1, I32])), 2));
  append(S.function, (w) => (w.u32(reserveType), 1));
  append(S.table, (w) => (w.bytes(new Uint8Array([0x70, 0x01, 1, 1])), 1)); // funcref, min 1 max 1
  append(S.memory, (w) => (w.u8(0).u32(PROBE_MEMORY_PAGES), 1));
  append(S.global, (w) => {
    w.bytes(new Uint8Array([I64, 1, 0x42, 0, 0x0b])); // T
    w.bytes(new Uint8Array([I32, 1, 0x41, 0, 0x0b])); // P
    w.u8(I32).u8(1).u8(0x41).s64(BigInt((PROBE_MEMORY_PAGES * 65536 - PROBE_RECORD_SIZE) | 0)).u8(0x0b); // LIMIT
    return 3;
  });
  append(S.export, (w) => {
    w.name(TIME_EXPORT).u8(3).u32(slots.timeGlobal);
    w.name(PROBES_END_EXPORT).u8(3).u32(slots.endGlobal);
    w.name(PROBES_MEMORY_EXPORT).u8(2).u32(slots.bufferMemory);
    w.name(PROBE_FLUSH_TABLE_EXPORT).u8(1).u32(slots.flushTable);
    return 4;
  });
  const copies = new CopyLog();
  sections.set(S.code, codeSection(wasm, positions, probes, slots, copies));
  return { bytes: assemble(wasm, positions, sections), copies: copies.functions };
}

function codeSection(wasm: Uint8Array, positions: ModulePositions, probes: ResolvedProbes, slots: ProbeSlots, copies: CopyLog): Uint8Array {
  const out = new ByteWriter().u32(positions.functions.length + 1);
  for (const fn of positions.functions) {
    const { body } = fn;
    const mine = new Map<number, number>();
    for (const [pc, index] of probes.indexOf) if (pc >= body.codeStart && pc < body.end) mine.set(pc, index);
    const head = new ByteReader(wasm, body.start, body.codeStart);
    const groups = head.u32();
    const counter = body.paramCount + body.localCount;
    const code = new ByteWriter();
    code.u32(groups + (mine.size > 0 ? 2 : 1)).bytes(wasm.subarray(head.offset, body.codeStart)).u8(1).u8(I64);
    if (mine.size > 0) code.u8(1).u8(I32);
    const observer = copies.startFunction(code.length);
    const hooks = mine.size > 0 ? new ProbeHooks(wasm, code, slots, mine, { counter, scratch: counter + 1 }) : undefined;
    emitCountedCode(wasm, fn.instructions, { local: counter, global: slots.timeGlobal }, code, hooks, observer);
    out.u32(code.length).bytes(code.toBytes());
  }
  const reserve = reserveBody(slots);
  return out.u32(reserve.length).bytes(reserve).toBytes();
}

/** The module with `sections` replacing or added to the original's, in the binary format's order. */
function assemble(wasm: Uint8Array, positions: ModulePositions, sections: ReadonlyMap<number, Uint8Array>): Uint8Array<ArrayBuffer> {
  const out = new ByteWriter().bytes(wasm.subarray(0, 8));
  const pending = new Set(sections.keys());
  const write = (id: number) => {
    const payload = sections.get(id)!;
    out.u8(id).u32(payload.length).bytes(payload);
    pending.delete(id);
  };
  const writePendingBefore = (r: number) => {
    for (const p of [...pending].sort((a, b) => rank(a) - rank(b))) if (rank(p) < r) write(p);
  };
  for (const s of positions.layout.sections) {
    if (s.id !== 0) writePendingBefore(rank(s.id));
    if (pending.has(s.id)) write(s.id);
    else out.bytes(wasm.subarray(s.start, s.end));
  }
  writePendingBefore(Infinity);
  return out.toBytes();
}

/** A vector section's payload with `extra`'s entries appended (a new section when absent). */
function appendToVector(wasm: Uint8Array, s: { payloadStart: number; end: number } | undefined, extra: (w: ByteWriter) => number): Uint8Array {
  const body = new ByteWriter();
  let count = 0;
  if (s) {
    const r = new ByteReader(wasm, s.payloadStart, s.end);
    count = r.u32();
    body.bytes(wasm.subarray(r.offset, s.end));
  }
  const added = extra(body);
  return new ByteWriter().u32(count + added).bytes(body.toBytes()).toBytes();
}

/** Entries of the index spaces the probe module appends to: types, tables and memories (imports included). */
function countEntries(wasm: Uint8Array, section: (id: number) => { payloadStart: number; end: number } | undefined) {
  const reader = (id: number) => {
    const s = section(id);
    return s ? new ByteReader(wasm, s.payloadStart, s.end) : undefined;
  };
  let tables = 0;
  let memories = 0;
  const imports = reader(S.import);
  for (let i = 0, n = imports ? imports.u32() : 0; i < n; i++) {
    const r = imports!;
    r.name();
    r.name();
    const kind = r.u8();
    if (kind === 0) r.u32();
    else if (kind === 1) {
      skipRefType(r);
      skipLimits(r);
      tables++;
    } else if (kind === 2) {
      skipLimits(r);
      memories++;
    } else if (kind === 3) {
      skipRefType(r);
      r.u8();
    } else if (kind === 4) {
      r.u8();
      r.u32();
    } else throw new WasmDecodeError(`unknown import kind ${kind}`, r.offset - 1);
  }
  const count = (id: number) => reader(id)?.u32() ?? 0;
  return { types: count(S.type), tables: tables + count(S.table), memories: memories + count(S.memory) };
}

/** A value or reference type: one byte, or 0x63/0x64 and a heap type. */
function skipRefType(r: ByteReader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.s33();
}

function skipLimits(r: ByteReader): void {
  const flags = r.u8();
  r.u64();
  if (flags & 1) r.u64();
}
