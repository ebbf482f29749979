/**
 * args_get, args_sizes_get, environ_get, environ_sizes_get: the guest's argv and environment
 * as NUL-terminated UTF-8 strings plus an array of pointers to them. Each `_get` writes the
 * pointer array and the string buffer as one write each.
 */
import { Errno } from './errno.js';
import { checkOutput, u32 } from './hostContext.js';
import type { HostContext, RawHostFunction } from './hostContext.js';
import type { GuestMemory } from './guestMemory.js';

/** The strings, each UTF-8 encoded with its terminating NUL, laid out back to back. */
function encodeStrings(list: readonly string[]): { buffer: Uint8Array; offsets: number[] } {
  const encoder = new TextEncoder();
  const parts = list.map((s) => encoder.encode(`${s}\0`));
  const offsets: number[] = [];
  let size = 0;
  for (const p of parts) {
    offsets.push(size);
    size += p.length;
  }
  const buffer = new Uint8Array(size);
  parts.forEach((p, i) => buffer.set(p, offsets[i]));
  return { buffer, offsets };
}

function stringsGet(memory: GuestMemory, list: readonly string[], ptrsPtr: number, bufPtr: number): number {
  const { buffer, offsets } = encodeStrings(list);
  const ptrs = u32(ptrsPtr);
  const buf = u32(bufPtr);
  // Check both regions before writing either, so a fault leaves memory untouched.
  checkOutput(memory, ptrs, offsets.length * 4);
  checkOutput(memory, buf, buffer.length);
  const table = new Uint8Array(offsets.length * 4);
  const view = new DataView(table.buffer);
  offsets.forEach((o, i) => view.setUint32(i * 4, (buf + o) >>> 0, true));
  if (table.length > 0) memory.writeBytes(ptrs, table);
  if (buffer.length > 0) memory.writeBytes(buf, buffer);
  return Errno.success;
}

function sizesGet(memory: GuestMemory, list: readonly string[], countPtr: number, sizePtr: number): number {
  const { buffer, offsets } = encodeStrings(list);
  checkOutput(memory, countPtr, 4);
  checkOutput(memory, sizePtr, 4);
  memory.writeU32(u32(countPtr), offsets.length);
  memory.writeU32(u32(sizePtr), buffer.length);
  return Errno.success;
}

/** The four argv/environment functions, keyed by preview1 name. */
export function argsEnvFunctions(ctx: HostContext): Record<string, RawHostFunction> {
  const { memory, options } = ctx;
  return {
    args_get: (argv: number, buf: number) => stringsGet(memory, options.args, argv, buf),
    args_sizes_get: (argc: number, size: number) => sizesGet(memory, options.args, argc, size),
    environ_get: (environ: number, buf: number) => stringsGet(memory, options.env, environ, buf),
    environ_sizes_get: (count: number, size: number) => sizesGet(memory, options.env, count, size),
  };
}
