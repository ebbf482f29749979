/**
 * Editors: the real `lldb-dap-22` (the Debug Adapter Protocol front end VS Code and other editors
 * run) driven over stdio with DAP requests, attached to the real `wtrace replay --gdb` through
 * `attachCommands` (the configuration docs/gdbstub.md gives). Asserts on the adapter's
 * responses: breakpoint verified, stops, frames with source lines, scopes and variable values.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, skipWithout, wtrace } from '../helpers/run.js';
import { serveDebugTarget, type ReplayServer } from './lldbSession.js';

interface DapMessage {
  readonly type: 'request' | 'response' | 'event';
  readonly seq: number;
  readonly command?: string;
  readonly event?: string;
  readonly request_seq?: number;
  readonly success?: boolean;
  readonly message?: string;
  /** Shapes vary per command and event; tests read the fields they assert on. */
  readonly body?: any;
}

/** A DAP client on an adapter's stdio: Content-Length framing, requests, waiting for messages. */
class DapClient {
  readonly received: DapMessage[] = [];
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private waiters: Array<{ match: (m: DapMessage) => boolean; resolve: (m: DapMessage) => void }> = [];

  constructor(private readonly adapter: ChildProcessWithoutNullStreams) {
    adapter.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  /** Sends a request; resolves with its response. */
  request(command: string, args: object): Promise<DapMessage> {
    const seq = this.seq++;
    const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
    this.adapter.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return this.waitFor((m) => m.type === 'response' && m.request_seq === seq);
  }

  /** The first message matching `match` from index `from` on, waiting for it if needed. */
  waitFor(match: (m: DapMessage) => boolean, from = 0): Promise<DapMessage> {
    const seen = this.received.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as DapMessage;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.received.push(message);
      for (const w of [...this.waiters]) {
        if (w.match(message)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(message);
        }
      }
    }
  }
}

let server: ReplayServer;
const source = path.join(root, 'test/fixtures/c/debug_target.c');

beforeAll(async () => {
  if (skipWithout('lldb-dap-22')) return;
  server = await serveDebugTarget();
}, 60_000);

afterAll(() => server?.stop());

describe.skipIf(skipWithout('lldb-dap-22'))('lldb-dap-22 attached to wtrace replay --gdb', () => {
  it('initialize, attach, setBreakpoints, configurationDone, continue, stackTrace, scopes, variables', async () => {
    const adapter = spawn('lldb-dap-22', [], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => adapter.kill(), 60_000);
    const dap = new DapClient(adapter);
    const stoppedAfter = async (from: number) => (await dap.waitFor((m) => m.event === 'stopped', from)).body;
    try {
      const init = await dap.request('initialize', { adapterID: 'wtrace', clientID: 'test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      expect(init.success).toBe(true);
      const attached = dap.request('attach', { attachCommands: [`process connect --plugin wasm connect://127.0.0.1:${server.port}`] });
      await dap.waitFor((m) => m.event === 'initialized');
      const bps = await dap.request('setBreakpoints', { source: { path: source }, breakpoints: [{ line: 32 }] });
      expect(bps.body.breakpoints).toEqual([expect.objectContaining({ line: 32, verified: true, source: expect.objectContaining({ path: source }) })]);

      // lldb-dap resumes an attached process at configurationDone: the replay runs from its start to square(0).
      const mark = dap.received.length;
      expect((await dap.request('configurationDone', {})).success).toBe(true);
      expect((await attached).success).toBe(true);
      expect(await stoppedAfter(mark)).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [1], threadId: 1 });

      const resumed = dap.received.length;
      expect((await dap.request('continue', { threadId: 1 })).success).toBe(true);
      expect(await stoppedAfter(resumed)).toMatchObject({ reason: 'breakpoint', threadId: 1 });

      const frames = (await dap.request('stackTrace', { threadId: 1 })).body.stackFrames as Array<{ id: number; name: string; line: number; source?: { path: string } }>;
      expect(frames.slice(0, 3).map((f) => [f.name, f.line, f.source?.path])).toEqual([
        ['square', 32, source],
        ['fill_squares', 49, source],
        ['main', 66, source],
      ]);
      const scopes = (await dap.request('scopes', { frameId: frames[0].id })).body.scopes as Array<{ name: string; variablesReference: number }>;
      expect(scopes.map((s) => s.name)).toEqual(expect.arrayContaining(['Locals', 'Globals']));
      const locals = (await dap.request('variables', { variablesReference: scopes.find((s) => s.name === 'Locals')!.variablesReference })).body.variables;
      expect(locals).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'n', type: 'int', value: '1' })])); // the second call: square(1)
      const globals = (await dap.request('variables', { variablesReference: scopes.find((s) => s.name === 'Globals')!.variablesReference })).body.variables;
      expect(globals).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'counter', value: '3' })])); // main's bump, square(0)'s, square(1)'s

      // The caller's frame has its own locals.
      const callerScopes = (await dap.request('scopes', { frameId: frames[1].id })).body.scopes as Array<{ name: string; variablesReference: number }>;
      const callerLocals = (await dap.request('variables', { variablesReference: callerScopes.find((s) => s.name === 'Locals')!.variablesReference })).body.variables;
      expect(callerLocals).toEqual([expect.objectContaining({ name: 'i', value: '1' })]);

      // Backward from the debug console: an LLDB command.
      const back = dap.received.length;
      expect((await dap.request('evaluate', { expression: '`process continue --reverse', context: 'repl' })).success).toBe(true);
      await stoppedAfter(back);
      const again = (await dap.request('stackTrace', { threadId: 1 })).body.stackFrames[0];
      const againLocals = (await dap.request('variables', { variablesReference: ((await dap.request('scopes', { frameId: again.id })).body.scopes as Array<{ name: string; variablesReference: number }>).find((s) => s.name === 'Locals')!.variablesReference })).body.variables;
      expect(againLocals).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'n', value: '0' })]));

      expect((await dap.request('disconnect', {})).success).toBe(true);
    } finally {
      clearTimeout(timer);
      adapter.kill();
    }
  }, 90_000);
});
