/**
 * A small decoder for the parts of a Wasm binary that wtrace needs before running it: imports
 * with their signatures, memories and their limit flags, exports, the name section's function
 * names, and the code section's payload offset. It checks structure only as far as it reads;
 * full validation is V8's (`WebAssembly.compile`).
 */
import { ByteReader, WasmDecodeError } from './byteReader.js';

export { WasmDecodeError };

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'ref';

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export type ImportDesc =
  | { readonly kind: 'func'; readonly type: FuncType | undefined }
  | { readonly kind: 'table' }
  | { readonly kind: 'memory'; readonly limits: MemoryLimits }
  | { readonly kind: 'global' }
  | { readonly kind: 'tag' };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
}

export interface MemoryLimits {
  readonly min: bigint;
  readonly max: bigint | undefined;
  readonly shared: boolean;
  readonly memory64: boolean;
}

export interface Export {
  readonly name: string;
  readonly kind: 'func' | 'table' | 'memory' | 'global' | 'tag';
  readonly index: number;
}

export interface ModuleInfo {
  readonly imports: readonly Import[];
  readonly importedFunctionCount: number;
  /** Imported memories first, then defined ones (the Wasm index space). */
  readonly memories: readonly MemoryLimits[];
  readonly exports: readonly Export[];
  /** Function index to name, from the `name` custom section when present. */
  readonly functionNames: ReadonlyMap<number, string>;
  /** Byte offset (from the magic) of the code section's payload, after its size field. */
  readonly codeSectionPayloadOffset: number | undefined;
  /** Module name from the `name` section, if any. */
  readonly moduleName: string | undefined;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const EXTERNAL_KINDS = ['func', 'table', 'memory', 'global', 'tag'] as const;

/** True when `bytes` starts with the Wasm magic number. */
export function hasWasmMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * The sections of a module in order: id and payload range (offsets from the magic). Checks the
 * magic, the version and that each section fits in the file; throws `WasmDecodeError` otherwise.
 */
export function* moduleSections(bytes: Uint8Array): Generator<{ id: number; start: number; end: number }> {
  if (!hasWasmMagic(bytes)) throw new WasmDecodeError('not a WebAssembly module (no \\0asm magic)', 0);
  const r = new ByteReader(bytes, 4);
  const version = r.u32le();
  if (version !== 1) throw new WasmDecodeError(`unsupported binary version ${version} (a component?)`, 4);
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    const start = r.offset;
    const end = start + size;
    if (end > bytes.length) throw new WasmDecodeError(`section ${id} runs past the end of the file (truncated?)`, start);
    yield { id, start, end };
    r.offset = end;
  }
}

/** Decodes the sections listed above; throws `WasmDecodeError` with the byte offset on damage. */
export function readModuleInfo(bytes: Uint8Array): ModuleInfo {

  const types: FuncType[] = [];
  const imports: Import[] = [];
  const memories: MemoryLimits[] = [];
  const exports: Export[] = [];
  let functionNames = new Map<number, string>();
  let moduleName: string | undefined;
  let codeSectionPayloadOffset: number | undefined;

  for (const { id, start, end } of moduleSections(bytes)) {
    const s = new ByteReader(bytes, start, end);
    switch (id) {
      case 0: {
        const name = s.name();
        if (name === 'name') ({ functionNames, moduleName } = readNameSection(s));
        break;
      }
      case 1:
        for (let n = s.u32(), i = 0; i < n; i++) types.push(readTypeEntry(s));
        break;
      case 2:
        for (let n = s.u32(), i = 0; i < n; i++) imports.push(readImport(s, types, memories));
        break;
      case 5:
        for (let n = s.u32(), i = 0; i < n; i++) memories.push(readLimits(s));
        break;
      case 7:
        for (let n = s.u32(), i = 0; i < n; i++) {
          const name = s.name();
          const kind = EXTERNAL_KINDS[s.u8()];
          if (kind === undefined) throw new WasmDecodeError('bad export kind', s.offset - 1);
          exports.push({ name, kind, index: s.u32() });
        }
        break;
      case 10:
        codeSectionPayloadOffset = start;
        break;
    }
  }
  const importedFunctionCount = imports.filter((i) => i.desc.kind === 'func').length;
  return { imports, importedFunctionCount, memories, exports, functionNames, codeSectionPayloadOffset, moduleName };
}

function readValType(r: ByteReader): ValType {
  const at = r.offset;
  const b = r.u8();
  switch (b) {
    case 0x7f: return 'i32';
    case 0x7e: return 'i64';
    case 0x7d: return 'f32';
    case 0x7c: return 'f64';
    case 0x7b: return 'v128';
    case 0x70: return 'funcref';
    case 0x6f: return 'externref';
    case 0x63: case 0x64: r.s33(); return 'ref';
    default:
      if (b >= 0x69 && b <= 0x74) return 'ref'; // abstract heap type shorthands (GC, exnref)
      throw new WasmDecodeError(`unknown value type 0x${b.toString(16)}`, at);
  }
}

/** Reads one type-section entry; non-function types (GC) yield an empty placeholder. */
function readTypeEntry(r: ByteReader): FuncType {
  const at = r.offset;
  const form = r.u8();
  if (form === 0x60) {
    const params = Array.from({ length: r.u32() }, () => readValType(r));
    const results = Array.from({ length: r.u32() }, () => readValType(r));
    return { params, results };
  }
  throw new WasmDecodeError(`type form 0x${form.toString(16)} (GC types) is not supported`, at);
}

function readLimits(r: ByteReader): MemoryLimits {
  const at = r.offset;
  const flags = r.u8();
  if (flags > 0x0f) throw new WasmDecodeError(`bad limits flags 0x${flags.toString(16)}`, at);
  const memory64 = (flags & 0x04) !== 0;
  const min = memory64 ? r.u64() : BigInt(r.u32());
  const max = flags & 0x01 ? (memory64 ? r.u64() : BigInt(r.u32())) : undefined;
  if (flags & 0x08) r.u32(); // custom page size (proposal)
  return { min, max, shared: (flags & 0x02) !== 0, memory64 };
}

function readImport(r: ByteReader, types: FuncType[], memories: MemoryLimits[]): Import {
  const module = r.name();
  const name = r.name();
  const at = r.offset;
  const kind = r.u8();
  switch (kind) {
    case 0:
      return { module, name, desc: { kind: 'func', type: types[r.u32()] } };
    case 1:
      readValType(r);
      readLimits(r);
      return { module, name, desc: { kind: 'table' } };
    case 2: {
      const limits = readLimits(r);
      memories.push(limits);
      return { module, name, desc: { kind: 'memory', limits } };
    }
    case 3:
      readValType(r);
      r.u8();
      return { module, name, desc: { kind: 'global' } };
    case 4:
      r.u8();
      r.u32();
      return { module, name, desc: { kind: 'tag' } };
    default:
      throw new WasmDecodeError(`bad import kind ${kind}`, at);
  }
}

function readNameSection(r: ByteReader): { functionNames: Map<number, string>; moduleName: string | undefined } {
  const functionNames = new Map<number, string>();
  let moduleName: string | undefined;
  // A damaged name section is not fatal: names are a convenience.
  try {
    while (!r.atEnd()) {
      const sub = r.u8();
      const size = r.u32();
      const end = r.offset + size;
      if (sub === 0) moduleName = r.name();
      if (sub === 1) {
        for (let n = r.u32(), i = 0; i < n; i++) functionNames.set(r.u32(), r.name());
      }
      r.offset = end;
    }
  } catch {
    /* keep what was read */
  }
  return { functionNames, moduleName };
}
