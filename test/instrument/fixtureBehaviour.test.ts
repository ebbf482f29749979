/**
 * The C fixtures behave the same after a Binaryen read+write round trip and after
 * instrumenting (detail inputs): same exit status, stdout, and stderr up to the trap's stack
 * frames (whose byte offsets differ by construction). Each variant runs on plain node:wasi
 * through test/fixtures/plainRun.mjs, as the record tests' baseline does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BinaryenModule } from '../../instrument/binaryenModule.js';
import { instrument } from '../../instrument/index.js';
import { fixture, plain, root, type RunResult } from '../helpers/run.js';

/** Deterministic runs only: clocks and random print different values each time. */
const CASES: { wasm: string; args?: string[]; input?: string; dataDir?: boolean }[] = [
  { wasm: 'args_env', args: ['alpha', 'b c', 'ünï'] },
  { wasm: 'stdin_upper', input: 'hello, world\nsecond line\n'.repeat(200) },
  { wasm: 'exit_code', args: ['7'] },
  { wasm: 'trap', args: ['unreachable'] },
  { wasm: 'trap', args: ['divide'] },
  { wasm: 'recursion', args: ['20000'] },
  { wasm: 'many_calls' },
  { wasm: 'close_stdout' },
  { wasm: 'fileio', dataDir: true },
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-variants-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const KINDS = ['original', 'roundTrip', 'instrumented'] as const;
const variants = new Map<string, Promise<void>>();
/**
 * Writes the original, round-tripped and instrumented module of a fixture once, as
 * `<tmp>/<kind>/<name>.wasm`: run from `<tmp>/<kind>`, all three see the same argv[0].
 */
function writeVariants(name: string): Promise<void> {
  let v = variants.get(name);
  if (!v) {
    v = (async () => {
      const bytes = fs.readFileSync(path.join(root, fixture(name)));
      const module = BinaryenModule.read(bytes, name);
      const roundTrip = module.write();
      expect(module.validate()).toBe(true);
      module.dispose();
      const instrumented = (await instrument(bytes, { detail: 'inputs', source: name })).bytes;
      for (const [kind, data] of Object.entries({ original: bytes, roundTrip, instrumented })) {
        fs.mkdirSync(path.join(tmp, kind), { recursive: true });
        fs.writeFileSync(path.join(tmp, kind, `${name}.wasm`), data);
      }
    })();
    variants.set(name, v);
  }
  return v;
}

function normalise(r: RunResult): RunResult {
  // Keep the trap message, drop the frames: they name offsets in the rewritten module.
  return { ...r, stderr: r.stderr.split('\n').filter((l) => !/^\s+at /.test(l)).join('\n') };
}

function runWith(kind: (typeof KINDS)[number], c: (typeof CASES)[number]): RunResult {
  const opts: string[] = [];
  if (c.dataDir) {
    const dir = fs.mkdtempSync(path.join(tmp, 'data-'));
    fs.cpSync(path.join(root, 'test/fixtures/data/fileio'), dir, { recursive: true });
    opts.push('--dir', `${dir}::/data`);
  }
  const cwd = path.join(tmp, kind);
  return normalise(plain([...opts, `${c.wasm}.wasm`, ...(c.args ?? [])], { input: c.input, cwd }));
}

describe('C fixtures behave the same after rewriting', () => {
  it.each(CASES.map((c) => [`${c.wasm} ${(c.args ?? []).join(' ')}`, c] as const))('%s', async (_label, c) => {
    await writeVariants(c.wasm);
    const expected = runWith('original', c);
    expect(runWith('roundTrip', c)).toEqual(expected);
    expect(runWith('instrumented', c)).toEqual(expected);
  });
});
