/**
 * The older client: lldb-16 speaks plain `gdb-remote` (no Wasm plugin: `Z0,addr,0` breakpoints,
 * `p0;thread:0001;`, no `qWasm*`). Debian's lldb-16 and lldb-22 packages conflict, so CI cannot
 * run both; instead, every packet a real lldb-16 session sent to `wtrace replay --gdb` (captured
 * once with `log enable gdb-remote packets`, test/gdbstub/lldb16-gdb-remote.packets) is sent again,
 * in order, to the real CLI serving a fresh recording of the same program, and the replies are
 * checked: golden transcript, plus the facts that session depended on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, wtrace } from '../helpers/run.js';
import { normaliseTranscript, tcpClient } from '../gdbstub/gdbClient.js';
import { serveDebugTarget, type ReplayServer } from './lldbSession.js';

let server: ReplayServer;

beforeAll(async () => {
  server = await serveDebugTarget();
}, 60_000);

afterAll(() => server?.stop());

const captured = fs.readFileSync(path.join(root, 'test/gdbstub/lldb16-gdb-remote.packets'), 'latin1').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const pcHex = (offset: number) => Buffer.from((0x4000000000000000n + BigInt(offset)).toString(16).padStart(16, '0'), 'hex').reverse().toString('hex');

describe('an lldb-16 gdb-remote session, replayed against wtrace replay --gdb', () => {
  it('gets a reply to every packet: breakpoints of kind 0, continue, steps, the pc, memory and the image', async () => {
    const { client, socket } = await tcpClient(server.port);
    const replies: Array<string | null> = [];
    try {
      for (const packet of captured) replies.push(await client.request(packet));
    } finally {
      socket.destroy();
    }
    const reply = (packet: string, nth = 0) => replies.filter((_, i) => captured[i] === packet)[nth];
    expect(replies.every((r) => r !== null)).toBe(true);
    expect(reply('Z0,40000000000001f5,0')).toBe('OK');
    // `continue` to the breakpoint at square's line 32, LLDB's step off it, then `next` (a breakpoint at 0x211 and `c`).
    expect(reply('c', 0)).toBe(`T05thread:1;00:${pcHex(0x1f5)};threads:1;thread-pcs:40000000000001f5;swbreak:;`);
    expect(reply('vCont;s:1')).toBe(`T05thread:1;00:${pcHex(0x1f7)};threads:1;thread-pcs:40000000000001f7;`);
    expect(reply('c', 1)).toBe(`T05thread:1;00:${pcHex(0x211)};threads:1;thread-pcs:4000000000000211;swbreak:;`);
    expect(reply('p0;thread:0001;')).toBe(pcHex(0x4058)); // the first instruction: _start.command_export + 1
    expect(reply('x4000000000000000,200')!.startsWith('\0asm\x01\0\0\0')).toBe(true);
    // `target variable counter`: linear memory around 0xe80, where counter is 2 in square(0).
    const memory = Buffer.from(reply('xe00,200')!, 'latin1');
    expect(memory.readInt32LE(0x80)).toBe(2);
    expect(reply('qMemoryRegionInfo:4000000000004058')).toMatch(/^start:4000000000000000;size:[0-9a-f]+;permissions:rx;$/);
    expect(reply('D')).toBe('OK');
    await expect(normaliseTranscript(client.transcript)).toMatchFileSnapshot('../gdbstub/__transcripts__/lldb16-gdb-remote.txt');
  }, 60_000);
});
