/**
 * The `q`, `Q` and `j` packets -> {@link Request}: general queries, LLDB's extensions and the
 * WebAssembly queries (`qWasm*`, whose numbers are decimal except qWasmCallStack's hex tid).
 * Total, like requestParser.ts.
 */
import type { Request } from './requests.js';
import { decimal, hexNumber, malformed, smallHex, threadId, unsupported } from './parseHelpers.js';

/** Packets that are the whole payload and need no arguments. */
const EXACT: Readonly<Record<string, Request>> = {
  QStartNoAckMode: { kind: 'start-no-ack' },
  QThreadSuffixSupported: { kind: 'enable', feature: 'thread-suffix' },
  QListThreadsInStopReply: { kind: 'enable', feature: 'threads-in-stop-reply' },
  QEnableErrorStrings: { kind: 'enable', feature: 'error-strings' },
  qHostInfo: { kind: 'host-info' },
  qProcessInfo: { kind: 'process-info' },
  qfThreadInfo: { kind: 'thread-list', first: true },
  qsThreadInfo: { kind: 'thread-list', first: false },
  qC: { kind: 'current-thread' },
  qAttached: { kind: 'attached' },
  qWatchpointSupportInfo: { kind: 'watchpoint-slots' },
  'qWatchpointSupportInfo:': { kind: 'watchpoint-slots' },
};

/** Packets recognised by a prefix; each parser gets the text after the prefix. */
const PREFIXED: ReadonlyArray<readonly [string, (rest: string, packet: string) => Request]> = [
  ['qSupported', (rest, packet) => rest === '' || rest.startsWith(':') ? { kind: 'supported', features: rest.slice(1).split(';').filter(Boolean) } : unsupported(packet)],
  ['qRegisterInfo', (rest, packet) => withNumber(smallHex(rest), packet, (register) => ({ kind: 'register-info', register }))],
  ['qMemoryRegionInfo:', (rest, packet) => withNumber(hexNumber(rest), packet, (address) => ({ kind: 'memory-region-info', address }))],
  ['qXfer:', parseXfer],
  ['qWasmCallStack:', (rest, packet) => withNumber(smallHex(rest), packet, (thread) => ({ kind: 'wasm-call-stack', thread }))],
  ['qWasmLocal:', (rest, packet) => frameAndIndex(rest, packet, (frame, index) => ({ kind: 'wasm-local', frame, index }))],
  ['qWasmStackValue:', (rest, packet) => frameAndIndex(rest, packet, (frame, index) => ({ kind: 'wasm-stack-value', frame, index }))],
  ['qWasmGlobal:', parseWasmGlobal],
  ['qThreadStopInfo', (rest, packet) => withNumber(threadId(rest), packet, (thread) => ({ kind: 'thread-stop-info', thread }))],
  ['qAttached:', () => ({ kind: 'attached' })],
  ['qSymbol:', () => ({ kind: 'symbol-lookup-done' })],
];

/** Parses a payload starting with `q`, `Q` or `j`. */
export function parseQuery(packet: string): Request {
  const exact = EXACT[packet];
  if (exact) return exact;
  for (const [prefix, parse] of PREFIXED) {
    if (packet.startsWith(prefix)) return parse(packet.slice(prefix.length), packet);
  }
  return unsupported(packet);
}

function withNumber<T extends number | bigint>(value: T | undefined, packet: string, make: (value: T) => Request): Request {
  return value === undefined ? malformed(packet, 'bad number') : make(value);
}

function frameAndIndex(rest: string, packet: string, make: (frame: number, index: number) => Request): Request {
  const parts = rest.split(';');
  const frame = decimal(parts[0]);
  const index = decimal(parts[1] ?? '');
  if (parts.length !== 2 || frame === undefined || index === undefined) return malformed(packet, 'expected <frame>;<index> in decimal');
  return make(frame, index);
}

/** `qWasmGlobal:<frame>;<index>` or the newer `qWasmGlobal:<index>;instance:<id>;`. */
function parseWasmGlobal(rest: string, packet: string): Request {
  const byInstance = /^(\d+);instance:(\d+);?$/.exec(rest);
  if (byInstance) {
    const index = decimal(byInstance[1]);
    const instance = decimal(byInstance[2]);
    if (index === undefined || instance === undefined) return malformed(packet, 'number out of range');
    return { kind: 'wasm-global', frame: null, instance, index };
  }
  return frameAndIndex(rest, packet, (frame, index) => ({ kind: 'wasm-global', frame, instance: null, index }));
}

/** `qXfer:<object>:read:<annex>:<offset>,<length>` (hex offset and length). */
function parseXfer(rest: string, packet: string): Request {
  const m = /^([^:]+):read:([^:]*):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(rest);
  if (!m) return /^[^:]+:read:/.test(rest) ? malformed(packet, 'expected qXfer:<object>:read:<annex>:<offset>,<length>') : unsupported(packet);
  const offset = smallHex(m[3]);
  const length = smallHex(m[4]);
  if (offset === undefined || length === undefined) return malformed(packet, 'offset or length out of range');
  return { kind: 'xfer-read', object: m[1], annex: m[2], offset, length };
}
