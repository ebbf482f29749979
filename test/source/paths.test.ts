/** Path joining as LLVM does it, `.` clean-up, and matching a user's file name. */
import { describe, expect, it } from 'vitest';
import type { LineTableHeader } from '../../src/source/lineHeader.js';
import { filePath } from '../../src/source/lineTables.js';
import { joinPath, matchPaths, normalizePath } from '../../src/source/paths.js';

describe('normalizePath', () => {
  it.each([
    ['./test/fixtures/c/a.c', './test/fixtures/c/a.c'],
    ['././dlmalloc/src/malloc.c', './dlmalloc/src/malloc.c'],
    ['./build/./libc/crt1.c', './build/libc/crt1.c'],
    ['/usr//include/./stdio.h', '/usr/include/stdio.h'],
    ['/./a.c', '/a.c'],
    ['a/../b.c', 'a/../b.c'],
    ['a.c', 'a.c'],
    ['.', '.'],
  ])('%s -> %s', (input, output) => expect(normalizePath(input)).toBe(output));
});

describe('joinPath', () => {
  it.each([
    [['.', 'test/c', 'a.c'], './test/c/a.c'],
    [['/comp', '/usr/include', 'stdio.h'], '/usr/include/stdio.h'],
    [['/comp/', 'inc', 'h.h'], '/comp/inc/h.h'],
    [['', '', 'a.c'], 'a.c'],
  ])('%j -> %s', (parts, output) => expect(joinPath(...parts)).toBe(output));
});

describe('filePath (LLVM getFileNameByIndex, absolute kind)', () => {
  const header = (version: number, directories: string[]) => ({ version, directories }) as unknown as LineTableHeader;
  it.each([
    ['v4, directory 0 is the compilation directory', 4, ['inc'], { name: 'a.c', dirIndex: 0 }, '/comp', '/comp/a.c'],
    ['v4, relative directory under it', 4, ['inc'], { name: 'h.h', dirIndex: 1 }, '/comp', '/comp/inc/h.h'],
    ['v4, absolute directory alone', 4, ['/usr/inc'], { name: 'h.h', dirIndex: 1 }, '/comp', '/usr/inc/h.h'],
    ['v4, absolute name alone', 4, ['inc'], { name: '/x/y.c', dirIndex: 1 }, '/comp', '/x/y.c'],
    ['v4, directory index out of range', 4, [], { name: 'a.c', dirIndex: 7 }, '/comp', '/comp/a.c'],
    ['v5, directory 0 without a second prefix', 5, ['/build', 'sub'], { name: 'a.c', dirIndex: 0 }, '/comp', '/build/a.c'],
    ['v5, other directories under DW_AT_comp_dir', 5, ['/build', 'sub'], { name: 'h.h', dirIndex: 1 }, '/comp', '/comp/sub/h.h'],
    ['clang with -fdebug-prefix-map=ROOT=.', 5, ['.'], { name: 'test/c/a.c', dirIndex: 0 }, '.', './test/c/a.c'],
  ])('%s', (_, version, dirs, entry, compDir, expected) => {
    expect(filePath(header(version, dirs), entry, compDir)).toBe(expected);
  });
});

describe('matchPaths', () => {
  const paths = ['./test/fixtures/c/debug_target.c', './a/x.c', './b/x.c', '/usr/include/stdio.h', 'rel.c'];
  it.each([
    ['./test/fixtures/c/debug_target.c', ['./test/fixtures/c/debug_target.c']],
    ['test/fixtures/c/debug_target.c', ['./test/fixtures/c/debug_target.c']],
    ['debug_target.c', ['./test/fixtures/c/debug_target.c']],
    ['./debug_target.c', ['./test/fixtures/c/debug_target.c']],
    ['target.c', []],
    ['x.c', ['./a/x.c', './b/x.c']],
    ['b/x.c', ['./b/x.c']],
    ['/usr/include/stdio.h', ['/usr/include/stdio.h']],
    ['include//stdio.h', ['/usr/include/stdio.h']],
    ['rel.c', ['rel.c']],
    ['', []],
    ['.', []],
  ])('%s', (query, expected) => expect(matchPaths(paths, query)).toEqual(expected));
});
