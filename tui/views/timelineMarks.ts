/**
 * The timeline's marks: breakpoint hits and import calls, asked of the debuggee (it moves
 * nothing) and thinned to at most one mark of each kind per cell of a fine grid, so a bar of
 * any width up to the grid's shows every cell that holds one, however many hits there are.
 */
import type { Debuggee } from '../engineApi.js';
import { barColumn, type TimelineMark } from './timelineBar.js';

/** Cells of the grid marks are thinned on: wider than any bar drawn. */
export const MARK_GRID = 512;

/** The last time that falls in grid cell `cell` over [0, end]. */
function lastTimeOfCell(cell: number, end: bigint, grid: number): bigint {
  return (BigInt(cell + 1) * end - 1n) / BigInt(grid - 1);
}

/** One breakpoint hit per grid cell that holds any (at most `grid` queries of the debuggee). */
export function breakpointMarks(d: Pick<Debuggee, 'end' | 'nextBreakpointHit'>, grid = MARK_GRID): TimelineMark[] {
  const marks: TimelineMark[] = [];
  for (let hit = d.nextBreakpointHit(-1n, 'forward'); hit !== null && marks.length < grid; ) {
    marks.push({ time: hit, kind: 'breakpoint' });
    const last = lastTimeOfCell(barColumn(hit, d.end, grid), d.end, grid);
    hit = d.nextBreakpointHit(last > hit ? last : hit, 'forward');
  }
  return marks;
}

/** One import call per grid cell that holds any. */
export function importMarks(d: Pick<Debuggee, 'end' | 'importCallTimes'>, grid = MARK_GRID): TimelineMark[] {
  const marks: TimelineMark[] = [];
  let lastColumn = -1;
  for (const time of d.importCallTimes()) {
    const column = barColumn(time, d.end, grid);
    if (column !== lastColumn) marks.push({ time, kind: 'import' });
    lastColumn = column;
  }
  return marks;
}
