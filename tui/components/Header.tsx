/** The top line: the trace, the module, and how to get help or leave. */
import { Text } from 'ink';
import { styleOf, useTheme } from '../theme.js';

export interface HeaderProps {
  readonly traceName: string;
  readonly moduleName: string;
  readonly width: number;
}

export function Header({ traceName, moduleName, width }: HeaderProps) {
  const theme = useTheme();
  const left = ` wtrace replay  ${traceName}  (${moduleName})`;
  const right = '? help  q quit ';
  const gap = Math.max(1, width - left.length - right.length);
  return (
    <Text wrap="truncate-end" {...styleOf(theme, 'selected')}>
      {left + ' '.repeat(gap) + right}
    </Text>
  );
}
