/**
 * The whole screen: header, code pane and side column (stack, locals or variables), output and
 * memory, timeline, status line; the help overlay and the prompts over them. Keys go through
 * the keymap to the session; this file decides layout and UI-only state (overlay, prompt, which
 * bottom pane), nothing about debugging.
 */
import { Box, Text, useApp, useInput, useWindowSize, type Key } from 'ink';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { toggleBreakpointAtCursor } from '../breakpointActions.js';
import { commandForKey, type UiCommand } from '../keymap.js';
import { PROMPT_LABELS, type PromptKind, submitPrompt } from '../prompts.js';
import type { DebugSession } from '../session.js';
import { changedGlobals, changedGlobalVariables, changedLocals, changedVariables, frameKey } from '../snapshot.js';
import { codeView } from '../views/codeView.js';
import { fits, layoutFor, MIN_COLUMNS, MIN_ROWS } from '../views/layout.js';
import type { TimelineMark } from '../views/timelineBar.js';
import { breakpointMarks, importMarks } from '../views/timelineMarks.js';
import { globalsForFrame } from '../views/variablesView.js';
import { CodePane } from './CodePane.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { LocalsPane } from './LocalsPane.js';
import { MemoryView } from './MemoryView.js';
import { OutputPane } from './OutputPane.js';
import { StackPane } from './StackPane.js';
import { StatusLine } from './StatusLine.js';
import { TimelineRow } from './TimelineRow.js';
import { variableRowCount, VariablesPane } from './VariablesPane.js';

export interface AppProps {
  readonly session: DebugSession;
  /** The trace file's name as the user gave it (the header shows it). */
  readonly traceName: string;
  /** A fixed size (tests); default: the terminal's, following resizes. */
  readonly size?: { readonly columns: number; readonly rows: number };
  /** Times to mark on the timeline; default: the breakpoints' hits and the import calls, from the debuggee. */
  readonly marks?: readonly TimelineMark[];
}

interface Prompt {
  readonly kind: PromptKind;
  readonly text: string;
}

/** The screen at the given size, or at the terminal's (following resizes). */
export function App(props: AppProps) {
  return props.size ? <Screen {...props} size={props.size} /> : <TerminalSized {...props} />;
}

function TerminalSized(props: AppProps) {
  // Only without a fixed size: ink's size lookup may spawn `tput` when the stream has none.
  const { columns, rows } = useWindowSize();
  return <Screen {...props} size={{ columns, rows }} />;
}

function Screen({ session, traceName, size, marks: givenMarks }: AppProps & { readonly size: AppProps['size'] & {} }) {
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const app = useApp();
  const [help, setHelp] = useState(false);
  const [prompt, setPromptState] = useState<Prompt | null>(null);
  // Keys can arrive before the next render: route them by the prompt as it is now, not as last drawn.
  const promptNow = useRef<Prompt | null>(null);
  const setPrompt = (next: Prompt | null | ((p: Prompt | null) => Prompt | null)): void => {
    promptNow.current = typeof next === 'function' ? next(promptNow.current) : next;
    setPromptState(promptNow.current);
  };
  const [bottom, setBottom] = useState<'output' | 'memory'>('output');
  // C structs and arrays one level open (members and elements under the variable).
  const [expanded, setExpanded] = useState(false);
  // First row of the C variables list shown (] and [ move it by half the pane).
  const [variablesScroll, setVariablesScroll] = useState(0);
  const { columns, rows } = size;
  const layout = layoutFor(columns, rows);
  session.data(); // the view below depends on what the debuggee showed so far
  const showVariables = session.showsVariables();

  useEffect(() => session.setRenderFlush(() => app.waitUntilRenderFlush()), [session, app]);
  // After the first frame is written (ink writes in the commit, before layout effects): what it need not wait for.
  useLayoutEffect(() => session.checkDwarf(), [session]);
  const callMarks = useMemo(() => quietly(() => importMarks(session.debuggee), []), [session]);

  const run = (command: UiCommand): void => {
    const d = session.debuggee;
    switch (command.kind) {
      case 'motion':
        return void session.motion(command.motion);
      case 'seekEnd':
        return void session.motion({ kind: 'seek', time: d.end });
      case 'prompt':
        return setPrompt({ kind: command.prompt, text: '' });
      case 'frame':
        return session.selectFrame(command.delta);
      case 'cursor':
        return session.moveCursor(command.delta);
      case 'page':
        return session.moveCursor(command.delta * Math.max(1, layout.mainHeight - 3));
      case 'cursorReset':
        return session.resetCursor();
      case 'toggleBreakpoint':
        return toggleBreakpointAtCursor(session);
      case 'switchBottom':
        return setBottom(bottom === 'output' ? 'memory' : 'output');
      case 'toggleVariables':
        return session.set({ variablesView: !showVariables });
      case 'toggleExpand':
        if (!showVariables) session.set({ variablesView: true });
        return setExpanded(!expanded);
      case 'scrollVariables': {
        const step = command.delta * Math.max(1, Math.floor((layout.mainHeight - 4) / 2));
        const last = Math.max(0, variableRowCount(session.data().variables, expanded) - 1);
        return setVariablesScroll(Math.min(last, Math.max(0, variablesScroll + step)));
      }
      case 'help':
        return setHelp(true);
      case 'quit':
        return app.exit();
    }
  };

  // Keys typed quickly can arrive as one chunk ("Bfac", "ial\r"): take such chunks a key at a
  // time. Chunks with escape sequences (arrows, function keys) are ink's to parse.
  useInput((input, key) => {
    if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\x1b')) {
      for (const ch of input) handleKey(...singleKey(ch, key));
    } else {
      handleKey(input, key);
    }
  });

  function handleKey(input: string, key: Key): void {
    if (help) return setHelp(false);
    const prompt = promptNow.current;
    if (prompt) {
      if (key.escape) return setPrompt(null);
      if (key.return) {
        setPrompt(null);
        if (prompt.kind === 'memory' || prompt.kind === 'lastWrite') setBottom('memory');
        return void submitPrompt(session, prompt.kind, prompt.text);
      }
      // Functional updates: keys typed faster than the screen redraws must not be lost.
      if (key.backspace || key.delete) return setPrompt((p) => p && { ...p, text: p.text.slice(0, -1) });
      if (!key.ctrl && !key.meta && input && !/[\x00-\x1f\x7f]/.test(input)) setPrompt((p) => p && { ...p, text: p.text + input });
      return;
    }
    const command = commandForKey(input, key);
    if (command) run(command);
  }

  if (!fits(columns, rows)) {
    return <Text>{`The terminal is ${columns}x${rows}; wtrace replay needs at least ${MIN_COLUMNS}x${MIN_ROWS}.`}</Text>;
  }

  const d = session.debuggee;
  const data = session.data();
  const frame = session.selectedFrame();
  const frameIndex = frame ? data.frames.indexOf(frame) : 0;
  const bodyHeight = layout.mainHeight + layout.bottomHeight;
  const stackHeight = Math.min(Math.max(data.frames.length, 1) + 1, Math.max(3, Math.floor(layout.mainHeight * 0.4)));
  const code = codeView(session.codeTarget(), {
    module: d.module,
    breakpoints: data.breakpoints,
    cursor: state.cursor,
    height: layout.mainHeight - 1,
    width: layout.codeWidth,
  });
  const memoryProps = { session, state, watchpoints: data.watchpoints, height: layout.bottomHeight };
  const unitGlobals = globalsForFrame(frame, data.globalVariables);
  // Another activation selected (or reached): its variables start from the top.
  const shownActivation = frame ? frameKey(frame) : '';
  const scrolledActivation = useRef(shownActivation);
  if (scrolledActivation.current !== shownActivation) {
    scrolledActivation.current = shownActivation;
    if (variablesScroll !== 0) setVariablesScroll(0);
  }
  const marks = givenMarks ?? [...callMarks, ...data.breakpointMarks];

  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Header traceName={traceName} moduleName={d.module.name} width={columns} />
      {help ? (
        <HelpOverlay width={columns} height={bodyHeight} />
      ) : (
        <>
          <Box flexDirection="row" height={layout.mainHeight}>
            <CodePane view={code} width={layout.codeWidth} height={layout.mainHeight} />
            <Box width={1} height={layout.mainHeight} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderDimColor />
            <Box flexDirection="column" width={layout.sideWidth}>
              <StackPane frames={data.frames} selected={frameIndex} module={d.module} width={layout.sideWidth} height={stackHeight} />
              {showVariables ? (
                <VariablesPane
                  frame={frame}
                  module={d.module}
                  variables={data.variables}
                  globals={unitGlobals}
                  changed={frame ? changedVariables(state.previous, frame, data.variables) : new Set()}
                  changedGlobals={changedGlobalVariables(state.previous, unitGlobals, (address, length) => d.readMemory(address, length))}
                  expanded={expanded}
                  scroll={variablesScroll}
                  width={layout.sideWidth}
                  height={layout.mainHeight - stackHeight}
                />
              ) : (
                <LocalsPane
                  frame={frame}
                  globals={data.globals}
                  changedLocals={frame ? changedLocals(state.previous, frame) : new Set()}
                  changedGlobals={changedGlobals(state.previous, data.globals)}
                  module={d.module}
                  width={layout.sideWidth}
                  height={layout.mainHeight - stackHeight}
                />
              )}
            </Box>
          </Box>
          {layout.bottomSplit ? (
            <Box flexDirection="row" height={layout.bottomHeight}>
              <OutputPane output={data.output} width={columns - layout.memoryWidth - 1} height={layout.bottomHeight} />
              <Box width={1} height={layout.bottomHeight} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderDimColor />
              <MemoryView {...memoryProps} width={layout.memoryWidth} />
            </Box>
          ) : bottom === 'output' ? (
            <OutputPane output={data.output} width={columns} height={layout.bottomHeight} hint="Tab: memory" />
          ) : (
            <MemoryView {...memoryProps} width={columns} hint="Tab: output" />
          )}
        </>
      )}
      <TimelineRow now={d.now} end={d.end} width={columns} marks={marks} />
      <StatusLine
        state={state}
        debuggee={d}
        problems={data.problems}
        prompt={prompt ? { label: PROMPT_LABELS[prompt.kind], text: prompt.text } : null}
      />
    </Box>
  );
}

/** `what()`, or `fallback` when the debuggee cannot answer (marks are a nicety). */
function quietly<T>(what: () => T, fallback: T): T {
  try {
    return what();
  } catch {
    return fallback;
  }
}

/** One character of a chunk as ink would have reported it alone. */
function singleKey(ch: string, chunk: Key): [string, Key] {
  const plain: Key = { ...chunk, return: false, backspace: false, delete: false, tab: false, shift: ch !== ch.toLowerCase() };
  if (ch === '\r' || ch === '\n') return ['', { ...plain, return: true }];
  if (ch === '\x7f' || ch === '\b') return ['', { ...plain, backspace: true }];
  if (ch === '\t') return ['', { ...plain, tab: true }];
  return [ch, plain];
}
