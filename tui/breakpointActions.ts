/**
 * Breakpoints from the UI: toggle one at the code cursor (`b`) and add one from a typed spec
 * (`B`). The engine resolves and keeps them; this only chooses the spec and reports the result.
 */
import type { Breakpoint, BreakpointSpec, ModuleView } from './engineApi.js';
import { describePc, formatSource } from './format/location.js';
import { hex } from './format/values.js';
import { parseBreakpoint } from './parseInput.js';
import type { DebugSession } from './session.js';
import { asmIndex } from './views/codeTarget.js';

/** `breakpoint 2 at debug_target.c:12 in main` (plus the engine's note when it moved it). */
export function describeBreakpoint(module: ModuleView, bp: Breakpoint): string {
  const where = bp.pcs.length > 0 ? describePc(module, bp.pcs[0]) : `${specText(bp.spec)} (no code found)`;
  const more = bp.pcs.length > 1 ? ` (+${bp.pcs.length - 1} more locations)` : '';
  return `breakpoint ${bp.id} at ${where}${more}${bp.note ? `: ${bp.note}` : ''}`;
}

/** The spec as the user would type it. */
export function specText(spec: BreakpointSpec): string {
  if (spec.kind === 'pc') return hex(spec.pc);
  if (spec.kind === 'function') return spec.name;
  return `${spec.file}:${spec.line}`;
}

/** `b`: removes the breakpoints at the cursor's line or pc, or sets one there. */
export function toggleBreakpointAtCursor(session: DebugSession): void {
  const d = session.debuggee;
  const target = session.codeTarget();
  const cursor = session.getState().cursor;
  try {
    let existing: Breakpoint[];
    let spec: BreakpointSpec;
    if (target.kind === 'source') {
      const line = cursor?.kind === 'line' && cursor.file === target.file ? cursor.line : target.currentLine;
      const here = (pc: number) => {
        const at = d.module.sourceAt(pc);
        return at !== null && at.file === target.file && at.line === line;
      };
      existing = d.breakpoints().filter(
        (b) => (b.spec.kind === 'line' && b.spec.file === target.file && b.spec.line === line) || b.pcs.some(here),
      );
      spec = { kind: 'line', file: target.file, line };
    } else if (target.kind === 'disassembly' && target.lines.length > 0) {
      const pc = cursor?.kind === 'pc' ? cursor.pc : target.lines[asmIndex(target.lines, target.currentPc)].pc;
      existing = d.breakpoints().filter((b) => b.pcs.includes(pc));
      spec = { kind: 'pc', pc };
    } else {
      session.report('no code here to set a breakpoint on', 'error');
      return;
    }
    if (existing.length > 0) {
      for (const b of existing) d.removeBreakpoint(b.id);
      const at = spec.kind === 'line' ? formatSource({ file: spec.file, line: spec.line, column: 0 }) : specText(spec);
      session.report(`deleted breakpoint ${existing.map((b) => b.id).join(', ')} at ${at}`);
    } else {
      session.report(describeBreakpoint(d.module, d.addBreakpoint(spec)));
    }
  } catch (e) {
    session.fail(e);
  }
}

/** `B`: adds a breakpoint from `file:line`, a function name or `0xPC`. */
export function addBreakpointFromText(session: DebugSession, text: string): void {
  try {
    const bp = session.debuggee.addBreakpoint(parseBreakpoint(text));
    session.report(describeBreakpoint(session.debuggee.module, bp));
  } catch (e) {
    session.fail(e);
  }
}
