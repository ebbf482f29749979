/**
 * Public entry of the gdbstub layer: `serveGdb` (the TCP server behind `wtrace replay --gdb`),
 * the per-connection pieces it is built from (for tests and other transports), and the wire
 * codec (framing, checksums, escapes, run-length encoding, ack mode, hex helpers).
 * See docs/gdbstub.md.
 */
export * from './wireCodec.js';
export { serveGdb, type GdbServer, type ServeOptions } from './server.js';
export { GdbConnection, type ConnectionOptions } from './connection.js';
export { GdbSession, type Answer } from './session.js';
export { memoryTransportPair, socketTransport, type MemoryPeer, type Transport, type TransportListener } from './transport.js';
export { parseRequest } from './requestParser.js';
export type { ClientFeature, Request, StopPointType } from './requests.js';
export { encodeReply, encodeStopReply, type ReplyStyle } from './replyEncoder.js';
export { ErrorCode, Signal, type Reply, type StopReply } from './replies.js';
export { stopReplyFor } from './stopReplies.js';
export { codeAddress, decodeWasmAddress, moduleBase, type WasmAddress, type WasmAddressSpace } from './wasmAddress.js';
