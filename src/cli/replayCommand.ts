/** `wtrace replay`: re-execute a recording. `--verify` checks it reproduces; the UI is to come. */
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import type { VerifyResult } from '../../replay/index.js';

export function registerReplay(program: Command, setExit: (code: number) => void): void {
  program
    .command('replay')
    .description('replay a recorded execution (--verify: check that it reproduces from the input log alone)')
    .argument('<trace>', 'the trace file')
    .option('--verify', 're-execute from the input log alone and report the first divergence, if any')
    .action(async (file: string, flags: { verify?: boolean }) => {
      if (!flags.verify) {
        throw new UsageError('the interactive replay (terminal UI, --gdb) is not available yet; use `wtrace replay --verify FILE`');
      }
      const { verify } = await import('../../replay/index.js');
      const result = await verify(file);
      process.stdout.write(formatVerify(result));
      setExit(result.reproduced ? ExitCode.ok : ExitCode.divergence);
    });
}

/** One line when reproduced; the divergence in detail otherwise. */
export function formatVerify(r: VerifyResult): string {
  const instructions = `${r.instructions.toLocaleString('en-US')} instructions`;
  if (r.reproduced) {
    const end =
      r.end.kind === 'exit' ? `exit code ${r.end.exitCode}` :
      r.end.kind === 'trap' ? `trap: ${r.end.message}` :
      'end of the incomplete recording';
    return `reproduced: ${instructions}, ${r.importCallsReplayed} import calls, ${end}\n`;
  }
  const d = r.divergence!;
  const where = d.functionIndex === null ? '' : ` in ${d.functionName ?? 'function'} (#${d.functionIndex}) at pc 0x${d.pc?.toString(16)}`;
  const time = d.time === null ? '' : ` (time ${d.time})`;
  const at = d.callIndex === null ? `at the end of the run${time}` : `at import call ${d.callIndex}${time}${where}`;
  return `DIVERGED ${at}\n  recorded: ${d.expected}\n  replayed: ${d.actual}\n` +
    `  (${r.importCallsReplayed} of ${r.importCallsRecorded} import calls reproduced before it)\n`;
}
