/** stepStack: enter/exit nest, and a catch event unwinds every frame entered after the catcher. */
import { describe, expect, it } from 'vitest';
import type { DetailEvent } from '../../instrument/index.js';
import { stepStack } from '../../replay/timeline/callStack.js';
import type { Frame } from '../../replay/timeline/index.js';

const names = new Map([[1, 'f'], [2, 'g'], [3, 'h']]);
const enter = (func: number, time: bigint) => ({ kind: 'enter', func, time, pc: 100 + func, args: [] }) as unknown as DetailEvent;
const exit = (func: number, time: bigint) => ({ kind: 'exit', func, time, pc: 200 + func, results: [] }) as unknown as DetailEvent;
const caught = (func: number, frameTime: bigint, time: bigint) => ({ kind: 'catch', func, frameTime, time, pc: 300 }) as unknown as DetailEvent;

function run(events: DetailEvent[]): string[] {
  let top: Frame | null = null;
  for (const e of events) top = stepStack(top, e, names);
  const out: string[] = [];
  for (let f = top; f !== null; f = f.caller) out.push(f.name ?? '?');
  return out;
}

describe('stepStack', () => {
  it('nests enters and exits', () => {
    expect(run([enter(1, 1n), enter(2, 5n), exit(2, 7n), enter(3, 9n)])).toEqual(['h', 'f']);
  });

  it('unwinds to the catching frame on a catch event', () => {
    expect(run([enter(1, 1n), enter(2, 5n), enter(3, 9n), enter(3, 12n), caught(2, 5n, 20n)])).toEqual(['g', 'f']);
    expect(run([enter(1, 1n), enter(2, 5n), enter(3, 9n), caught(1, 1n, 20n)])).toEqual(['f']);
  });
});
