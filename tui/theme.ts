/**
 * Colours and emphasis, decided once per run. Under NO_COLOR (https://no-color.org) the UI adds
 * no colour at all; it keeps bold, inverse and underline (which are not colours) and adds text
 * markers where colour alone carried the meaning (a changed value gets a `*`).
 */
import { createContext, useContext } from 'react';

export interface Theme {
  /** False when NO_COLOR is set (to anything but the empty string). */
  readonly color: boolean;
}

/** What a piece of text means; components ask for a role, never for a colour. */
export type Role =
  | 'title'
  | 'current'
  | 'breakpoint'
  | 'changed'
  | 'error'
  | 'info'
  | 'dim'
  | 'stderr'
  | 'selected'
  | 'written'
  | 'watched';

/** The subset of ink `<Text>` props a role sets. */
export interface RoleStyle {
  readonly color?: string;
  readonly bold?: boolean;
  readonly inverse?: boolean;
  readonly underline?: boolean;
  readonly dimColor?: boolean;
}

const COLOURED: Record<Role, RoleStyle> = {
  title: { color: 'cyan', bold: true },
  current: { color: 'yellow', bold: true },
  breakpoint: { color: 'red', bold: true },
  changed: { color: 'yellow', bold: true },
  error: { color: 'red', bold: true },
  info: { color: 'green' },
  dim: { dimColor: true },
  stderr: { color: 'red' },
  selected: { inverse: true },
  written: { color: 'black', inverse: true, bold: true },
  watched: { underline: true },
};

const PLAIN: Record<Role, RoleStyle> = {
  title: { bold: true },
  current: { bold: true },
  breakpoint: { bold: true },
  changed: { bold: true },
  error: { bold: true },
  info: {},
  dim: { dimColor: true },
  stderr: {},
  selected: { inverse: true },
  written: { inverse: true },
  watched: { underline: true },
};

/** The style of `role` under `theme`. */
export function styleOf(theme: Theme, role: Role): RoleStyle {
  return (theme.color ? COLOURED : PLAIN)[role];
}

/** NO_COLOR present and not empty turns colour off (the spec's rule). */
export function themeFromEnv(env: Record<string, string | undefined>): Theme {
  const noColor = env.NO_COLOR;
  return { color: noColor === undefined || noColor === '' };
}

export const ThemeContext = createContext<Theme>({ color: true });

/** The theme of the surrounding `ThemeContext` (colour on when none is provided). */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}
