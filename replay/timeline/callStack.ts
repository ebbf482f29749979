/**
 * The call stack as a persistent linked list of frames, moved by `enter` and `exit` events.
 * Tolerates both shapes of those events: with argument values (`args`) and results
 * (`results`), and without them (older traces).
 */
import type { DetailEvent } from '../../instrument/index.js';
import type { EventValue, Frame } from './types.js';

/** Values an enter or exit event carries, if its shape has them. */
export function valuesOf(e: DetailEvent, field: 'args' | 'results'): readonly EventValue[] | null {
  const v = (e as unknown as Record<string, unknown>)[field];
  return Array.isArray(v) ? (v as EventValue[]) : null;
}

/**
 * The stack after `e`. An `exit` pops the frame of its function; when that frame is not on top
 * (an exception unwound frames without exits: docs/instrumentation.md), it pops down to it.
 * `onExit` sees each frame a matching exit closes.
 */
export function stepStack(
  top: Frame | null,
  e: DetailEvent,
  names: ReadonlyMap<number, string>,
  onExit?: (frame: Frame, e: DetailEvent) => void,
): Frame | null {
  if (e.kind === 'enter') {
    return {
      funcIndex: e.func,
      name: names.get(e.func) ?? null,
      entryTime: e.time,
      entryPc: e.pc,
      args: valuesOf(e, 'args'),
      caller: top,
      depth: (top?.depth ?? 0) + 1,
    };
  }
  if (e.kind === 'catch') {
    // An exception unwound every frame entered after the catching one (enter times increase
    // up the stack); the catching frame itself stays.
    let f = top;
    while (f !== null && f.entryTime > e.frameTime) f = f.caller;
    return f;
  }
  if (e.kind !== 'exit') return top;
  return popExit(top, e.func, onExit && ((f) => onExit(f, e)));
}

/**
 * The stack after an `exit` of function `func`, from its function alone (no decoded event): pops
 * down to that function's frame and past it; `onPop` sees that frame. An exit matching no frame
 * leaves the stack as it was.
 */
export function popExit(top: Frame | null, func: number, onPop?: (frame: Frame) => void): Frame | null {
  for (let f = top; f !== null; f = f.caller) {
    if (f.funcIndex === func) {
      onPop?.(f);
      return f.caller;
    }
  }
  return top;
}

/** The frames of a stack, innermost first. */
export function framesOf(top: Frame | null): Frame[] {
  const out: Frame[] = [];
  for (let f = top; f !== null; f = f.caller) out.push(f);
  return out;
}
