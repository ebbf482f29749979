/**
 * The selected frame's C parameters and locals, and the globals of its compile unit, by their
 * DWARF names and C types (`v` switches to the Wasm locals and globals). Each row reads like a
 * C declaration with its value: `int n = 5`, `struct point p = {x = 1, y = 2}`,
 * `const char *msg = 0x00000410 "hello"`. Expanded (`e`), a struct's members and an array's
 * elements follow it one level deep (`  .x = 1`, `  [0] = 10`). Values that changed since the
 * previous stop are highlighted (and marked `*` without colour). The variables of a function
 * inlined at the pc follow under ` inlined name():`.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { FrameView, ModuleView, SourceValue, SourceVariable } from '../engineApi.js';
import { functionLabel } from '../format/location.js';
import { frameKey, globalOwner, memberKey, variableKey } from '../snapshot.js';
import { styleOf, useTheme } from '../theme.js';
import { baseName, declaration } from '../views/variablesView.js';
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
  /** Members and elements shown under their variable (one level). */
  readonly expanded?: boolean;
  /** Rows of the frame's variables scrolled past (clamped to the list). */
  readonly scroll?: number;
  readonly width: number;
  /** Rows including both titles. */
  readonly height: number;
}

/** Members or elements shown under one variable when expanded; more are counted on a last row. */
const MAX_CHILDREN = 32;

/** One row of the pane: a variable, one of its members or elements, or how many more there are. */
type Row =
  | { readonly kind: 'variable'; readonly v: SourceVariable; readonly key: string }
  | { readonly kind: 'child'; readonly c: SourceValue; readonly key: string }
  | { readonly kind: 'more'; readonly count: number }
  /** Before the variables of a function inlined at the pc. */
  | { readonly kind: 'inlined'; readonly name: string };

function rowsOf(vars: readonly SourceVariable[], owner: (v: SourceVariable) => string, expanded: boolean): Row[] {
  const rows: Row[] = [];
  let scope: string | null = null;
  for (const v of vars) {
    if (v.inlined !== scope && v.inlined !== null) rows.push({ kind: 'inlined', name: v.inlined });
    scope = v.inlined;
    const key = variableKey(owner(v), v);
    rows.push({ kind: 'variable', v, key });
    // A char array reads as its string already: its characters one per row would only crowd.
    if (!expanded || /\bchar\[/.test(v.type)) continue;
    for (const c of v.children.slice(0, MAX_CHILDREN)) rows.push({ kind: 'child', c, key: memberKey(key, c) });
    if (v.children.length > MAX_CHILDREN) rows.push({ kind: 'more', count: v.children.length - MAX_CHILDREN });
  }
  return rows;
}

/** Rows the frame's variables take (before clipping): how far scrolling can go. */
export function variableRowCount(vars: readonly SourceVariable[], expanded: boolean): number {
  return rowsOf(vars, () => '', expanded).length;
}

export function VariablesPane(props: VariablesPaneProps) {
  const { frame, module, variables, globals, width, height } = props;
  const theme = useTheme();
  const owner = frame ? frameKey(frame) : '';
  const allLocalRows = rowsOf(variables, () => owner, props.expanded ?? false);
  const globalRows = rowsOf(globals, globalOwner, props.expanded ?? false);
  const available = Math.max(2, height - 2);
  // The frame's variables come first: the globals keep a quarter of the rows (at least 2) when both overflow.
  const minGlobals = Math.min(Math.max(globalRows.length, 1), Math.max(2, Math.floor(available / 4)));
  const nVars = Math.max(1, Math.min(Math.max(allLocalRows.length, 1), available - minGlobals));
  const nGlobals = available - nVars;
  // Scrolled past rows are counted on one row; the last page is full (scrolling stops there).
  const skipped = allLocalRows.length <= nVars ? 0 : Math.min(props.scroll ?? 0, allLocalRows.length - (nVars - 1));
  const localRows = allLocalRows.slice(skipped);
  const title = frame ? `Variables: #${frame.depth} ${functionLabel(module, frame.funcIndex, frame.name)}` : 'Variables';
  const empty = !frame ? '(no frame)' : frame.source === null ? '(no DWARF for this function)' : '(none in scope)';
  const unit = globals[0]?.unit;
  const row = (r: Row, i: number, changed: ReadonlySet<string>) => {
    if (r.kind === 'more') return <Text key={i} {...styleOf(theme, 'dim')}>{`     … ${r.count} more`}</Text>;
    if (r.kind === 'inlined') return <Text key={i} wrap="truncate-end" {...styleOf(theme, 'dim')}>{` inlined ${r.name}():`}</Text>;
    if (r.kind === 'child') return <ChildRow key={i} c={r.c} changed={changed.has(r.key)} />;
    return <VariableRow key={i} v={r.v} width={width} changed={changed.has(r.key)} />;
  };
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneTitle title={title} width={width} hint="v" />
      {variables.length === 0 && <Text {...styleOf(theme, 'dim')}>{empty}</Text>}
      {skipped > 0 && <Text {...styleOf(theme, 'dim')}>{` … ${skipped} above ([)`}</Text>}
      <Clipped count={localRows.length} rows={nVars - (skipped > 0 ? 1 : 0)} hint=" (])">
        {(i) => row(localRows[i], i, props.changed)}
      </Clipped>
      <PaneTitle title={unit ? `Globals: ${baseName(unit)}` : 'Globals'} width={width} />
      {globals.length === 0 && <Text {...styleOf(theme, 'dim')}>(none)</Text>}
      <Clipped count={globalRows.length} rows={nGlobals}>
        {(i) => row(globalRows[i], i, props.changedGlobals)}
      </Clipped>
    </Box>
  );
}

/** `   .x = 3`, `   [2] = 30` or `   *p = {...}`: a member, element or pointee under its variable. */
function ChildRow({ c, changed }: { c: SourceValue; changed: boolean }) {
  const theme = useTheme();
  const marker = changed && !theme.color ? ' *' : '';
  const label = c.name.startsWith('[') || c.name.startsWith('*') ? c.name : `.${c.name}`;
  return (
    <Text wrap="truncate-end">
      {'   ' + label + ' = '}
      <Text {...(changed ? styleOf(theme, 'changed') : c.available ? {} : styleOf(theme, 'dim'))}>{c.value + marker}</Text>
    </Text>
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
function Clipped({ count, rows, hint = '', children }: { count: number; rows: number; hint?: string; children: (i: number) => ReactNode }) {
  const theme = useTheme();
  const fits = count <= rows;
  const shown = fits ? count : Math.max(0, rows - 1);
  return (
    <>
      {Array.from({ length: shown }, (_, i) => children(i))}
      {!fits && <Text {...styleOf(theme, 'dim')}>{` … ${count - shown} more${hint}`}</Text>}
    </>
  );
}
