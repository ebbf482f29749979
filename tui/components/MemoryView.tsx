/**
 * Reads the memory the memory pane shows (as many rows as fit from the session's address) and
 * compares it with the previous stop; `MemoryPane` only draws.
 */
import type { Watchpoint } from '../engineApi.js';
import { hex } from '../format/values.js';
import type { DebugSession, SessionState } from '../session.js';
import { bytesPerRow, type HexRow, hexRows } from '../views/hexDump.js';
import { MemoryPane } from './MemoryPane.js';

export interface MemoryViewProps {
  readonly session: DebugSession;
  readonly state: SessionState;
  readonly watchpoints: readonly Watchpoint[];
  readonly width: number;
  /** Rows including the title. */
  readonly height: number;
  readonly hint?: string;
}

export function MemoryView({ session, state, watchpoints, width, height, hint }: MemoryViewProps) {
  const address = state.memoryAddress;
  let rows: HexRow[] = [];
  let error: string | null = null;
  if (address !== null) {
    try {
      const perRow = bytesPerRow(width);
      const size = session.debuggee.memorySize();
      const length = Math.min(perRow * Math.max(1, height - 1), size - address);
      if (length <= 0) error = `${hex(address)} is past the end of memory (size ${hex(size)})`;
      else rows = hexRows(address, session.debuggee.readMemory(address, length), perRow, state.previous?.memory ?? null, watchpoints);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  }
  const changedCount = rows.reduce((n, r) => n + r.bytes.filter((b) => b.changed).length, 0);
  return <MemoryPane address={address} rows={rows} error={error} changedCount={changedCount} width={width} height={height} hint={hint} />;
}
