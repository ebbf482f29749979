/**
 * Tables (`Debuggee.tables()`, replay/engine/tables.ts): debug_target's function table read off a
 * real recording agrees element for element with `wasm-objdump -x` (Debian wabt), and is exact
 * (C never writes its table); a module with a `table.set`, and one that imports its table, say
 * why their tables may differ at some time.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModuleCode } from '../../replay/interp/index.js';
import { ReplayModule } from '../../replay/engine/moduleView.js';
import { NO_SOURCE } from '../../replay/engine/sourceLines.js';
import { moduleTables } from '../../replay/engine/tables.js';
import { openReplay, type Replay } from '../../replay/index.js';
import { fixture, skipWithout, tempDir, wtrace } from '../helpers/run.js';
import { assemble } from '../instrument/wat.js';

describe.skipIf(skipWithout('wasm-objdump'))('tables', () => {
  let replay: Replay;
  beforeAll(async () => {
    const trace = path.join(tempDir(), 'dt.wtrace');
    const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture('debug_target')]);
    expect(r.status, r.stderr).toBe(0);
    replay = await openReplay(trace);
  });
  afterAll(() => replay?.close());

  it('holds the function table wasm-objdump lists, exact over the whole recording', () => {
    const objdump = (section: string) => execFileSync('wasm-objdump', ['-x', '-j', section, fixture('debug_target')], { encoding: 'utf8' });
    const dump = objdump('Table') + objdump('Elem');
    const size = Number(/table\[0\] type=funcref initial=(\d+)/.exec(dump)![1]);
    const expected = new Array<number | null>(size).fill(null);
    for (const m of dump.matchAll(/elem\[(\d+)\] = func\[(\d+)\]/g)) expected[Number(m[1])] = Number(m[2]);
    expect(expected.filter((e) => e !== null).length).toBeGreaterThan(2);
    const [table, ...others] = replay.tables();
    expect(others).toEqual([]);
    expect(table).toMatchObject({ index: 0, refType: 'funcref', size, imported: false, exact: true, note: null });
    expect(table.elements).toEqual(expected);
    expect(table.elements.map((f) => (f === null ? null : replay.module.functionName(f)))).toContain('__stdio_write');
  });

  it('says when a table may change: a table.set in the code, or a table the host provides', () => {
    const view = (wat: string) => {
      const bytes = assemble(wat);
      return moduleTables(ModuleCode.from(bytes), new ReplayModule(bytes, 'm', NO_SOURCE));
    };
    const writes = view(`(module (table 3 funcref) (elem (i32.const 1) $f) (func $f)
      (func $g (table.set 0 (i32.const 0) (ref.func $f))))`);
    expect(writes[0]).toMatchObject({ size: 3, elements: [null, 0, null], exact: false });
    expect(writes[0].note).toMatch(/writes tables/);
    const imported = view(`(module (import "env" "t" (table 2 funcref)) (elem (i32.const 0) $f) (func $f))`);
    expect(imported[0]).toMatchObject({ imported: true, exact: false, elements: [0, null] });
    expect(imported[0].note).toMatch(/imported/);
  });
});
