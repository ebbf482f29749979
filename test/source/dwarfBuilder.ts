/**
 * Builds DWARF line tables byte by byte, for what clang does not emit on purpose: every
 * opcode, DWARF64, versions 3 and 5 with unusual forms, tombstoned sequences, damage. Wraps
 * them in a minimal valid Wasm module (one function) that llvm-dwarfdump-16 can read too.
 */
import { name, sleb, uleb } from '../helpers/wasmBuilder.js';

const u16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u64 = (n: number) => [...u32(n % 2 ** 32), ...u32(Math.floor(n / 2 ** 32))];
const cstr = (s: string) => [...new TextEncoder().encode(s), 0];

/** Line program opcodes, as byte arrays. */
export const op = {
  copy: () => [1],
  advancePc: (n: number) => [2, ...uleb(n)],
  advanceLine: (n: number) => [3, ...sleb(n)],
  setFile: (n: number) => [4, ...uleb(n)],
  setColumn: (n: number) => [5, ...uleb(n)],
  negateStmt: () => [6],
  setBasicBlock: () => [7],
  constAddPc: () => [8],
  fixedAdvancePc: (n: number) => [9, ...u16(n)],
  setPrologueEnd: () => [10],
  setEpilogueBegin: () => [11],
  setIsa: (n: number) => [12, ...uleb(n)],
  special: (opcode: number) => [opcode],
  extended: (sub: number, payload: number[]) => [0, ...uleb(payload.length + 1), sub, ...payload],
  endSequence: () => op.extended(1, []),
  setAddress: (a: number) => op.extended(2, u32(a)),
  defineFile: (file: string, dir: number) => op.extended(3, [...cstr(file), ...uleb(dir), 0, 0]),
  setDiscriminator: (n: number) => op.extended(4, uleb(n)),
};

export interface UnitSpec {
  version: 2 | 3 | 4 | 5;
  dwarf64?: boolean;
  /** Default 13; 14 adds a 2-operand opcode 13 unknown to readers. */
  opcodeBase?: number;
  /** Versions 2-4: include directories (1-based) and files [name, dir]. */
  dirs?: string[];
  files?: [string, number][];
  /** Version 5: the header's entry tables, already encoded (formats + entries). */
  v5Tables?: number[];
  program: number[];
}

/** One `.debug_line` unit. */
export function lineUnit(spec: UnitSpec): number[] {
  const opcodeBase = spec.opcodeBase ?? 13;
  const lengths = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 2].slice(0, opcodeBase - 1);
  const offset = (n: number) => (spec.dwarf64 ? u64(n) : u32(n));
  const params = [1, ...(spec.version >= 4 ? [1] : []), 1, 0xfb /* line_base -5 */, 14, opcodeBase, ...lengths];
  const tables =
    spec.version >= 5
      ? spec.v5Tables!
      : [...(spec.dirs ?? []).flatMap(cstr), 0, ...(spec.files ?? []).flatMap(([f, d]) => [...cstr(f), ...uleb(d), 0, 0]), 0];
  const header = [...params, ...tables];
  const afterVersion = [...(spec.version >= 5 ? [4, 0] : []), ...offset(header.length), ...header, ...spec.program];
  const body = [...u16(spec.version), ...afterVersion];
  return [...(spec.dwarf64 ? [0xff, 0xff, 0xff, 0xff, ...u64(body.length)] : u32(body.length)), ...body];
}

/** Version 5 entry tables: directories then files, each with its (content type, form) formats. */
export function v5Tables(dirs: { formats: [number, number][]; entries: number[][] }, files: { formats: [number, number][]; entries: number[][] }): number[] {
  const table = (t: { formats: [number, number][]; entries: number[][] }) => [
    t.formats.length, ...t.formats.flatMap(([type, form]) => [...uleb(type), ...uleb(form)]),
    ...uleb(t.entries.length), ...t.entries.flat(),
  ];
  return [...table(dirs), ...table(files)];
}

export const encode = { cstr, u16, u32, u64, uleb };

/** A valid module with one function of `codeBytes` nops and the given custom sections. */
export function moduleWith(custom: Record<string, number[]>, codeBytes = 64): Uint8Array {
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  const fn = [0, ...new Array(codeBytes).fill(0x01), 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(3, [1, 0]),
    ...section(10, [1, ...uleb(fn.length), ...fn]),
    ...Object.entries(custom).flatMap(([n, bytes]) => section(0, [...name(n), ...bytes])),
  ]);
}

/** The payload of custom section `sectionName` of `module` (throws when absent). */
export function customSection(module: Uint8Array, sectionName: string): Uint8Array {
  for (const s of sections(module)) if (s.name === sectionName) return module.subarray(s.payload, s.end);
  throw new Error(`no custom section ${sectionName}`);
}

/** `module` with custom section `sectionName`'s payload replaced by `payload`. */
export function withCustomSection(module: Uint8Array, sectionName: string, payload: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  for (const s of sections(module)) {
    if (s.name !== sectionName) parts.push(module.subarray(s.start, s.end));
    else parts.push(new Uint8Array([0, ...uleb(name(sectionName).length + payload.length), ...name(sectionName)]), payload);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** Section boundaries: `start` of the id byte, `payload` after the custom section's name, `end`. */
function sections(module: Uint8Array): { name: string | undefined; start: number; payload: number; end: number }[] {
  const out = [];
  let at = 8;
  const leb = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = module[at++];
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (at < module.length) {
    const start = at;
    const id = module[at++];
    const size = leb();
    const end = at + size;
    let sectionName: string | undefined;
    let payload = at;
    if (id === 0) {
      const len = leb();
      sectionName = new TextDecoder().decode(module.subarray(at, at + len));
      payload = at + len;
    }
    out.push({ name: sectionName, start, payload, end });
    at = end;
  }
  return out;
}
