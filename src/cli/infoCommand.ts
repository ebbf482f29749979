/** `wtrace info`: what a trace file holds, as text or JSON. */
import type { Command } from 'commander';
import type { TraceInfo } from '../trace/index.js';

export function registerInfo(program: Command, setExit: (code: number) => void): void {
  program
    .command('info')
    .description('show what a trace holds: module, arguments, outcome, import calls, format')
    .argument('<trace>', 'the trace file')
    .option('--json', 'print JSON instead of text')
    .action(async (file: string, flags: { json?: boolean }) => {
      const { traceInfo } = await import('../trace/index.js');
      const info = traceInfo(file);
      process.stdout.write(flags.json ? JSON.stringify(info, null, 2) + '\n' : formatInfo(info));
      setExit(0);
    });
}

/** The text form: one `label  value` line per fact, import calls by function, most first. */
export function formatInfo(info: TraceInfo): string {
  const rows: [string, string][] = [
    ['trace', `${info.file} (${info.fileSize.toLocaleString('en-US')} bytes, format ${info.formatVersion}, ${info.complete ? 'complete' : 'INCOMPLETE: the recorder stopped before the end'})`],
    ['module', `${info.module.name} (${info.module.fileName}, ${info.module.size.toLocaleString('en-US')} bytes)`],
    ['sha256', info.module.sha256],
    ['argv', info.argv.map(quote).join(' ')],
    ['env', info.env.length === 0 ? '(none)' : info.env.map(quote).join(' ')],
    ['dirs', info.preopens.length === 0 ? '(none)' : info.preopens.map((p) => `${p.hostPath}::${p.guestPath}`).join(' ')],
  ];
  if (info.invoke !== null) rows.push(['invoke', info.invoke]);
  rows.push(['outcome', formatOutcome(info)]);
  rows.push(['instructions', info.instructionCount ?? `not counted (--detail ${info.detail})`]);
  const d = info.detailEvents;
  rows.push([
    'detail',
    info.detail === 'inputs'
      ? 'inputs (input log only; detail is rebuilt by re-execution)'
      : `full: ${d.events.toLocaleString('en-US')} events in ${d.chunks} chunks (${d.storedBytes.toLocaleString('en-US')} bytes stored), ` +
        `${d.keyframes} keyframes (${d.pages} distinct memory pages)`,
  ]);
  rows.push(['recorded', `${info.startedAt} with wtrace ${info.recordedWith.wtraceVersion}, node ${info.recordedWith.nodeVersion}, ${info.recordedWith.platform}-${info.recordedWith.arch}`]);
  rows.push(['import calls', info.importCalls.total.toLocaleString('en-US')]);
  const width = Math.max(...rows.map(([k]) => k.length));
  let out = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
  const fns = Object.entries(info.importCalls.byFunction);
  const fnWidth = Math.max(0, ...fns.map(([k]) => k.length));
  for (const [name, n] of fns) out += `${' '.repeat(width + 2)}${name.padEnd(fnWidth)}  ${n.toLocaleString('en-US').padStart(10)}\n`;
  return out;
}

function formatOutcome(info: TraceInfo): string {
  const o = info.outcome;
  if (o === null) return 'unknown (incomplete trace)';
  if (o.kind === 'exit') return `exit code ${o.exitCode}`;
  const fn = o.functionIndex === null ? '' : ` in ${o.functionName ?? 'function'} (#${o.functionIndex})`;
  const pc = o.pc === null ? '' : ` at pc 0x${o.pc.toString(16)}`;
  return `trap: ${o.message}${fn}${pc}`;
}

function quote(s: string): string {
  return /^[\w./:=@%+,-]+$/.test(s) ? s : JSON.stringify(s);
}
