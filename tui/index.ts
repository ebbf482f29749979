/**
 * The terminal UI's public surface (layer 5: a client of the replay engine's `Debuggee` API
 * only). The CLI calls `assertInteractiveTerminal` (from terminal.ts, light) before opening a
 * trace, loads this surface through `load.ts` (ink's imports trimmed) while the trace opens, then
 * calls `runTui`. The pure pieces (keymap, formatters, view models) are exported for the CLI,
 * the debug API and tests.
 */
export { runTui, type TuiOptions } from './runTui.js';
export { assertInteractiveTerminal, NotATerminalError, type TerminalStreams } from './terminal.js';
export { App, type AppProps } from './components/App.js';
export { DebugSession, type SessionState, type StatusMessage, type StopData } from './session.js';
export { SourceFiles, type SourceText } from './sourceFiles.js';
export { ThemeContext, themeFromEnv, type Theme } from './theme.js';
export { commandForKey, MOTION_KEYS, OTHER_KEYS, type KeyPress, type UiCommand } from './keymap.js';
export { describeMotion, runMotion, type Motion } from './commands.js';
export { formatStop } from './format/stop.js';
export { formatValue, formatGlobalValue } from './format/values.js';
export { parseTime, parseAddress, parseBreakpoint, parseWatch, PromptInputError } from './parseInput.js';
export { timelineBar, type TimelineMark } from './views/timelineBar.js';
export { layoutFor, type Layout } from './views/layout.js';
export { codeView, type CodeRow, type CodeView } from './views/codeView.js';
export { resolveCode, type CodeCursor, type CodeTarget } from './views/codeTarget.js';
export { hexRows, type HexRow } from './views/hexDump.js';
