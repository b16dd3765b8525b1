/** Property tests: random and mutated input gives a HeaderModel or a WiregramError with a position — nothing else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHeader, decodePacket, normalizeColor, parsePacketHeader, WiregramError, type HeaderModel } from '../src/index.js';

const SEEDS = [
  'tcp\nbytes 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000',
  '---\ntitle: "TCP Packet"\nconfig:\n  packet:\n    bitsPerRow: 16\n---\npacket\n0-15: "Source Port"\n16-31: "Destination Port"\n+32: "Seq"',
  'title x\nbits 16\nruler\noffsets\n0-3: Version #fc0\n+4: IHL {color: red, short: I}\n+1: F\n+var: Options\nbytes 45 00 aabb',
  'ipv4 + tcp\ncolor SYN orange\nbytes 4500 003c 1c46 4000 4006 53cb c0a8 0001 0a00 0002 d431 0050 0000 0001 0000 0000 a002 faf0 ade0 0000 0204 05b4 0402 080a 0000 0001 0000 0000 0103 0307',
  '%%{init: {"packet": {"bitsPerRow": 8}}}%%\npacket-beta\naccTitle: t\naccDescr {\nd\n}\n0: "A"\n1-7: \'B\' %% c',
];

const TOKENS = ['tcp', 'udp', 'ipv4', 'ipv6', 'icmp', ' + ', '0-15: ', '+16: ', '+var: ', '+0: ', '15-0: ', 'title ', 'bits ', 'ruler', 'offsets', 'bytes ', 'color ', 'SYN', '#fc0', '#ffcc0', '{color: red}', '{', '}', '"', "'", '\\', '---', '%%', '%%{', '#', ' # ', '\n', '\r\n', ':', '-', '99999999999', 'ff', 'zz', 'packet-beta', 'accDescr {', '\u0000', '界', '<script>'];

function check(run: () => HeaderModel): void {
  try {
    const m = run();
    expect(m.kind).toBe('header');
    for (const f of m.fields) {
      if (f.color !== null) expect(normalizeColor(f.color)).toBe(f.color);
      expect(Number.isInteger(f.offset)).toBe(true);
    }
    // Custom fixed fields never overlap.
    if (m.protocol === null) {
      const fixed = m.fields.filter((f) => f.bits !== null && !m.fields.slice(0, m.fields.indexOf(f)).some((g) => g.bits === null));
      for (let i = 1; i < fixed.length; i++) expect(fixed[i]!.offset).toBeGreaterThanOrEqual(fixed[i - 1]!.offset + fixed[i - 1]!.bits!);
    }
  } catch (e) {
    if (!(e instanceof WiregramError)) throw e;
    expect(e.reason.length).toBeGreaterThan(0);
    if (e.position) expect(e.position.start.line).toBeGreaterThanOrEqual(1);
  }
}

describe('parsePacketHeader never throws anything but WiregramError', () => {
  it('random token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), (parts) => check(() => parsePacketHeader(parts.join('')))),
      { numRuns: 2000 },
    );
  });

  it('mutated valid blocks', () => {
    const mutation = fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 }), (seed, muts) => {
        let s = seed;
        for (const [at, op, text] of muts) {
          const i = at % (s.length + 1);
          if (op === 0) s = s.slice(0, i) + text + s.slice(i);
          else if (op === 1) s = s.slice(0, i) + s.slice(i + 1 + text.length);
          else if (op === 2) s = s.slice(0, i) + text + s.slice(i + text.length);
          else s = s + s.slice(0, i);
        }
        check(() => parsePacketHeader(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => check(() => parsePacketHeader(s))), { numRuns: 1000 });
  });
});

describe('hostile input stays linear', () => {
  // Each of these would take minutes with a backtracking regular expression; the test timeout is the guard.
  const big = 150_000;
  it.each([
    ['spaces inside attributes', `0-15: Port {color:${' '.repeat(big)}x}`],
    ['spaces before a colour', `0-15: Port${' #a'.repeat(big / 3)}`],
    ['a long colour statement', `tcp\ncolor ${'a '.repeat(big / 2)}red`],
    ['a long stack', `tcp${' + tcp'.repeat(big / 6)}`],
    ['hex without end', `tcp\nbytes ${'f'.repeat(big)}`],
    ['many comment marks', `tcp ${'# '.repeat(big / 2)}`],
    ['unclosed quotes', `0-15: "${'\\"'.repeat(big / 2)}`],
  ])('%s', (_, source) => {
    check(() => parsePacketHeader(source));
  });
});

describe('decoding random bytes', () => {
  const protocols = ['tcp', 'udp', 'ipv4', 'ipv6', 'icmp', 'icmpv6', 'ethernet', 'vlan', 'tcp-rfc793'];
  it('decodeHeader and decodePacket return layers or a WiregramError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...protocols), fc.uint8Array({ maxLength: 120 }), fc.constantFrom('ip', 'ethernet', 'ipv4', 'ipv6') as fc.Arbitrary<'ip'>, (p, bytes, link) => {
        check(() => decodeHeader(p, bytes));
        try {
          const layers = decodePacket(bytes, { link });
          for (const l of layers) expect(l.byteOffset! + 0).toBeLessThanOrEqual(bytes.length);
        } catch (e) {
          if (!(e instanceof WiregramError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('IPv4 packets with valid headers and random payloads', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 6, 17, 58, 99), fc.uint8Array({ maxLength: 80 }), (proto, payload) => {
        const b = new Uint8Array(20 + payload.length);
        b.set([0x45, 0, (b.length >> 8) & 0xff, b.length & 0xff, 0, 0, 0x40, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        b.set(payload, 20);
        const layers = decodePacket(b);
        expect(layers[0]!.protocol).toBe('ipv4');
      }),
      { numRuns: 1000 },
    );
  });
});
