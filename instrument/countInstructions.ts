/**
 * Builds the detail-mode `inputs` module: the original module with an exported mutable i64
 * global holding the executed-instruction count (see `timeCounter.ts`) and one i64 local per
 * function. Every other section is copied byte for byte; no existing index changes, because the
 * global and the locals are appended after all existing ones.
 */
import { UnsupportedWasmError } from '../src/errors.js';
import { ByteWriter } from './byteWriter.js';
import type { SectionSpan } from './moduleLayout.js';
import type { ModulePositions } from './positions.js';
import { emitCountedCode } from './timeCounter.js';
import { CopyLog, type RewrittenModule } from './copyLog.js';

/** Export name of the time global (an i64, read from JS as a BigInt). */
export const TIME_EXPORT = '__wtrace_time';

const SECTION_GLOBAL = 6;
const SECTION_EXPORT = 7;
const SECTION_CODE = 10;
/** Position of each known section id in the order the binary format requires. */
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6]; // index = id
const rank = (id: number) => SECTION_ORDER[id] ?? -1;

/** Rewrites `wasm` (already decoded into `positions`) with the instruction counter. */
export function addInstructionCounter(wasm: Uint8Array, positions: ModulePositions, source: string): RewrittenModule {
  const { layout } = positions;
  if (layout.exportNames.has(TIME_EXPORT)) {
    throw new UnsupportedWasmError(source, [`the module already exports "${TIME_EXPORT}", the name wtrace needs`]);
  }
  const timeGlobal = layout.importedGlobalCount + layout.definedGlobalCount;
  const sections = new Map<number, Uint8Array>([
    [SECTION_GLOBAL, globalSection(wasm, find(layout.sections, SECTION_GLOBAL))],
    [SECTION_EXPORT, exportSection(wasm, find(layout.sections, SECTION_EXPORT), timeGlobal)],
  ]);
  const copies = new CopyLog();
  if (positions.functions.length > 0) sections.set(SECTION_CODE, codeSection(wasm, positions, timeGlobal, copies));

  const out = new ByteWriter().bytes(wasm.subarray(0, 8));
  const pending = new Set(sections.keys());
  const emitPendingBefore = (id: number) => {
    for (const p of [...pending].sort((a, b) => rank(a) - rank(b))) {
      if (rank(p) >= rank(id)) break;
      writeSection(out, p, sections.get(p)!);
      pending.delete(p);
    }
  };
  for (const s of layout.sections) {
    if (s.id !== 0) emitPendingBefore(s.id);
    if (pending.has(s.id)) {
      writeSection(out, s.id, sections.get(s.id)!);
      pending.delete(s.id);
    } else {
      out.bytes(wasm.subarray(s.start, s.end));
    }
  }
  emitPendingBefore(Number.MAX_SAFE_INTEGER);
  for (const p of pending) writeSection(out, p, sections.get(p)!);
  return { bytes: out.toBytes(), copies: copies.functions };
}

function find(sections: readonly SectionSpan[], id: number): SectionSpan | undefined {
  return sections.find((s) => s.id === id);
}

function writeSection(out: ByteWriter, id: number, payload: Uint8Array): void {
  out.u8(id).u32(payload.length).bytes(payload);
}

/** Reads a vector's element count at the start of a section payload; returns it and where the elements start. */
function vectorHead(wasm: Uint8Array, s: SectionSpan | undefined): { count: number; rest: Uint8Array } {
  if (!s) return { count: 0, rest: new Uint8Array(0) };
  let count = 0;
  let shift = 0;
  let p = s.payloadStart;
  for (;;) {
    const b = wasm[p++];
    count += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  return { count, rest: wasm.subarray(p, s.end) };
}

function globalSection(wasm: Uint8Array, s: SectionSpan | undefined): Uint8Array {
  const { count, rest } = vectorHead(wasm, s);
  // (global (mut i64) (i64.const 0))
  return new ByteWriter().u32(count + 1).bytes(rest).bytes(new Uint8Array([0x7e, 0x01, 0x42, 0x00, 0x0b])).toBytes();
}

function exportSection(wasm: Uint8Array, s: SectionSpan | undefined, timeGlobal: number): Uint8Array {
  const { count, rest } = vectorHead(wasm, s);
  return new ByteWriter().u32(count + 1).bytes(rest).name(TIME_EXPORT).u8(0x03).u32(timeGlobal).toBytes();
}

function codeSection(wasm: Uint8Array, positions: ModulePositions, timeGlobal: number, copies: CopyLog): Uint8Array {
  const out = new ByteWriter().u32(positions.functions.length);
  for (const fn of positions.functions) {
    const { body } = fn;
    const head = vectorHead(wasm, { id: 0, start: body.start, payloadStart: body.start, end: body.codeStart });
    const code = new ByteWriter();
    code.u32(head.count + 1).bytes(head.rest).u8(0x01).u8(0x7e); // one more local: (local i64)
    const observer = copies.startFunction(code.length);
    emitCountedCode(wasm, fn.instructions, { local: body.paramCount + body.localCount, global: timeGlobal }, code, undefined, observer);
    out.u32(code.length).bytes(code.toBytes());
  }
  return out.toBytes();
}
