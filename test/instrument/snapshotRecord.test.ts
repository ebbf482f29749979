/**
 * Snapshots in real recordings: `wtrace record --detail full` (the recorder instruments with the
 * default interval, 2^20 instructions) of the loop-heavy C fixtures still prints what a plain
 * run prints and re-executes to the same instruction count, and its trace holds snapshot events
 * at least 2^20 instructions apart, each naming the frame that the timeline puts on top of the
 * call stack at that time (its `entryTime` is the snapshot's `frameTime`). Runs the built CLI:
 * `npm run build` first.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDetailEvents, DEFAULT_SNAPSHOT_INTERVAL, type SnapshotEvent } from '../../instrument/index.js';
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

    const reader = TraceReader.open(trace);
    const events = decodeDetailEvents(Buffer.concat([...reader.detailChunks()].map((c) => Buffer.from(c.events))));
    reader.close();
    const snaps = events.filter((e): e is SnapshotEvent => e.kind === 'snapshot');
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
});
