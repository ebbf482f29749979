/**
 * What the program printed up to the current time: the last lines of stdout, and of stderr
 * below them when it has any (the engine gives the two streams apart, not interleaved).
 */
import { Box, Text } from 'ink';
import type { OutputView } from '../engineApi.js';
import { styleOf, useTheme } from '../theme.js';
import { tailLines } from '../views/outputLines.js';
import { PaneTitle } from './PaneTitle.js';

export interface OutputPaneProps {
  readonly output: OutputView;
  readonly width: number;
  /** Rows including the title. */
  readonly height: number;
  /** Title suffix, e.g. the Tab hint when the pane shares its place with memory. */
  readonly hint?: string;
}

export function OutputPane({ output, width, height, hint }: OutputPaneProps) {
  const theme = useTheme();
  const rows = Math.max(1, height - 1);
  const hasErr = output.stderr.length > 0;
  const errRows = hasErr ? Math.min(Math.max(1, Math.floor((rows - 1) / 2)), rows - 1) : 0;
  const errShown = hasErr ? tailLines(output.stderr, errRows) : [];
  const outRows = rows - (hasErr ? errShown.length + 1 : 0);
  const outShown = tailLines(output.stdout, outRows);
  const empty = output.stdout.length === 0 && !hasErr;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title="Output" width={width} hint={hint} />
      {empty && <Text {...styleOf(theme, 'dim')}>(no output yet)</Text>}
      {outShown.map((line, i) => (
        <Text key={`o${i}`} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {hasErr && <Text {...styleOf(theme, 'dim')}>{'stderr:'}</Text>}
      {errShown.map((line, i) => (
        <Text key={`e${i}`} wrap="truncate-end" {...styleOf(theme, 'stderr')}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
