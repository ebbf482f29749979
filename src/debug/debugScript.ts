/**
 * `wtrace replay --debugger SCRIPT`: runs a user's debug script against a replay, the way
 * `wasmtime run -D debugger=` hands a debug component its debuggee. The script is an ES module
 * exporting `debug(debuggee, args)` (sync or async); `debuggee` is the replay engine's
 * `Debuggee` (replay/engine/types.ts), stopped at time 0, and `args` the words after `--`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../errors.js';
import type { Debuggee } from '../../replay/index.js';

/** The shape a debug script must export. */
export type DebugEntry = (debuggee: Debuggee, args: readonly string[]) => unknown;

/** Loads `script` and runs its `debug` export to completion; errors name the script. */
export async function runDebugScript(script: string, debuggee: Debuggee, args: readonly string[]): Promise<void> {
  const file = path.resolve(script);
  if (!fs.existsSync(file)) throw new InputError('no-script', `${script}: no such debug script`);
  let mod: { debug?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { debug?: unknown };
  } catch (e) {
    throw new InputError('bad-script', `${script}: cannot load the debug script: ${(e as Error).message}`, { cause: e });
  }
  if (typeof mod.debug !== 'function') {
    throw new InputError('bad-script', `${script}: a debug script must export a function \`debug(debuggee, args)\``);
  }
  await (mod.debug as DebugEntry)(debuggee, args);
}
