/**
 * Loading the terminal UI quickly: what `wtrace replay` imports instead of `./index.js` when it
 * is about to draw (`loadTui`). Importing ink is most of the UI's start-up, and over half of that was one
 * line of ink (`import { throttle } from 'es-toolkit/compat'`): es-toolkit's compat entry is a
 * barrel of about 415 modules, each resolved, read and compiled to use one function. A module
 * resolve hook sends that one import to the module that defines `throttle`, the same function
 * the barrel re-exports, and nothing else. The hook redirects only when the importing file's
 * sole import from the barrel is exactly `{ throttle }` and the target file exports it by name; any other
 * ink or es-toolkit layout loads unchanged.
 */
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The barrel ink imports `throttle` from. */
const BARREL = 'es-toolkit/compat';
/** The file defining `throttle`, relative to the barrel's resolved file (dist/compat/index.mjs). */
const THROTTLE_FILE = 'function/throttle.mjs';

let hooked = false;

/**
 * The terminal UI's public surface, with ink's import trimmed (see the file comment) and yoga
 * loaded without `fetch`: yoga's Emscripten loader, when `fetch` is a function, fetches its own
 * wasm from a `data:` URL, and Node's first `fetch` call loads undici (about 40 ms of CPU
 * measured); without it the loader decodes the same base64 itself. `fetch` is hidden only while
 * the UI's modules load (nothing in wtrace calls it) and put back as it was, even on failure.
 */
export async function loadTui(): Promise<typeof import('./index.js')> {
  trimInkImports();
  const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetch?.configurable) Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true, enumerable: fetch.enumerable });
  try {
    return await import('./index.js');
  } finally {
    if (fetch?.configurable) Object.defineProperty(globalThis, 'fetch', fetch);
  }
}

/** Registers the resolve hook once for this thread (later calls do nothing). */
export function trimInkImports(): void {
  if (hooked) return;
  hooked = true;
  const checked = new Map<string, boolean>();
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      const parent = context.parentURL;
      if (specifier !== BARREL || parent === undefined || !parent.startsWith('file:')) return resolved;
      let only = checked.get(parent);
      if (only === undefined) {
        only = importsOnlyThrottle(readQuietly(parent));
        checked.set(parent, only);
      }
      if (!only || !resolved.url.startsWith('file:')) return resolved;
      const target = new URL(THROTTLE_FILE, resolved.url).href;
      return /export\s*\{\s*throttle\s*\}/.test(readQuietly(target)) ? { ...resolved, url: target } : resolved;
    },
  });
}

/**
 * Whether `source` imports from es-toolkit's compat barrel exactly once, and only `throttle`
 * (the one case the redirect serves: the target module exports nothing else).
 */
export function importsOnlyThrottle(source: string): boolean {
  const mentions = source.match(/['"]es-toolkit\/compat['"]/g) ?? [];
  return mentions.length === 1 && /import\s*\{\s*throttle\s*\}\s*from\s*['"]es-toolkit\/compat['"]/.test(source);
}

function readQuietly(url: string): string {
  try {
    return readFileSync(fileURLToPath(url), 'utf8');
  } catch {
    return '';
  }
}
