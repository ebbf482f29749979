/** `wtrace instrument`: write the instrumented module, for inspection. */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { InputError, OutputError, UsageError } from '../errors.js';

export function registerInstrument(program: Command, setExit: (code: number) => void): void {
  program
    .command('instrument')
    .description('write the instrumented module (what `record` runs), for inspection')
    .argument('<wasm>', 'the module to instrument')
    .requiredOption('-o, --output <file>', 'where to write the instrumented module')
    .option('--detail <level>', 'inputs (instruction counter) or full (detail events)', 'inputs')
    .action(async (wasm: string, flags: { output: string; detail: string }) => {
      if (flags.detail !== 'inputs' && flags.detail !== 'full') {
        throw new UsageError(`--detail ${flags.detail}: expected "inputs" or "full"`);
      }
      const { instrument } = await import('../../instrument/index.js');
      const input = readInput(wasm);
      const result = await instrument(input, { detail: flags.detail, source: wasm });
      try {
        fs.writeFileSync(flags.output, result.bytes);
      } catch (e) {
        throw new OutputError(`${flags.output}: cannot write (${(e as Error).message})`, { cause: e });
      }
      process.stderr.write(`wtrace: wrote ${flags.output} (${result.bytes.length} bytes, from ${input.length})\n`);
      setExit(0);
    });
}

function readInput(file: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'not-found' : 'unreadable', `${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d) {
    throw new InputError('invalid-wasm', `${file}: not a WebAssembly module (no \\0asm magic)`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
