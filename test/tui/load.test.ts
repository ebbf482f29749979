/**
 * tui/load.ts: the UI loads with ink's one import from es-toolkit's compat barrel sent to the
 * module that defines `throttle` (only when that is the importing file's sole use of the
 * barrel), and yoga loads its wasm without `fetch` (so without undici), which is then back. The load runs in a fresh Node process (module hooks are per process) over the built
 * dist/, logging every module URL it loads.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOnlyThrottle } from '../../tui/load.js';
import { root } from '../helpers/run.js';

describe('importsOnlyThrottle', () => {
  it('accepts exactly one import of { throttle } from the barrel', () => {
    expect(importsOnlyThrottle("import React from 'react';\nimport { throttle } from 'es-toolkit/compat';\n")).toBe(true);
    expect(importsOnlyThrottle('import {throttle} from "es-toolkit/compat"')).toBe(true);
  });

  it('refuses other names, a second use of the barrel, or none', () => {
    expect(importsOnlyThrottle("import { throttle, debounce } from 'es-toolkit/compat';")).toBe(false);
    expect(importsOnlyThrottle("import { debounce } from 'es-toolkit/compat';")).toBe(false);
    expect(importsOnlyThrottle("import * as tk from 'es-toolkit/compat';")).toBe(false);
    expect(importsOnlyThrottle("import { throttle } from 'es-toolkit/compat';\nconst m = await import('es-toolkit/compat');")).toBe(false);
    expect(importsOnlyThrottle("import { throttle } from 'es-toolkit/compat';\nexport { noop } from 'es-toolkit/compat';")).toBe(false);
    expect(importsOnlyThrottle("import { throttle } from 'es-toolkit';")).toBe(false);
  });
});

describe('loadTui', () => {
  it('loads the UI (ink renders) without es-toolkit\'s compat barrel or undici, and puts fetch back', () => {
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
      const { loadTui } = await import(${JSON.stringify(path.join(root, 'dist/tui/load.js'))});
      const fetchBefore = globalThis.fetch;
      const tui = await loadTui();
      const fetchKept = globalThis.fetch === fetchBefore && typeof fetchBefore === 'function';
      const undici = process.moduleLoadList.filter((m) => m.includes('undici'));
      const { renderToString, Text } = await import('ink');
      const { createElement } = await import('react');
      const text = renderToString(createElement(Text, null, 'drawn'));
      process.stdout.write(JSON.stringify({ runTui: typeof tui.runTui, text, loaded, fetchKept, undici }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    expect(r.status, r.stderr).toBe(0);
    const { runTui, text, loaded, fetchKept, undici } = JSON.parse(r.stdout) as { runTui: string; text: string; loaded: string[]; fetchKept: boolean; undici: string[] };
    expect(runTui).toBe('function');
    expect(text).toBe('drawn'); // yoga (layout) loaded and works without fetch
    // fetch was hidden while the UI loaded (yoga would have fetched its wasm, loading undici) and is back.
    expect(undici).toEqual([]);
    expect(fetchKept).toBe(true);
    const esToolkit = loaded.filter((u) => u.includes('/es-toolkit/'));
    expect(esToolkit.some((u) => u.endsWith('/es-toolkit/dist/compat/function/throttle.mjs'))).toBe(true);
    expect(esToolkit.some((u) => u.endsWith('/es-toolkit/dist/compat/index.mjs'))).toBe(false);
    expect(esToolkit.length).toBeLessThan(10); // throttle, debounce and what they use; the barrel is ~415
  });
});
