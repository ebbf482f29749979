/**
 * How the screen is divided for a terminal size. Pure, so the frame tests can check every size
 * the UI supports without a terminal.
 *
 *   header                               (1 row)
 *   code pane          | stack, locals    (main)
 *   output / memory                      (bottom: side by side when wide, else one with Tab)
 *   timeline                             (1 row)
 *   status or prompt                     (1 row)
 */

export interface Layout {
  readonly columns: number;
  readonly rows: number;
  /** Rows of the code pane and the side column (titles included). */
  readonly mainHeight: number;
  readonly codeWidth: number;
  /** The side column (stack, locals); a one-column rule separates it from the code. */
  readonly sideWidth: number;
  /** Rows of the bottom panes (titles included). */
  readonly bottomHeight: number;
  /** Output and memory side by side (else one of them, switched with Tab). */
  readonly bottomSplit: boolean;
  /** Width of the memory pane when split (the output pane takes the rest less the rule). */
  readonly memoryWidth: number;
}

/** The smallest terminal the UI draws in; below it, a "too small" message. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

/** Fixed rows: header, timeline, status. */
const CHROME_ROWS = 3;

export function layoutFor(columns: number, rows: number): Layout {
  const free = rows - CHROME_ROWS;
  const bottomHeight = Math.min(Math.max(Math.round(free * 0.33), 4), 14);
  const sideWidth = Math.min(Math.max(Math.floor(columns * 0.36), 26), 48);
  const bottomSplit = columns >= 120;
  return {
    columns,
    rows,
    mainHeight: free - bottomHeight,
    codeWidth: columns - sideWidth - 1,
    sideWidth,
    bottomHeight,
    bottomSplit,
    memoryWidth: bottomSplit ? 80 : columns,
  };
}

/** Whether the terminal is big enough for `layoutFor`. */
export function fits(columns: number, rows: number): boolean {
  return columns >= MIN_COLUMNS && rows >= MIN_ROWS;
}
