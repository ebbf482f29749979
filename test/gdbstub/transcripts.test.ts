/**
 * Golden transcripts: a scripted client talks to a GdbConnection over the in-memory transport,
 * in front of the fake debuggee, and the whole exchange (`->` request, `<-` reply, `+` where the
 * stub acked) is compared with a file under __transcripts__/. Long hex blobs are shortened; the
 * fake has no other volatile fields. Each test also checks what reached the engine, so a
 * transcript accepted by mistake still fails on the meaning.
 */
import { describe, expect, it } from 'vitest';
import { GdbConnection } from '../../src/gdbstub/index.js';
import { FakeDebuggee, PC, type FakeOutcome } from './fakeDebuggee.js';
import { memoryClient, normaliseTranscript, type GdbTestClient } from './gdbClient.js';

const code = (pc: number) => (0x4000000000000000n + BigInt(pc)).toString(16);
const golden = (name: string) => `./__transcripts__/${name}.txt`;

/** The connection's packets in the order lldb-22 sent them to a wtrace stub (captured live). */
const LLDB22_CONNECT = [
  'QStartNoAckMode',
  'qSupported:xmlRegisters=i386,arm,mips,arc;multiprocess+;fork-events+;vfork-events+;swbreak+;hwbreak+',
  'QThreadSuffixSupported', 'QListThreadsInStopReply', 'qHostInfo', 'vCont?', 'qVAttachOrWaitSupported',
  'QEnableErrorStrings', 'qProcessInfo', '?', 'qRegisterInfo0', 'qRegisterInfo1', 'qStructuredDataPlugins',
  'qShlibInfoAddr', 'qXfer:libraries:read::0,ffff',
  'qSupported:xmlRegisters=i386,arm,mips,arc;multiprocess+;fork-events+;vfork-events+;swbreak+;hwbreak+',
  'x0,0', 'xffff0110,4', 'xffff1010,4', 'qXfer:libraries:read::0,ffff',
  'qModuleInfo:7774726163653a66616b652e7761736d;7761736d33322d756e6b6e6f776e2d756e6b6e6f776e2d7761736d',
  'x4000000000000000,200', 'x400000000000003e,1c2', 'qSymbol::', 'jThreadsInfo', 'qWasmCallStack:1',
  'jThreadExtendedInfo:',
];

async function run(
  script: (c: GdbTestClient, d: FakeDebuggee) => Promise<void>,
  outcome?: FakeOutcome,
): Promise<{ transcript: string; debuggee: FakeDebuggee; client: GdbTestClient; connection: GdbConnection }> {
  const debuggee = new FakeDebuggee(outcome);
  const { client, transport } = memoryClient();
  const connection = new GdbConnection(transport, debuggee);
  await script(client, debuggee);
  return { transcript: normaliseTranscript(client.transcript), debuggee, client, connection };
}

async function lldbConnect(c: GdbTestClient): Promise<void> {
  for (const p of LLDB22_CONNECT) await c.request(p);
}

describe('gdbstub transcripts', () => {
  it('answers the handshake lldb-22 sends on `process connect --plugin wasm`', async () => {
    const { transcript, debuggee, client } = await run(lldbConnect);
    await expect(transcript).toMatchFileSnapshot(golden('lldb22-connect'));
    expect(debuggee.calls).toEqual([]);
    expect(client.transcript[1]).toBe('<- + OK'); // QStartNoAckMode acked, then no more acks
    expect(client.transcript.slice(2).some((l) => l.startsWith('<- +'))).toBe(false);
  });

  it('sets, hits, steps off and removes a breakpoint; lldb-16 style kind 0 is accepted', async () => {
    const { transcript, debuggee } = await run(async (c) => {
      await c.request('QStartNoAckMode');
      await c.request(`Z0,${code(PC.addAdd)},1`);
      await c.request(`Z0,${code(PC.addAdd)},1`); // twice is once
      await c.request('c');
      await c.request('qWasmCallStack:1');
      await c.request(`z0,${code(PC.addAdd)},1`);
      await c.request('vCont;s:1');
      await c.request(`Z0,${code(PC.startEnd)},0`);
      await c.request('p0;thread:0001;');
      await c.request('vCont;c:1');
      await c.request('Z0,100,1'); // linear memory is not code
      await c.request('Z0,4000000100000000,1'); // module 1 does not exist
    });
    await expect(transcript).toMatchFileSnapshot(golden('breakpoints'));
    expect(debuggee.calls).toEqual([
      `addBreakpoint pc=${PC.addAdd}`, 'continue forward', 'removeBreakpoint 1', 'stepInstruction forward',
      `addBreakpoint pc=${PC.startEnd}`, 'continue forward',
    ]);
  });

  it('runs backward with bc and bs and reports both history boundaries', async () => {
    const { transcript, debuggee } = await run(async (c) => {
      await c.request('QStartNoAckMode');
      await c.request(`Z0,${code(PC.addConst)},1`);
      await c.request(`Z0,${code(PC.startEnd)},1`);
      await c.request('c');
      await c.request('c');
      await c.request('bc'); // back to the first breakpoint
      await c.request('bs');
      await c.request('bc');
      await c.request('bs');
      await c.request(`z0,${code(PC.addConst)},1`);
      await c.request(`z0,${code(PC.startEnd)},1`);
      await c.request('c');
      await c.request('c');
    });
    await expect(transcript).toMatchFileSnapshot(golden('reverse'));
    expect(debuggee.calls.filter((x) => !x.includes('Breakpoint'))).toEqual([
      'continue forward', 'continue forward', 'continue backward', 'stepInstruction backward', 'continue backward',
      'stepInstruction backward', 'continue forward',
    ]);
  });

  it('stops on a write watchpoint after the store forward, and at the store backward', async () => {
    const { transcript, debuggee } = await run(async (c) => {
      await c.request('QStartNoAckMode');
      await c.request('qWatchpointSupportInfo:');
      await c.request('Z2,100,4');
      await c.request('c');
      await c.request('m100,4');
      await c.request('c');
      await c.request('bc');
      await c.request('z2,100,4');
      await c.request('Z3,100,4'); // read watchpoints: not served
      await c.request('Z2,4000000000000010,4'); // code is not watchable
    });
    await expect(transcript).toMatchFileSnapshot(golden('watchpoint'));
    expect(debuggee.calls).toEqual(['addWatchpoint 256+4', 'continue forward', 'continue forward', 'continue backward', 'stepInstruction backward', 'removeWatchpoint 1']);
  });

  it('reads linear memory, the module image, region info and the memory map', async () => {
    const { transcript } = await run(async (c) => {
      await c.request('QStartNoAckMode');
      await c.request('QEnableErrorStrings');
      await c.request('m100,8');
      await c.request('mfffc,8'); // runs past the end of memory: short
      await c.request('m10000,4'); // at the end: error
      await c.request('m4000000000000000,8'); // the `\0asm` magic
      await c.request('m400000000000003a,100'); // past the image end: short
      await c.request('m400000000000003e,1'); // at the image end: error
      await c.request('m8000000000000000,4'); // global space: error
      await c.request('mffffffffffffffff,4'); // invalid space: error
      await c.request('m0,0');
      await c.request('x0,0');
      await c.request('x4000000000000000,4');
      await c.request('m1,zz');
      await c.request('m10000000000000000,4'); // wider than 64 bits
      await c.request('qMemoryRegionInfo:20');
      await c.request('qMemoryRegionInfo:10000');
      await c.request('qMemoryRegionInfo:4000000000000034');
      await c.request('qMemoryRegionInfo:4000000000000040');
      await c.request('qXfer:memory-map:read::0,ffff');
      await c.request('qXfer:libraries:read::0,20');
      await c.request('qXfer:libraries:read::20,ffff');
      await c.request('qXfer:features:read:target.xml:0,ffff');
    });
    await expect(transcript).toMatchFileSnapshot(golden('memory'));
  });

  it('answers qWasmCallStack, qWasmLocal, qWasmStackValue and both qWasmGlobal forms', async () => {
    const { transcript } = await run(async (c) => {
      await c.request('QStartNoAckMode');
      await c.request('QEnableErrorStrings');
      await c.request(`Z0,${code(PC.addAdd)},1`);
      await c.request('c');
      await c.request('qWasmCallStack:1');
      await c.request('qWasmCallStack:2');
      await c.request('qWasmLocal:0;0');
      await c.request('qWasmLocal:1;0'); // the caller's i64 local, -2
      await c.request('qWasmLocal:0;1');
      await c.request('qWasmLocal:2;0');
      await c.request('qWasmStackValue:0;0'); // bottom of the stack
      await c.request('qWasmStackValue:0;1');
      await c.request('qWasmStackValue:0;2');
      await c.request('qWasmGlobal:0;0');
      await c.request('qWasmGlobal:0;instance:0;');
      await c.request('qWasmGlobal:1;0'); // through the caller's frame: same instance
      await c.request('qWasmGlobal:0;1'); // value not known at this time
      await c.request('qWasmGlobal:0;2'); // funcref: 4 zero bytes
      await c.request('qWasmGlobal:0;9');
      await c.request('qWasmGlobal:0;instance:1;');
      await c.request('qWasmGlobal:5;0');
      await c.request('qWasmLocal:x;0');
    });
    await expect(transcript).toMatchFileSnapshot(golden('wasm-values'));
  });

  it('reports a trap with its message, then the end boundary; completion is W and ends the connection', async () => {
    const trap = await run(async (c) => {
      await c.request('QStartNoAckMode');
      await c.request('c');
      await c.request('vCont;C0b:1');
      await c.request('?');
    }, { kind: 'trap', message: 'wasm trap: unreachable' });
    await expect(trap.transcript).toMatchFileSnapshot(golden('trap'));

    const done = await run(async (c) => {
      await c.request('QStartNoAckMode');
      await c.request('c');
      await c.request('?'); // the connection is gone
    }, { kind: 'complete', exitCode: 3 });
    await expect(done.transcript).toMatchFileSnapshot(golden('complete'));
    expect(done.client.isClosed).toBe(true);
  });

  it('ends the connection on k, vKill and D, leaving the replay where it is without this client\'s stop points', async () => {
    for (const packet of ['k', 'vKill;1', 'D', 'D;1']) {
      const { client, debuggee, connection } = await run(async (c) => {
        await c.request('QStartNoAckMode');
        await c.request(`Z0,${code(PC.addAdd)},1`);
        await c.request('Z2,100,4');
        await c.request('vCont;s:1');
        await c.request(packet);
      });
      await connection.closed;
      expect(client.isClosed).toBe(true);
      expect(client.transcript.at(-1)).toBe(packet === 'k' ? '<- X09' : '<- OK');
      expect(debuggee.now).toBe(1n);
      expect(debuggee.breakpoints()).toEqual([]);
      expect(debuggee.watchpoints()).toEqual([]);
    }
  });

  it('answers unknown packets empty, bad arguments and writes with errors', async () => {
    const { transcript, debuggee } = await run(async (c) => {
      await c.request('QStartNoAckMode');
      for (const p of [
        'qOffsets', 'vMustReplyEmpty', 'qTStatus', 'jThreadsInfo', 'qGetWorkingDir', 'vFile:open:6a756e6b,0,0', 'bx',
        '', 'Z9,0,0', 'Z0,zz,1', 'p1', 'pzz', 'g', 'g;thread:1;', 'G00', 'P0=00', 'M100,1:00', 'X100,1:a', '_M1000,rwx',
        'Hg1', 'Hc-1', 'Hg2', 'Hgp1.1', 'T1', 'T2', 'qC', 'qfThreadInfo', 'qsThreadInfo', 'qAttached', 'qThreadStopInfo1',
        'qThreadStopInfo2', 'c4000000000000034', 'vCont;t:1', 'vCont;s:2', 'qRegisterInfo1', 'qWasmCallStack:zz',
      ]) await c.request(p);
    });
    await expect(transcript).toMatchFileSnapshot(golden('unknown-and-errors'));
    expect(debuggee.calls).toEqual([]);
  });
});
