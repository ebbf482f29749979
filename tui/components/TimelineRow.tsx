/** `time 1,234 / 5,678 ━━━━●──────── 21.7%`: where `now` is in the recording. */
import { Text } from 'ink';
import { formatTime } from '../format/values.js';
import { styleOf, useTheme } from '../theme.js';
import { percentOf, timelineBar, type TimelineMark } from '../views/timelineBar.js';

export interface TimelineRowProps {
  readonly now: bigint;
  readonly end: bigint;
  readonly width: number;
  readonly marks: readonly TimelineMark[];
}

export function TimelineRow({ now, end, width, marks }: TimelineRowProps) {
  const theme = useTheme();
  const head = `time ${formatTime(now)} / ${formatTime(end)} `;
  const tail = ` ${percentOf(now, end)}  t: go to`;
  const barWidth = Math.max(0, width - head.length - tail.length);
  return (
    <Text wrap="truncate-end">
      <Text {...styleOf(theme, 'title')}>{head}</Text>
      <Text {...styleOf(theme, 'current')}>{timelineBar(now, end, barWidth, marks)}</Text>
      <Text>{tail}</Text>
    </Text>
  );
}
