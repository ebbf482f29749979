/**
 * The text report of a diff: the first divergence with context, then a summary. Shared by
 * `wtrace diff` and library users (a test helper can fail with exactly this text).
 */
import { endText } from './diff/observable.js';
import { formatEventDivergence } from './diff/eventText.js';
import type { CallView, DiffDivergence, DiffResult } from './diffTypes.js';
import type { StreamComparison } from './outputCompare.js';

/** What each level compares, as the report names it. */
export const LEVEL_NAMES = { 1: 'observable behaviour', 2: 'the call tree by function name', 3: 'every event and stored value' } as const;

/** The whole report, ending in a newline. Volatile values appear prefixed `~`. */
export function formatDiff(r: DiffResult): string {
  const lines: string[] = [];
  if (r.divergence?.kind === 'event') lines.push(...formatEventDivergence(r.divergence), '');
  else if (r.divergence !== null) lines.push(...formatDivergence(r.divergence), '');
  else if (r.equal) lines.push(`equal at level ${r.level} (${LEVEL_NAMES[r.level]})${r.strict && r.level < 3 ? ', strict' : ''}`, '');
  else lines.push(`the ${r.level === 1 ? 'calls' : 'events'} and ends agree, but the output differs`, '');
  lines.push(...formatSummary(r));
  return lines.join('\n') + '\n';
}

/** A level-1 divergence (an import call or the end). */
export function formatDivergence(d: DiffDivergence): string[] {
  const head =
    d.kind === 'end'
      ? `first divergence at the end, after call ${d.callA - 1} (A) / call ${d.callB - 1} (B): the runs end differently`
      : `first divergence at call ${d.callA} (A) / call ${d.callB} (B)${d.fields.length > 0 ? `: ${d.fields.join(', ')} differ` : ''}`;
  const out = [head, `  A: ${d.textA}`, `  B: ${d.textB}`];
  for (const [label, calls] of [['A', d.contextA], ['B', d.contextB]] as const) {
    if (calls.length === 0) continue;
    out.push(`  before it in ${label}:`, ...calls.map(contextLine));
  }
  return out;
}

function contextLine(c: CallView): string {
  return `    ${String(c.index).padStart(6)}  ${c.text}`;
}

function formatSummary(r: DiffResult): string[] {
  const volatile =
    r.volatileDifferences === 0 ? '' : `; ${r.volatileDifferences} differed only in volatile values (--strict counts them)`;
  const rows: [string, string][] = [
    ['calls', `${r.callsCompared} alike of A's ${r.a.calls} and B's ${r.b.calls}${volatile}`],
    ...(r.eventsCompared === null ? [] : [['events', `${r.eventsCompared.toLocaleString('en-US')} alike (${r.level === 2 ? 'enters, exits and import calls' : 'every event and import call'})`] as [string, string]]),
    ['stdout', formatStream(r.outputs.stdout)],
    ['stderr', formatStream(r.outputs.stderr)],
    ['end', r.endsEqual ? `${endText(r.a.end)} (both)` : `A ${endText(r.a.end)} / B ${endText(r.b.end)}`],
    ['result', r.equal ? `EQUAL at level ${r.level}` : `DIFFERENT at level ${r.level}`],
  ];
  return ['summary', ...rows.map(([k, v]) => `  ${k.padEnd(6)}  ${v}`)];
}

function formatStream(s: StreamComparison): string {
  if (s.equal) return `equal (${s.bytesA.toLocaleString('en-US')} bytes)`;
  return `differ at byte ${s.firstDifference}: A ${s.a} / B ${s.b} (A ${s.bytesA.toLocaleString('en-US')} bytes, B ${s.bytesB.toLocaleString('en-US')})`;
}
