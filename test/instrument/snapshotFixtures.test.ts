/**
 * Snapshots on the C fixtures (clang output), run in this process on node:wasi with a small
 * interval (4,096 instructions):
 * - the program behaves as plain (status, stdout, stderr, trap) and counts the same
 *   instructions as with snapshots off, and every other event is the same;
 * - the snapshots are exactly the ones the rule gives over the times each loop body start
 *   executed, as a PROBE run reports them (instrument/probe: V8 re-executing the program with
 *   a probe at every such pc, an independent count), so time and pc are exact on real code;
 * - each names the frame on top of the stack, holds one value per local of its function with
 *   the parameters typed as the frame's enter arguments, and the loop-heavy fixtures have many.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WASI } from 'node:wasi';
import { describe, expect, it } from 'vitest';
import {
  CallShapes,
  collectProbeHits, decodeDetailEvents, decodePositions, drain, instrument, probeModule, TIME_EXPORT, type DetailEvent, type EnterEvent, type SnapshotEvent,
} from '../../instrument/index.js';
import { functionSignatures } from '../../instrument/fullModule.js';
import { emptyStackLoops } from '../../instrument/snapshotStackHeight.js';

const INTERVAL = 4096n;

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly trap?: string;
}

/** Runs `bytes` as a WASI command; `imports` and `bind` add and bind the instrumentation's runtime. */
async function runWasi(bytes: Uint8Array, args: readonly string[], input: string, imports: WebAssembly.Imports = {}, bind?: (i: WebAssembly.Instance) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-snapfix-'));
  const file = (n: string) => path.join(dir, n);
  fs.writeFileSync(file('in'), input);
  const fds = { stdin: fs.openSync(file('in'), 'r'), stdout: fs.openSync(file('out'), 'w'), stderr: fs.openSync(file('err'), 'w') };
  try {
    const wasi = new WASI({ version: 'preview1', args: ['app.wasm', ...args], env: {}, returnOnExit: true, ...fds });
    const { instance } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>, { ...wasi.getImportObject(), ...imports } as WebAssembly.Imports);
    bind?.(instance);
    let status: number | null = null;
    let trap: string | undefined;
    try {
      status = wasi.start(instance);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      trap = e.message;
    }
    for (const fd of Object.values(fds)) fs.closeSync(fd);
    const outcome: Outcome = { status, trap, stdout: fs.readFileSync(file('out'), 'utf8'), stderr: fs.readFileSync(file('err'), 'utf8') };
    return { outcome, instance };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A `full` run (`interval` as the option); `visit` sees every event, in order. */
async function runFull(wasm: Uint8Array, args: readonly string[], input: string, interval: bigint | false, visit: (e: DetailEvent) => void) {
  const result = await instrument(wasm, { detail: 'full', snapshotInterval: interval });
  const shapes = CallShapes.of(wasm);
  const sink = (c: Uint8Array) => {
    for (const e of decodeDetailEvents(c, shapes)) visit(e);
  };
  const { outcome, instance } = await runWasi(result.bytes, args, input, result.runtimeImports(sink), drain);
  drain(instance);
  return { outcome, time: (instance.exports[TIME_EXPORT] as WebAssembly.Global).value as bigint, positions: result.positions };
}

/** Every time the instruction at each pc was about to execute, from a probe run. */
async function probeTimes(wasm: Uint8Array, pcs: readonly number[], args: readonly string[], input: string): Promise<Map<number, bigint[]>> {
  const probed = probeModule(wasm, pcs);
  let collector: ReturnType<typeof collectProbeHits> | undefined;
  await runWasi(probed.bytes, args, input, probed.runtimeImports(), (i) => (collector = collectProbeHits(i, probed.probePcs.length)));
  const lists = collector!.finish();
  return new Map(probed.probePcs.map((pc, i) => [pc, [...lists[i]]]));
}

/**
 * Checks a stream as it goes: a digest of the events other than snapshots (kind, time, pc), the
 * snapshots, and whether each names the frame on top of the stack with one value per local of
 * its function, the parameters typed as that frame's enter arguments.
 */
class StreamCheck {
  readonly snapshots: SnapshotEvent[] = [];
  readonly problems: string[] = [];
  private readonly hash = createHash('sha256');
  private readonly stack: EnterEvent[] = [];
  private otherCount = 0;

  constructor(private readonly localCount: ReadonlyMap<number, number> = new Map()) {}

  readonly visit = (e: DetailEvent): void => {
    if (e.kind !== 'snapshot') {
      this.hash.update(`${e.kind} ${e.time} ${e.pc}\n`);
      this.otherCount++;
    }
    if (e.kind === 'enter') this.stack.push(e);
    else if (e.kind === 'exit') this.stack.pop();
    else if (e.kind === 'snapshot') {
      this.snapshots.push(e);
      const top = this.stack.at(-1);
      if (top?.func !== e.func || top.time !== e.frameTime) this.problems.push(`snapshot ${e.func}@${e.frameTime} at ${e.time}: top ${top?.func}@${top?.time}`);
      else if (e.locals.length !== this.localCount.get(e.func)) this.problems.push(`snapshot of ${e.func} with ${e.locals.length} locals`);
      else if (top.args.some((a, i) => a.type !== e.locals[i].type)) this.problems.push(`snapshot of ${e.func}: parameter types differ from the enter's`);
    }
  };

  /** The digest and count of the events other than snapshots. */
  others(): string {
    return `${this.otherCount} ${this.hash.digest('hex')}`;
  }
}

const CASES: [string, string[], string, number][] = [
  // name, args, stdin, at least this many snapshots
  ['many_calls', [], '', 1000],
  ['recursion', ['1000'], '', 1000],
  ['stdin_upper', [], 'snapshot me\n'.repeat(200), 1],
  ['args_env', ['x', 'y z'], '', 0],
  ['trap', ['divide'], '', 0],
];

describe('locals snapshots on the C fixtures', () => {
  it.each(CASES)('%s: same behaviour and counts, snapshots exactly where the probe run says', async (name, args, input, atLeast) => {
    const wasm = fs.readFileSync(path.join('test/fixtures/wasm', `${name}.wasm`));
    const positions = decodePositions(wasm);
    const plain = await runWasi(wasm, args, input);
    const offCheck = new StreamCheck();
    const off = await runFull(wasm, args, input, false, offCheck.visit);
    const onCheck = new StreamCheck(new Map(positions.functions.map((f) => [f.funcIndex, f.body.paramCount + f.body.localCount])));
    const on = await runFull(wasm, args, input, INTERVAL, onCheck.visit);
    expect(on.outcome).toEqual(plain.outcome);
    expect(off.outcome).toEqual(plain.outcome);
    expect(on.time).toBe(off.time);
    expect(onCheck.others()).toBe(offCheck.others());
    expect(offCheck.snapshots).toEqual([]);
    expect(onCheck.problems.slice(0, 10)).toEqual([]);
    const snaps = onCheck.snapshots;
    expect(snaps.length).toBeGreaterThanOrEqual(atLeast);

    // Expected: over every execution of an empty-stack loop body start, the interval rule.
    const signatures = functionSignatures(wasm, positions);
    const bodyPcs: number[] = [];
    for (const fn of positions.functions) {
      const loops = emptyStackLoops(wasm, fn.instructions, signatures, fn.body.resultCount);
      for (const ins of fn.instructions) if (loops.has(ins.offset)) bodyPcs.push(ins.end);
    }
    const hits = await probeTimes(wasm, bodyPcs, args, input);
    const starts = [...hits].flatMap(([pc, times]) => times.map((time) => ({ time, pc }))).sort((a, b) => (a.time < b.time ? -1 : 1));
    const expected: { time: bigint; pc: number }[] = [];
    let next = INTERVAL;
    for (const s of starts) {
      if (s.time < next) continue;
      expected.push(s);
      next = s.time + INTERVAL;
    }
    expect(snaps.map(({ time, pc }) => ({ time, pc }))).toEqual(expected);
  }, 120_000);
});
