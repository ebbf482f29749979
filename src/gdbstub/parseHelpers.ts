/**
 * Small total parsers shared by requestParser.ts and queryParser.ts: numbers in the radixes the
 * protocol uses, thread ids, and the resume packets. Each returns `undefined` (or a `malformed`
 * request) on bad input, never throws.
 */
import type { Request } from './requests.js';

const MAX_ADDRESS = (1n << 64n) - 1n;

/** A request the stub answers with an empty reply. */
export function unsupported(packet: string): Request {
  return { kind: 'unsupported', packet };
}

/** A request the stub answers with an error reply naming `reason`. */
export function malformed(packet: string, reason: string): Request {
  return { kind: 'malformed', packet, reason };
}

/** A 64-bit unsigned hex number (any number of leading zeros); undefined if not hex or wider. */
export function hexNumber(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F]+$/.test(text)) return undefined;
  const value = BigInt('0x' + text);
  return value <= MAX_ADDRESS ? value : undefined;
}

/** A hex count or index up to 2^32 - 1; undefined otherwise. */
export function smallHex(text: string): number | undefined {
  const value = hexNumber(text);
  return value !== undefined && value <= 0xffff_ffffn ? Number(value) : undefined;
}

/** A decimal count or index up to 2^32 - 1 (the qWasm* arguments); undefined otherwise. */
export function decimal(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 0xffff_ffff ? value : undefined;
}

/** A thread id: hex, `-1` (all), `0` (any), or the multiprocess form `p<pid>.<tid>`. */
export function threadId(text: string): number | undefined {
  if (text === '-1') return -1;
  const multi = /^p[0-9a-fA-F]+\.(-1|[0-9a-fA-F]+)$/.exec(text);
  if (multi) return multi[1] === '-1' ? -1 : smallHex(multi[1]);
  return smallHex(text);
}

/** `c[addr]`, `s[addr]`, `C<sig>[;addr]`, `S<sig>[;addr]`: forward motions; the signal is ignored. */
export function parseResume(packet: string): Request {
  const action = packet[0] === 'c' || packet[0] === 'C' ? 'continue' : 'step';
  const m = packet[0] === 'c' || packet[0] === 's'
    ? /^.([0-9a-fA-F]*)$/.exec(packet)
    : /^.[0-9a-fA-F]{2}(?:;([0-9a-fA-F]+))?$/.exec(packet);
  if (!m) return malformed(packet, `expected ${packet[0]}${packet[0] === 'c' || packet[0] === 's' ? '[addr]' : '<sig>[;addr]'}`);
  const address = m[1] ? hexNumber(m[1]) : null;
  if (address === undefined) return malformed(packet, 'resume address is not a 64-bit hex number');
  return { kind: 'resume', direction: 'forward', action, address };
}

/**
 * `vCont;<action>[:<tid>][;...]`. The debuggee has one thread (1): the leftmost action that names
 * thread 1, all threads (-1) or no thread applies, as the protocol's leftmost-match rule says.
 * Only `c`, `C`, `s` and `S` are served (what `vCont?` advertises).
 */
export function parseVCont(packet: string): Request {
  for (const part of packet.slice('vCont;'.length).split(';')) {
    const m = /^([cCsS])([0-9a-fA-F]{2})?(?::(.+))?$/.exec(part);
    if (!m || (m[1] === 'c' || m[1] === 's') !== (m[2] === undefined)) return malformed(packet, `unsupported vCont action "${part}"`);
    const thread = m[3] === undefined ? -1 : threadId(m[3]);
    if (thread === undefined) return malformed(packet, `bad thread id in "${part}"`);
    if (thread === -1 || thread === 0 || thread === 1) {
      return { kind: 'resume', direction: 'forward', action: m[1].toLowerCase() === 'c' ? 'continue' : 'step', address: null };
    }
  }
  return malformed(packet, 'no action for thread 1');
}
