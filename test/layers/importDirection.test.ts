/**
 * Keeps DESIGN.md's layers: a module may import only from its own layer or layers below it.
 * Reads every import specifier of every source file; no code is loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Bottom first. A layer may import from itself and from any layer listed before it. */
const LAYERS = [
  ['src/errors.ts', 'src/runtime', 'src/wasm', 'src/source', 'src/trace'],
  ['src/wasi'],
  ['instrument'],
  ['src/record'],
  ['replay'],
  ['src/gdbstub', 'src/debug', 'tui'],
  ['src/cli', 'src/index.ts'],
];

function layerOf(file: string): number {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return LAYERS.findIndex((group) => group.some((p) => rel === p || rel.startsWith(p + '/')));
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

const files = ['src', 'instrument', 'replay', 'tui'].flatMap((d) => sourceFiles(path.join(root, d)));

describe('import direction', () => {
  it('knows the layer of every source file', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => layerOf(f) < 0).map((f) => path.relative(root, f))).toEqual([]);
  });

  it('has no import that points up a layer', () => {
    const violations: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1];
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
        const from = layerOf(file);
        const to = layerOf(target);
        if (to > from) violations.push(`${path.relative(root, file)} imports ${spec} (layer ${to} > ${from})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps binaryen behind instrument/ and SQL behind src/trace/', () => {
    const leaks: string[] = [];
    for (const file of files) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      const text = fs.readFileSync(file, 'utf8');
      if (/from\s+['"]binaryen['"]/.test(text) && !rel.startsWith('instrument/')) leaks.push(`${rel}: binaryen`);
      if (/from\s+['"]better-sqlite3['"]/.test(text) && !rel.startsWith('src/trace/')) leaks.push(`${rel}: better-sqlite3`);
    }
    expect(leaks).toEqual([]);
  });
});
