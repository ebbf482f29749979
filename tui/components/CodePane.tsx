/**
 * Source or disassembly around the selected frame's position. Gutter: `●` breakpoint, `▶` the
 * frame's line, `›` the code cursor (also shown inverse).
 */
import { Box, Text } from 'ink';
import { styleOf, useTheme } from '../theme.js';
import type { CodeRow, CodeView } from '../views/codeView.js';
import { PaneTitle } from './PaneTitle.js';

export interface CodePaneProps {
  readonly view: CodeView;
  readonly width: number;
  /** Rows including the title. */
  readonly height: number;
}

export function CodePane({ view, width, height }: CodePaneProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title={view.title} width={width} hint="b break  j/k cursor" />
      {view.note !== null && (
        <Box height={view.noteRows} overflow="hidden">
          <Text wrap="wrap" {...styleOf(theme, 'info')}>
            {view.note}
          </Text>
        </Box>
      )}
      {view.rows.map((row) => (
        <CodeLine key={row.label} row={row} />
      ))}
    </Box>
  );
}

function CodeLine({ row }: { readonly row: CodeRow }) {
  const theme = useTheme();
  const mark = row.current ? '▶' : row.cursor ? '›' : ' ';
  return (
    <Text wrap="truncate-end">
      {row.breakpoint ? <Text {...styleOf(theme, 'breakpoint')}>●</Text> : ' '}
      <Text {...(row.current ? styleOf(theme, 'current') : {})}>{mark}</Text>
      <Text {...(row.cursor ? styleOf(theme, 'selected') : styleOf(theme, 'dim'))}>{row.label}</Text>
      <Text {...(row.current ? styleOf(theme, 'current') : {})}>{' ' + row.text}</Text>
    </Text>
  );
}
