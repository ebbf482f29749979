/**
 * The opcode table of the instructions wtrace decodes: names as `wasm-objdump -d` (wabt) prints
 * them, and the shape of each opcode's immediates, which is all a decoder needs to find where
 * the next instruction starts. Covers MVP, sign extension, non-trapping float-to-int, bulk
 * memory, reference types, tail calls and exception handling (legacy and exnref); SIMD lives in
 * `simdOpcodes.ts`. Opcodes of other proposals (GC, threads, relaxed SIMD, ...) are absent on
 * purpose: the decoder reports them as unsupported.
 */

/** How an instruction's immediates are encoded after its opcode. */
export type ImmediateKind =
  | 'none'
  | 'blockType' // 0x40, a value type byte, or a signed LEB type index
  | 'index' // one u32 (label depth, function, local, global, table, tag, data or element index)
  | 'index2' // two u32 (call_indirect type+table, memory.init data+memory, table.copy, ...)
  | 'brTable' // vec(u32 label) then the default label
  | 'memArg' // align flags (bit 6: a memory index follows), then the offset
  | 'memArgLane' // memArg then a lane byte (v128.load8_lane, ...)
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'v128' // 16 literal bytes (v128.const, i8x16.shuffle)
  | 'lane' // one lane byte
  | 'selectTypes' // vec(value type)
  | 'heapType' // ref.null
  | 'tryTable'; // block type, then vec(catch clause)

/** One row of the table: wabt's mnemonic and how to skip the immediates. */
export interface OpcodeInfo {
  readonly name: string;
  readonly immediate: ImmediateKind;
}

function row(name: string, immediate: ImmediateKind = 'none'): OpcodeInfo {
  return { name, immediate };
}

/** Single-byte opcodes, indexed by the byte. */
export const SINGLE_BYTE_OPCODES: ReadonlyMap<number, OpcodeInfo> = new Map<number, OpcodeInfo>([
  [0x00, row('unreachable')],
  [0x01, row('nop')],
  [0x02, row('block', 'blockType')],
  [0x03, row('loop', 'blockType')],
  [0x04, row('if', 'blockType')],
  [0x05, row('else')],
  [0x06, row('try', 'blockType')],
  [0x07, row('catch', 'index')],
  [0x08, row('throw', 'index')],
  [0x09, row('rethrow', 'index')],
  [0x0a, row('throw_ref')],
  [0x0b, row('end')],
  [0x0c, row('br', 'index')],
  [0x0d, row('br_if', 'index')],
  [0x0e, row('br_table', 'brTable')],
  [0x0f, row('return')],
  [0x10, row('call', 'index')],
  [0x11, row('call_indirect', 'index2')],
  [0x12, row('return_call', 'index')],
  [0x13, row('return_call_indirect', 'index2')],
  [0x18, row('delegate', 'index')],
  [0x19, row('catch_all')],
  [0x1a, row('drop')],
  [0x1b, row('select')],
  [0x1c, row('select', 'selectTypes')],
  [0x1f, row('try_table', 'tryTable')],
  [0x20, row('local.get', 'index')],
  [0x21, row('local.set', 'index')],
  [0x22, row('local.tee', 'index')],
  [0x23, row('global.get', 'index')],
  [0x24, row('global.set', 'index')],
  [0x25, row('table.get', 'index')],
  [0x26, row('table.set', 'index')],
  ...memoryOps(),
  [0x3f, row('memory.size', 'index')],
  [0x40, row('memory.grow', 'index')],
  [0x41, row('i32.const', 'i32')],
  [0x42, row('i64.const', 'i64')],
  [0x43, row('f32.const', 'f32')],
  [0x44, row('f64.const', 'f64')],
  ...numericOps(),
  [0xd0, row('ref.null', 'heapType')],
  [0xd1, row('ref.is_null')],
  [0xd2, row('ref.func', 'index')],
]);

function memoryOps(): [number, OpcodeInfo][] {
  const names = (
    'i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u ' +
    'i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u ' +
    'i32.store i64.store f32.store f64.store i32.store8 i32.store16 i64.store8 i64.store16 i64.store32'
  ).split(' ');
  return names.map((name, i) => [0x28 + i, row(name, 'memArg')]);
}

/** 0x45..0xc4: comparisons, arithmetic, conversions, sign extension; none has immediates. */
function numericOps(): [number, OpcodeInfo][] {
  const int = (t: string) =>
    `${t}.eqz ${t}.eq ${t}.ne ${t}.lt_s ${t}.lt_u ${t}.gt_s ${t}.gt_u ${t}.le_s ${t}.le_u ${t}.ge_s ${t}.ge_u`;
  const floatCmp = (t: string) => `${t}.eq ${t}.ne ${t}.lt ${t}.gt ${t}.le ${t}.ge`;
  const intArith = (t: string) =>
    `${t}.clz ${t}.ctz ${t}.popcnt ${t}.add ${t}.sub ${t}.mul ${t}.div_s ${t}.div_u ${t}.rem_s ` +
    `${t}.rem_u ${t}.and ${t}.or ${t}.xor ${t}.shl ${t}.shr_s ${t}.shr_u ${t}.rotl ${t}.rotr`;
  const floatArith = (t: string) =>
    `${t}.abs ${t}.neg ${t}.ceil ${t}.floor ${t}.trunc ${t}.nearest ${t}.sqrt ${t}.add ${t}.sub ` +
    `${t}.mul ${t}.div ${t}.min ${t}.max ${t}.copysign`;
  const conversions =
    'i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u ' +
    'i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u ' +
    'f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64 ' +
    'f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32 ' +
    'i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64 ' +
    'i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s';
  const all = [
    int('i32'), int('i64'), floatCmp('f32'), floatCmp('f64'),
    intArith('i32'), intArith('i64'), floatArith('f32'), floatArith('f64'), conversions,
  ].join(' ').split(' ');
  return all.map((name, i) => [0x45 + i, row(name)]);
}

/** 0xFC-prefixed opcodes, indexed by the u32 that follows the prefix. */
export const PREFIX_FC_OPCODES: ReadonlyMap<number, OpcodeInfo> = new Map<number, OpcodeInfo>([
  [0, row('i32.trunc_sat_f32_s')],
  [1, row('i32.trunc_sat_f32_u')],
  [2, row('i32.trunc_sat_f64_s')],
  [3, row('i32.trunc_sat_f64_u')],
  [4, row('i64.trunc_sat_f32_s')],
  [5, row('i64.trunc_sat_f32_u')],
  [6, row('i64.trunc_sat_f64_s')],
  [7, row('i64.trunc_sat_f64_u')],
  [8, row('memory.init', 'index2')],
  [9, row('data.drop', 'index')],
  [10, row('memory.copy', 'index2')],
  [11, row('memory.fill', 'index')],
  [12, row('table.init', 'index2')],
  [13, row('elem.drop', 'index')],
  [14, row('table.copy', 'index2')],
  [15, row('table.grow', 'index')],
  [16, row('table.size', 'index')],
  [17, row('table.fill', 'index')],
]);
