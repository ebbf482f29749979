/** Assembles WebAssembly text with Debian wabt's `wat2wasm`, for tests of hand-written programs. */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const haveWat2wasm = spawnSync('wat2wasm', ['--version']).status === 0;

/** The module `wat` assembles to; `flags` go to wat2wasm (e.g. `--enable-exceptions`). */
export function assemble(wat: string, flags: string[] = []): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-wat-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.wat'), wat);
    execFileSync('wat2wasm', [...flags, path.join(dir, 'm.wat'), '-o', path.join(dir, 'm.wasm')]);
    return fs.readFileSync(path.join(dir, 'm.wasm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
