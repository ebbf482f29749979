/**
 * Every key the UI answers to, in one table that both the input handler and the help overlay
 * read. gdb/lldb users' letters: s/n/f/c step, next, finish, continue; the capital letter does
 * the same backward (reverse-step, reverse-next, reverse-finish, reverse-continue); i/o by
 * instruction (stepi/nexti); g/G start and end of the recording. Pure.
 */
import type { Direction } from './engineApi.js';
import type { Motion } from './commands.js';
import type { PromptKind } from './prompts.js';

/** What a key asks the UI to do. */
export type UiCommand =
  | { readonly kind: 'motion'; readonly motion: Motion }
  | { readonly kind: 'seekEnd' }
  | { readonly kind: 'prompt'; readonly prompt: PromptKind }
  | { readonly kind: 'frame'; readonly delta: number }
  | { readonly kind: 'cursor'; readonly delta: number }
  | { readonly kind: 'page'; readonly delta: 1 | -1 }
  | { readonly kind: 'cursorReset' }
  | { readonly kind: 'toggleBreakpoint' }
  | { readonly kind: 'switchBottom' }
  | { readonly kind: 'toggleVariables' }
  | { readonly kind: 'toggleExpand' }
  | { readonly kind: 'scrollVariables'; readonly delta: 1 | -1 }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' };

/** A motion with a key for each direction. */
export interface MotionKey {
  readonly label: string;
  readonly forward: string;
  readonly backward: string;
  readonly motion: (direction: Direction) => Motion;
}

export const MOTION_KEYS: readonly MotionKey[] = [
  { label: 'step into (source line)', forward: 's', backward: 'S', motion: (direction) => ({ kind: 'stepInto', direction, unit: 'line' }) },
  { label: 'step over (source line)', forward: 'n', backward: 'N', motion: (direction) => ({ kind: 'stepOver', direction, unit: 'line' }) },
  { label: 'step out (finish)', forward: 'f', backward: 'F', motion: (direction) => ({ kind: 'stepOut', direction }) },
  { label: 'continue', forward: 'c', backward: 'C', motion: (direction) => ({ kind: 'continue', direction }) },
  { label: 'step one instruction', forward: 'i', backward: 'I', motion: (direction) => ({ kind: 'stepInstruction', direction }) },
  { label: 'step over (instruction)', forward: 'o', backward: 'O', motion: (direction) => ({ kind: 'stepOver', direction, unit: 'instruction' }) },
];

/** A key (or keys) for anything else. Special keys by name: up, down, pageup, pagedown, tab, escape. */
export interface OtherKey {
  readonly keys: readonly string[];
  readonly label: string;
  readonly command: UiCommand;
}

export const OTHER_KEYS: readonly OtherKey[] = [
  { keys: ['G'], label: 'go to the end of the recording', command: { kind: 'seekEnd' } },
  { keys: ['g'], label: 'go to the start of the recording', command: { kind: 'motion', motion: { kind: 'seek', time: 0n } } },
  { keys: ['t'], label: 'go to a time or a percentage', command: { kind: 'prompt', prompt: 'time' } },
  { keys: ['b'], label: 'toggle breakpoint at the cursor', command: { kind: 'toggleBreakpoint' } },
  { keys: ['B'], label: 'break at file:line, function, pc', command: { kind: 'prompt', prompt: 'breakpoint' } },
  { keys: ['w'], label: 'toggle a watchpoint (address)', command: { kind: 'prompt', prompt: 'watch' } },
  { keys: ['W'], label: 'last write of an address (go to)', command: { kind: 'prompt', prompt: 'lastWrite' } },
  { keys: ['m'], label: 'show memory at an address', command: { kind: 'prompt', prompt: 'memory' } },
  { keys: ['up', 'u'], label: 'select the caller frame', command: { kind: 'frame', delta: 1 } },
  { keys: ['down', 'd'], label: 'select the callee frame', command: { kind: 'frame', delta: -1 } },
  { keys: ['k'], label: 'code cursor up', command: { kind: 'cursor', delta: -1 } },
  { keys: ['j'], label: 'code cursor down', command: { kind: 'cursor', delta: 1 } },
  { keys: ['pageup'], label: 'code cursor a page up', command: { kind: 'page', delta: -1 } },
  { keys: ['pagedown'], label: 'code cursor a page down', command: { kind: 'page', delta: 1 } },
  { keys: ['.', 'escape'], label: 'cursor back to the current line', command: { kind: 'cursorReset' } },
  { keys: ['tab'], label: 'switch output / memory pane', command: { kind: 'switchBottom' } },
  { keys: ['v'], label: 'C variables / Wasm locals', command: { kind: 'toggleVariables' } },
  { keys: ['e'], label: 'expand C structs and arrays', command: { kind: 'toggleExpand' } },
  { keys: [']'], label: 'scroll C variables down', command: { kind: 'scrollVariables', delta: 1 } },
  { keys: ['['], label: 'scroll C variables up', command: { kind: 'scrollVariables', delta: -1 } },
  { keys: ['?'], label: 'this help', command: { kind: 'help' } },
  { keys: ['q'], label: 'quit (Ctrl-C too)', command: { kind: 'quit' } },
];

/** How a key name is written in the help: arrows as arrows. */
export function keyLabel(name: string): string {
  return { up: '↑', down: '↓', pageup: 'PgUp', pagedown: 'PgDn', tab: 'Tab', escape: 'Esc' }[name] ?? name;
}

/** The fields of ink's `Key` this reads (a structural subset, so tests need no ink). */
export interface KeyPress {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly tab?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
}

const BINDINGS: ReadonlyMap<string, UiCommand> = new Map<string, UiCommand>([
  ...MOTION_KEYS.flatMap((m): [string, UiCommand][] => [
    [m.forward, { kind: 'motion', motion: m.motion('forward') }],
    [m.backward, { kind: 'motion', motion: m.motion('backward') }],
  ]),
  ...OTHER_KEYS.flatMap((o) => o.keys.map((k): [string, UiCommand] => [k, o.command])),
]);

/** The name a key press is bound under: a special key's name, else the character typed. */
export function keyName(input: string, key: KeyPress): string | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.tab) return 'tab';
  if (key.escape) return 'escape';
  if (key.ctrl || key.meta) return null;
  return input.length === 1 ? input : null;
}

/** The command bound to a key press, or null. */
export function commandForKey(input: string, key: KeyPress): UiCommand | null {
  const name = keyName(input, key);
  return name === null ? null : (BINDINGS.get(name) ?? null);
}
