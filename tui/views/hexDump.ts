/**
 * The memory pane's rows: address, bytes in hex, ASCII, each byte marked when it changed since
 * the previous stop or lies in a watched range. Pure.
 */
import type { Watchpoint } from '../engineApi.js';

export interface HexByte {
  readonly value: number;
  /** Differs from the same address at the previous stop (false when that was not captured). */
  readonly changed: boolean;
  readonly watched: boolean;
}

export interface HexRow {
  readonly address: number;
  readonly bytes: readonly HexByte[];
}

/** Bytes at an address at the previous stop (what `takeSnapshot` captured). */
export interface MemoryCapture {
  readonly address: number;
  readonly bytes: Uint8Array;
}

/** 16 bytes a row when the pane is wide enough for them (78 columns), else 8. */
export function bytesPerRow(width: number): number {
  return width >= 78 ? 16 : 8;
}

/** Rows of `perRow` bytes for `bytes` read at `address`. */
export function hexRows(
  address: number,
  bytes: Uint8Array,
  perRow: number,
  previous: MemoryCapture | null,
  watchpoints: readonly Watchpoint[],
): HexRow[] {
  const rows: HexRow[] = [];
  for (let offset = 0; offset < bytes.length; offset += perRow) {
    const row: HexByte[] = [];
    for (let i = offset; i < Math.min(offset + perRow, bytes.length); i++) {
      const a = address + i;
      const before = previous ? previous.bytes[a - previous.address] : undefined;
      row.push({
        value: bytes[i],
        changed: before !== undefined && a >= previous!.address && before !== bytes[i],
        watched: watchpoints.some((w) => a >= w.address && a < w.address + w.size),
      });
    }
    rows.push({ address: address + offset, bytes: row });
  }
  return rows;
}

/** The byte as an ASCII character, `.` when not printable. */
export function asciiOf(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}
