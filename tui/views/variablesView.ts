/**
 * What the C variables pane shows, as plain data: a variable as C declares it (`int n`,
 * `const char *msg`, `int arr[4]`, `int (*fn)(int)`), and which compile unit's globals belong
 * with the selected frame. Pure.
 */
import type { FrameView, SourceVariable } from '../engineApi.js';

/** `type` declaring `name`, as C writes a declaration. */
export function declaration(type: string, name: string): string {
  // A declarator with a pointer in parentheses: `int (*)(int)` -> `int (*fn)(int)`, `int (*)[3]` -> `int (*p)[3]`.
  if (type.includes('(*)')) return type.replace('(*)', `(*${name})`);
  const bracket = type.indexOf('[');
  if (bracket >= 0) {
    const head = type.slice(0, bracket).trimEnd();
    return `${head}${head.endsWith('*') ? '' : ' '}${name}${type.slice(bracket)}`;
  }
  if (type.endsWith('*')) return `${type}${name}`;
  return `${type} ${name}`;
}

/** Paths compared without a leading `./`. */
function tidy(path: string): string {
  return path.replace(/^(\.\/)+/, '');
}

/**
 * The globals of the compile unit the frame's code comes from (matched by its source file:
 * the unit's name is its main source file), or none when the frame has no source position.
 */
export function globalsForFrame(frame: FrameView | undefined, globals: readonly SourceVariable[]): SourceVariable[] {
  const file = frame?.source?.file;
  if (!file) return [];
  const f = tidy(file);
  return globals.filter((g) => {
    const u = tidy(g.unit);
    return u === f || f.endsWith('/' + u) || u.endsWith('/' + f);
  });
}

/** The last path component, for titles. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
