/**
 * The timeline: a bar from time 0 to the end of the recording with the current position, and
 * marks for interesting times. Pure.
 */

/** A time worth showing on the bar: a breakpoint hit or an import call (see timelineMarks.ts). */
export interface TimelineMark {
  readonly time: bigint;
  readonly kind: 'breakpoint' | 'import';
}

const MARK_CHAR: Record<TimelineMark['kind'], string> = { breakpoint: '◆', import: '·' };

/** Column of `time` on a bar of `width` cells over [0, end]. */
export function barColumn(time: bigint, end: bigint, width: number): number {
  if (end <= 0n || width <= 1) return 0;
  return Number((time * BigInt(width - 1)) / end);
}

/**
 * `width` cells: `━` for history already run, `─` for the rest, `●` at `now`, and marks
 * (breakpoint hits over import calls) where they fall; `now` wins a shared cell.
 */
export function timelineBar(now: bigint, end: bigint, width: number, marks: readonly TimelineMark[] = []): string {
  if (width <= 0) return '';
  const at = barColumn(now, end, width);
  const cells: string[] = Array.from({ length: width }, (_, i) => (i < at ? '━' : '─'));
  for (const kind of ['import', 'breakpoint'] as const) {
    for (const m of marks) if (m.kind === kind) cells[barColumn(m.time, end, width)] = MARK_CHAR[kind];
  }
  cells[at] = '●';
  return cells.join('');
}

/** `21.7%` of the recording (one decimal). */
export function percentOf(now: bigint, end: bigint): string {
  if (end <= 0n) return '100%';
  return `${(Number((now * 1000n) / end) / 10).toFixed(1)}%`;
}
