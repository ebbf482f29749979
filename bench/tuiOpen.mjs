// Where `wtrace replay`'s open goes, part by part, in one Node process doing what the CLI does
// (in its order), with the first frame drawn by ink into an in-memory terminal instead of a real
// one (bench/tuiLatency.mjs measures the real terminal end to end). Each round is a fresh
// process, so module loading is measured cold for the process (warm for the OS file cache and
// for Node's compile cache when it is on, as on a second `wtrace replay`).
//
// Parts: Node's start-up (to its bootstrap), commander and the CLI's modules, the UI's modules
// (ink, React, yoga; through tui/load.ts), the engine's modules, the engine's open, each query
// of the first stop (the debuggee's state; the code pane's source file or disassembly; the
// timeline's import marks), ink's first frame (React render, layout, write), and what runs
// right after it (the DWARF globals check that picks the C variables view).
// Three ways, alternated: as `wtrace replay` loads (Node's compile cache warm, ink's es-toolkit
// import trimmed by tui/load.ts), with the compile cache off, and with ink's import untrimmed.
// Usage: node bench/tuiOpen.mjs [--rounds N] [--trace T]   (default 5)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, option, quantile, recordBenchTrace } from './latencyKit.mjs';

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '..');

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  await parent();
}

async function parent() {
  const rounds = option('--rounds', 5);
  const work = mkdtempSync(path.join(os.tmpdir(), 'wtrace-bench-open-'));
  try {
    let trace = option('--trace', null, false);
    if (trace === null) {
      trace = path.join(work, 'compress.wtrace');
      recordBenchTrace(trace);
    }
    const base = { ...process.env, NODE_ENV: 'production' };
    delete base.NODE_COMPILE_CACHE;
    delete base.NODE_DISABLE_COMPILE_CACHE;
    // As `wtrace replay` loads (compile cache warm, ink's import trimmed), and with one of the two undone.
    const modes = [
      { label: 'as replay: cache warm, trimmed', env: { NODE_COMPILE_CACHE: path.join(work, 'cache') }, load: 'trimmed' },
      { label: 'compile cache off', env: { NODE_DISABLE_COMPILE_CACHE: '1' }, load: 'trimmed' },
      { label: 'ink untrimmed (cache warm)', env: { NODE_COMPILE_CACHE: path.join(work, 'cache-untrimmed') }, load: 'untrimmed' },
    ];
    const runs = modes.map(() => []);
    // Round 0 is unmeasured: it fills the compile caches and the OS file cache. Modes alternate.
    for (let i = 0; i <= rounds; i++) {
      modes.forEach((m, k) => {
        const r = spawnSync(process.execPath, [here, '--child', path.resolve(trace), m.load], { cwd: repoRoot, env: { ...base, ...m.env }, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`round failed: ${r.stderr}`);
        if (i > 0) runs[k].push(JSON.parse(r.stdout));
      });
    }
    console.log(`## wtrace replay's open, part by part: ${rounds} fresh processes per column, alternated, p50 of wall time (p50 of main-thread CPU time)`);
    console.log(`| part | ${modes.map((m) => m.label).join(' | ')} |`);
    console.log(`|---|${modes.map(() => '---:').join('|')}|`);
    const bytes = runs[0][0].bytes;
    // The sums: up to the first frame (not what runs after it), with and without the engine's open.
    const sum = (r, skip) => Object.entries(r).filter(([k]) => k !== 'bytes' && !skip.includes(k)).reduce((a, [, v]) => ({ ms: a.ms + v.ms, cpu: a.cpu + v.cpu }), { ms: 0, cpu: 0 });
    const after = 'after it: DWARF globals check, C view state';
    const open = 'engine open (timeline, module, line table)';
    for (const rs of runs) for (const r of rs) Object.assign(r, { 'to the first frame': sum(r, [after]), 'to the first frame without the engine open': sum(r, [after, open]) });
    for (const part of Object.keys(runs[0][0]).filter((p) => p !== 'bytes')) {
      const cells = runs.map((rs) => {
        const xs = rs.map((r) => r[part].ms);
        return `${fmt(quantile(xs, 0.5))} (${fmt(quantile(rs.map((r) => r[part].cpu), 0.5))})`;
      });
      console.log(`| ${part} | ${cells.join(' | ')} |`);
    }
    console.log(`\nThe first frame is ${bytes.toLocaleString('en-US')} bytes written to the terminal.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One open, timed; prints the parts as JSON (ms). */
async function child(trace, load) {
  const parts = {};
  const cpuNow = () => {
    const u = process.threadCpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t = performance.now();
  let c = cpuNow();
  const lap = (name) => {
    const now = performance.now();
    const cpu = cpuNow();
    parts[name] = { ms: now - t, cpu: cpu - c };
    t = now;
    c = cpu;
  };
  parts['node start-up (to bootstrap)'] = { ms: performance.nodeTiming.bootstrapComplete, cpu: c };
  t = performance.now();
  c = cpuNow();
  const { Command } = await import('commander');
  await import(`${repoRoot}/dist/src/cli/main.js`);
  void Command;
  lap('commander + CLI modules');
  const tui = load === 'untrimmed' ? await import(`${repoRoot}/dist/tui/index.js`) : await (await import(`${repoRoot}/dist/tui/load.js`)).loadTui();
  lap('UI modules (ink, React, yoga)');
  const { openReplay } = await import(`${repoRoot}/dist/replay/index.js`);
  lap('engine modules');
  const d = await openReplay(trace);
  lap('engine open (timeline, module, line table)');
  // What the first frame asks of the debuggee (tui/session.ts `data`), each timed; the frame asks
  // again below (answered from the engine's caches of the same time).
  const frames = d.frames();
  lap('first stop: frames (call stack)');
  d.globals();
  d.output();
  d.breakpoints();
  d.watchpoints();
  lap('first stop: globals, output, breakpoints');
  tui.resolveCode(d.module, frames[0], new tui.SourceFiles(repoRoot));
  lap('first stop: source file or disassembly');
  d.importCallTimes();
  lap('first stop: import-call times (timeline marks)');
  const { stdout, stdin, written } = fakeTerminal(120, 36);
  const { createElement } = await import('react');
  const { render } = await import('ink');
  const session = new tui.DebugSession(d, new tui.SourceFiles(repoRoot));
  // ink writes the first frame inside render() (React's legacy root: synchronous), then runs the
  // layout effects: the DWARF globals check and the redraw it asks for (throttled to ink's next frame).
  let firstFrameAt = null;
  const app = createElement(tui.ThemeContext.Provider, { value: { color: false } }, createElement(tui.App, { session, traceName: 'compress.wtrace' }));
  lap('(React element)');
  delete parts['(React element)'];
  const instance = render(app, { stdout, stdin, alternateScreen: true, patchConsole: false, interactive: true, maxFps: 60, onRender: () => { if (firstFrameAt === null) { firstFrameAt = true; lap('first frame (UI state, React, layout, write)'); } } });
  if (firstFrameAt === null) throw new Error('ink drew nothing in render()');
  lap('after it: DWARF globals check, C view state');
  const bytes = written();
  await new Promise((resolve) => setTimeout(resolve, 50)); // ink's throttled second frame
  instance.unmount();
  parts.bytes = bytes;
  d.close();
  process.stdout.write(JSON.stringify(parts));
}

/** A terminal of `columns` x `rows` in memory: the output is counted, the input never sends. */
function fakeTerminal(columns, rows) {
  let bytes = 0;
  const stdout = {
    isTTY: true,
    columns,
    rows,
    write(chunk, encoding, done) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      const cb = typeof encoding === 'function' ? encoding : done;
      if (typeof cb === 'function') cb();
      return true;
    },
    on() { return stdout; },
    off() { return stdout; },
    once() { return stdout; },
    removeListener() { return stdout; },
    addListener() { return stdout; },
    emit() { return false; },
    listenerCount() { return 0; },
  };
  const stdin = {
    isTTY: true,
    setRawMode() {},
    setEncoding() {},
    ref() {},
    unref() {},
    resume() {},
    pause() {},
    read() { return null; },
    on() { return stdin; },
    off() { return stdin; },
    addListener() { return stdin; },
    removeListener() { return stdin; },
    listenerCount() { return 0; },
  };
  return { stdout, stdin, written: () => bytes };
}
