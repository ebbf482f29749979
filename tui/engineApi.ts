/**
 * The replay engine's API as the terminal UI sees it: the only file in tui/ that names the
 * engine, through its public surface (replay/index.ts). Everything here is a type: the UI drives
 * a `Debuggee` it is handed and never opens traces, runs SQL or touches Binaryen.
 */
export type {
  Breakpoint,
  BreakpointSpec,
  Debuggee,
  Direction,
  FrameView,
  GlobalState,
  ModuleView,
  OutputView,
  SourceValue,
  SourceVariable,
  SourceLocation,
  StepUnit,
  StopEvent,
  Value,
  Watchpoint,
  WriteRecord,
} from '../replay/index.js';
