/**
 * Every key, read from the keymap: motions as forward / backward pairs, then the rest (those
 * that do not fit the right column continue under the motions). Any key closes it.
 */
import { Box, Text } from 'ink';
import { keyLabel, MOTION_KEYS, OTHER_KEYS } from '../keymap.js';
import { styleOf, useTheme } from '../theme.js';
import { PaneTitle } from './PaneTitle.js';

export interface HelpOverlayProps {
  readonly width: number;
  readonly height: number;
}

export function HelpOverlay({ width, height }: HelpOverlayProps) {
  const theme = useTheme();
  const twoColumns = width >= 76;
  const leftWidth = twoColumns ? 36 : width;
  const rightWidth = twoColumns ? width - leftWidth - 1 : width;
  const fitRight = twoColumns ? Math.max(1, height - 1) : OTHER_KEYS.length;
  const otherRow = (o: (typeof OTHER_KEYS)[number]) => (
    <Text key={o.label} wrap="truncate-end">
      <Text {...styleOf(theme, 'title')}>{o.keys.map(keyLabel).join(' ').padEnd(10)}</Text>
      {o.label}
    </Text>
  );
  const motions = (
    <Box flexDirection="column" width={leftWidth}>
      <Text {...styleOf(theme, 'title')}>{'motion'.padEnd(25) + 'fwd  back'}</Text>
      {MOTION_KEYS.map((m) => (
        <Text key={m.label} wrap="truncate-end">
          {m.label.padEnd(26) + m.forward.padEnd(5) + m.backward}
        </Text>
      ))}
      <Text> </Text>
      <Text {...styleOf(theme, 'dim')} wrap="wrap">
        Backward motions run the recording in reverse: C stops at the previous breakpoint or watchpoint hit.
      </Text>
      {OTHER_KEYS.length > fitRight && <Text> </Text>}
      {OTHER_KEYS.slice(fitRight).map(otherRow)}
    </Box>
  );
  const others = (
    <Box flexDirection="column" width={rightWidth}>
      {OTHER_KEYS.slice(0, fitRight).map(otherRow)}
    </Box>
  );
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title="Keys" width={width} hint="any key closes" />
      <Box flexDirection={twoColumns ? 'row' : 'column'} columnGap={1}>
        {motions}
        {others}
      </Box>
    </Box>
  );
}
