/** Instrumented offsets map back to every original instruction, and to nothing else. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePositions, instrument } from '../../instrument/index.js';

const dir = 'test/fixtures/wasm';
const fixtures = fs.readdirSync(dir).filter((f) => f.endsWith('.wasm'));

describe('pcMap', () => {
  it.each(fixtures.flatMap((f) => [[f, 'inputs'], [f, 'full']] as const))('%s (%s): a one-to-one map onto the original instructions', async (file, detail) => {
    const original = new Uint8Array(fs.readFileSync(path.join(dir, file)));
    const result = await instrument(original, { detail });
    const map = result.pcMap();
    const mapped = decodePositions(result.bytes)
      .functions.flatMap((f) => f.instructions)
      .map((i) => map.originalPc(i.offset))
      .filter((pc): pc is number => pc !== null);
    const expected = result.positions.functions.flatMap((f) => f.instructions.map((i) => i.offset));
    expect(mapped).toEqual(expected);
  });
});
