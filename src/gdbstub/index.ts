/**
 * Public entry of the gdbstub layer. For now only the wire codec (framing, checksums, escapes,
 * run-length encoding, ack mode, hex helpers); the server serving a replay comes later (#6).
 */
export * from './wireCodec.js';
