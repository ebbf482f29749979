/**
 * The Binaryen-to-original position map over every C fixture: no kind is misaligned in any
 * function, and every mapped expression agrees with the original instruction at its offset
 * (same kind; same callee, local index, or memarg offset and access width where it has one).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BinaryenModule, expressionInfo, type ExpressionRef } from '../../instrument/binaryenModule.js';
import { walkExpressions } from '../../instrument/expressionWalk.js';
import { buildPositionMap, kindOfInstruction } from '../../instrument/positionMap.js';
import { decodePositions, type Instruction } from '../../instrument/positions.js';

const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/wasm');
const fixtures = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.wasm')).sort();

/** Access width in bytes from a wabt load/store mnemonic: `i64.load32_s` is 4, `f64.store` is 8. */
function accessBytes(name: string): number {
  const m = /(?:load|store)(\d+)/.exec(name);
  if (m) return Number(m[1]) / 8;
  return name.startsWith('i32') || name.startsWith('f32') ? 4 : 8;
}

function disagreement(e: ExpressionRef, kind: string, ins: Instruction, names: string[]): string | undefined {
  if (kindOfInstruction(ins.name) !== kind) return `${kind} mapped onto ${ins.name}`;
  if (kind === 'block' || kind === 'loop' || kind === 'if' || kind === 'unreachable') return undefined;
  const info = expressionInfo(e);
  if (kind === 'call' && info.target !== names[ins.index]) return `call ${String(info.target)} vs ${names[ins.index]}`;
  if ((kind === 'local.set' || kind === 'local.tee') && info.index !== ins.index) return `${kind} ${String(info.index)} vs ${ins.index}`;
  if (kind === 'load' || kind === 'store') {
    if (info.offset !== ins.memoryOffset) return `${ins.name} offset ${String(info.offset)} vs ${ins.memoryOffset}`;
    if (info.bytes !== accessBytes(ins.name)) return `${ins.name} width ${String(info.bytes)}`;
  }
  return undefined;
}

describe('position map (Binaryen expression to original offset)', () => {
  const totals = new Map<string, number>();
  it.each(fixtures)('%s', (name) => {
    const bytes = fs.readFileSync(path.join(fixtureDir, name));
    const positions = decodePositions(bytes);
    const byOffset = new Map(positions.functions.flatMap((f) => f.instructions.map((i) => [i.offset, i] as const)));
    const module = BinaryenModule.read(bytes, name);
    try {
      const map = buildPositionMap(module, positions);
      expect(map.mismatches).toEqual([]);
      const names = module.functionNames();
      const wrong: string[] = [];
      for (const fn of module.definedFunctions()) {
        walkExpressions(fn.body, {
          leave: (e) => {
            const offset = map.offsetOf(e);
            if (offset === undefined) return;
            const kind = map.kindOf(e)!;
            const problem = disagreement(e, kind, byOffset.get(offset)!, names);
            if (problem) wrong.push(`function ${fn.index} @${offset.toString(16)}: ${problem}`);
            totals.set(kind, (totals.get(kind) ?? 0) + 1);
          },
        });
      }
      expect(wrong.slice(0, 10)).toEqual([]);
    } finally {
      module.dispose();
    }
  });

  it('covered every kind the fixtures contain (clang-16 emits no `if`)', () => {
    for (const kind of ['load', 'store', 'call', 'call_indirect', 'local.set', 'local.tee', 'global.set',
      'memory.grow', 'unreachable', 'block', 'loop']) {
      expect(totals.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
  });
});
