/**
 * One named value in the locals or globals list: `l2  i32  1024 (0x400)`. A value that changed
 * since the previous stop is highlighted; without colour it also gets a `*`.
 */
import { Text } from 'ink';
import { styleOf, useTheme } from '../theme.js';

export interface ValueRowProps {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly changed: boolean;
}

export function ValueRow({ name, type, value, changed }: ValueRowProps) {
  const theme = useTheme();
  const marker = changed && !theme.color ? ' *' : '';
  return (
    <Text wrap="truncate-end">
      {' ' + name.padEnd(4) + ' '}
      <Text {...styleOf(theme, 'dim')}>{type.padEnd(8)}</Text>
      <Text {...(changed ? styleOf(theme, 'changed') : {})}>{value + marker}</Text>
    </Text>
  );
}
