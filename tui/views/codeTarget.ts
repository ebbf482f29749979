/**
 * What the code pane shows for a frame: its source file when the module has line info and the
 * file is on disk, else the Wasm disassembly of its function (with a note saying why). Also
 * moves the code cursor, which is a source line or a pc of what is shown. Pure except for
 * reading source files through `SourceFiles`.
 */
import type { FrameView, ModuleView } from '../engineApi.js';
import { displayPath, functionLabel } from '../format/location.js';
import type { SourceFiles, SourceText } from '../sourceFiles.js';

/** The line or instruction the user moved to with the cursor keys (null: follow the current line). */
export type CodeCursor =
  | { readonly kind: 'line'; readonly file: string; readonly line: number }
  | { readonly kind: 'pc'; readonly pc: number };

/** One instruction of a disassembly. */
export interface AsmLine {
  readonly pc: number;
  readonly text: string;
}

export type CodeTarget =
  /** `file` as the line table names it; `currentLine` is the frame's line. */
  | { readonly kind: 'source'; readonly file: string; readonly text: SourceText; readonly currentLine: number }
  /** The function containing the frame's pc; `note` says why this is not source (null: never). */
  | {
      readonly kind: 'disassembly';
      readonly funcIndex: number;
      readonly name: string;
      readonly lines: readonly AsmLine[];
      readonly currentPc: number;
      readonly note: string | null;
    }
  /** Nothing to show (no frame: before the entry function runs or after it returned). */
  | { readonly kind: 'empty'; readonly note: string };

const disassemblies = new WeakMap<ModuleView, Map<number, readonly AsmLine[]>>();

/** `module.disassemble`, once per function per module. */
export function disassembly(module: ModuleView, funcIndex: number): readonly AsmLine[] {
  let perModule = disassemblies.get(module);
  if (!perModule) disassemblies.set(module, (perModule = new Map()));
  let lines = perModule.get(funcIndex);
  if (!lines) perModule.set(funcIndex, (lines = module.disassemble(funcIndex)));
  return lines;
}

/** The code pane's target for `frame` (undefined: no frames at this time). */
export function resolveCode(module: ModuleView, frame: FrameView | undefined, sources: SourceFiles): CodeTarget {
  if (!frame) return { kind: 'empty', note: 'no frames at this time (before the entry function runs or after it returned)' };
  const source = frame.source ?? module.sourceAt(frame.pc);
  let note: string;
  if (source) {
    const text = sources.get(source.file);
    if (text) return { kind: 'source', file: source.file, text, currentLine: source.line };
    note = `${displayPath(source.file)} is not on disk (looked under ${sources.root}); showing disassembly`;
  } else {
    note = 'no DWARF line info for this pc; showing disassembly';
  }
  return {
    kind: 'disassembly',
    funcIndex: frame.funcIndex,
    name: functionLabel(module, frame.funcIndex, frame.name),
    lines: disassembly(module, frame.funcIndex),
    currentPc: frame.pc,
    note,
  };
}

/** Index of the instruction at `pc`, or of the last one before it (0 when none is). */
export function asmIndex(lines: readonly AsmLine[], pc: number): number {
  let found = 0;
  for (let i = 0; i < lines.length && lines[i].pc <= pc; i++) found = i;
  return found;
}

/** The cursor if it points into `target`, else null (the cursor was left in another file or function). */
export function cursorIn(target: CodeTarget, cursor: CodeCursor | null): CodeCursor | null {
  if (!cursor) return null;
  if (target.kind === 'source' && cursor.kind === 'line' && cursor.file === target.file) return cursor;
  if (target.kind === 'disassembly' && cursor.kind === 'pc' && target.lines.some((l) => l.pc === cursor.pc)) return cursor;
  return null;
}

/** The cursor moved by `delta` lines or instructions, starting from the current line when unset. */
export function moveCursor(target: CodeTarget, cursor: CodeCursor | null, delta: number): CodeCursor | null {
  const at = cursorIn(target, cursor);
  if (target.kind === 'source') {
    const from = at?.kind === 'line' ? at.line : target.currentLine;
    const line = Math.min(Math.max(from + delta, 1), Math.max(target.text.lines.length, 1));
    return { kind: 'line', file: target.file, line };
  }
  if (target.kind === 'disassembly' && target.lines.length > 0) {
    const from = asmIndex(target.lines, at?.kind === 'pc' ? at.pc : target.currentPc);
    const index = Math.min(Math.max(from + delta, 0), target.lines.length - 1);
    return { kind: 'pc', pc: target.lines[index].pc };
  }
  return null;
}
