/**
 * Calls a Wasm export with exact argument and result bits. JS cannot carry v128 values at all
 * and may change NaN payloads, so a tiny driver module imports the target function, loads the
 * arguments from its own memory, calls, and stores the results back; the harness reads bytes.
 * One driver is compiled per signature and instantiated per target function.
 */
import { ByteWriter } from '../../instrument/byteWriter.js';

const VALTYPE: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };
const LOAD: Record<string, number[]> = { i32: [0x28], i64: [0x29], f32: [0x2a], f64: [0x2b], v128: [0xfd, 0x00] };
const STORE: Record<string, number[]> = { i32: [0x36], i64: [0x37], f32: [0x38], f64: [0x39], v128: [0xfd, 0x0b] };
const SLOT = 16;
export const RESULT_BASE = 4096;

/** True if the driver can carry every type (numbers and v128; references go through JS directly). */
export function driverCanCarry(types: readonly string[]): boolean {
  return types.every((t) => t in VALTYPE);
}

function section(out: ByteWriter, id: number, body: ByteWriter): void {
  out.u8(id).u32(body.length).bytes(body.toBytes());
}

/** The driver's bytes for `params -> results`: imports `t.f`, exports `run` and `mem`. */
export function driverModule(params: readonly string[], results: readonly string[]): Uint8Array<ArrayBuffer> {
  const out = new ByteWriter().bytes(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  const types = new ByteWriter().u32(2).u8(0x60).u32(params.length);
  for (const p of params) types.u8(VALTYPE[p]);
  types.u32(results.length);
  for (const r of results) types.u8(VALTYPE[r]);
  types.u8(0x60).u32(0).u32(0);
  section(out, 1, types);
  section(out, 2, new ByteWriter().u32(1).name('t').name('f').u8(0).u32(0));
  section(out, 3, new ByteWriter().u32(1).u32(1));
  section(out, 5, new ByteWriter().u32(1).u8(0).u32(1));
  section(out, 7, new ByteWriter().u32(2).name('run').u8(0).u32(1).name('mem').u8(2).u32(0));
  const code = new ByteWriter().u32(results.length);
  for (const r of results) code.u32(1).u8(VALTYPE[r]);
  params.forEach((p, i) => {
    code.u8(0x41).s64(BigInt(i * SLOT)); // i32.const address
    code.bytes(new Uint8Array([...LOAD[p], 0, 0]));
  });
  code.u8(0x10).u32(0);
  for (let j = results.length - 1; j >= 0; j--) code.u8(0x21).u32(j);
  results.forEach((r, j) => {
    code.u8(0x41).s64(BigInt(RESULT_BASE + j * SLOT)).u8(0x20).u32(j);
    code.bytes(new Uint8Array([...STORE[r], 0, 0]));
  });
  code.u8(0x0b);
  section(out, 10, new ByteWriter().u32(1).u32(code.length).bytes(code.toBytes()));
  return out.toBytes();
}
