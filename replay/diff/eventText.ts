/**
 * The text of a level-2/3 divergence: the two diverging items with where they happen (time,
 * function and its callers, pc, source line), what differs, what it means, and the items
 * before it on each side.
 */
import type { EventDivergence, EventView } from '../diffTypes.js';

export function formatEventDivergence(d: EventDivergence): string[] {
  const what = d.fields.length === 0 || d.fields[0] === 'end' ? '' : `: different ${d.fields.join(', ')}`;
  const head =
    d.a === null || d.b === null
      ? `first divergence at item ${d.indexA} of the ${d.level === 2 ? 'call tree' : 'event stream'}: ${d.a === null ? 'A' : 'B'} ends there`
      : `first divergence at item ${d.indexA} of the ${d.level === 2 ? 'call tree' : 'event stream'}${what}`;
  const out = [head];
  for (const [label, text, view] of [['A', d.textA, d.a], ['B', d.textB, d.b]] as const) {
    out.push(`  ${label}: ${text}`);
    if (view !== null) out.push(`     ${where(view, true)}`);
  }
  if (d.note !== null) out.push(`  ${d.note}`);
  pushBranch(out, d);
  pushContext(out, d);
  if (d.level === 3 && d.a?.kind === 'import' && d.b?.kind === 'import') {
    const e = d.effect;
    if (e === null) out.push('', 'its effect: none; every later event and call argument is alike');
    else {
      const fields = e.fields.length === 0 || e.fields[0] === 'end' ? '' : `: different ${e.fields.join(', ')}`;
      out.push('', `its first effect, at item ${e.indexA}${fields}`);
      for (const [label, text, view] of [['A', e.textA, e.a], ['B', e.textB, e.b]] as const) {
        out.push(`  ${label}: ${text}`);
        if (view !== null) out.push(`     ${where(view, true)}`);
      }
      if (e.note !== null) out.push(`  ${e.note}`);
      pushBranch(out, e);
      pushContext(out, e);
    }
  }
  return out;
}

function pushBranch(out: string[], d: EventDivergence): void {
  const b = d.branch;
  if (b === null) return;
  const at = (pc: number, loc: EventView['location']) => `pc 0x${pc.toString(16)}${loc === null ? '' : ` (${locationText(loc)})`}`;
  out.push(
    `  they part after the instruction at time ${b.time} in ${b.function ?? '(no function)'}, ${at(b.pc, b.location)}:`,
    // Times differ only after a call whose callee differs (one instruction that ran differently long).
    `    A goes on at ${at(b.nextA.pc, b.nextA.location)}${b.nextA.time === b.nextB.time ? '' : `, time ${b.nextA.time}`}`,
    `    B goes on at ${at(b.nextB.pc, b.nextB.location)}${b.nextA.time === b.nextB.time ? '' : `, time ${b.nextB.time}`}`,
  );
}

function pushContext(out: string[], d: EventDivergence): void {
  for (const [label, items] of [['A', d.contextA], ['B', d.contextB]] as const) {
    if (items.length === 0) continue;
    out.push(`  before it in ${label}:`, ...items.map(contextLine));
  }
}

/** `time 1234 in scale < main, pc 0x1a2 at src/x.c:12:5`. */
export function where(v: EventView, withStack: boolean): string {
  const path = withStack && v.stack !== undefined && v.stack.length > 0 ? v.stack.join(' < ') : (v.function ?? '(no function)');
  const pc = v.pc === null ? '' : `, pc 0x${v.pc.toString(16)}`;
  const site = v.callSite == null ? '' : `, called at pc 0x${v.callSite.pc.toString(16)}${v.callSite.location === null ? '' : ` (${locationText(v.callSite.location)})`}`;
  return `time ${v.time} in ${path}${pc}${v.location === null ? '' : ` at ${locationText(v.location)}`}${site}`;
}

export function locationText(l: NonNullable<EventView['location']>): string {
  return `${l.file}:${l.line}${l.column > 0 ? `:${l.column}` : ''}`;
}

function contextLine(v: EventView): string {
  const loc = v.location === null ? '' : `  (${locationText(v.location)})`;
  return `    ${String(v.index).padStart(8)}  t=${v.time.padEnd(10)} ${v.text}${loc}`;
}
