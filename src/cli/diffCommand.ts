/** `wtrace diff`: compare two recorded executions and print the first divergence. */
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';

/** Exits 0 when the executions match at the chosen level, `ExitCode.different` (1) when not. */
export function registerDiff(program: Command, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('compare two executions: the first place they behave differently, with context (exit 0 equal, 1 different)')
    .argument('<a>', 'the first trace (A, e.g. the known-good run)')
    .argument('<b>', 'the second trace (B)')
    .option(
      '--level <n>',
      'what to compare: 1 observable behaviour (WASI calls, output, end); 2 also the call tree by function name; ' +
        '3 every event and stored value (same module only). Levels 2-3 need detail events (--detail full or `wtrace index`)',
      parseLevel,
      1,
    )
    .option('--context <n>', 'calls (levels 2-3: events) of each side shown before the divergence', parseCount, 3)
    .option('--strict', 'count volatile values (clock readings, random bytes, file times, inodes) as differences (level 3 always does)')
    .option('--json', 'print the result as JSON instead of text')
    .action(async (a: string, b: string, flags: { level: number; context: number; strict?: boolean; json?: boolean }) => {
      const { diffTraces } = await import('../../replay/diff.js');
      const { formatDiff } = await import('../../replay/diffText.js');
      const result = await diffTraces(a, b, { level: flags.level, context: flags.context, strict: flags.strict ?? false });
      process.stdout.write(flags.json ? JSON.stringify(result, null, 2) + '\n' : formatDiff(result));
      setExit(result.equal ? ExitCode.ok : ExitCode.different);
    });
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
