/**
 * Linear memory as hex and ASCII from the chosen address. Bytes that differ from the previous
 * stop are highlighted (inverse without colour); watched bytes are underlined.
 */
import { Box, Text } from 'ink';
import { byteHex, hex } from '../format/values.js';
import { type RoleStyle, styleOf, type Theme, useTheme } from '../theme.js';
import { asciiOf, type HexByte, type HexRow } from '../views/hexDump.js';
import { PaneTitle } from './PaneTitle.js';

export interface MemoryPaneProps {
  /** Null: no address chosen yet. */
  readonly address: number | null;
  readonly rows: readonly HexRow[];
  /** Why there is nothing to show at `address` (e.g. past the memory's end). */
  readonly error: string | null;
  readonly changedCount: number;
  readonly width: number;
  /** Rows including the title. */
  readonly height: number;
  readonly hint?: string;
}

export function MemoryPane(props: MemoryPaneProps) {
  const { address, rows, width, height } = props;
  const theme = useTheme();
  const changed = props.changedCount > 0 ? ` (${props.changedCount} changed since the last stop)` : '';
  const title = address === null ? 'Memory' : `Memory at ${hex(address)}${changed}`;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title={title} width={width} hint={props.hint} />
      {address === null && <Text {...styleOf(theme, 'dim')}>press m and type an address (0x1000, l2, a C variable)</Text>}
      {props.error !== null && <Text {...styleOf(theme, 'error')}>{props.error}</Text>}
      {rows.map((row) => (
        <Text key={row.address} wrap="truncate-end">
          <Text {...styleOf(theme, 'dim')}>{row.address.toString(16).padStart(8, '0')}</Text>
          {runs(row, theme).map((run, i) => (
            <Text key={i} {...run.style}>
              {run.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

interface Run {
  readonly text: string;
  readonly style: RoleStyle;
  readonly key: string;
}

/**
 * The row after its address as few styled runs as possible (one `<Text>` per byte made a
 * screen of memory slow to lay out): `  0c 00 ..  ..  |....|`.
 */
export function runs(row: HexRow, theme: Theme): Run[] {
  const out: Run[] = [];
  const push = (text: string, b: HexByte | null) => {
    const key = b === null ? '' : `${b.changed}${b.watched}`;
    const last = out[out.length - 1];
    if (last && last.key === key) out[out.length - 1] = { ...last, text: last.text + text };
    else out.push({ text, key, style: b === null ? {} : byteStyle(b, theme) });
  };
  row.bytes.forEach((b, i) => {
    push(i % 8 === 0 ? '  ' : ' ', null);
    push(byteHex(b.value), b);
  });
  push('  |', null);
  for (const b of row.bytes) push(asciiOf(b.value), b);
  push('|', null);
  return out;
}

function byteStyle(b: HexByte, theme: Theme): RoleStyle {
  if (b.changed) return { ...styleOf(theme, 'written'), ...(b.watched ? styleOf(theme, 'watched') : {}) };
  return b.watched ? styleOf(theme, 'watched') : {};
}
