/**
 * `wtrace rerun`: run a golden trace's module, or a new build, on the golden's inputs (replayed
 * by meaning: docs/rerun.md), record it, and diff the new trace against the golden. Exit 0 when
 * they match at the chosen level, 1 when they differ (or the new build asked for input the
 * golden never read), another code for bad input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { parsePositiveInt } from './options.js';

interface RerunFlags {
  module?: string;
  output?: string;
  level: number;
  context: number;
  strict?: boolean;
  json?: boolean;
  detail?: string;
  stackSize?: number;
}

export function registerRerun(program: Command, setExit: (code: number) => void): void {
  program
    .command('rerun')
    .description("run a golden trace's module (or a new build) on the golden's inputs, record it, and diff (exit 0 equal, 1 different)")
    .argument('<golden>', 'the known-good trace: its module, arguments, environment and every input it read')
    .option('--module <wasm>', 'run this build instead of the module inside the golden trace')
    .option('-o, --output <file>', 'keep the new trace here (default: a temporary file, removed afterwards)')
    .option('--level <n>', 'what diff compares: 1 observable behaviour (WASI calls, output, end); 2, 3 as `wtrace diff`', parseLevel, 1)
    .option('--context <n>', 'calls of each side shown before the divergence', parseCount, 3)
    .option('--strict', 'count volatile values (clock readings, random bytes, file times, inodes) as differences')
    .option('--detail <level>', 'what the new trace records: inputs or full (default: as the golden)')
    .option('--json', 'print the result as JSON instead of text')
    .option('--stack-size <MiB>', 'stack for the program (default 256)', parsePositiveInt)
    .action(async (golden: string, flags: RerunFlags) => {
      if (flags.detail !== undefined && flags.detail !== 'inputs' && flags.detail !== 'full') {
        throw new UsageError(`--detail ${flags.detail}: expected "inputs" or "full"`);
      }
      setExit(await runRerun(golden, flags));
    });
}

async function runRerun(golden: string, flags: RerunFlags): Promise<number> {
  const { rerun } = await import('../../replay/rerun/index.js');
  const { diffTraces } = await import('../../replay/diff.js');
  const { formatDiff } = await import('../../replay/diffText.js');
  const temp = flags.output === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'wtrace-rerun-')) : null;
  const output = flags.output ?? path.join(temp!, `${path.basename(golden).replace(/\.wtrace$/, '')}.rerun.wtrace`);
  try {
    const result = await rerun(
      { golden, module: flags.module ?? null, output, detail: (flags.detail as 'inputs' | 'full' | undefined) ?? null },
      { stackSizeMb: flags.stackSize },
    );
    const diff = await diffTraces(golden, output, { level: flags.level, context: flags.context, strict: flags.strict ?? false });
    const same = diff.equal && result.missingInput === null;
    const kept = temp === null ? output : null;
    if (flags.json) {
      const rerunPart = {
        golden, module: flags.module ?? null, trace: kept, exitCode: result.exitCode, importCalls: result.importCalls, missingInput: result.missingInput,
      };
      process.stdout.write(JSON.stringify({ equal: same, rerun: rerunPart, diff }, null, 2) + '\n');
    } else {
      const what = flags.module === undefined ? "the golden's own module" : flags.module;
      const lines = [`rerun of ${golden} with ${what}: ${result.importCalls} import calls, exit code ${result.exitCode}${kept ? `; new trace ${kept}` : ''}`];
      if (result.missingInput !== null) lines.push(`the run stopped: it asked for input the golden trace never read: ${result.missingInput}`);
      process.stdout.write(lines.join('\n') + '\n\n' + formatDiff(diff));
    }
    return same ? ExitCode.ok : ExitCode.different;
  } finally {
    if (temp !== null) fs.rmSync(temp, { recursive: true, force: true });
  }
}

function parseLevel(value: string): number {
  if (!/^[123]$/.test(value)) throw new UsageError(`--level must be 1, 2 or 3, not "${value}"`);
  return Number(value);
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`--context must be a number of calls, not "${value}"`);
  return n;
}
