/**
 * Original positions against the oracle: for every C fixture, every instruction's offset and
 * mnemonic from `decodePositions` equals what `wasm-objdump -d` prints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePositions } from '../../instrument/positions.js';
import { PREFIX_FD_OPCODES } from '../../instrument/simdOpcodes.js';
import { UnsupportedWasmError } from '../../src/errors.js';
import { haveWabt, objdumpFunctions } from './objdump.js';

const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/wasm');
const fixtures = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.wasm')).sort();
const skip = !haveWabt() && !process.env.CI;

describe.skipIf(skip)('original positions match wasm-objdump -d', () => {
  let total = 0;
  it.each(fixtures)('%s', (name) => {
    const file = path.join(fixtureDir, name);
    const ours = decodePositions(fs.readFileSync(file)).functions;
    const theirs = objdumpFunctions(file);
    expect(ours.map((f) => f.funcIndex)).toEqual(theirs.map((f) => f.funcIndex));
    const mismatches: string[] = [];
    ours.forEach((f, i) => {
      const oracle = theirs[i];
      if (f.body.start !== oracle.offset) mismatches.push(`func ${f.funcIndex}: body at ${f.body.start}, objdump ${oracle.offset}`);
      const a = f.instructions.map((x) => `${x.offset.toString(16)} ${x.name}`);
      const b = oracle.instructions.map((x) => `${x.offset.toString(16)} ${x.name}`);
      if (a.join('\n') !== b.join('\n')) mismatches.push(`func ${f.funcIndex}: instructions differ`);
      total += a.length;
    });
    expect(mismatches).toEqual([]);
    expect(total).toBeGreaterThan(0);
  });
  it('checked a substantial number of instructions', () => {
    // 10 fixtures of clang-16 C code: well over 100k instructions together.
    expect(total).toBeGreaterThan(100_000);
  });
});

describe('decoder', () => {
  it('knows all 236 fixed-width SIMD opcodes', () => {
    expect(PREFIX_FD_OPCODES.size).toBe(236);
  });

  it('collects unsupported opcodes per function instead of stopping at the first', () => {
    // Two functions of type () -> (), each body: an atomic fence (0xfe 0x03 0x00), end.
    const body = [0x05, 0x00, 0xfe, 0x03, 0x00, 0x0b];
    const bytes = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x03, 0x02, 0x00, 0x00,
      0x0a, 0x0d, 0x02, ...body, ...body,
    ]);
    let error: unknown;
    try {
      decodePositions(bytes, 'two.wasm');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedWasmError);
    expect((error as UnsupportedWasmError).problems).toHaveLength(2);
    expect((error as UnsupportedWasmError).message).toMatch(/two\.wasm.*function 0.*0xfe.*function 1/);
  });
});
