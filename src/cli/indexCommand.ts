/**
 * `wtrace index`: build a trace's detail (events and keyframes) by re-executing it from its
 * input log, so that an inputs-only recording can be debugged like a `--detail full` one, then
 * store its timeline index (docs/replay.md, "The stored index") so that the next open need not
 * read every event. The summary goes to stdout (two lines: the detail, the timeline index); a
 * live progress line goes to stderr only when it is a terminal. Errors are thrown as typed errors; main.ts prints them and picks the exit code.
 */
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { DEFAULT_STACK_MB } from '../runtime/bigStackWorker.js';
import type { DetailIndexResult, IndexProgress } from '../../replay/detailIndex/index.js';
import type { TimelineIndexResult } from '../../replay/timeline/index.js';
import { parsePositiveInt } from './options.js';

export function registerIndex(program: Command, setExit: (code: number) => void): void {
  program
    .command('index')
    .description('build the detail index of a trace by re-executing it from its input log (as if recorded with --detail full), and store its timeline index')
    .argument('<trace>', 'the trace file (changed in place, atomically; left alone when already indexed)')
    .option('--stack-size <MiB>', `stack for the re-executed program (default ${DEFAULT_STACK_MB})`, parsePositiveInt)
    .action(async (file: string, flags: { stackSize?: number }) => {
      const { buildDetailIndex } = await import('../../replay/detailIndex/index.js');
      const line = process.stderr.isTTY ? progressLine(process.stderr) : null;
      let result: DetailIndexResult;
      try {
        result = await buildDetailIndex(file, { stackSizeMb: flags.stackSize, onProgress: line?.update });
      } finally {
        line?.clear();
      }
      process.stdout.write(formatIndexResult(file, result));
      const { storeTimelineIndex } = await import('../../replay/timeline/index.js');
      const pass = process.stderr.isTTY ? passLine(process.stderr) : null;
      let timeline: TimelineIndexResult;
      try {
        timeline = storeTimelineIndex(file, { onProgress: pass?.update });
      } finally {
        pass?.clear();
      }
      process.stdout.write(formatTimelineResult(file, timeline));
      setExit(ExitCode.ok);
    });
}

/** One line: what was done, the detail the trace holds, and how long it took. */
export function formatIndexResult(file: string, r: DetailIndexResult): string {
  const n = (v: number | bigint) => v.toLocaleString('en-US');
  const detail = `${n(r.events)} detail events, ${n(r.keyframes)} keyframes (${n(r.detailBytes)} bytes)`;
  if (r.status === 'already-indexed') return `already indexed: ${file} has complete detail: ${detail}; nothing to do\n`;
  const from = r.replaced === 'windowed' ? ' (replacing its windowed detail)' : '';
  return `indexed ${file}${from}: ${detail}, ${n(r.instructions)} instructions, ${n(r.importCalls)} import calls, in ${r.seconds.toFixed(2)} s\n`;
}

/** One line: whether the timeline index was stored now (and why it had to be) or was there already, and its size. */
export function formatTimelineResult(file: string, r: TimelineIndexResult): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const size = `${n(r.checkpoints)} checkpoints, ${n(r.bytes)} bytes (${((r.bytes / r.traceBytes) * 100).toFixed(0)}% of the trace file)`;
  if (r.status === 'already-stored') return `timeline index already stored in ${file}: ${size}; nothing to do\n`;
  const why = r.rejected === 'absent' || r.rejected === null ? '' : ` (replacing a ${r.rejected === 'foreign-version' ? 'stored one of another format' : `${r.rejected} stored one`})`;
  return `stored the timeline index in ${file}${why}: ${size}, in ${r.seconds.toFixed(2)} s\n`;
}

/** The timeline pass's progress on a terminal: events read, rewritten in place. */
function passLine(tty: NodeJS.WriteStream): { update: (done: number, total: number) => void; clear: () => void } {
  let shown = false;
  return {
    update: (done, total) => {
      shown = true;
      tty.write(`\r\x1b[Kbuilding the timeline index: ${Math.floor((done * 100) / Math.max(1, total))}% of ${total.toLocaleString('en-US')} events`);
    },
    clear: () => {
      if (shown) tty.write('\r\x1b[K');
    },
  };
}

/** A progress line rewritten in place on a terminal, at most every 100 ms (the library throttles). */
function progressLine(tty: NodeJS.WriteStream): { update: IndexProgress; clear: () => void } {
  let shown = false;
  return {
    update: (done, total, calls) => {
      shown = true;
      tty.write(`\r\x1b[Kindexing: ${formatProgress(done, total, calls)}`);
    },
    clear: () => {
      if (shown) tty.write('\r\x1b[K');
    },
  };
}

/** `1,234 of 5,678 instructions (21%), import call 3 of 7`; without a known total, no percentage. */
export function formatProgress(done: bigint, total: bigint | null, calls: { done: number; total: number }): string {
  const n = (v: number | bigint) => v.toLocaleString('en-US');
  const instructions =
    total === null || total === 0n ? `${n(done)} instructions` : `${n(done)} of ${n(total)} instructions (${(done * 100n) / total}%)`;
  return `${instructions}, import call ${n(calls.done)} of ${n(calls.total)}`;
}
