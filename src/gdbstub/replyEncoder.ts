/**
 * {@link Reply} -> packet payload: the spelling of every answer (`OK`, `E02`, `T05thread:1;...`,
 * `W00`, `m`/`l` chunks). The only place besides the request parsers that knows packet letters.
 * Framing (checksum, escapes) is the wire codec's job.
 */
import { bytesToHex, littleEndianHex, stringToHex } from './hexEncoding.js';
import type { Reply, StopReply } from './replies.js';

/** Connection modes that change how replies are spelled. */
export interface ReplyStyle {
  /** `QEnableErrorStrings` was accepted: errors carry `;<hex message>`. */
  readonly errorStrings: boolean;
  /** `QListThreadsInStopReply` was accepted: stop replies list `threads:` and `thread-pcs:`. */
  readonly threadsInStopReply: boolean;
}

/** The thread every stop reply names: a replay has one. */
export const THREAD_ID = 1;

/** The payload of `reply`: text, or bytes for binary (`x`) replies. */
export function encodeReply(reply: Reply, style: ReplyStyle): string | Uint8Array {
  switch (reply.kind) {
    case 'ok': return 'OK';
    case 'empty': return '';
    case 'error': return errorText(reply.code, reply.message, style);
    case 'pairs': return reply.pairs.map(([k, v]) => `${k}:${v};`).join('');
    case 'hex': return bytesToHex(reply.bytes);
    case 'binary': return reply.bytes.length === 0 ? 'OK' : reply.bytes;
    case 'xfer-chunk': return (reply.last ? 'l' : 'm') + reply.data;
    case 'thread-list': return reply.threads.length === 0 ? 'l' : 'm' + reply.threads.map(hex).join(',');
    case 'current-thread': return 'QC' + hex(reply.thread);
    case 'attached': return reply.attached ? '1' : '0';
    case 'vcont-actions': return 'vCont' + reply.actions.map((a) => ';' + a).join('');
    case 'supported': return reply.features.join(';');
    case 'stop': return encodeStopReply(reply.stop, style);
  }
}

/** `T..`, `W..` or `X..` for `stop`. */
export function encodeStopReply(stop: StopReply, style: ReplyStyle): string {
  if (stop.kind === 'exited') return 'W' + byte(stop.code);
  if (stop.kind === 'terminated') return 'X' + byte(stop.signal);
  let text = `T${byte(stop.signal)}thread:${hex(THREAD_ID)};00:${littleEndianHex(stop.pc, 8)};`;
  if (style.threadsInStopReply) text += `threads:${hex(THREAD_ID)};thread-pcs:${stop.pc.toString(16)};`;
  if (stop.breakpoint) text += 'swbreak:;';
  if (stop.watchAddress !== undefined) text += `watch:${stop.watchAddress.toString(16)};`;
  if (stop.historyBoundary) text += `replaylog:${stop.historyBoundary};`;
  if (stop.description) text += `description:${stringToHex(stop.description)};`;
  return text;
}

function errorText(code: number, message: string, style: ReplyStyle): string {
  return 'E' + byte(code) + (style.errorStrings && message ? ';' + stringToHex(message) : '');
}

function byte(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

function hex(n: number): string {
  return n.toString(16);
}
