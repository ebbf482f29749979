/**
 * Decodes what an instance of a module needs besides its function bodies' instructions: types,
 * imports, function signatures, tables, the memory, globals, exports, the start function,
 * element and data segments, and where each body lies with its local declarations. It assumes
 * a valid module (V8 compiled it when it was recorded) and checks only what it must to stay in
 * bounds; module features the interpreter cannot run (GC types, memory64, several memories,
 * tables with initializer expressions) throw `UnsupportedInstructionError` here.
 */
import { ByteReader, WasmDecodeError } from '../../src/wasm/byteReader.js';
import { readConstExpr, type ConstExpr } from './constExpr.js';
import { UnsupportedInstructionError } from './errors.js';
import type { FuncType } from './valueTypes.js';

/** Table or memory limits (memory: in 64 KiB pages). */
export interface Limits {
  readonly min: number;
  readonly max: number | null;
}

export interface TableType {
  /** 0x70 funcref or 0x6f externref. */
  readonly refType: number;
  readonly limits: Limits;
}

export interface GlobalType {
  readonly type: number;
  readonly mutable: boolean;
}

/** One import; `index` is its place in its own index space (functions, tables, ...). */
export type ImportDecl = { readonly module: string; readonly name: string; readonly index: number } & (
  | { readonly kind: 'func'; readonly typeIndex: number }
  | { readonly kind: 'table'; readonly table: TableType }
  | { readonly kind: 'memory'; readonly limits: Limits }
  | { readonly kind: 'global'; readonly global: GlobalType }
  | { readonly kind: 'tag' }
);

export interface ExportDecl {
  readonly name: string;
  readonly kind: 'func' | 'table' | 'memory' | 'global' | 'tag';
  readonly index: number;
}

export interface ElementSegment {
  readonly mode: 'active' | 'passive' | 'declarative';
  readonly table: number;
  /** Active segments: where in the table the items go. */
  readonly offset: ConstExpr | null;
  readonly refType: number;
  /** One constant expression per item (a function index reads as `ref.func`). */
  readonly items: readonly ConstExpr[];
}

export interface DataSegment {
  readonly mode: 'active' | 'passive';
  readonly offset: ConstExpr | null;
  /** A view into the module bytes. */
  readonly bytes: Uint8Array;
}

/** Where a defined function's body lies. */
export interface BodyDecl {
  readonly funcIndex: number;
  /** Offset of the local declarations (what wasm-objdump prints for the function). */
  readonly start: number;
  /** Offset of the first instruction. */
  readonly codeStart: number;
  /** Offset just past the final `end`. */
  readonly end: number;
  /** Declared locals (not parameters), one type code each. */
  readonly locals: Uint8Array;
}

export interface DecodedModule {
  readonly types: readonly FuncType[];
  readonly imports: readonly ImportDecl[];
  /** Type index of every function, imported ones first. */
  readonly funcTypeIndices: readonly number[];
  readonly importedFunctionCount: number;
  /** Imported tables first. */
  readonly tables: readonly TableType[];
  /** Memory 0 (imported or defined), or null. */
  readonly memory: Limits | null;
  readonly memoryImported: boolean;
  /** Imported globals first; `init` is null for imported ones. */
  readonly globals: readonly (GlobalType & { readonly init: ConstExpr | null })[];
  readonly exports: readonly ExportDecl[];
  readonly start: number | null;
  readonly elements: readonly ElementSegment[];
  readonly data: readonly DataSegment[];
  readonly bodies: readonly BodyDecl[];
}

const EXPORT_KINDS = ['func', 'table', 'memory', 'global', 'tag'] as const;

// ByteReader.name() decodes with a TextDecoder that drops a leading U+FEFF; names keep it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function readName(r: ByteReader): string {
  const length = r.u32();
  if (r.offset + length > r.end) throw new WasmDecodeError('name runs past its section', r.offset);
  const s = utf8.decode(r.bytes.subarray(r.offset, r.offset + length));
  r.offset += length;
  return s;
}

/** Decodes `bytes`; throws `WasmDecodeError` on malformed bytes, `UnsupportedInstructionError` on unsupported features. */
export function decodeModule(bytes: Uint8Array): DecodedModule {
  const r = new ByteReader(bytes);
  if (r.u32le() !== 0x6d736100) throw new WasmDecodeError('not a WebAssembly module (bad magic)', 0);
  if (r.u32le() !== 1) throw new WasmDecodeError('unsupported WebAssembly binary version', 4);
  const m = {
    types: [] as FuncType[], imports: [] as ImportDecl[], funcTypeIndices: [] as number[], importedFunctionCount: 0,
    tables: [] as TableType[], memories: [] as Limits[], memoryImported: false,
    globals: [] as (GlobalType & { init: ConstExpr | null })[], exports: [] as ExportDecl[], start: null as number | null,
    elements: [] as ElementSegment[], data: [] as DataSegment[], bodies: [] as BodyDecl[],
  };
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    const s = new ByteReader(bytes, r.offset, r.offset + size);
    if (s.end > bytes.length) throw new WasmDecodeError(`section ${id} runs past the end`, r.offset);
    r.offset = s.end;
    switch (id) {
      case 1: vec(s, () => m.types.push(readFuncType(s))); break;
      case 2: vec(s, () => readImport(s, m)); break;
      case 3: vec(s, () => m.funcTypeIndices.push(s.u32())); break;
      case 4: vec(s, () => m.tables.push(readTableType(s))); break;
      case 5: vec(s, () => m.memories.push(readMemoryLimits(s))); break;
      case 6: vec(s, () => m.globals.push({ ...readGlobalType(s), init: readConstExpr(s) })); break;
      case 7: vec(s, () => m.exports.push({ name: readName(s), kind: EXPORT_KINDS[s.u8()] ?? 'tag', index: s.u32() })); break;
      case 8: m.start = s.u32(); break;
      case 9: vec(s, () => m.elements.push(readElement(s))); break;
      case 10: {
        let i = 0;
        vec(s, () => m.bodies.push(readBody(s, m.importedFunctionCount + i++)));
        break;
      }
      case 11: vec(s, () => m.data.push(readData(s))); break;
      default: break; // custom sections, data count, tags: nothing an instance needs here
    }
  }
  if (m.memories.length > 1) throw new UnsupportedInstructionError('multiple memories', -1, 'only memory 0 is supported');
  const { memories, ...rest } = m;
  return { ...rest, memory: memories[0] ?? null };
}

function vec(r: ByteReader, item: () => void): void {
  for (let n = r.u32(), i = 0; i < n; i++) item();
}

export function readValType(r: ByteReader): number {
  const at = r.offset;
  const b = r.u8();
  if (b === 0x63 || b === 0x64) throw new UnsupportedInstructionError('typed references', at, 'typed function references and GC are not supported');
  return b;
}

function readFuncType(r: ByteReader): FuncType {
  const at = r.offset;
  const form = r.u8();
  if (form !== 0x60) throw new UnsupportedInstructionError('GC type definitions', at, 'only function types are supported');
  const params: number[] = [];
  vec(r, () => params.push(readValType(r)));
  const results: number[] = [];
  vec(r, () => results.push(readValType(r)));
  return { params, results };
}

function readLimits(r: ByteReader, what: string): Limits {
  const at = r.offset;
  const flags = r.u8();
  if (flags & 4) throw new UnsupportedInstructionError(`64-bit ${what}`, at, 'memory64 and table64 are not supported');
  const min = r.u32();
  const max = flags & 1 ? r.u32() : null;
  if (flags & 8) throw new UnsupportedInstructionError('custom page sizes', at, 'not supported');
  return { min, max };
}

function readMemoryLimits(r: ByteReader): Limits {
  return readLimits(r, 'memory');
}

function readTableType(r: ByteReader): TableType {
  const at = r.offset;
  if (r.bytes[at] === 0x40) throw new UnsupportedInstructionError('table initializer expressions', at, 'not supported');
  const refType = readValType(r);
  return { refType, limits: readLimits(r, 'table') };
}

function readGlobalType(r: ByteReader): GlobalType {
  const type = readValType(r);
  return { type, mutable: r.u8() === 1 };
}

function readImport(r: ByteReader, m: {
  imports: ImportDecl[]; importedFunctionCount: number; tables: TableType[]; memories: Limits[]; memoryImported: boolean;
  funcTypeIndices: number[]; globals: (GlobalType & { init: ConstExpr | null })[];
}): void {
  const module = readName(r);
  const name = readName(r);
  const kind = r.u8();
  switch (kind) {
    case 0: {
      const typeIndex = r.u32();
      m.imports.push({ module, name, kind: 'func', typeIndex, index: m.importedFunctionCount++ });
      m.funcTypeIndices.push(typeIndex);
      break;
    }
    case 1: {
      const table = readTableType(r);
      m.imports.push({ module, name, kind: 'table', table, index: m.tables.length });
      m.tables.push(table);
      break;
    }
    case 2: {
      const limits = readMemoryLimits(r);
      m.imports.push({ module, name, kind: 'memory', limits, index: m.memories.length });
      m.memories.push(limits);
      m.memoryImported = true;
      break;
    }
    case 3: {
      const global = readGlobalType(r);
      m.imports.push({ module, name, kind: 'global', global, index: m.globals.length });
      m.globals.push({ ...global, init: null });
      break;
    }
    case 4:
      r.u8();
      r.u32();
      m.imports.push({ module, name, kind: 'tag', index: -1 });
      break;
    default:
      throw new WasmDecodeError(`unknown import kind ${kind}`, r.offset - 1);
  }
}

/** Element segment encodings 0-7 (bit 0: passive/declarative, bit 1: table index or declarative, bit 2: expressions). */
function readElement(r: ByteReader): ElementSegment {
  const flags = r.u32();
  const hasTable = (flags & 3) === 2;
  const mode = flags & 1 ? (flags & 2 ? 'declarative' : 'passive') : 'active';
  const table = hasTable ? r.u32() : 0;
  const offset = mode === 'active' ? readConstExpr(r) : null;
  const expressions = (flags & 4) !== 0;
  let refType = 0x70;
  if (flags & 3) {
    if (expressions) refType = readValType(r);
    else r.u8(); // elemkind 0x00: funcref
  }
  const items: ConstExpr[] = [];
  vec(r, () => items.push(expressions ? readConstExpr(r) : [{ op: 'ref.func', index: r.u32() }]));
  return { mode, table, offset, refType, items };
}

function readData(r: ByteReader): DataSegment {
  const at = r.offset;
  const flags = r.u32();
  if (flags === 2 && r.u32() !== 0) throw new UnsupportedInstructionError('a data segment for memory > 0', at, 'multiple memories are not supported');
  const offset = flags === 1 ? null : readConstExpr(r);
  const length = r.u32();
  if (r.offset + length > r.end) throw new WasmDecodeError('data segment runs past its section', r.offset);
  const bytes = r.bytes.subarray(r.offset, r.offset + length);
  r.offset += length;
  return { mode: flags === 1 ? 'passive' : 'active', offset, bytes };
}

function readBody(r: ByteReader, funcIndex: number): BodyDecl {
  const size = r.u32();
  const start = r.offset;
  const end = start + size;
  const types: number[] = [];
  vec(r, () => {
    const n = r.u32();
    const t = readValType(r);
    if (types.length + n > 50_000) throw new WasmDecodeError('too many locals', start);
    for (let k = 0; k < n; k++) types.push(t);
  });
  const body = { funcIndex, start, codeStart: r.offset, end, locals: Uint8Array.from(types) };
  r.offset = end;
  return body;
}
