/**
 * Compact comparison keys for described import calls, so that a diff can remember one side's
 * whole call stream in 16 bytes a call. Two keys per call: the lenient one hides volatile
 * values, the strict one includes them. Equal descriptions give equal keys; different ones
 * give different keys except with probability about 2^-53 per compared pair.
 */
import type { CallDescription } from '../src/wasi/callDescriber.js';

/** [lenient key, strict key] of a description. */
export function callKeys(d: CallDescription): [number, number] {
  const dataHash = d.bytes === undefined ? 'none' : String(hashBytes(d.bytes));
  const strict = canonical(d, () => false, dataHash);
  if (d.volatile.length === 0) {
    const k = hashString(strict);
    return [k, k];
  }
  const volatile = new Set(d.volatile);
  return [hashString(canonical(d, (f) => volatile.has(f), dataHash)), hashString(strict)];
}

/** The fields of two descriptions that differ, as `name`, `result`, `args.x`, `returned.y`, `data`. */
export function differingFields(a: CallDescription, b: CallDescription, strict: boolean): string[] {
  const out: string[] = [];
  const skip = (f: string) => !strict && (a.volatile.includes(f) || b.volatile.includes(f));
  if (a.name !== b.name) out.push('name');
  if (a.result !== b.result) out.push('result');
  for (const part of ['args', 'returned'] as const) {
    const keys = new Set([...Object.keys(a[part]), ...Object.keys(b[part])]);
    for (const k of keys) if (a[part][k] !== b[part][k] && !skip(`${part}.${k}`)) out.push(`${part}.${k}`);
  }
  if (!skip('data') && !sameBytes(a.bytes, b.bytes)) out.push('data');
  return out;
}

function canonical(d: CallDescription, hidden: (field: string) => boolean, dataHash: string): string {
  const fields = (o: Record<string, string | number>, prefix: string) =>
    Object.entries(o).map(([k, v]) => `${k}=${hidden(`${prefix}.${k}`) ? '~' : typeof v === 'number' ? v : JSON.stringify(v)}`).join(',');
  return `${d.name}|${d.result}|${fields(d.args, 'args')}|${fields(d.returned, 'returned')}|${hidden('data') ? '~' : dataHash}`;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** cyrb53: a fast 53-bit string hash (not cryptographic; collisions are what matters here). */
function hashString(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return mix(h1, h2);
}

function hashBytes(b: Uint8Array): number {
  let h1 = 0xdeadbeef ^ b.length;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < b.length; i++) {
    h1 = Math.imul(h1 ^ b[i], 2654435761);
    h2 = Math.imul(h2 ^ b[i], 1597334677);
  }
  return mix(h1, h2);
}

function mix(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
