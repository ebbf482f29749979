/**
 * The bottom line: the prompt being typed, else the motion running, else a message (an error
 * in red), else the last stop, else how to start.
 */
import { Text } from 'ink';
import type { Debuggee } from '../engineApi.js';
import { formatStop } from '../format/stop.js';
import { formatTime } from '../format/values.js';
import type { SessionState } from '../session.js';
import { styleOf, useTheme } from '../theme.js';

export interface StatusLineProps {
  readonly state: SessionState;
  readonly debuggee: Debuggee;
  /** Problems the engine reported while the screen read its state. */
  readonly problems: readonly string[];
  /** The prompt being answered: its label and the text typed so far. */
  readonly prompt: { readonly label: string; readonly text: string } | null;
}

export function StatusLine({ state, debuggee, problems, prompt }: StatusLineProps) {
  const theme = useTheme();
  if (prompt) {
    return (
      <Text wrap="truncate-start">
        <Text {...styleOf(theme, 'title')}>{prompt.label}</Text>
        {prompt.text}
        <Text inverse> </Text>
      </Text>
    );
  }
  if (state.busy) return <Text wrap="truncate-end" {...styleOf(theme, 'info')}>{`running: ${state.busy} …`}</Text>;
  if (state.message) {
    return (
      <Text wrap="truncate-end" {...styleOf(theme, state.message.kind === 'error' ? 'error' : 'info')}>
        {(state.message.kind === 'error' ? 'error: ' : '') + state.message.text}
      </Text>
    );
  }
  if (problems.length > 0) return <Text wrap="truncate-end" {...styleOf(theme, 'error')}>{`error: ${problems[0]}`}</Text>;
  if (state.lastStop) {
    const role = state.lastStop.kind === 'trap' ? 'error' : state.lastStop.kind === 'step' ? 'info' : 'current';
    return <Text wrap="truncate-end" {...styleOf(theme, role)}>{formatStop(state.lastStop, debuggee)}</Text>;
  }
  return (
    <Text wrap="truncate-end" {...styleOf(theme, 'dim')}>
      {`at time ${formatTime(debuggee.now)} of ${formatTime(debuggee.end)}: s/n/c step forward, S/N/C backward, ? for every key`}
    </Text>
  );
}
