/**
 * Snapshots in real recordings: `wtrace record --detail full` (the recorder instruments with the
 * default interval, 2^16 instructions, or the one `--snapshot-every` gives) of the loop-heavy C fixtures still prints what a plain
 * run prints and re-executes to the same instruction count, and its trace holds snapshot events
 * at least the interval apart, each naming the frame that the timeline puts on top of the
 * call stack at that time (its `entryTime` is the snapshot's `frameTime`). Runs the built CLI:
 * `npm run build` first.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallShapes, decodeDetailEvents, DEFAULT_SNAPSHOT_INTERVAL, type SnapshotEvent } from '../../instrument/index.js';
import { Timeline } from '../../replay/timeline/index.js';
import { TraceReader, traceInfo } from '../../src/trace/index.js';
import { fixture, plain, tempDir, wtrace } from '../helpers/run.js';

const CASES: [string, string[], number][] = [
  // fixture, args, at least this many snapshots
  ['many_calls', [], 10],
  ['recursion', [], 25],
];

describe('snapshots in --detail full recordings', () => {
  it.each(CASES)('%s', (name, args, atLeast) => {
    const trace = path.join(tempDir(), `${name}.wtrace`);
    const r = wtrace(['record', '--detail', 'full', '-o', trace, fixture(name), ...(args.length > 0 ? ['--', ...args] : [])]);
    const expected = plain([fixture(name), ...args]);
    expect(r.stdout).toBe(expected.stdout);
    expect(r.status).toBe(expected.status);
    const count = BigInt(traceInfo(trace).instructionCount!);
    const verify = wtrace(['replay', '--verify', trace]);
    expect(verify.stdout).toContain(`reproduced: ${count.toLocaleString('en-US')} instructions`);

    const snaps = snapshotsOf(trace);
    expect(snaps.length).toBeGreaterThanOrEqual(atLeast);
    expect(snaps.every((s, i) => s.time >= (i === 0 ? DEFAULT_SNAPSHOT_INTERVAL : snaps[i - 1].time + DEFAULT_SNAPSHOT_INTERVAL))).toBe(true);
    expect(snaps.at(-1)!.time).toBeLessThanOrEqual(count);

    const timeline = Timeline.open(trace);
    try {
      for (const s of snaps) {
        const top = timeline.callStackAt(s.time)[0];
        expect({ func: top.funcIndex, entryTime: top.entryTime }).toEqual({ func: s.func, entryTime: s.frameTime });
      }
    } finally {
      timeline.close();
    }
  }, 120_000);

  it('takes the interval from --snapshot-every (off: none), and refuses a bad one', () => {
    const dir = tempDir();
    const record = (every: string) => {
      const trace = path.join(dir, `every-${every}.wtrace`);
      const r = wtrace(['record', '--detail', 'full', '--snapshot-every', every, '-o', trace, fixture('many_calls')]);
      expect(r.status).toBe(0);
      return snapshotsOf(trace);
    };
    const byDefault = snapshotsOf((() => {
      const trace = path.join(dir, 'default.wtrace');
      expect(wtrace(['record', '--detail', 'full', '-o', trace, fixture('many_calls')]).status).toBe(0);
      return trace;
    })());
    const dense = record('4096');
    expect(dense.length).toBeGreaterThan(byDefault.length * 4);
    expect(dense.every((s, i) => s.time >= (i === 0 ? 4096n : dense[i - 1].time + 4096n))).toBe(true);
    expect(record('off')).toEqual([]);
    for (const bad of ['0', '-5', 'x', String(2n ** 63n)]) {
      const r = wtrace(['record', '--detail', 'full', '--snapshot-every', bad, '-o', path.join(dir, 'bad.wtrace'), fixture('many_calls')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--snapshot-every ${bad}: expected a positive number`);
    }
    const inputs = wtrace(['record', '--snapshot-every', '4096', '-o', path.join(dir, 'inputs.wtrace'), fixture('many_calls')]);
    expect(inputs.status).toBe(2);
    expect(inputs.stderr).toContain('--snapshot-every sets where detail events hold locals: it needs --detail full');
  }, 120_000);
});

/** The snapshot events of a trace, in time order. */
function snapshotsOf(trace: string): SnapshotEvent[] {
  const reader = TraceReader.open(trace);
  try {
    const events = decodeDetailEvents(Buffer.concat([...reader.detailChunks()].map((c) => Buffer.from(c.events))), CallShapes.of(reader.moduleBytes()));
    return events.filter((e): e is SnapshotEvent => e.kind === 'snapshot');
  } finally {
    reader.close();
  }
}
