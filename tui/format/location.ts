/**
 * Where the program is, in the words a C programmer uses first: `file.c:12 in main`, falling
 * back to `pc 0x12a in main` without line info. Pure.
 */
import type { FrameView, ModuleView, SourceLocation } from '../engineApi.js';
import { hex } from './values.js';

/**
 * The line table's file name as frames and messages show it: its base name (line tables name
 * files relative to the build directory, `./src/app.c`, or absolutely; either is long).
 */
export function shortFile(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** The line table's file name as the code pane's title shows it: whole, without a leading `./`. */
export function displayPath(file: string): string {
  return file.replace(/^(\.\/)+/, '');
}

/** `file.c:12` */
export function formatSource(source: SourceLocation): string {
  return `${shortFile(source.file)}:${source.line}`;
}

/** A function's display name: its name, else `func[N]` as wasm-objdump writes it. */
export function functionLabel(module: ModuleView, funcIndex: number | null, name?: string | null): string {
  if (funcIndex === null) return '?';
  return name ?? module.functionName(funcIndex) ?? `func[${funcIndex}]`;
}

/** `file.c:12 in main`, or `pc 0x12a in main`, for any pc. */
export function describePc(module: ModuleView, pc: number): string {
  const source = module.sourceAt(pc);
  const fn = functionLabel(module, module.functionAt(pc));
  return `${source ? formatSource(source) : `pc ${hex(pc)}`} in ${fn}`;
}

/** The same for a frame, using its own name and source position. */
export function describeFrame(module: ModuleView, frame: FrameView): string {
  const fn = functionLabel(module, frame.funcIndex, frame.name);
  return `${frame.source ? formatSource(frame.source) : `pc ${hex(frame.pc)}`} in ${fn}`;
}
