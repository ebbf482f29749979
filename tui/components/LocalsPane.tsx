/**
 * The selected frame's Wasm locals (parameters first, then declared locals, by index) and the
 * module's globals, each marked when it changed since the previous stop.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { FrameView, GlobalState, ModuleView } from '../engineApi.js';
import { functionLabel } from '../format/location.js';
import { formatGlobalValue, formatValue } from '../format/values.js';
import { styleOf, useTheme } from '../theme.js';
import { PaneTitle } from './PaneTitle.js';
import { ValueRow } from './ValueRow.js';

export interface LocalsPaneProps {
  readonly frame: FrameView | undefined;
  readonly globals: readonly GlobalState[];
  readonly changedLocals: ReadonlySet<number>;
  readonly changedGlobals: ReadonlySet<number>;
  readonly module: ModuleView;
  readonly width: number;
  /** Rows including both titles. */
  readonly height: number;
}

/** How many rows the locals get of `available`: all they need if the globals still get half. */
export function localsRows(locals: number, globals: number, available: number): number {
  const want = Math.max(locals, 1);
  return Math.max(1, Math.min(want, Math.max(Math.ceil(available / 2), available - Math.max(globals, 1))));
}

export function LocalsPane(props: LocalsPaneProps) {
  const { frame, globals, module, width, height } = props;
  const theme = useTheme();
  const locals = frame?.locals ?? [];
  const available = Math.max(2, height - 2);
  const nLocals = localsRows(locals.length, globals.length, available);
  const nGlobals = available - nLocals;
  const title = frame ? `Locals: #${frame.depth} ${functionLabel(module, frame.funcIndex, frame.name)}` : 'Locals';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title={title} width={width} hint="v" />
      {locals.length === 0 && <Text {...styleOf(theme, 'dim')}>{frame ? '(none)' : '(no frame)'}</Text>}
      <Clipped count={locals.length} rows={nLocals}>
        {(i) => <ValueRow key={i} name={`l${i}`} type={locals[i].type} value={formatValue(locals[i])} changed={props.changedLocals.has(i)} />}
      </Clipped>
      <PaneTitle title="Globals" width={width} />
      {globals.length === 0 && <Text {...styleOf(theme, 'dim')}>(none)</Text>}
      <Clipped count={globals.length} rows={nGlobals}>
        {(i) => {
          const g = globals[i];
          return <ValueRow key={i} name={`g${g.index}`} type={g.type + (g.mutable ? ' mut' : '')} value={formatGlobalValue(g)} changed={props.changedGlobals.has(g.index)} />;
        }}
      </Clipped>
    </Box>
  );
}

/** The first items that fit in `rows`, the last row saying how many more there are. */
function Clipped({ count, rows, children }: { count: number; rows: number; children: (i: number) => ReactNode }) {
  const theme = useTheme();
  const fits = count <= rows;
  const shown = fits ? count : Math.max(0, rows - 1);
  return (
    <>
      {Array.from({ length: shown }, (_, i) => children(i))}
      {!fits && <Text {...styleOf(theme, 'dim')}>{` … ${count - shown} more`}</Text>}
    </>
  );
}
