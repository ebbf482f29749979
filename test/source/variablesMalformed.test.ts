/**
 * Damaged DWARF under the variables reader: truncations and byte flips (chosen by fast-check)
 * of variables.wasm's `.debug_info`, `.debug_abbrev`, `.debug_addr`, `.debug_rnglists` and
 * debug_target.wasm's `.debug_loc` and `.debug_ranges`. Reading scopes, globals, types and
 * values must end in a result or a `DwarfFormatError`, never another exception or a hang.
 */
import { fc, test } from '@fast-check/vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeVariable, DwarfFormatError, DwarfVariables, evaluateLocation, expressionAt, typeName, type ExprContext,
} from '../../src/source/index.js';
import { customSection, withCustomSection } from './dwarfBuilder.js';

const load = (name: string) => new Uint8Array(fs.readFileSync(path.resolve(import.meta.dirname, `../fixtures/wasm/${name}.wasm`)));
const variables = load('variables');
const debugTarget = load('debug_target');

const memory = new Uint8Array(1 << 16);
const ctx: ExprContext = {
  local: () => ({ bytes: new Uint8Array([0, 0x10, 0, 0]), value: 0x1000n }),
  global: () => ({ bytes: new Uint8Array([0, 0x20, 0, 0]), value: 0x2000n }),
  operand: () => null,
  readMemory: (a, n) => (a >= 0 && a + n <= memory.length ? memory.subarray(a, a + n) : null),
  addressAtIndex: () => 0x100,
  frameBase: () => 0x1000n,
};

/** Everything the engine asks of DWARF for a stop at each of `pcs`, and for the globals. */
function readAll(module: Uint8Array): number {
  const dv = DwarfVariables.fromModule(module);
  if (dv === null) return 0;
  let n = 0;
  const show = (v: { name: string; type: Parameters<typeof typeName>[0]; location: Parameters<typeof expressionAt>[0] | null }, pc: number) => {
    const expr = v.location === null ? null : expressionAt(v.location, pc);
    const loc = expr === null ? { kind: 'unavailable' as const, reason: 'none' } : evaluateLocation(expr, ctx);
    n += describeVariable(v.name, v.type, loc, { readMemory: ctx.readMemory }).value.length + typeName(v.type).length;
  };
  for (let pc = dv.codeOffset; pc < dv.codeOffset + 0x800; pc += 7) for (const v of dv.scopeAt(pc)?.variables ?? []) show(v, pc - dv.codeOffset);
  for (const g of dv.globals()) show(g, 0);
  return n;
}

function outcome(module: Uint8Array): 'ok' | 'dwarf-error' {
  try {
    readAll(module);
    return 'ok';
  } catch (e) {
    if (e instanceof DwarfFormatError) return 'dwarf-error';
    throw e;
  }
}

describe('damaged DWARF for variables', () => {
  it('reads the undamaged modules', () => {
    expect(readAll(variables)).toBeGreaterThan(1000);
    expect(readAll(debugTarget)).toBeGreaterThan(100);
  });

  const cases: [string, Uint8Array][] = [
    ['.debug_info', variables], ['.debug_abbrev', variables], ['.debug_addr', variables], ['.debug_rnglists', variables],
    ['.debug_loc', debugTarget], ['.debug_ranges', debugTarget], ['.debug_info', debugTarget],
  ];
  for (const [section, module] of cases) {
    const original = customSection(module, section);
    const label = `${section} of ${module === variables ? 'variables' : 'debug_target'}.wasm`;

    test.prop([fc.nat({ max: original.length - 1 })], { numRuns: 40, seed: 11 })(`${label} truncated`, (cut) => {
      expect(['ok', 'dwarf-error']).toContain(outcome(withCustomSection(module, section, original.slice(0, cut))));
    });

    test.prop([fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })], { numRuns: 60, seed: 5 })(
      `${label} with bytes changed`,
      (edits) => {
        const copy = original.slice();
        for (const [at, value] of edits) copy[at] = value;
        expect(['ok', 'dwarf-error']).toContain(outcome(withCustomSection(module, section, copy)));
      },
    );
  }
});
