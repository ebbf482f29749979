/**
 * Source paths as DWARF spells them: joining a line table's directory and file name the way
 * LLVM does (llvm-symbolizer, llvm-dwarfdump), then dropping `.` components, and matching a
 * user's file name against the result. POSIX separators only; `..` is kept as written
 * (resolving it could cross a symbolic link).
 */

/** True for `/x` (and, defensively, `C:\x` or `C:/x`). */
export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

/** Joins components like LLVM's `sys::path::append`: an absolute component restarts the path. */
export function joinPath(...parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (part === '') continue;
    if (isAbsolute(part) || out === '') out = part;
    else out = out.endsWith('/') ? out + part : `${out}/${part}`;
  }
  return out;
}

/**
 * Drops `.` components except a leading one and collapses repeated slashes:
 * `././dlmalloc/src/malloc.c` becomes `./dlmalloc/src/malloc.c`, `./build/./x.c` becomes
 * `./build/x.c`, `/usr//include/a.h` becomes `/usr/include/a.h`.
 */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const parts = path.split('/');
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === '' && i > 0 && i < parts.length - 1) continue;
    if (p === '.' && (kept.length > 0 || absolute)) continue;
    kept.push(p);
  }
  return kept.join('/') || path;
}

/**
 * Which of `paths` a user's `query` names: the one equal to it (after `normalizePath`), else
 * every path that ends with it at a `/` boundary (a leading `./` of the query is ignored for
 * that). `debug_target.c` and `c/debug_target.c` both name `./test/fixtures/c/debug_target.c`;
 * `target.c` does not.
 */
export function matchPaths(paths: Iterable<string>, query: string): string[] {
  const exact = normalizePath(query);
  const all = [...paths];
  if (all.includes(exact)) return [exact];
  let suffix = exact;
  while (suffix.startsWith('./')) suffix = suffix.slice(2);
  if (suffix === '' || suffix === '.') return [];
  const tail = suffix.startsWith('/') ? suffix : `/${suffix}`;
  return all.filter((p) => p.endsWith(tail) || p === suffix).sort();
}
