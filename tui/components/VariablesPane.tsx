/**
 * The selected frame's C parameters and locals, and the globals of its compile unit, by their
 * DWARF names and C types (`v` switches to the Wasm locals and globals). Each row reads like a
 * C declaration with its value: `int n = 5`, `struct point p = {x = 1, y = 2}`,
 * `const char *msg = 0x00000410 "hello"`. Values that changed since the previous stop are
 * highlighted (and marked `*` without colour).
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { FrameView, ModuleView, SourceVariable } from '../engineApi.js';
import { functionLabel } from '../format/location.js';
import { frameKey, variableKey } from '../snapshot.js';
import { styleOf, useTheme } from '../theme.js';
import { baseName, declaration } from '../views/variablesView.js';
import { localsRows } from './LocalsPane.js';
import { PaneTitle } from './PaneTitle.js';

export interface VariablesPaneProps {
  readonly frame: FrameView | undefined;
  readonly module: ModuleView;
  readonly variables: readonly SourceVariable[];
  /** The globals to show (the selected frame's compile unit's). */
  readonly globals: readonly SourceVariable[];
  /** `variableKey`s of values that changed since the previous stop. */
  readonly changed: ReadonlySet<string>;
  readonly changedGlobals: ReadonlySet<string>;
  readonly width: number;
  /** Rows including both titles. */
  readonly height: number;
}

export function VariablesPane(props: VariablesPaneProps) {
  const { frame, module, variables, globals, width, height } = props;
  const theme = useTheme();
  const available = Math.max(2, height - 2);
  const nVars = localsRows(variables.length, globals.length, available);
  const nGlobals = available - nVars;
  const title = frame ? `Variables: #${frame.depth} ${functionLabel(module, frame.funcIndex, frame.name)}` : 'Variables';
  const empty = !frame ? '(no frame)' : frame.source === null ? '(no DWARF for this function)' : '(none in scope)';
  const unit = globals[0]?.unit;
  const owner = frame ? frameKey(frame) : '';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title={title} width={width} hint="v" />
      {variables.length === 0 && <Text {...styleOf(theme, 'dim')}>{empty}</Text>}
      <Clipped count={variables.length} rows={nVars}>
        {(i) => <VariableRow key={i} v={variables[i]} width={width} changed={props.changed.has(variableKey(owner, variables[i]))} />}
      </Clipped>
      <PaneTitle title={unit ? `Globals: ${baseName(unit)}` : 'Globals'} width={width} />
      {globals.length === 0 && <Text {...styleOf(theme, 'dim')}>(none)</Text>}
      <Clipped count={globals.length} rows={nGlobals}>
        {(i) => <VariableRow key={i} v={globals[i]} width={width} changed={props.changedGlobals.has(variableKey(`global ${globals[i].unit}`, globals[i]))} />}
      </Clipped>
    </Box>
  );
}

/**
 * `int n = 5`: the declaration dim where it is the type, the value highlighted when it changed.
 * When the row does not fit but would without the type, the type gives way (`origin = {x = 3, y = 4}`).
 */
function VariableRow({ v, width, changed }: { v: SourceVariable; width: number; changed: boolean }) {
  const theme = useTheme();
  const full = declaration(v.type, v.name);
  const decl = 1 + full.length + 3 + v.value.length > width && 1 + v.name.length + 3 + v.value.length <= width ? v.name : full;
  const at = decl.lastIndexOf(v.name);
  const marker = changed && !theme.color ? ' *' : '';
  const valueStyle = changed ? styleOf(theme, 'changed') : v.available ? {} : styleOf(theme, 'dim');
  return (
    <Text wrap="truncate-end">
      {' '}
      <Text {...styleOf(theme, 'dim')}>{decl.slice(0, at)}</Text>
      {v.name}
      <Text {...styleOf(theme, 'dim')}>{decl.slice(at + v.name.length)}</Text>
      {' = '}
      <Text {...valueStyle}>{v.value + marker}</Text>
    </Text>
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
