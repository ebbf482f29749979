/**
 * Table tests for the GDB remote wire codec: input chunks in, events out; encoder rows; hex
 * helpers; and property tests that the decoder undoes the encoder for any payload and any
 * chunking, and survives arbitrary bytes.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  PacketDecoder, WireCodec, bytesToHex, encodePacket, hexToBytes, hexToString, littleEndianHex,
  packetChecksum, parseLittleEndianHex, stringToHex, type DecoderOptions, type WireEvent,
} from '../../src/gdbstub/index.js';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);
const sum = (s: string) => packetChecksum(latin1(s)).toString(16).padStart(2, '0');
/** `$body#xx` with a correct checksum; `body` is taken raw (already escaped). */
const frame = (body: string) => `$${body}#${sum(body)}`;

/** Events with payloads as latin1 strings, so table rows stay readable. */
type Shown = string | Exclude<WireEvent, { kind: 'packet' }>;
function show(events: WireEvent[]): Shown[] {
  return events.map((e) => (e.kind === 'packet' ? `packet:${text(e.payload)}` : e));
}
function decode(chunks: string[], options?: DecoderOptions): Shown[] {
  const d = new PacketDecoder(options);
  return chunks.flatMap((c) => show(d.push(latin1(c))));
}

const ack = { kind: 'ack' } as const;
const nack = { kind: 'nack' } as const;
const interrupt = { kind: 'interrupt' } as const;

const decoderRows: Array<{ name: string; chunks: string[]; options?: DecoderOptions; events: Shown[] }> = [
  { name: 'one packet', chunks: ['$qSupported#37'], events: ['packet:qSupported'] },
  { name: 'empty packet', chunks: ['$#00'], events: ['packet:'] },
  { name: 'uppercase checksum digits', chunks: [frame('m0,4').toUpperCase().replace('M', 'm')], events: ['packet:m0,4'] },
  { name: 'split at every boundary', chunks: ['$', 'g', '#', '6', '7'], events: ['packet:g'] },
  { name: 'split inside checksum', chunks: ['$?#3', 'f'], events: ['packet:?'] },
  { name: 'split payload', chunks: ['$qSup', 'ported#37'], events: ['packet:qSupported'] },
  { name: 'nothing until the frame ends', chunks: ['$qSupported#3'], events: [] },
  { name: 'back-to-back packets in one chunk', chunks: [frame('c') + frame('?') + frame('g')], events: ['packet:c', 'packet:?', 'packet:g'] },
  { name: 'ack then packet', chunks: ['+' + frame('OK')], events: [ack, 'packet:OK'] },
  { name: 'acks and nacks', chunks: ['+-+'], events: [ack, nack, ack] },
  { name: 'interrupt', chunks: ['\x03'], events: [interrupt] },
  { name: 'interrupt between packets', chunks: [frame('c') + '\x03' + frame('?')], events: ['packet:c', interrupt, 'packet:?'] },
  { name: '0x03 inside a packet is data', chunks: [frame('X0,1:\x03')], events: ['packet:X0,1:\x03'] },
  { name: '+ and - inside a packet are data', chunks: [frame('a+b-c')], events: ['packet:a+b-c'] },
  { name: 'garbage before a packet is skipped', chunks: ['hello\r\n' + frame('g')], events: ['packet:g'] },
  { name: 'garbage between packets is skipped', chunks: [frame('g') + '#12xyz\xff' + frame('c')], events: ['packet:g', 'packet:c'] },
  { name: 'bad checksum', chunks: ['$g#00'], events: [{ kind: 'bad-checksum', computed: 0x67, received: '00' }] },
  { name: 'non-hex checksum', chunks: ['$g#zz'], events: [{ kind: 'bad-checksum', computed: 0x67, received: 'zz' }] },
  { name: 'bad checksum does not poison the next packet', chunks: ['$g#00', frame('c')], events: [{ kind: 'bad-checksum', computed: 0x67, received: '00' }, 'packet:c'] },
  { name: 'escape', chunks: [frame('a}\x03b')], events: ['packet:a#b'] },
  { name: 'all four escapes', chunks: [frame('}\x04}\x03}]}\x0a')], events: ['packet:$#}*'] },
  { name: 'escape split from its byte', chunks: ['$}', '\x03#' + sum('}\x03')], events: ['packet:#'] },
  { name: 'checksum covers the escaped form', chunks: [`$}]#${sum('}]')}`], events: ['packet:}'] },
  { name: 'dangling escape', chunks: [frame('ab}')], events: [{ kind: 'malformed', reason: 'escape "}" at the end of a packet' }] },
  { name: 'run length: 0* is 0000', chunks: [frame('0* ')], options: { expandRunLength: true }, events: ['packet:0000'] },
  { name: 'run length in the middle', chunks: [frame('ab*"c')], options: { expandRunLength: true }, events: ['packet:abbbbbbc'] },
  { name: 'largest run', chunks: [frame('x*~')], options: { expandRunLength: true }, events: ['packet:' + 'x'.repeat(98)] },
  { name: 'run of an escaped byte', chunks: [frame('}\x03* ')], options: { expandRunLength: true }, events: ['packet:####'] },
  { name: 'run length split across chunks', chunks: ['$0*', ' #' + sum('0* ')], options: { expandRunLength: true }, events: ['packet:0000'] },
  { name: '* is literal when run length is off', chunks: [frame('0* ')], events: ['packet:0* '] },
  { name: '* with nothing to repeat', chunks: [frame('* ')], options: { expandRunLength: true }, events: [{ kind: 'malformed', reason: 'run-length "*" with no byte to repeat' }] },
  { name: '* at the end', chunks: [frame('0*')], options: { expandRunLength: true }, events: [{ kind: 'malformed', reason: 'run-length "*" at the end of a packet' }] },
  { name: 'bad run-length count', chunks: [frame('0*\x10')], options: { expandRunLength: true }, events: [{ kind: 'malformed', reason: 'bad run-length count byte 0x10' }] },
  { name: 'a $ cuts a packet short', chunks: ['$qSupp' + frame('g')], events: [{ kind: 'malformed', reason: 'packet cut short by a new "$"' }, 'packet:g'] },
  { name: 'a $ in place of a checksum digit', chunks: ['$g#6' + frame('c')], events: [{ kind: 'malformed', reason: 'packet cut short by a new "$"' }, 'packet:c'] },
  { name: 'packet exactly at the limit', chunks: [frame('abcd')], options: { maxPacketSize: 4 }, events: ['packet:abcd'] },
  { name: 'oversized, then resync on the next packet', chunks: [frame('abcde') + frame('ok')], options: { maxPacketSize: 4 }, events: [{ kind: 'oversized', limit: 4 }, 'packet:ok'] },
  { name: 'oversized reported before the frame ends', chunks: ['$abcdefgh'], options: { maxPacketSize: 4 }, events: [{ kind: 'oversized', limit: 4 }] },
  { name: 'oversized resyncs on $ without #', chunks: ['$abcdefgh', frame('ok')], options: { maxPacketSize: 4 }, events: [{ kind: 'oversized', limit: 4 }, 'packet:ok'] },
  { name: 'oversized: acks after its checksum count again', chunks: ['$abcdefgh#00+\x03'], options: { maxPacketSize: 4 }, events: [{ kind: 'oversized', limit: 4 }, ack, interrupt] },
  { name: 'oversized after run-length expansion', chunks: [frame('a*~')], options: { maxPacketSize: 64, expandRunLength: true }, events: [{ kind: 'oversized', limit: 64 }] },
];

describe('PacketDecoder', () => {
  it.each(decoderRows)('$name', ({ chunks, options, events }) => {
    expect(decode(chunks, options)).toEqual(events);
  });

  it('reports whether it is inside a packet', () => {
    const d = new PacketDecoder();
    d.push(latin1('$qSup'));
    expect(d.inPacket).toBe(true);
    d.push(latin1('ported#37'));
    expect(d.inPacket).toBe(false);
  });
});

const encoderRows: Array<{ name: string; payload: string | Uint8Array; runLength?: boolean; wire: string }> = [
  { name: 'empty', payload: '', wire: '$#00' },
  { name: 'OK', payload: 'OK', wire: '$OK#9a' },
  { name: 'qSupported', payload: 'qSupported', wire: '$qSupported#37' },
  { name: 'escapes $ # } *', payload: '$#}*', wire: frame('}\x04}\x03}]}\x0a') },
  { name: 'binary bytes', payload: Uint8Array.of(0, 0xff, 0x7d), wire: frame('\x00\xff}]') },
  { name: 'no run length by default', payload: '0000', wire: frame('0000') },
  { name: 'runs of 3 stay literal', payload: '000', runLength: true, wire: frame('000') },
  { name: 'run of 4', payload: '0000', runLength: true, wire: frame('0* ') },
  { name: 'run of 7 avoids # as count', payload: '0'.repeat(7), runLength: true, wire: frame('0*"0') },
  { name: 'run of 8 avoids $ as count', payload: '0'.repeat(8), runLength: true, wire: frame('0*"00') },
  { name: 'run of 98', payload: 'x'.repeat(98), runLength: true, wire: frame('x*~') },
  { name: 'run of 97 avoids } as count', payload: 'x'.repeat(97), runLength: true, wire: frame('x*|x') },
  { name: 'run of 200', payload: 'x'.repeat(200), runLength: true, wire: frame('x*~x*~x* ') },
  { name: 'escaped bytes are not run-length encoded', payload: '####', runLength: true, wire: frame('}\x03}\x03}\x03}\x03') },
  { name: 'register reply', payload: '0'.repeat(16), runLength: true, wire: frame('0*,') },
];

describe('encodePacket', () => {
  it.each(encoderRows)('$name', ({ payload, runLength, wire }) => {
    expect(text(encodePacket(payload, { runLength }))).toBe(wire);
  });

  it('encodes strings as UTF-8', () => {
    expect(text(encodePacket('é'))).toBe(frame('\xc3\xa9'));
  });
});

describe('hex helpers', () => {
  it.each([
    { bytes: [], hex: '' },
    { bytes: [0, 1, 0xab, 0xff], hex: '0001abff' },
  ])('bytes $hex', ({ bytes, hex }) => {
    expect(bytesToHex(Uint8Array.from(bytes))).toBe(hex);
    expect(hexToBytes(hex)).toEqual(Uint8Array.from(bytes));
  });

  it.each(['0', 'zz', '0g', 'abc'])('rejects bad hex %j', (hex) => {
    expect(hexToBytes(hex)).toBeUndefined();
  });

  it('accepts uppercase hex', () => expect(hexToBytes('ABff')).toEqual(Uint8Array.of(0xab, 0xff)));

  it('strings', () => {
    expect(stringToHex('wasm32-unknown-unknown-wasm')).toBe('7761736d33322d756e6b6e6f776e2d756e6b6e6f776e2d7761736d');
    expect(hexToString('7761736d')).toBe('wasm');
    expect(hexToString('7')).toBeUndefined();
  });

  it.each([
    { value: 0n, width: 8, hex: '0000000000000000' },
    { value: 0x1234, width: 4, hex: '34120000' },
    { value: 0x4000000000000123n, width: 8, hex: '2301000000000040' },
    { value: 0xffffffffffffffffn, width: 8, hex: 'ffffffffffffffff' },
  ])('little-endian $hex', ({ value, width, hex }) => {
    expect(littleEndianHex(value, width)).toBe(hex);
    expect(parseLittleEndianHex(hex)).toBe(BigInt(value));
  });

  it('rejects values that do not fit', () => {
    expect(() => littleEndianHex(0x10000, 2)).toThrow(RangeError);
    expect(() => littleEndianHex(-1, 4)).toThrow(RangeError);
    expect(parseLittleEndianHex('')).toBeUndefined();
    expect(parseLittleEndianHex('123')).toBeUndefined();
  });
});

describe('WireCodec', () => {
  it('expects acks until no-ack mode is entered', () => {
    const codec = new WireCodec();
    expect(show(codec.push(latin1('$QStartNoAckMode#b0')))).toEqual(['packet:QStartNoAckMode']);
    expect(codec.acksExpected).toBe(true);
    codec.disableAcks();
    expect(codec.acksExpected).toBe(false);
    expect(show(codec.push(latin1('+' + frame('g'))))).toEqual([ack, 'packet:g']);
    expect(text(codec.encode('OK'))).toBe('$OK#9a');
  });
});

/** Splits `bytes` at the given cut points (any order, duplicates allowed). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(prev, p));
    prev = p;
  }
  return chunks;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const payload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  // Long runs and the special bytes, where run-length and escaping interact.
  fc.array(fc.tuple(fc.constantFrom(0x30, 0x23, 0x24, 0x2a, 0x7d, 0x03, 0x2b, 0x00), fc.integer({ min: 1, max: 120 })), { maxLength: 8 })
    .map((runs) => Uint8Array.from(runs.flatMap(([b, n]) => Array<number>(n).fill(b)))),
);

describe('round trips', () => {
  test.prop([payload, fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 10 })])(
    'decode(encode(p)) is p for any chunking',
    (p, runLength, expand, cuts) => {
      // A decoder that expands runs reads plain packets too, since the encoder always escapes `*`.
      fc.pre(!runLength || expand);
      const d = new PacketDecoder({ expandRunLength: expand });
      const events = split(encodePacket(p, { runLength }), cuts).flatMap((c) => d.push(c));
      expect(events).toEqual([{ kind: 'packet', payload: p }]);
    },
  );

  test.prop([fc.array(fc.tuple(payload, fc.constantFrom('', '+', '-', '\x03', 'junk')), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 })])(
    'back-to-back packets with acks and interrupts between them',
    (items, cuts) => {
      const wire = concat(items.flatMap(([p, sep]) => [encodePacket(p, { runLength: true }), latin1(sep)]));
      const expected: WireEvent[] = items.flatMap(([p, sep]) => [
        { kind: 'packet', payload: p } as WireEvent,
        ...(sep === '+' ? [ack] : sep === '-' ? [nack] : sep === '\x03' ? [interrupt] : []),
      ]);
      const d = new PacketDecoder({ expandRunLength: true });
      expect(split(wire, cuts).flatMap((c) => d.push(c))).toEqual(expected);
    },
  );

  test.prop([fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean()])(
    'arbitrary bytes never throw, and a following packet is still received',
    (noise, cuts, expand) => {
      const d = new PacketDecoder({ maxPacketSize: 256, expandRunLength: expand });
      const events = split(noise, cuts).flatMap((c) => d.push(c));
      for (const e of events) if (e.kind === 'packet') expect(e.payload.length).toBeLessThanOrEqual(256);
      // `$` resynchronises from any state: the next well-formed packet always gets through.
      expect(d.push(encodePacket('vCont?')).at(-1)).toEqual({ kind: 'packet', payload: latin1('vCont?') });
    },
  );
});
