/**
 * Compact comparison keys for described import calls, so that a diff can remember one side's
 * whole call stream in 16 bytes a call. Two keys per call: the lenient one hides volatile
 * values, the strict one includes them. Equal descriptions give equal keys; different ones
 * give different keys except with probability about 2^-53 per compared pair.
 */
import type { CallDescription } from '../src/wasi/callDescriber.js';

/** [lenient key, strict key] of a description. */
export function callKeys(d: CallDescription): [number, number] {
  const out = new Float64Array(2);
  callKeysInto(d, out, 0);
  return [out[0], out[1]];
}

/**
 * Writes the lenient key of `d` to `out[at]` and its strict key to `out[at + 1]`. Hashes the
 * meaningful fields directly (name, result, each argument and returned value with its name and
 * type, a hash of the data bytes), building no strings: it runs for every call of both sides.
 * The lenient key sees a volatile field as hidden (its name, not its value).
 */
export function callKeysInto(d: CallDescription, out: Float64Array, at: number): void {
  const volatile = d.volatile;
  const split = volatile.length > 0;
  s1 = SEED1;
  s2 = SEED2;
  l1 = SEED1;
  l2 = SEED2;
  both = split;
  feedName(d.name);
  if (d.result === null) feed(TAG_NULL);
  else feedNumber(d.result);
  feedRecord(d.args, 'args.', volatile);
  feedRecord(d.returned, 'returned.', volatile);
  const bytes = d.bytes;
  if (split && volatile.includes('data')) {
    // Hidden in the lenient key only.
    both = false;
    feedBytesHash(bytes);
    feedLenient(TAG_HIDDEN);
  } else feedBytesHash(bytes);
  const strict = mix(s1, s2);
  out[at] = split ? mix(l1, l2) : strict;
  out[at + 1] = strict;
}

const SEED1 = 0xdeadbeef | 0;
const SEED2 = 0x41c6ce57 | 0;
const TAG_NULL = 0x6e756c6c;
const TAG_HIDDEN = 0x7e7e7e7e;
const TAG_NUMBER = 0x4e554d31;
const TAG_TEXT_NUMBER = 0x4e554d32;
const TAG_STRING = 0x53545231;
const TAG_RECORD = 0x52454331;
const TAG_NO_DATA = 0x4e4f4e45;
const TAG_DATA = 0x44415441;

// Hash state: strict (s1, s2) and lenient (l1, l2); `both` feeds the lenient lanes too.
let s1 = 0;
let s2 = 0;
let l1 = 0;
let l2 = 0;
let both = false;

function feed(w: number): void {
  let h1 = Math.imul(s1 ^ w, 2654435761);
  let h2 = Math.imul(s2 ^ w, 1597334677);
  s1 = (h1 << 13) | (h1 >>> 19);
  s2 = (h2 << 17) | (h2 >>> 15);
  if (both) {
    h1 = Math.imul(l1 ^ w, 2654435761);
    h2 = Math.imul(l2 ^ w, 1597334677);
    l1 = (h1 << 13) | (h1 >>> 19);
    l2 = (h2 << 17) | (h2 >>> 15);
  }
}

/** Feeds the lenient lanes only: a hidden value's stand-in. */
function feedLenient(w: number): void {
  const h1 = Math.imul(l1 ^ w, 2654435761);
  const h2 = Math.imul(l2 ^ w, 1597334677);
  l1 = (h1 << 13) | (h1 >>> 19);
  l2 = (h2 << 17) | (h2 >>> 15);
}

/**
 * Function and field names, a few dozen in all, each numbered once: a number per name is
 * cheaper to feed than its characters and, being assigned in order, never collides.
 */
const nameIds = new Map<string, number>();
const TAG_NAME = 0x4e414d45;

function feedName(s: string): void {
  let id = nameIds.get(s);
  if (id === undefined) nameIds.set(s, (id = nameIds.size));
  feed(TAG_NAME);
  feed(id);
}

function feedString(s: string): void {
  const n = s.length;
  feed(TAG_STRING);
  feed(n);
  let i = 0;
  for (; i + 1 < n; i += 2) feed(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) feed(s.charCodeAt(i));
}

function feedNumber(v: number): void {
  if (Number.isSafeInteger(v)) {
    feed(TAG_NUMBER);
    feed(v >>> 0);
    feed(Math.floor(v / 4294967296) | 0);
  } else {
    feed(TAG_TEXT_NUMBER);
    feedString(String(v));
  }
}

function feedValue(v: string | number): void {
  if (typeof v === 'number') feedNumber(v);
  else feedString(v);
}

function feedRecord(o: Record<string, string | number>, prefix: string, volatile: readonly string[]): void {
  feed(TAG_RECORD);
  const split = volatile.length > 0;
  for (const k in o) {
    const v = o[k];
    if (split && isVolatile(volatile, prefix, k)) {
      feedName(k);
      both = false;
      feedValue(v);
      feedLenient(TAG_HIDDEN);
      both = true;
    } else {
      feedName(k);
      feedValue(v);
    }
  }
}

/** Whether `prefix + key` is in `volatile`, without building that string. */
function isVolatile(volatile: readonly string[], prefix: string, key: string): boolean {
  for (const f of volatile) if (f.length === prefix.length + key.length && f.startsWith(prefix) && f.endsWith(key)) return true;
  return false;
}

function feedBytesHash(b: Uint8Array | undefined): void {
  if (b === undefined) return feed(TAG_NO_DATA);
  let h1 = 0xdeadbeef ^ b.length;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < b.length; i++) {
    h1 = Math.imul(h1 ^ b[i], 2654435761);
    h2 = Math.imul(h2 ^ b[i], 1597334677);
  }
  feed(TAG_DATA);
  feed(h1);
  feed(h2);
  feed(b.length);
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

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function mix(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
