/**
 * The one-line prompts (`t`, `m`, `B`, `w`, `W`): what each asks and what its answer does.
 */
import { addBreakpointFromText } from './breakpointActions.js';
import { parseTime } from './parseInput.js';
import { goToLastWrite, showMemory, toggleWatchpoint } from './memoryActions.js';
import type { DebugSession } from './session.js';

export type PromptKind = 'time' | 'memory' | 'breakpoint' | 'watch' | 'lastWrite';

/** The question shown before the typed text. */
export const PROMPT_LABELS: Record<PromptKind, string> = {
  time: 'go to time (12345, 50%, +N, -N, start, end): ',
  memory: 'memory at (0x1000, l2, g0+16, a C variable): ',
  breakpoint: 'break at (file.c:12, function, 0xPC): ',
  watch: 'watch (toggle) address or C variable [size]: ',
  lastWrite: 'last write of address / C variable (Enter: memory view): ',
};

/** Carries out an answered prompt; errors become status messages. Resolves when done. */
export async function submitPrompt(session: DebugSession, kind: PromptKind, text: string): Promise<void> {
  switch (kind) {
    case 'time':
      try {
        const d = session.debuggee;
        await session.motion({ kind: 'seek', time: parseTime(text, d.now, d.end) });
      } catch (e) {
        session.fail(e);
      }
      return;
    case 'memory':
      return showMemory(session, text);
    case 'breakpoint':
      return addBreakpointFromText(session, text);
    case 'watch':
      return toggleWatchpoint(session, text);
    case 'lastWrite':
      return goToLastWrite(session, text);
  }
}
