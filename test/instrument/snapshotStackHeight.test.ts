/**
 * The operand-stack height analysis behind snapshots (instrument/snapshotStackHeight.ts), on
 * small functions whose height at each loop body start is known by hand: values of enclosing
 * blocks, block parameters, multi-value calls, `call_indirect`, SIMD, `select`, both arms of an
 * `if`, dead code, legacy exception handlers; and an invalid body, where it reports problems and
 * refuses every loop. test/instrument/snapshotSpec.test.ts checks it on the whole spec suite.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodePositions } from '../../instrument/index.js';
import { functionSignatures } from '../../instrument/fullModule.js';
import { emptyStackLoops, stackHeights } from '../../instrument/snapshotStackHeight.js';
import { assemble, haveWat2wasm } from './wat.js';

/** Heights at every loop body start of the module's functions, in order, and all problems. */
function loopHeights(wat: string, flags: string[] = []): { heights: (number | null)[]; problems: string[]; empty: number } {
  const bytes = assemble(wat, flags);
  const positions = decodePositions(bytes);
  const signatures = functionSignatures(bytes, positions);
  const heights: (number | null)[] = [];
  const problems: string[] = [];
  let empty = 0;
  for (const fn of positions.functions) {
    const h = stackHeights(bytes, fn.instructions, signatures, fn.body.resultCount);
    fn.instructions.forEach((ins, i) => {
      if (ins.name === 'loop') heights.push(h.before[i + 1]);
    });
    problems.push(...h.problems);
    empty += emptyStackLoops(bytes, fn.instructions, signatures, fn.body.resultCount).size;
  }
  return { heights, problems, empty };
}

const CASES: [string, string, (number | null)[], string[]?][] = [
  ['an empty function body', '(func loop end)', [0]],
  ['a value below the loop', '(func (result i32) i32.const 1 loop end)', [1]],
  ['an `if` condition is popped', '(func (param i32) local.get 0 if loop end end)', [0]],
  ['block parameters stay below', '(func (result i32 i32) i32.const 1 i32.const 2 block (param i32 i32) (result i32 i32) loop end end)', [2]],
  ['loop parameters', '(func (result i32) i32.const 1 loop (param i32) (result i32) end)', [1]],
  ['a block result is not there yet', '(func (result i32) block (result i32) loop end i32.const 1 end)', [0]],
  ['a call with two results', '(func $two (result i32 i32) i32.const 1 i32.const 2) (func call $two drop loop end drop)', [1]],
  ['call_indirect pops its index', '(type $t (func (param i32) (result i32))) (table 1 funcref) (func i32.const 1 i32.const 0 call_indirect (type $t) loop end drop)', [1]],
  ['both arms of an `if`', '(func (param i32) (result i32) local.get 0 if (result i32) loop end i32.const 1 else i32.const 2 loop end end)', [0, 1]],
  ['dead code after `br`, live after the block', '(func block br 0 loop end end loop end)', [null, 0]],
  ['dead code after `br_table` and `unreachable`', '(func (param i32) block local.get 0 br_table 0 0 loop end end unreachable loop end)', [null, null]],
  ['SIMD and select', `(memory 1) (func (result v128)
      i32.const 0 v128.load i32.const 0 v128.load v128.const i64x2 0 0 v128.bitselect loop end
      i32.const 0 i32.const 1 i32.const 1 select drop
      i32.const 0 i32.const 0 v128.load i32.const 7 i8x16.replace_lane 3 i8x16.extract_lane_u 1 drop drop loop end)`, [1, 1]],
  ['memory.fill and memory.grow', '(memory 1) (func i32.const 0 i32.const 0 i32.const 4 memory.fill i32.const 1 memory.grow loop end drop)', [1]],
  ['legacy try: unknown in `catch $e` (its values are not read), known in `catch_all` and after', `(tag $e (param i32))
    (func try loop end catch $e drop loop end catch_all loop end end loop end)`, [0, null, 0, 0], ['--enable-exceptions']],
];

describe.skipIf(!haveWat2wasm && !process.env.CI)('operand-stack heights at loop body starts', () => {
  it.each(CASES)('%s', (_, body, expected, flags) => {
    const { heights, problems, empty } = loopHeights(`(module ${body})`, flags ?? []);
    expect(problems).toEqual([]);
    expect(heights).toEqual(expected);
    expect(empty).toBe(expected.filter((h) => h === 0).length);
  });

  const noCheck = haveWat2wasm && spawnSync('wat2wasm', ['--help']).stdout.toString().includes('--no-check');
  it.skipIf(!noCheck)('reports an invalid body and refuses every loop of it', () => {
    const { problems, empty } = loopHeights('(module (func (result i32) loop end loop i32.const 1 end))', ['--no-check']);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/end at 0x[0-9a-f]+: height 1, but the block at \d+ ends at 0/);
    expect(empty).toBe(0);
  });
});
