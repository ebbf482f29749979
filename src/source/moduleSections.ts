/**
 * Finds what the source layer needs in a module's bytes without decoding the rest: the DWARF
 * custom sections by name, and the code section with the byte range of every function body.
 * Throws `WasmDecodeError` (src/wasm) when the section structure itself is damaged.
 */
import { ByteReader, WasmDecodeError } from '../wasm/byteReader.js';
import { moduleSections } from '../wasm/moduleInfo.js';

/** One function body of the code section, as module offsets (from the `\0asm` magic). */
export interface FunctionBody {
  /** Position of the body among the module's defined functions (0 = first body). */
  readonly bodyIndex: number;
  /** First byte after the body's size field: where DWARF's `DW_AT_low_pc` points. */
  readonly start: number;
  /** First instruction, after the local declarations. */
  readonly codeStart: number;
  /** One past the body's last byte (its final `end`). */
  readonly end: number;
}

export interface ModuleSections {
  /** Custom sections whose names start with `.debug_`, by name (the first of each name). */
  readonly debug: ReadonlyMap<string, Uint8Array>;
  /** Module offset of the code section's payload (after its size field), if there is one. */
  readonly codePayloadOffset: number | undefined;
  /** Bytes of the code section's payload, for `functionBodies`. */
  readonly code: Uint8Array | undefined;
}

/** Reads the section headers of `bytes`. */
export function readModuleSections(bytes: Uint8Array): ModuleSections {
  const debug = new Map<string, Uint8Array>();
  let codePayloadOffset: number | undefined;
  let code: Uint8Array | undefined;
  for (const { id, start, end } of moduleSections(bytes)) {
    if (id === 0) {
      const s = new ByteReader(bytes, start, end);
      const name = s.name();
      if (name.startsWith('.debug_') && !debug.has(name)) debug.set(name, bytes.subarray(s.offset, end));
    } else if (id === 10) {
      codePayloadOffset = start;
      code = bytes.subarray(start, end);
    }
  }
  return { debug, codePayloadOffset, code };
}

/** The function bodies of the code section, in order; empty without a code section. */
export function functionBodies(sections: ModuleSections): FunctionBody[] {
  const { code, codePayloadOffset } = sections;
  if (code === undefined || codePayloadOffset === undefined) return [];
  const r = new ByteReader(code);
  const bodies: FunctionBody[] = [];
  for (let n = r.u32(), i = 0; i < n; i++) {
    const size = r.u32();
    const start = r.offset;
    const end = start + size;
    if (end > code.length) throw new WasmDecodeError(`function body ${i} runs past the code section`, codePayloadOffset + start);
    const body = new ByteReader(code, start, end);
    for (let groups = body.u32(), g = 0; g < groups; g++) {
      body.u32();
      const type = body.u8();
      if (type === 0x63 || type === 0x64) body.s33(); // (ref null? heaptype)
    }
    bodies.push({ bodyIndex: i, start: codePayloadOffset + start, codeStart: codePayloadOffset + body.offset, end: codePayloadOffset + end });
    r.offset = end;
  }
  return bodies;
}
