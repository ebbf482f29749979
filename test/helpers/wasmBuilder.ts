/**
 * A tiny Wasm binary builder for tests that need modules no compiler makes on purpose: unknown
 * imports, shared or 64-bit memories, several memories, huge data segments, tight import loops.
 */

export function uleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

export function sleb(n: number): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return body.length === 0 && id !== 0 ? [] : [id, ...uleb(body.length), ...body];
}

export const I32 = 0x7f;
export const I64 = 0x7e;

export interface ModuleSpec {
  /** Function types: [params, results]. */
  types: [number[], number[]][];
  /** Function imports: module, field, type index. */
  funcImports?: [string, string, number][];
  /** Raw memory import entries: module, field, limits bytes (flags first). */
  memoryImports?: [string, string, number[]][];
  /** Defined memories as raw limits bytes. */
  memories?: number[][];
  /** Defined functions: type index, locals as [count, type] pairs, body bytes without `end`. */
  funcs?: { type: number; locals?: [number, number][]; body: number[] }[];
  /** Exports: name, kind (0 func, 2 memory), index. */
  exports?: [string, number, number][];
}

export function buildModule(spec: ModuleSpec): Uint8Array {
  const imports = [
    ...(spec.funcImports ?? []).map(([m, f, t]) => [...name(m), ...name(f), 0x00, ...uleb(t)]),
    ...(spec.memoryImports ?? []).map(([m, f, limits]) => [...name(m), ...name(f), 0x02, ...limits]),
  ];
  const funcs = spec.funcs ?? [];
  const code = funcs.map((f) => {
    const locals = vec((f.locals ?? []).map(([count, type]) => [...uleb(count), type]));
    const body = [...locals, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(spec.types.map(([p, r]) => [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))]))),
    ...section(2, imports.length ? vec(imports) : []),
    ...section(3, funcs.length ? vec(funcs.map((f) => uleb(f.type))) : []),
    ...section(5, spec.memories?.length ? vec(spec.memories) : []),
    ...section(7, spec.exports?.length ? vec(spec.exports.map(([n, k, i]) => [...name(n), k, ...uleb(i)])) : []),
    ...section(10, code.length ? vec(code) : []),
  ];
  return new Uint8Array(bytes);
}

/** Appends a data section with one active segment for memory 0 (any size: no array spreading). */
export function withDataSegment(module: Uint8Array, offset: number, data: Uint8Array): Uint8Array {
  const segment = [0x01, 0x00, 0x41, ...sleb(offset), 0x0b, ...uleb(data.length)];
  const header = [11, ...uleb(segment.length + data.length), ...segment];
  const out = new Uint8Array(module.length + header.length + data.length);
  out.set(module);
  out.set(header, module.length);
  out.set(data, module.length + header.length);
  return out;
}
