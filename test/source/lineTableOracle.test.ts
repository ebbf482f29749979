/**
 * Line tables against the oracle: for every C fixture, every row SourceMap lists equals what
 * `llvm-dwarfdump-16 --debug-line` prints (address + code section payload offset, file, line,
 * column, is_stmt, end_sequence), and DWARF subprograms equal its `--debug-info`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DwarfFunctions, SourceMap } from '../../src/source/index.js';
import { readModuleInfo } from '../../src/wasm/moduleInfo.js';
import { skipWithout } from '../helpers/run.js';
import { DWARFDUMP, dumpLineTables, dumpSubprograms } from './dwarfdump.js';

const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/wasm');
const fixtures = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.wasm')).sort();
const versions = new Set<number>();

describe.skipIf(skipWithout(DWARFDUMP))('line tables match llvm-dwarfdump-16', () => {
  it.each(fixtures)('%s: every row', (name) => {
    const file = path.join(fixtureDir, name);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const codeOffset = readModuleInfo(bytes).codeSectionPayloadOffset!;
    const tables = dumpLineTables(file);
    for (const t of tables) versions.add(t.version);
    // SourceMap orders sequences by start address (stably); so does this.
    const expected = tables
      .flatMap((t) => t.sequences)
      .filter((seq) => seq[0].address !== 0 && seq[0].address < 0xfffffffe)
      .sort((a, b) => a[0].address - b[0].address)
      .flat()
      .map(({ address, ...rest }) => ({ pc: address + codeOffset, ...rest }));
    const actual = [...SourceMap.fromModule(bytes)!.rows()];
    expect(expected.length).toBeGreaterThan(100);
    expect(actual).toEqual(expected);
  });

  it('covered DWARF versions 4 and 5', () => {
    expect([...versions].sort()).toEqual([4, 5]);
  });

  it.each(fixtures)('%s: subprograms', (name) => {
    const file = path.join(fixtureDir, name);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const codeOffset = readModuleInfo(bytes).codeSectionPayloadOffset!;
    const key = (f: { name: string; lowPc: number; highPc: number }) => `${f.lowPc}..${f.highPc} ${f.name}`;
    const expected = dumpSubprograms(file)
      .filter((f) => f.lowPc !== 0 && f.lowPc < 0xfffffffe)
      .map((f) => key({ name: f.name, lowPc: f.lowPc + codeOffset, highPc: f.highPc + codeOffset }))
      .sort();
    const actual = DwarfFunctions.fromModule(bytes).ranges.map(key).sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(actual).toEqual(expected);
  });
});
