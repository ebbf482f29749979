/** The call stack, innermost first; `▶` marks the selected frame (↑/↓ or u/d select). */
import { Box, Text } from 'ink';
import type { FrameView, ModuleView } from '../engineApi.js';
import { formatSource, functionLabel } from '../format/location.js';
import { hex } from '../format/values.js';
import { styleOf, useTheme } from '../theme.js';
import { windowStart } from '../views/codeView.js';
import { PaneTitle } from './PaneTitle.js';

export interface StackPaneProps {
  readonly frames: readonly FrameView[];
  readonly selected: number;
  readonly module: ModuleView;
  readonly width: number;
  /** Rows including the title. */
  readonly height: number;
}

/**
 * `#1 main debug_target.c:10` or `#2 _start 0x0001f0`, in `width` cells: a long function name
 * is cut (`my_long_fun… file.c:10`) before the location is.
 */
export function frameLine(module: ModuleView, f: FrameView, width = Infinity): string {
  const where = f.source ? formatSource(f.source) : hex(f.pc, 6);
  const head = `#${f.depth} `;
  let name = functionLabel(module, f.funcIndex, f.name);
  const room = width - head.length - 1 - where.length;
  if (name.length > room) name = room >= 4 ? name.slice(0, room - 1) + '…' : name;
  return `${head}${name} ${where}`;
}

export function StackPane({ frames, selected, module, width, height }: StackPaneProps) {
  const theme = useTheme();
  const rows = Math.max(1, height - 1);
  const start = windowStart(frames.length, selected, rows);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title={`Stack (${frames.length})`} width={width} hint="↑↓" />
      {frames.length === 0 && <Text {...styleOf(theme, 'dim')}>(no frames)</Text>}
      {frames.slice(start, start + rows).map((f, i) => {
        const isSelected = start + i === selected;
        return (
          <Text key={f.depth} wrap="truncate-end" {...(isSelected ? styleOf(theme, 'current') : {})}>
            {(isSelected ? '▶' : ' ') + frameLine(module, f, width - 1)}
          </Text>
        );
      })}
    </Box>
  );
}
