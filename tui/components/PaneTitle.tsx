/** A pane's title row: `─ Title ──────── hint ─`, exactly `width` cells (truncated when narrow). */
import { Text } from 'ink';
import { styleOf, useTheme } from '../theme.js';

export interface PaneTitleProps {
  readonly title: string;
  readonly width: number;
  /** Short right-aligned text, e.g. the keys that act on the pane. */
  readonly hint?: string;
}

export function PaneTitle({ title, width, hint }: PaneTitleProps) {
  const theme = useTheme();
  const head = ` ${title} `;
  const tail = hint ? ` ${hint} ─` : '';
  const fill = Math.max(0, width - 1 - head.length - tail.length);
  return (
    <Text wrap="truncate-end">
      <Text {...styleOf(theme, 'dim')}>─</Text>
      <Text {...styleOf(theme, 'title')}>{head}</Text>
      <Text {...styleOf(theme, 'dim')}>{'─'.repeat(fill) + (fill > 0 ? tail : '')}</Text>
    </Text>
  );
}
