/**
 * Packet payload -> {@link Request}. The only place (with replyEncoder.ts) that knows packet
 * letters. Total: every payload becomes a request; arguments that do not parse become
 * `malformed`, letters the stub does not serve become `unsupported`. Never throws.
 */
import type { Request, StopPointType } from './requests.js';
import { parseQuery } from './queryParser.js';
import { hexNumber, parseResume, parseVCont, unsupported, malformed, smallHex, threadId } from './parseHelpers.js';

const STOP_POINT_TYPES: readonly StopPointType[] = ['software', 'hardware', 'write-watch', 'read-watch', 'access-watch'];

/** Parses one unescaped payload (taken as latin1 text, so binary `X` data survives). */
export function parseRequest(packet: string): Request {
  switch (packet[0]) {
    case 'q': case 'Q': case 'j': return parseQuery(packet);
    case 'v': return parseV(packet);
    case '?': return packet === '?' ? { kind: 'stop-reason' } : unsupported(packet);
    case 'p': return parseReadRegister(packet);
    case 'g': return stripThreadSuffix(packet.slice(1)) === '' ? { kind: 'read-registers' } : malformed(packet, 'g takes no arguments');
    case 'm': case 'x': return parseReadMemory(packet);
    case 'c': case 's': case 'C': case 'S': return parseResume(packet);
    case 'b': return parseBackward(packet);
    case 'Z': case 'z': return parseStopPoint(packet);
    case 'H': return parseSelectThread(packet);
    case 'T': return parseThreadAlive(packet);
    case 'k': return { kind: 'kill', vKill: false };
    case 'D': return /^D(;[0-9a-fA-F]+)?$/.test(packet) ? { kind: 'detach' } : malformed(packet, 'expected D or D;pid');
    case 'M': case 'X': case 'P': case 'G': return { kind: 'write-refused', what: packet[0] };
    case '_': return packet[1] === 'M' || packet[1] === 'm' ? { kind: 'write-refused', what: packet.slice(0, 2) } : unsupported(packet);
    default: return unsupported(packet);
  }
}

function parseV(packet: string): Request {
  if (packet === 'vCont?') return { kind: 'vcont-actions' };
  if (packet.startsWith('vCont;')) return parseVCont(packet);
  if (packet === 'vKill' || packet.startsWith('vKill;')) return { kind: 'kill', vKill: true };
  return unsupported(packet);
}

function stripThreadSuffix(rest: string): string {
  return rest.replace(/;thread:[0-9a-fA-F]+;?$/, '');
}

function parseReadRegister(packet: string): Request {
  const register = smallHex(stripThreadSuffix(packet.slice(1)));
  return register === undefined ? malformed(packet, 'expected p<register hex>') : { kind: 'read-register', register };
}

function parseReadMemory(packet: string): Request {
  const m = /^[mx]([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(packet);
  const address = m ? hexNumber(m[1]) : undefined;
  const length = m ? smallHex(m[2]) : undefined;
  if (address === undefined || length === undefined) return malformed(packet, 'expected <addr>,<length> in hex');
  return { kind: 'read-memory', address, length, binary: packet[0] === 'x' };
}

function parseBackward(packet: string): Request {
  if (packet === 'bc') return { kind: 'resume', direction: 'backward', action: 'continue', address: null };
  if (packet === 'bs') return { kind: 'resume', direction: 'backward', action: 'step', address: null };
  return unsupported(packet);
}

function parseStopPoint(packet: string): Request {
  // Conditions and commands (`;X...`) after the kind are not supported and are ignored.
  if (/^[Zz][5-9]/.test(packet)) return unsupported(packet);
  const m = /^([Zz])([0-4]),([0-9a-fA-F]+),([0-9a-fA-F]+)(;.*)?$/.exec(packet);
  const address = m ? hexNumber(m[3]) : undefined;
  const size = m ? smallHex(m[4]) : undefined;
  if (!m || address === undefined || size === undefined) return malformed(packet, 'expected Z<type>,<addr>,<kind>');
  const type = STOP_POINT_TYPES[Number(m[2])];
  return { kind: m[1] === 'Z' ? 'insert-stop-point' : 'remove-stop-point', type, address, size };
}

function parseSelectThread(packet: string): Request {
  const thread = threadId(packet.slice(2));
  if (!/^H[gcm]/.test(packet) || thread === undefined) return malformed(packet, 'expected H<g|c><thread>');
  return { kind: 'select-thread', thread };
}

function parseThreadAlive(packet: string): Request {
  const thread = threadId(packet.slice(1));
  return thread === undefined ? malformed(packet, 'expected T<thread>') : { kind: 'thread-alive', thread };
}
