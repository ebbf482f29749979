/**
 * The XML documents served through `qXfer:<object>:read`: the library list (where LLDB finds the
 * module image) and the memory map (which address ranges are readable). Text only; the session
 * picks the numbers.
 */
import type { Reply } from './replies.js';

/** One module as the library list names it. */
export interface LibraryEntry {
  /** The name LLDB shows; it must not resolve to a local file (LLDB would load that instead). */
  readonly name: string;
  /** Code address of the image's first byte. */
  readonly base: bigint;
}

/** One readable range for the memory map. */
export interface MemoryRange {
  readonly type: 'ram' | 'rom';
  readonly start: bigint;
  readonly length: bigint;
}

/** `<library-list>` with one `<library>` per module (hex section address: LLDB reads both radixes). */
export function libraryListXml(libraries: readonly LibraryEntry[]): string {
  const items = libraries.map((l) => `<library name="${escapeXml(l.name)}"><section address="0x${l.base.toString(16)}"/></library>`);
  return `<library-list>${items.join('')}</library-list>`;
}

/** `<memory-map>` with one `<memory>` element per range. */
export function memoryMapXml(ranges: readonly MemoryRange[]): string {
  const items = ranges.map((r) => `<memory type="${r.type}" start="0x${r.start.toString(16)}" length="0x${r.length.toString(16)}"/>`);
  return `<?xml version="1.0"?><memory-map>${items.join('')}</memory-map>`;
}

/**
 * The qXfer chunk of `document` at `offset` with at most `length` characters: `last` once the
 * chunk reaches the end (an offset at or past the end gives an empty last chunk).
 */
export function xferChunk(document: string, offset: number, length: number): Reply {
  const data = document.slice(offset, offset + length);
  return { kind: 'xfer-chunk', data, last: offset + length >= document.length };
}

/** Markup characters and everything outside printable ASCII as character references, so offsets count bytes. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']|[^\x20-\x7e]/gu, (c) => `&#${c.codePointAt(0)};`);
}
