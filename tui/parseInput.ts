/**
 * What the user types at the UI's prompts: a time, an address, a breakpoint, a watchpoint.
 * Pure parsers; a malformed or out-of-range entry throws `PromptInputError` with a message for
 * the status line (the session shows it and moves nothing).
 */
import type { BreakpointSpec } from './engineApi.js';
import { formatTime } from './format/values.js';

/** A prompt entry the UI cannot use; the message says what was expected. */
export class PromptInputError extends Error {
  override readonly name = 'PromptInputError';
}

/**
 * A time in [0, end]: `12345` (separators `,` and `_` allowed), `50%` (of the recording,
 * decimals allowed), `+N` / `-N` (relative to `now`), `start`, `end`.
 */
export function parseTime(text: string, now: bigint, end: bigint): bigint {
  const s = text.trim().replace(/[,_]/g, '').toLowerCase();
  let t: bigint;
  if (s === 'start') t = 0n;
  else if (s === 'end' || s === '$') t = end;
  else if (/^\d+(\.\d+)?%$/.test(s)) {
    const percent = Number(s.slice(0, -1));
    if (percent > 100) throw new PromptInputError(`${text.trim()}: a percentage is at most 100%`);
    t = (BigInt(Math.round(percent * 10_000)) * end) / 1_000_000n;
  } else if (/^[+-]\d+$/.test(s)) t = now + BigInt(s);
  else if (/^\d+$/.test(s)) t = BigInt(s);
  else throw new PromptInputError(`not a time: "${text.trim()}" (try 12345, 50%, +100, -100, start, end)`);
  if (t < 0n || t > end) {
    throw new PromptInputError(`time ${formatTime(t)} is outside the recording (0 to ${formatTime(end)})`);
  }
  return t;
}

/** An address as typed: a number, a Wasm local / global of the selected frame, or a C variable, plus an offset. */
export type AddressExpr =
  | { readonly kind: 'number'; readonly value: number; readonly offset: number }
  | { readonly kind: 'local'; readonly index: number; readonly offset: number }
  | { readonly kind: 'global'; readonly index: number; readonly offset: number }
  /** `rec.in.tag` -> ['rec', 'in', 'tag']; `arr[2]` -> ['arr', '[2]']; `*p` dereferences the pointer the path names. */
  | { readonly kind: 'variable'; readonly path: readonly string[]; readonly deref: boolean; readonly offset: number };

const OFFSET = String.raw`\s*(?:([+-])\s*(0x[0-9a-f]+|\d+))?\s*$`;

/**
 * `0x1000`, `4096`, `l3` / `local3` (the value of local 3 of the selected frame), `g0` /
 * `global0`, or a C variable in scope (`counter`, `rec.in.tag`, `arr[2]`, `*prec`: where it
 * lives), each optionally followed by `+N` or `-N` (decimal or hex). The Wasm forms win: a C
 * variable named like `l2` or `g0` cannot be named here.
 */
export function parseAddress(text: string): AddressExpr {
  const m = new RegExp(String.raw`^\s*(0x[0-9a-f]+|\d+|l(?:ocal)?(\d+)|g(?:lobal)?(\d+))` + OFFSET, 'i').exec(text);
  if (m) {
    const offset = m[4] ? (m[4] === '-' ? -1 : 1) * Number(m[5]) : 0;
    if (m[2] !== undefined) return { kind: 'local', index: Number(m[2]), offset };
    if (m[3] !== undefined) return { kind: 'global', index: Number(m[3]), offset };
    return { kind: 'number', value: Number(m[1]), offset };
  }
  const c = new RegExp(String.raw`^\s*(\*?)\s*([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*|\[\d+\])*)` + OFFSET, 'i').exec(text);
  if (!c) throw new PromptInputError(`not an address: "${text.trim()}" (try 0x1000, 4096, l2, g0+16, a C variable: counter, rec.x, arr[2], *p)`);
  const path = [c[2], ...(c[3].match(/\.[A-Za-z_]\w*|\[\d+\]/g) ?? []).map((p) => (p.startsWith('.') ? p.slice(1) : p))];
  const offset = c[4] ? (c[4] === '-' ? -1 : 1) * Number(c[5]) : 0;
  return { kind: 'variable', path, deref: c[1] === '*', offset };
}

/**
 * A breakpoint: `0x12a` or `*0x12a` (a pc), `file.c:12` (a source line), anything else a
 * function name.
 */
export function parseBreakpoint(text: string): BreakpointSpec {
  const s = text.trim();
  if (s === '') throw new PromptInputError('a breakpoint needs file:line, a function name or 0xPC');
  const pc = /^\*?(0x[0-9a-f]+)$/i.exec(s);
  if (pc) return { kind: 'pc', pc: Number(pc[1]) };
  const line = /^(.+):(\d+)$/.exec(s);
  if (line) return { kind: 'line', file: line[1], line: Number(line[2]) };
  if (/\s/.test(s)) throw new PromptInputError(`not a breakpoint: "${s}" (try file.c:12, main, 0x12a)`);
  return { kind: 'function', name: s };
}

/**
 * A watchpoint: an address expression and a size in bytes: `0x1000`, `l2 8`, `counter`. Without
 * a size, null: the C variable's size, else 4.
 */
export function parseWatch(text: string): { readonly address: AddressExpr; readonly size: number | null } {
  const m = /^(.*?)(?:\s+(\d+))?\s*$/.exec(text.trim()) as RegExpExecArray;
  const size = m[2] === undefined ? null : Number(m[2]);
  if (size !== null && (size < 1 || size > 4096)) throw new PromptInputError(`watch size ${size}: must be 1 to 4096 bytes`);
  return { address: parseAddress(m[1]), size };
}
