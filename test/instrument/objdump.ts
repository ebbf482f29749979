/**
 * Runs Debian wabt's `wasm-objdump -d` and parses its disassembly into functions with their
 * instructions (offset and mnemonic). The oracle for original positions (DESIGN.md).
 */
import { execFileSync, spawnSync } from 'node:child_process';

export interface ObjdumpFunction {
  readonly funcIndex: number;
  /** The offset printed on the `func[N]` line. */
  readonly offset: number;
  readonly instructions: { offset: number; name: string }[];
}

/** True when `wasm-objdump` can be run. */
export function haveWabt(): boolean {
  return spawnSync('wasm-objdump', ['--version']).status === 0;
}

/** Disassembles `file`; local declaration lines and wrapped byte lines are left out. */
export function objdumpFunctions(file: string): ObjdumpFunction[] {
  const text = execFileSync('wasm-objdump', ['-d', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const out: ObjdumpFunction[] = [];
  let current: ObjdumpFunction | undefined;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+) func\[(\d+)\]/.exec(line);
    if (head) {
      current = { funcIndex: Number(head[2]), offset: parseInt(head[1], 16), instructions: [] };
      out.push(current);
      continue;
    }
    const ins = /^ ([0-9a-f]+):[0-9a-f ]*\|\s*(\S+)/.exec(line);
    if (!ins || !current || ins[2].startsWith('local[')) continue;
    current.instructions.push({ offset: parseInt(ins[1], 16), name: ins[2] });
  }
  return out;
}
