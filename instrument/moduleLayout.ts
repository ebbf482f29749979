/**
 * Reads the layout of an original module that instrumenting needs: where each section is, the
 * function types, how many functions and globals are imported and defined, export names, and
 * where each function body lies. It reads only those parts; V8 validates the rest.
 */
import { ByteReader, WasmDecodeError } from '../src/wasm/byteReader.js';

/** One section as it appears in the binary; offsets count from the `\0asm` magic. */
export interface SectionSpan {
  readonly id: number;
  /** Offset of the section id byte. */
  readonly start: number;
  /** Offset of the first payload byte (after the size field). */
  readonly payloadStart: number;
  /** Offset just past the payload. */
  readonly end: number;
}

/** Where one defined function's body lies. */
export interface BodySpan {
  /** Index in the function index space (imported functions first). */
  readonly funcIndex: number;
  /** Offset of the body's local-declaration count (just after the body size field); wasm-objdump prints this as the function's offset. */
  readonly start: number;
  /** Offset of the first instruction (after the local declarations). */
  readonly codeStart: number;
  /** Offset just past the body's final `end`. */
  readonly end: number;
  /** Number of declared locals, not counting parameters. */
  readonly localCount: number;
  /** Number of parameters, from the function's type. */
  readonly paramCount: number;
  /** Number of results, from the function's type. */
  readonly resultCount: number;
  /** The first byte of each parameter's value type (a reference type's 0x63/0x64 or shorthand byte). */
  readonly paramTypes: Uint8Array;
  /** The first byte of each result's value type. */
  readonly resultTypes: Uint8Array;
}

/** What instrumenting needs to know about a module's structure. */
export interface ModuleLayout {
  readonly sections: readonly SectionSpan[];
  readonly importedFunctionCount: number;
  readonly importedGlobalCount: number;
  readonly definedGlobalCount: number;
  readonly exportNames: ReadonlySet<string>;
  readonly bodies: readonly BodySpan[];
}

const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_FUNCTION = 3;
const SECTION_GLOBAL = 6;
const SECTION_EXPORT = 7;
const SECTION_CODE = 10;

/** Decodes the layout; throws `WasmDecodeError` (with the failing offset) on malformed bytes. */
export function readModuleLayout(bytes: Uint8Array): ModuleLayout {
  const r = new ByteReader(bytes);
  if (r.u32le() !== 0x6d736100) throw new WasmDecodeError('not a WebAssembly module (bad magic)', 0);
  if (r.u32le() !== 1) throw new WasmDecodeError('unsupported WebAssembly binary version', 4);
  const sections: SectionSpan[] = [];
  while (!r.atEnd()) {
    const start = r.offset;
    const id = r.u8();
    const size = r.u32();
    const payloadStart = r.offset;
    if (payloadStart + size > bytes.length) throw new WasmDecodeError('section runs past the end', start);
    sections.push({ id, start, payloadStart, end: payloadStart + size });
    r.offset = payloadStart + size;
  }
  const reader = (id: number) => {
    const s = sections.find((x) => x.id === id);
    return s ? new ByteReader(bytes, s.payloadStart, s.end) : undefined;
  };

  const types = readTypeArities(reader(SECTION_TYPE));
  const imports = readImportCounts(reader(SECTION_IMPORT));
  const funcTypes = readVec(reader(SECTION_FUNCTION), (x) => x.u32());
  const globals = reader(SECTION_GLOBAL);
  const exportNames = new Set(readVec(reader(SECTION_EXPORT), (x) => {
    const name = x.name();
    x.u8();
    x.u32();
    return name;
  }));
  const bodies = readBodies(reader(SECTION_CODE), imports.functions, (i) => types[funcTypes[i]]);
  return {
    sections,
    importedFunctionCount: imports.functions,
    importedGlobalCount: imports.globals,
    definedGlobalCount: globals ? globals.u32() : 0,
    exportNames,
    bodies,
  };
}

function readVec<T>(r: ByteReader | undefined, item: (r: ByteReader) => T): T[] {
  if (!r) return [];
  const n = r.u32();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(r));
  return out;
}

/** Skips one LEB128 number of any width. */
export function skipLeb(r: ByteReader): void {
  while (r.u8() & 0x80);
}

interface TypeShape {
  readonly params: number;
  readonly results: number;
  readonly paramTypes: Uint8Array;
  readonly resultTypes: Uint8Array;
}

function readTypeArities(r: ByteReader | undefined): TypeShape[] {
  return readVec(r, (x) => {
    const at = x.offset;
    if (x.u8() !== 0x60) throw new WasmDecodeError('type is not a plain function type (GC types are unsupported)', at);
    const paramTypes = new Uint8Array(x.u32());
    for (let i = 0; i < paramTypes.length; i++) paramTypes[i] = skipValType(x);
    const resultTypes = new Uint8Array(x.u32());
    for (let i = 0; i < resultTypes.length; i++) resultTypes[i] = skipValType(x);
    return { params: paramTypes.length, results: resultTypes.length, paramTypes, resultTypes };
  });
}

/** Skips one value type; returns its first byte. */
function skipValType(r: ByteReader): number {
  const b = r.u8();
  // (ref null? ht) from typed function references/GC carries a heap type.
  if (b === 0x63 || b === 0x64) r.s33();
  return b;
}

function skipLimits(r: ByteReader): void {
  const flags = r.u8();
  skipLeb(r);
  if (flags & 1) skipLeb(r);
}

function readImportCounts(r: ByteReader | undefined): { functions: number; globals: number } {
  let functions = 0;
  let globals = 0;
  readVec(r, (x) => {
    x.name();
    x.name();
    const kind = x.u8();
    if (kind === 0) {
      x.u32();
      functions++;
    } else if (kind === 1) {
      skipValType(x);
      skipLimits(x);
    } else if (kind === 2) {
      skipLimits(x);
    } else if (kind === 3) {
      skipValType(x);
      x.u8();
      globals++;
    } else if (kind === 4) {
      x.u8();
      x.u32();
    } else {
      throw new WasmDecodeError(`unknown import kind ${kind}`, x.offset - 1);
    }
  });
  return { functions, globals };
}

function readBodies(
  r: ByteReader | undefined,
  imported: number,
  typeOf: (i: number) => TypeShape | undefined,
): BodySpan[] {
  let i = 0;
  return readVec(r, (x) => {
    const size = x.u32();
    const start = x.offset;
    let localCount = 0;
    const groups = x.u32();
    for (let g = 0; g < groups; g++) {
      localCount += x.u32();
      skipValType(x);
    }
    const type = typeOf(i);
    if (!type) throw new WasmDecodeError(`function ${imported + i} has no type`, start);
    const span = {
      funcIndex: imported + i, start, codeStart: x.offset, end: start + size,
      localCount, paramCount: type.params, resultCount: type.results, paramTypes: type.paramTypes, resultTypes: type.resultTypes,
    };
    i++;
    x.offset = start + size;
    return span;
  });
}
