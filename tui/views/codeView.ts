/**
 * The rows of the code pane: a window of the code target around the cursor (or the current
 * line), each row marked current / breakpoint / cursor. Pure.
 */
import type { Breakpoint, ModuleView } from '../engineApi.js';
import { displayPath } from '../format/location.js';
import { hex } from '../format/values.js';
import { asmIndex, type CodeCursor, type CodeTarget, cursorIn } from './codeTarget.js';

export interface CodeRow {
  /** Line number (source) or pc (disassembly), padded for the gutter. */
  readonly label: string;
  readonly text: string;
  /** The selected frame is here. */
  readonly current: boolean;
  readonly breakpoint: boolean;
  readonly cursor: boolean;
}

export interface CodeView {
  readonly kind: CodeTarget['kind'];
  readonly title: string;
  /** Why this is not what the user might expect (missing file, no DWARF, no frames). */
  readonly note: string | null;
  /** Rows the note takes when wrapped to the pane's width. */
  readonly noteRows: number;
  readonly rows: readonly CodeRow[];
}

/** Rows `note` needs at `width` columns (at most 3; 0 without a note). */
export function noteRows(note: string | null, width: number): number {
  return note === null ? 0 : Math.min(3, Math.ceil(note.length / Math.max(1, width)));
}

/** First index of a `height`-row window over `count` rows that keeps `focus` near the middle. */
export function windowStart(count: number, focus: number, height: number): number {
  return Math.max(0, Math.min(focus - Math.floor(height / 2), count - height));
}

/** The pane's content in `height` rows (the note, when any, takes one of them). */
export function codeView(
  target: CodeTarget,
  options: {
    readonly module: ModuleView;
    readonly breakpoints: readonly Breakpoint[];
    readonly cursor: CodeCursor | null;
    /** Rows for the note and the code. */
    readonly height: number;
    /** The pane's width: a note wraps over as many rows as it needs (up to 3). */
    readonly width: number;
  },
): CodeView {
  const cursor = cursorIn(target, options.cursor);
  const bpPcs = new Set(options.breakpoints.flatMap((b) => b.pcs));
  if (target.kind === 'empty') return { kind: 'empty', title: 'Code', note: target.note, noteRows: noteRows(target.note, options.width), rows: [] };
  const note = target.kind === 'disassembly' ? target.note : null;
  const height = Math.max(1, options.height - noteRows(note, options.width));

  if (target.kind === 'source') {
    const bpLines = new Set<number>();
    for (const pc of bpPcs) {
      const at = options.module.sourceAt(pc);
      if (at && at.file === target.file) bpLines.add(at.line);
    }
    const lines = target.text.lines;
    const focusLine = cursor?.kind === 'line' ? cursor.line : target.currentLine;
    const start = windowStart(lines.length, focusLine - 1, height);
    const shown = lines.slice(start, start + height);
    const width = String(start + shown.length).length;
    const rows = shown.map((text, i) => {
      const line = start + i + 1;
      return {
        label: String(line).padStart(width),
        text,
        current: line === target.currentLine,
        breakpoint: bpLines.has(line),
        cursor: cursor?.kind === 'line' && cursor.line === line,
      };
    });
    return { kind: 'source', title: `Source: ${displayPath(target.file)}:${target.currentLine}`, note: null, noteRows: 0, rows };
  }

  const current = asmIndex(target.lines, target.currentPc);
  const focus = cursor?.kind === 'pc' ? asmIndex(target.lines, cursor.pc) : current;
  const start = windowStart(target.lines.length, focus, height);
  const rows = target.lines.slice(start, start + height).map((l, i) => ({
    label: hex(l.pc, 6),
    text: l.text,
    current: start + i === current,
    breakpoint: bpPcs.has(l.pc),
    cursor: cursor?.kind === 'pc' && cursor.pc === l.pc,
  }));
  return { kind: 'disassembly', title: `Disassembly: ${target.name} (func[${target.funcIndex}])`, note, noteRows: noteRows(note, options.width), rows };
}
