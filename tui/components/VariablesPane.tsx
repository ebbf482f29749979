/**
 * The place for C variables by their DWARF names and types (`v` switches to it). The engine's
 * API has no variables yet; when it does (names, C types, values in scope at a frame), they
 * render here and the locals pane stays the Wasm-level view.
 */
import { Box, Text } from 'ink';
import { styleOf, useTheme } from '../theme.js';
import { PaneTitle } from './PaneTitle.js';

export interface VariablesPaneProps {
  readonly width: number;
  readonly height: number;
}

export function VariablesPane({ width, height }: VariablesPaneProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title="Variables (C)" width={width} hint="v" />
      <Text wrap="wrap" {...styleOf(theme, 'dim')}>
        C variables by their DWARF names are not available yet. Press v for the Wasm locals.
      </Text>
    </Box>
  );
}
