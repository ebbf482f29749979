/**
 * The wire side of a connection over the in-memory transport: acks until no-ack mode,
 * retransmission on `-`, bad checksums, oversized and malformed frames in both ack modes, and
 * Ctrl-C with and without a motion in the same read.
 */
import { describe, expect, it } from 'vitest';
import { GdbConnection, encodePacket } from '../../src/gdbstub/index.js';
import { FakeDebuggee, PC } from './fakeDebuggee.js';
import { memoryClient, normaliseTranscript } from './gdbClient.js';

function setup(options?: { maxPacketSize?: number }) {
  const debuggee = new FakeDebuggee();
  const { client, transport, peer } = memoryClient();
  const raw: string[] = [];
  peer.onData((chunk) => { raw.push(Buffer.from(chunk).toString('latin1')); client.receive(chunk); });
  const log: string[] = [];
  const connection = new GdbConnection(transport, debuggee, { ...options, log: (l) => log.push(l) });
  return { debuggee, client, peer, raw, log, connection };
}

const frame = (payload: string) => Buffer.from(encodePacket(payload)).toString('latin1');

describe('GdbConnection wire handling', () => {
  it('acks every packet until QStartNoAckMode, including that one, and none after', async () => {
    const { client, raw } = setup();
    await client.request('qC');
    await client.request('QStartNoAckMode');
    raw.length = 0;
    await client.request('qC');
    expect(raw).toEqual([frame('QC1')]);
    expect(client.transcript).toEqual(['-> qC', '<- + QC1', '-> QStartNoAckMode', '<- + OK', '-> qC', '<- QC1']);
  });

  it('resends the last reply on `-` in ack mode only', async () => {
    const { client, raw, peer } = setup();
    await client.request('qC');
    raw.length = 0;
    peer.send('-');
    expect(raw).toEqual([frame('QC1')]);
    await client.next();
    await client.request('QStartNoAckMode');
    raw.length = 0;
    peer.send('-');
    expect(raw).toEqual([]);
  });

  it('nacks a bad checksum in ack mode and answers E06 without acks', async () => {
    const { peer, raw, log, client } = setup();
    peer.send('$qC#00');
    expect(raw).toEqual(['-']);
    await client.request('QStartNoAckMode');
    raw.length = 0;
    peer.send('$qC#00');
    expect(raw).toEqual([frame('E06')]);
    expect(log.filter((l) => l.startsWith('framing error'))).toHaveLength(2);
  });

  it('answers an oversized packet with an error (not a nack, which would loop) and stays usable', async () => {
    const { peer, raw, client } = setup({ maxPacketSize: 64 });
    peer.send(frame('m' + '0'.repeat(100) + ',4'));
    expect(raw).toEqual(['+', frame('E06')]);
    await client.next();
    expect(await client.request('qC')).toBe('QC1');
  });

  it('nacks a malformed frame and recovers on the next packet', async () => {
    const { peer, raw, client } = setup();
    peer.send('$ab$');
    expect(raw).toEqual(['-']);
    peer.send(frame('qC').slice(1)); // the "$" that cut the first frame started this one
    expect(raw.slice(1)).toEqual(['+', frame('QC1')]);
    await client.next();
  });

  it('ignores Ctrl-C while stopped: no reply and no interrupt left behind in the engine', async () => {
    const { peer, raw, debuggee, client, log } = setup();
    await client.request('QStartNoAckMode');
    raw.length = 0;
    peer.send('\x03');
    expect(raw).toEqual([]);
    expect(await client.request('vCont;s:1')).toMatch(/^T05/);
    expect(debuggee.calls).toEqual(['stepInstruction forward']);
    expect(log).toContain('Ctrl-C while stopped: ignored');
  });

  it('stops a motion at once when Ctrl-C arrives in the same read as its request', async () => {
    const { peer, debuggee, client } = setup();
    await client.request('QStartNoAckMode');
    peer.send(frame('c') + '\x03');
    const stop = await client.next();
    expect(stop?.payload).toMatch(/^T02thread:1;00:/);
    expect(debuggee.calls).toEqual([]);
    expect(debuggee.now).toBe(0n);
    expect(await client.request('?')).toMatch(/^T02/);
    expect(await client.request('c')).toBe('W00');
  });

  it('drops the Ctrl-C with a motion request that is refused, so the next motion runs', async () => {
    const { peer, debuggee, client } = setup();
    await client.request('QStartNoAckMode');
    peer.send(frame('c4000000000000099') + '\x03');
    expect((await client.next())?.payload).toBe('E04');
    expect(await client.request('vCont;s:1')).toMatch(/^T05/);
    expect(debuggee.calls).toEqual(['stepInstruction forward']);
  });

  it('turns an engine exception into an error reply and keeps serving', async () => {
    const { client, debuggee } = setup();
    debuggee.continue = () => { throw new Error('index broke'); };
    await client.request('QStartNoAckMode');
    await client.request('QEnableErrorStrings');
    expect(await client.request('c')).toBe('E05;' + Buffer.from('index broke').toString('hex'));
    expect(await client.request('qC')).toBe('QC1');
  });

  it('keeps transcripts of back-to-back packets in one read in order', async () => {
    const { peer, client } = setup();
    peer.send(frame('QStartNoAckMode') + frame('qC') + frame('qAttached') + frame('?'));
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push((await client.next())?.payload);
    expect(replies).toEqual(['OK', 'QC1', '1', `T05thread:1;00:${PC.startConst.toString(16)}00000000000040;`]);
    expect(normaliseTranscript(['<- ' + 'ab'.repeat(40)])).toBe('<- <hex 40 bytes>\n');
  });
});
