/**
 * Tells what a file is from its first bytes, without opening it as a database: a wtrace trace
 * (SQLite with our application id), another SQLite database, a Wasm module, or something else.
 * Used before overwriting an output path and to word errors about inputs.
 */
import * as fs from 'node:fs';
import { APPLICATION_ID } from './schema.js';

export type FileKind = 'missing' | 'trace' | 'sqlite' | 'wasm' | 'other';

const SQLITE_MAGIC = 'SQLite format 3\0';

export function fileKind(path: string): FileKind {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw e;
  }
  try {
    const head = Buffer.alloc(100);
    const n = fs.readSync(fd, head, 0, 100, 0);
    if (n >= 4 && head[0] === 0 && head.toString('latin1', 1, 4) === 'asm') return 'wasm';
    if (n < 100 || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) return 'other';
    // The header keeps application_id big-endian at offset 68.
    return head.readUInt32BE(68) === APPLICATION_ID ? 'trace' : 'sqlite';
  } finally {
    fs.closeSync(fd);
  }
}
