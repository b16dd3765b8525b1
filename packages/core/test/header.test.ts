import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_HEADERS,
  decodeHeader,
  decodePacket,
  formatCodeFrame,
  formatIPv6,
  headerFromSegment,
  IPV4_HEADER,
  parsePacketHeader,
  TCP_HEADER,
  UDP_HEADER,
  WiregramError,
  type HeaderModel,
  type Segment,
  type Timeline,
} from '../src/index.js';
import { ipv4, ipv6, pcap, tcp, udp } from './fixtures/header/packets.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/header/${name}`, import.meta.url)), 'utf8');
const hexBytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
const byWs = (m: HeaderModel, ws: string) => m.fields.find((f) => f.wireshark === ws);
const byName = (m: HeaderModel, name: string) => m.fields.find((f) => f.name === name);

/** Run `fn`, expect a WiregramError, return it. */
function error(fn: () => unknown): WiregramError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WiregramError);
    return e as WiregramError;
  }
  throw new Error('expected a WiregramError, nothing was thrown');
}

describe('built-in field tables', () => {
  it('TCP follows RFC 9293 §3.1 bit for bit', () => {
    const fixed = TCP_HEADER.filter((f) => f.bits !== null);
    let cursor = 0;
    for (const f of fixed) {
      expect(f.offset, f.name).toBe(cursor);
      cursor += f.bits!;
    }
    expect(cursor).toBe(160);
    expect(TCP_HEADER.filter((f) => f.kind === 'flag').map((f) => [f.short, f.offset])).toEqual([
      ['AE', 103],
      ['CWR', 104],
      ['ECE', 105],
      ['URG', 106],
      ['ACK', 107],
      ['PSH', 108],
      ['RST', 109],
      ['SYN', 110],
      ['FIN', 111],
    ]);
    expect(byName({ fields: [...TCP_HEADER] } as HeaderModel, 'Reserved')).toMatchObject({ offset: 100, bits: 3, kind: 'reserved' });
    // tshark 4.0.17: `...1 .... .... = Accurate ECN` — RFC 9768's AE bit, the last of RFC 9293's four reserved.
    expect(byName({ fields: [...TCP_HEADER] } as HeaderModel, 'Accurate ECN')).toMatchObject({ short: 'AE', offset: 103, bits: 1, kind: 'flag', wireshark: 'tcp.flags.ae' });
    expect(TCP_HEADER.filter((f) => f.bits === null).map((f) => f.kind)).toEqual(['options', 'data']);
    expect(TCP_HEADER.map((f) => f.wireshark).slice(0, 2)).toEqual(['tcp.srcport', 'tcp.dstport']);
  });

  it('every built-in table is contiguous and every field has a name', () => {
    for (const [name, spec] of Object.entries(BUILTIN_HEADERS)) {
      let cursor = 0;
      for (const f of spec.fields) {
        expect(f.name.length, name).toBeGreaterThan(0);
        expect(f.offset, `${name}: ${f.name}`).toBe(cursor);
        if (f.bits !== null) cursor += f.bits;
      }
      expect(cursor % 8, name).toBe(0);
    }
    expect(IPV4_HEADER.find((f) => f.name === 'Source Address')).toMatchObject({ offset: 96, bits: 32, wireshark: 'ip.src' });
    expect(UDP_HEADER.map((f) => f.bits)).toEqual([16, 16, 16, 16, null]);
  });

  it('tables are frozen so one diagram cannot change another', () => {
    expect(Object.isFrozen(TCP_HEADER)).toBe(true);
    expect(Object.isFrozen(TCP_HEADER[0])).toBe(true);
    const a = parsePacketHeader('tcp\ncolor SYN red');
    const b = parsePacketHeader('tcp');
    expect(byWs(a, 'tcp.flags.syn')!.color).toBe('red');
    expect(byWs(b, 'tcp.flags.syn')!.color).toBeNull();
  });
});

describe('the seed figure', () => {
  // A copy of shared/reference/seed-tcp-header.svg (RFC 793 layout: 6 reserved bits, URG…FIN).
  const svg = fixture('seed-tcp-header.svg');
  // The figure's cell texts in document order; a vertical flag label is one <text> with a <tspan> per letter.
  const texts = [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));

  it('tcp-rfc793 has the fields the seed figure draws, with the widths it states', () => {
    const m = parsePacketHeader('tcp-rfc793');
    const widths = texts.map((t) => /（(\d+) 位）/.exec(t)).filter(Boolean).map((x) => Number(x![1]));
    // 源端口 16, 目的端口 16, 序号 32, 确认序号 32, 首部长度 4, 保留 6, 窗口 16, 校验和 16, 紧急指针 16
    expect(widths).toEqual([16, 16, 32, 32, 4, 6, 16, 16, 16]);
    const nonFlags = m.fields.filter((f) => f.kind !== 'flag' && f.bits !== null).map((f) => f.bits);
    expect(nonFlags).toEqual([16, 16, 32, 32, 4, 6, 16, 16, 16]);
    const letters = texts.filter((t) => /^[A-Z]{3}$/.test(t));
    expect(letters).toEqual(['URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']);
    expect(m.fields.filter((f) => f.kind === 'flag').map((f) => f.short)).toEqual(letters);
    expect(m.fields.filter((f) => f.bits === null).map((f) => f.kind)).toEqual(['options', 'data']);
  });

  it('the same figure written as a custom layout gives the same grid', () => {
    const custom = parsePacketHeader(fixture('seed-tcp-header.txt'));
    const builtin = parsePacketHeader('tcp-rfc793');
    expect(custom.title).toBe('TCP 首部');
    expect(custom.fields.map((f) => [f.offset, f.bits, f.kind])).toEqual(builtin.fields.map((f) => [f.offset, f.bits, f.kind]));
    expect(custom.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['源端口号（16 位）', '选项', '数据']));
    expect(custom.fields.find((f) => f.name === 'SYN')!.short).toBe('SYN');
    expect(custom.warnings).toEqual([]);
  });
});

describe('Mermaid packet syntax, as Mermaid documents it', () => {
  it('the TCP example with front-matter title', () => {
    const m = parsePacketHeader(fixture('mermaid-tcp.mmd'));
    expect(m.title).toBe('TCP Packet');
    expect(m.rowBits).toBe(32);
    expect(m.fields).toHaveLength(17);
    expect(m.fields.map((f) => f.name).slice(0, 2)).toEqual(['Source Port', 'Destination Port']);
    expect(byName(m, 'Reserved')).toMatchObject({ offset: 100, bits: 6, kind: 'reserved' });
    expect(byName(m, 'URG')).toMatchObject({ offset: 106, bits: 1, kind: 'flag', short: 'URG' });
    expect(byName(m, 'Source Port')!.short).toBe('Src Port');
    expect(byName(m, 'Data (variable length)')).toMatchObject({ offset: 192, bits: 64 });
    expect(m.warnings).toEqual([]);
  });

  it('the UDP example with +N lengths and an inline title', () => {
    const m = parsePacketHeader(fixture('mermaid-udp.mmd'));
    expect(m.title).toBe('UDP Packet');
    expect(m.fields.map((f) => [f.name, f.offset, f.bits])).toEqual([
      ['Source Port', 0, 16],
      ['Destination Port', 16, 16],
      ['Length', 32, 16],
      ['Checksum', 48, 16],
      ['Data (variable length)', 64, 32],
    ]);
  });

  it('config: bitsPerRow and showBits from the front matter, and from an init directive', () => {
    const m = parsePacketHeader(fixture('mermaid-register.mmd'));
    expect(m.rowBits).toBe(16);
    expect(m.ruler).toBe(true);
    expect(byName(m, 'EN')).toMatchObject({ offset: 12, bits: 1, kind: 'flag' });
    const d = parsePacketHeader('%%{init: {"packet": {"bitsPerRow": 8}}}%%\npacket-beta\n0-7: "Type" %% a comment\n+8: "Code"');
    expect(d.rowBits).toBe(8);
    expect(d.fields.map((f) => f.name)).toEqual(['Type', 'Code']);
  });

  it('accTitle/accDescr, single quotes and escaped quotes', () => {
    const m = parsePacketHeader("packet-beta\naccTitle: Tiny\naccDescr {\n  two fields\n}\n0-7: 'Kind'\n8-15: \"Len \\\"bytes\\\"\"");
    expect(m.title).toBe('Tiny');
    expect(m.description).toBe('two fields');
    expect(m.fields.map((f) => f.name)).toEqual(['Kind', 'Len "bytes"']);
  });
});

describe('the packet-header language', () => {
  it('built-ins by name and alias; options title, bits, ruler, offsets', () => {
    const m = parsePacketHeader('title My header\nbits 16\nruler\noffsets\nipv4   # the IP header');
    expect(m).toMatchObject({ protocol: 'ipv4', title: 'My header', rowBits: 16, ruler: true, offsets: true });
    expect(parsePacketHeader('ip6').protocol).toBe('ipv6');
    expect(parsePacketHeader('TCP').protocol).toBe('tcp');
    expect(parsePacketHeader('icmp').fields.map((f) => f.name)).toContain('Rest of Header');
  });

  it('custom fields by range, length and variable length, with colours', () => {
    const m = parsePacketHeader('0-15: Source port #ffcc00\n+16: Window {color: SteelBlue, short: Win}\n+1: X\n+7: Reserved\n+var: Options\n+var: Payload');
    expect(m.fields.map((f) => [f.name, f.offset, f.bits, f.kind, f.color])).toEqual([
      ['Source port', 0, 16, 'field', '#ffcc00'],
      ['Window', 16, 16, 'field', 'steelblue'],
      ['X', 32, 1, 'flag', null],
      ['Reserved', 33, 7, 'reserved', null],
      ['Options', 40, null, 'options', null],
      ['Payload', 40, null, 'data', null],
    ]);
    expect(m.fields[1]!.short).toBe('Win');
    expect(m.fields[0]!.position).toMatchObject({ start: { line: 1, column: 1 } });
    expect(m.fields[1]!.position!.start.line).toBe(2);
    expect(parsePacketHeader('0-7: Field #1').fields[0]!.name).toBe('Field #1');
  });

  it('a gap is drawn as unused and warned about', () => {
    const m = parsePacketHeader('0-7: A\n16-31: B');
    expect(m.fields.map((f) => [f.name, f.offset, f.bits, f.kind])).toEqual([
      ['A', 0, 8, 'field'],
      ['Unused', 8, 8, 'padding'],
      ['B', 16, 16, 'field'],
    ]);
    expect(m.warnings).toHaveLength(1);
    expect(m.warnings[0]!.message).toBe('line 2, col 1: bits 8-15 are not part of any field; they are drawn as unused');
    expect(m.warnings[0]!.hint).toBe('add `8-15: Reserved` to name them');
  });

  it('color statements colour built-in fields by name, short name or Wireshark name', () => {
    const m = parsePacketHeader('tcp\ncolor SYN #fc0\ncolor tcp.srcport orange\ncolor "Destination Port" #123456');
    expect(byWs(m, 'tcp.flags.syn')!.color).toBe('#fc0');
    expect(byWs(m, 'tcp.srcport')!.color).toBe('orange');
    expect(byWs(m, 'tcp.dstport')!.color).toBe('#123456');
  });

  it('stacks without bytes: the lower layer without its variable part', () => {
    const m = parsePacketHeader('ipv4 + tcp');
    expect(m.protocol).toBe('ipv4+tcp');
    expect(byWs(m, 'ip.dst')!.offset).toBe(128);
    expect(byWs(m, 'tcp.srcport')!.offset).toBe(160);
    expect(m.groups!.filter((g) => g.kind === 'layer').map((g) => [g.name, g.offset])).toEqual([
      ['Internet Protocol Version 4', 0],
      ['Transmission Control Protocol', 160],
    ]);
  });
});

describe('decoding bytes', () => {
  it('the DESIGN example: a SYN from 8080 to 54321', () => {
    const m = parsePacketHeader('tcp\nbytes 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000   # decode: each field shows its value');
    expect(byWs(m, 'tcp.srcport')).toMatchObject({ value: '8080', raw: 8080 });
    expect(byWs(m, 'tcp.dstport')!.value).toBe('54321');
    expect(byWs(m, 'tcp.seq_raw')!.value).toBe('1');
    expect(byWs(m, 'tcp.hdr_len')!.value).toBe('20 bytes (5)');
    expect(byWs(m, 'tcp.flags.syn')!.value).toBe('Set');
    expect(byWs(m, 'tcp.flags.ack')!.value).toBe('Not set');
    expect(byWs(m, 'tcp.window_size_value')!.value).toBe('64240');
    expect(byWs(m, 'tcp.checksum')!.value).toBe('0xe6c1');
    expect(m.groups!.find((g) => g.kind === 'flags')!.value).toBe('0x002 (SYN)');
    expect(m.fields.some((f) => f.bits === null)).toBe(false);
    expect(m.bytes).toHaveLength(20);
    expect(m.summary).toBe('Transmission Control Protocol, Src Port: 8080, Dst Port: 54321, Seq: 1, Ack: 0, Len: 0');
  });

  it('flags group, options, payload', () => {
    const b = hexBytes('0050 d431 0000 0bb8 0000 0065 a012 01f5 0000 0000 0204 05b4 0402 080a 0000 0001 0000 0000 0103 0307 6869');
    const m = decodeHeader('tcp', b);
    expect(m.groups!.find((g) => g.kind === 'flags')!.value).toBe('0x012 (SYN, ACK)');
    expect(m.fields.filter((f) => f.kind === 'options').map((f) => f.value)).toEqual([
      'MSS: 1460',
      'SACK permitted',
      'Timestamps: TSval 1, TSecr 0',
      'NOP',
      'Window scale: 7 (multiply by 128)',
    ]);
    expect(m.fields.filter((f) => f.kind === 'options').map((f) => [f.offset, f.bits])).toEqual([
      [160, 32],
      [192, 16],
      [208, 80],
      [288, 8],
      [296, 24],
    ]);
    expect(byWs(m, 'tcp.payload')).toMatchObject({ value: '2 bytes', offset: 320, bits: null });
    expect(decodeHeader('tcp', hexBytes('0050 d431 0000 0bb8 0000 0065 5000 01f5 0000 0000')).groups![0]!.value).toBe('0x000 (<None>)');
  });

  it('checksums are verified when the IP header is there', () => {
    const good = ipv4('192.168.0.1', '10.0.0.2', 6, (p) => tcp({ sport: 1, dport: 2, seq: 3, ack: 4, flags: 0x010, window: 5, payload: [1, 2, 3] }, p));
    const bad = ipv4('192.168.0.1', '10.0.0.2', 6, (p) => tcp({ sport: 1, dport: 2, seq: 3, ack: 4, flags: 0x010, window: 5, payload: [1, 2, 3], badChecksum: true }, p));
    const ok = decodePacket(Uint8Array.from(good));
    expect(ok.map((l) => l.protocol)).toEqual(['ipv4', 'tcp']);
    expect(byWs(ok[1]!, 'tcp.checksum')!.value).toMatch(/^0x[0-9a-f]{4} \[correct\]$/);
    expect(byWs(ok[0]!, 'ip.checksum')!.value).toMatch(/\[correct\]$/);
    const wrong = decodePacket(Uint8Array.from(bad));
    const shown = byWs(wrong[1]!, 'tcp.checksum')!.value!;
    const right = byWs(ok[1]!, 'tcp.checksum')!.value!.slice(0, 6);
    expect(shown).toBe(`${byWs(wrong[1]!, 'tcp.checksum')!.value!.slice(0, 6)} [incorrect, should be ${right}]`);
    const v6 = decodePacket(Uint8Array.from(ipv6('2001:db8::1', '2001:db8::2', 17, (p) => udp(53, 5353, [9, 9], p))));
    expect(v6.map((l) => l.protocol)).toEqual(['ipv6', 'udp']);
    expect(byWs(v6[1]!, 'udp.checksum')!.value).toMatch(/\[correct\]$/);
    expect(v6[1]!.byteOffset).toBe(40);
  });

  it('Ethernet with a VLAN tag in front of IPv4', () => {
    const ip = ipv4('10.1.1.1', '10.1.1.2', 17, (p) => udp(1000, 2000, [], p));
    const frame = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0x00, 0x20, 0x64, 0x08, 0x00, ...ip];
    const layers = decodePacket(Uint8Array.from(frame), { link: 'ethernet' });
    expect(layers.map((l) => [l.protocol, l.byteOffset])).toEqual([
      ['ethernet', 0],
      ['vlan', 14],
      ['ipv4', 18],
      ['udp', 38],
    ]);
    expect(byWs(layers[0]!, 'eth.type')!.value).toBe('802.1Q Virtual LAN (0x8100)');
    expect(byWs(layers[1]!, 'vlan.id')!.value).toBe('100');
    expect(byWs(layers[0]!, 'eth.src')!.value).toBe('06:07:08:09:0a:0b');
  });

  it('truncated bytes decode what is there and warn', () => {
    const m = parsePacketHeader('tcp\nbytes 1f90 d431 0000 00');
    expect(byWs(m, 'tcp.srcport')!.value).toBe('8080');
    expect(byWs(m, 'tcp.seq_raw')!.value).toBeNull();
    expect(m.warnings[0]!.code).toBe('header-truncated');
    expect(m.warnings[0]!.message).toBe(
      'line 2, col 1: Transmission Control Protocol: the bytes end after 7 bytes, inside Sequence Number (needs 8 bytes)',
    );
    const opt = decodeHeader('tcp', hexBytes('0050 d431 0000 0bb8 0000 0065 7002 01f5 0000 0000 0204 05b4 0402'));
    expect(opt.warnings.map((w) => w.code)).toEqual(['header-truncated']);
    expect(opt.fields.filter((f) => f.kind === 'options').map((f) => f.value)).toEqual(['MSS: 1460', 'SACK permitted']);
    const bad = decodeHeader('tcp', hexBytes('0050 d431 0000 0bb8 0000 0065 6002 01f5 0000 0000 0209 05b4'));
    expect(bad.warnings.map((w) => w.code)).toEqual(['tcp-option-bad-length']);
  });

  it('long dumps wrap onto lines of hex; 0x prefixes and colons are fine', () => {
    const m = parsePacketHeader('udp\nbytes 0x1f90 0xd431\n  00:0a 00 00\n  ffff');
    expect(Array.from(m.bytes!)).toEqual([0x1f, 0x90, 0xd4, 0x31, 0, 10, 0, 0, 0xff, 0xff]);
    expect(byWs(m, 'udp.length')!.value).toBe('10');
    expect(byWs(m, 'udp.payload')!.value).toBe('2 bytes');
    expect(error(() => parsePacketHeader('udp\nruler\n  ffff')).code).toBe('header-unknown-statement');
  });

  it('custom layouts decode generically', () => {
    const m = parsePacketHeader('0-3: Version\n+4: IHL\n+1: Flag\n+7: Rest\n+var: Data\nbytes 45 80 aabbcc');
    expect(m.fields.map((f) => f.value)).toEqual(['4', '5', 'Set', '0', '3 bytes']);
  });

  it('IPv6 addresses in RFC 5952 form', () => {
    expect(formatIPv6(hexBytes('20010db8000000000000000000000001'))).toBe('2001:db8::1');
    expect(formatIPv6(hexBytes('00000000000000000000000000000001'))).toBe('::1');
    expect(formatIPv6(hexBytes('20010db8000000010000000000000000'))).toBe('2001:db8:0:1::');
    expect(formatIPv6(hexBytes('00000000000000000000ffffc0a80001'))).toBe('::ffff:192.168.0.1');
    expect(formatIPv6(hexBytes('20010db8000100010001000100010001'))).toBe('2001:db8:1:1:1:1:1:1');
  });

  it('a stacked block decodes every layer into one grid', () => {
    const bytes = Buffer.from(ipv4('192.168.0.1', '1.1.1.1', 1, () => [8, 0, 0xf7, 0xfe, 0, 1, 0, 0])).toString('hex');
    const m = parsePacketHeader(`ipv4 + icmp\nbytes ${bytes}`);
    expect(byWs(m, 'icmp.type')).toMatchObject({ value: '8 (Echo (ping) request)', offset: 160 });
    expect(byWs(m, 'icmp.checksum')!.value).toBe('0xf7fe [correct]');
    expect(m.warnings).toEqual([]);
    const pasted = parsePacketHeader(`icmp\nbytes ${bytes}`);
    expect(pasted.warnings.map((w) => w.hint)).toEqual(['write `ipv4 + icmp` to decode every layer (and verify the checksum)']);
    const mismatch = parsePacketHeader(`ipv4 + tcp\nbytes ${bytes}`);
    expect(mismatch.warnings.map((w) => w.reason)).toEqual(['the bytes hold ipv4 + icmp, not ipv4 + tcp']);
  });
});

describe('layer stacks', () => {
  it('ipv6 + icmpv6-echo decodes without a stack-mismatch warning (the layout name and the decoded layer agree)', () => {
    const v6 = '6000 0000 0008 3a40 ' + '0000 '.repeat(7) + '0001 ' + '0000 '.repeat(7) + '0001 ';
    const m = parsePacketHeader(`ipv6 + icmpv6-echo\nbytes ${v6}8000 0000 0001 0001`);
    expect(m.warnings.map((w) => w.code)).not.toContain('header-stack-mismatch');
    expect(m.fields.find((f) => f.name === 'Identifier')?.value).toBe('0x0001');
    expect(m.fields.find((f) => f.name === 'Type')?.value).toBe('Echo (ping) request (128)');
  });
});

describe('headerFromSegment', () => {
  const timeline = (): Timeline => {
    const seg = (over: Partial<Segment>): Segment => ({
      index: 0,
      from: 'client',
      to: 'server',
      flags: ['SYN'],
      seq: { symbol: 'x', offset: 0, relative: 0 },
      ack: null,
      len: 0,
      window: 65535,
      options: [],
      payload: null,
      sentAt: 0,
      arrivesAt: 1,
      lost: false,
      retransmission: false,
      retransmissionOf: null,
      overrides: [],
      marks: [],
      label: 'SYN, seq=x',
      note: null,
      time: null,
      position: null,
      ...over,
    });
    return {
      kind: 'timeline',
      title: null,
      participants: [
        { id: 'client', label: '客户端', address: null, port: 54321, position: null },
        { id: 'server', label: '服务端', address: null, port: null, position: null },
      ],
      segments: [
        seg({ options: [{ kind: 'MSS', value: 1460 }, { kind: 'NOP' }, { kind: 'WS', value: 7 }, { kind: 'SACK_PERM' }] }),
        seg({ index: 1, from: 'server', to: 'client', flags: ['SYN', 'ACK'], seq: { symbol: 'y', offset: 0, relative: 0 }, ack: { symbol: 'x', offset: 1, relative: 1 }, label: 'SYN, ACK, seq=y, ack=x+1' }),
        seg({ index: 2, flags: ['PSH', 'ACK'], seq: { symbol: null, offset: 1001, relative: 1 }, ack: { symbol: null, offset: 5001, relative: 1 }, len: 100, window: 502, label: 'PSH, ACK' }),
      ],
      states: [],
      timers: [],
      notes: [],
      dividers: [],
      headers: [],
      options: { labelStyle: 'textbook', stateNames: 'underscore', numbering: 'relative', layout: 'states', extra: {} },
      duration: 3,
      warnings: [],
    };
  };

  it('a SYN with options', () => {
    const t = timeline();
    const m = headerFromSegment(t.segments[0]!, t);
    expect(byWs(m, 'tcp.srcport')!.value).toBe('54321');
    expect(byWs(m, 'tcp.dstport')!.value).toBe('服务端');
    expect(byWs(m, 'tcp.seq_raw')).toMatchObject({ value: 'x', raw: null });
    expect(byWs(m, 'tcp.hdr_len')!.value).toBe('32 bytes (8)');
    expect(byWs(m, 'tcp.flags.syn')!.value).toBe('Set');
    expect(m.groups!.find((g) => g.kind === 'flags')!.value).toBe('0x002 (SYN)');
    expect(m.fields.filter((f) => f.kind === 'options' || f.kind === 'padding').map((f) => [f.value, f.offset, f.bits])).toEqual([
      ['MSS: 1460', 160, 32],
      ['NOP', 192, 8],
      ['Window scale: 7 (multiply by 128)', 200, 24],
      ['SACK permitted', 224, 16],
      ['2 bytes', 240, 16],
    ]);
    expect(m.title).toBe('SYN, seq=x');
  });

  it('symbolic ack, relative numbers, data length', () => {
    const t = timeline();
    const synAck = headerFromSegment(1, t);
    expect(byWs(synAck, 'tcp.ack_raw')!.value).toBe('x+1');
    expect(synAck.groups![0]!.value).toBe('0x012 (SYN, ACK)');
    const data = headerFromSegment(t.segments[2]!, t);
    expect(byWs(data, 'tcp.seq_raw')!.value).toBe('1');
    expect(byWs(data, 'tcp.payload')!.value).toBe('100 bytes');
    t.options.numbering = 'absolute';
    expect(byWs(headerFromSegment(2, t), 'tcp.seq_raw')!.value).toBe('1001');
    expect(error(() => headerFromSegment(7, t)).message).toBe('there is no segment 7 (the diagram has 3)');
  });
});

describe('errors users see', () => {
  it('overlapping fields', () => {
    const e = error(() => parsePacketHeader('0-15: Source port\n8-23: Oops'));
    expect(e.message).toBe('line 2, col 1: bits 8-23 overlap `Source port` (bits 0-15)');
    expect(e.expected).toBe('a field starting at bit 16');
    expect(e.hint).toBe('start at 16, or write `+16:` to continue after the previous field');
    expect(formatCodeFrame(e, '0-15: Source port\n8-23: Oops')).toContain('> 2 | 8-23: Oops\n    | ^^^^');
  });

  it('bad ranges, bad numbers, zero lengths', () => {
    expect(error(() => parsePacketHeader('15-0: Backwards')).message).toBe('line 1, col 1: the range 15-0 ends before it starts');
    expect(error(() => parsePacketHeader('+0: Nothing')).code).toBe('header-number-out-of-range');
    expect(error(() => parsePacketHeader('0-99999999: Huge')).code).toBe('header-number-out-of-range');
    const after = error(() => parsePacketHeader('+var: Options\n32-47: Late'));
    expect(after.code).toBe('header-range-after-variable');
    expect(after.hint).toContain('give the length instead');
    expect(error(() => parsePacketHeader('bits 0\ntcp')).message).toBe('line 1, col 6: bits per row 0 is out of range');
  });

  it('bad hex', () => {
    const e = error(() => parsePacketHeader('tcp\nbytes 1f90 d4z1'));
    expect(e.message).toBe('line 2, col 14: `z` is not a hex digit');
    expect(e.hint).toBe('e.g. `bytes 1f90 d431 0000 0001`');
    const odd = error(() => parsePacketHeader('tcp\nbytes 1f9'));
    expect(odd.reason).toBe('an odd number of hex digits: the last byte has only one');
    expect(odd.column).toBe(9);
  });

  it('unknown built-ins and statements get a did-you-mean hint', () => {
    const e = error(() => parsePacketHeader('tpc'));
    expect(e.message).toBe('line 1, col 1: unknown built-in header `tpc`');
    expect(e.hint).toBe('did you mean `tcp`?');
    expect(error(() => parsePacketHeader('ipv4 + tpc')).column).toBe(8);
    expect(error(() => parsePacketHeader('ipv5')).hint).toBe('did you mean `ipv4`?');
    expect(error(() => parsePacketHeader('tcp\nrular')).hint).toBe('did you mean `ruler`?');
    expect(error(() => parsePacketHeader('titel Foo\ntcp')).hint).toBe('did you mean `title`?');
    expect(error(() => decodeHeader('tcpp', new Uint8Array(20))).hint).toBe('did you mean `tcp`?');
  });

  it('colours: only #rgb, #rrggbb and CSS names reach the SVG', () => {
    expect(error(() => parsePacketHeader('0-15: Port #ffcc0')).message).toBe('line 1, col 12: `#ffcc0` is not a colour wiregram accepts');
    expect(error(() => parsePacketHeader('0-15: Port {color: url(#x)}')).code).toBe('header-bad-color');
    expect(error(() => parsePacketHeader('0-15: Port {color: red;fill:blue}')).code).toBe('header-bad-color');
    expect(error(() => parsePacketHeader('tcp\ncolor SYN javascript:x')).code).toBe('header-bad-color');
    expect(error(() => parsePacketHeader('0-15: Port {colr: red}')).hint).toBe('did you mean `color`?');
    expect(error(() => parsePacketHeader('tcp\ncolor SNY red')).hint).toBe('did you mean `SYN`?');
  });

  it('limits', () => {
    const many = Array.from({ length: 1025 }, (_, i) => `+1: F${i}`).join('\n');
    const e = error(() => parsePacketHeader(many));
    expect(e.message).toBe('line 1025, col 1: more than 1024 fields');
    expect(error(() => parsePacketHeader('x'.repeat(200_001))).code).toBe('header-too-long');
    expect(error(() => parsePacketHeader('0-15: ' + 'n'.repeat(201))).code).toBe('header-name-too-long');
    expect(error(() => decodeHeader('tcp', new Uint8Array(70_000))).code).toBe('header-too-many-bytes');
  });

  it('mixing and empty blocks', () => {
    expect(error(() => parsePacketHeader('tcp\n0-15: Port')).hint).toBe('to colour a built-in field write `color <field> <colour>`, e.g. `color SYN #ffcc00`');
    expect(error(() => parsePacketHeader('tcp\nudp')).hint).toBe('stack layers on one line: `tcp + udp`');
    expect(error(() => parsePacketHeader('tcp + ipv4')).code).toBe('header-bad-stack');
    expect(error(() => parsePacketHeader('# nothing\n\ntitle x')).message).toBe('line 3, col 1: the block has no layout');
    expect(error(() => parsePacketHeader('---\ntitle: x\n0-1: y')).code).toBe('header-unclosed-frontmatter');
    expect(error(() => parsePacketHeader('0-15: "Unclosed')).code).toBe('header-unclosed-string');
    expect(error(() => decodeHeader('tcp', new Uint8Array(0))).code).toBe('header-no-bytes');
    expect(error(() => parsePacketHeader('tcp', { rowBits: 0 })).code).toBe('header-bad-option');
  });
});

describe('capture frames', () => {
  const frames = () => {
    const mac = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
    const syn = ipv4('10.0.0.1', '10.0.0.2', 6, (p) => tcp({ sport: 40000, dport: 80, seq: 100, ack: 0, flags: 0x002, window: 1024, options: [2, 4, 5, 0xb4] }, p));
    const synAck = ipv4('10.0.0.2', '10.0.0.1', 6, (p) => tcp({ sport: 80, dport: 40000, seq: 500, ack: 101, flags: 0x012, window: 2048 }, p));
    return pcap([[...mac, ...syn], [...mac, ...synAck]], 1);
  };
  const readFile = (path: string) => {
    expect(path).toBe('./handshake.pcap');
    return new Uint8Array(frames());
  };

  it('draws every layer of a frame, or only the layer asked for', () => {
    const all = parsePacketHeader('capture ./handshake.pcap frame 2', { readFile });
    expect(all.protocol).toBe('ethernet+ipv4+tcp');
    expect(byWs(all, 'tcp.srcport')).toMatchObject({ value: '80', offset: (14 + 20) * 8 });
    expect(byWs(all, 'tcp.checksum')!.value).toMatch(/\[correct\]$/);
    const only = parsePacketHeader('tcp\ncapture "./handshake.pcap" frame 1', { readFile });
    expect(only.protocol).toBe('tcp');
    expect(byWs(only, 'tcp.srcport')).toMatchObject({ value: '40000', offset: 0 });
    expect(only.byteOffset).toBe(34);
    expect(only.fields.find((f) => f.wireshark === 'tcp.options.mss')!.value).toBe('MSS: 1460');
    expect(byWs(only, 'tcp.checksum')!.value).toMatch(/\[correct\]$/);
  });

  it('errors: no file access, no such frame, no such layer', () => {
    expect(error(() => parsePacketHeader('capture ./handshake.pcap frame 1')).hint).toBe('paste the bytes instead: `bytes 4500 003c …`');
    expect(error(() => parsePacketHeader('capture ./handshake.pcap frame 3', { readFile })).message).toBe('line 1, col 1: `./handshake.pcap` has 2 frames, not 3');
    expect(error(() => parsePacketHeader('udp\ncapture ./handshake.pcap frame 1', { readFile })).reason).toBe('frame 1 has no udp layer');
    expect(error(() => parsePacketHeader('capture ./handshake.pcap')).expected).toBe('`capture ./handshake.pcap frame 1`');
  });
});
