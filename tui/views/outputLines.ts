/**
 * The program's output as the output pane prints it: decoded as UTF-8, made safe for our screen
 * (a program's own escape codes must not move our cursor), last lines first to go. Pure.
 */
import { printable } from '../sourceFiles.js';

const decoder = new TextDecoder('utf-8');

/**
 * The last `count` lines of `bytes`. A trailing newline ends a line (it does not start an empty
 * one); a carriage return keeps what follows it, as a terminal would show a progress line.
 */
export function tailLines(bytes: Uint8Array, count: number): string[] {
  if (bytes.length === 0 || count <= 0) return [];
  const lines = decoder.decode(bytes).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-count).map((l) => printable(l.slice(l.lastIndexOf('\r', l.length - 2) + 1).replace(/\r$/, '')));
}
