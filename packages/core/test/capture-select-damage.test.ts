/**
 * Audit fixes in the capture path: streams chosen by their endpoints (API, `capture … stream A,B`), a capture
 * cut short or corrupt before its first packet, and `packet-header … capture … frame N` reading frames 1…N on
 * purpose, with the reader's findings placed on the `capture` line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  compileSequence,
  formatStreamSelector,
  parsePacketHeader,
  parseStreamSelector,
  readCapture,
  selectStream,
  timelineFromCapture,
} from '../src/index.js';
import { conversation, frame, writePcap } from './fixtures/capture/build.js';
import { thrown } from '../../../test/support/errors.js';

const loopback = new Uint8Array(readFileSync(fileURLToPath(new URL('./fixtures/capture/loopback.pcap', import.meta.url))));

/** Two IPv4 streams and one IPv6 stream, raw IP (linktype 101), interleaved in time. */
function threeStreams(): Uint8Array {
  const a = conversation({ client: '192.0.2.1', server: '192.0.2.9', cport: 50762, sport: 18080, cisn: 1000, sisn: 5000, start: [1_700_000_000, 0] });
  const b = conversation({ client: '192.0.2.1', server: '192.0.2.9', cport: 50763, sport: 18080, cisn: 2000, sisn: 6000, start: [1_700_000_000, 500_000] });
  const c = conversation({ client: '2001:db8::1', server: '2001:db8::2', cport: 40000, sport: 80, cisn: 3000, sisn: 7000, start: [1_700_000_000, 250_000] });
  const all = [...a, ...b, ...c].sort((x, y) => x.sec - y.sec || x.nsec - y.nsec);
  return writePcap(all.map((p) => ({ sec: p.sec, nsec: p.nsec, data: frame(101, p.ip) })), { linkType: 101 });
}

describe('stream selectors', () => {
  it('read a number, two endpoints, one endpoint, and bracketed IPv6', () => {
    expect(parseStreamSelector('3')).toEqual({ stream: 3 });
    expect(parseStreamSelector('127.0.0.1:50762,127.0.0.1:18080')).toEqual({ tuple: { srcAddress: '127.0.0.1', srcPort: 50762, dstAddress: '127.0.0.1', dstPort: 18080 } });
    expect(parseStreamSelector(' 10.0.0.1:80 ')).toEqual({ tuple: { srcAddress: '10.0.0.1', srcPort: 80 } });
    // ::1 and 0:0::1 are the same address
    expect(parseStreamSelector('[0:0::1]:80,[::1]:5000')).toEqual({ tuple: { srcAddress: '::1', srcPort: 80, dstAddress: '::1', dstPort: 5000 } });
    for (const text of ['0', '127.0.0.1:50762,127.0.0.1:18080', '[2001:db8::1]:40000,[2001:db8::2]:80', '10.0.0.1:80']) {
      expect(formatStreamSelector(parseStreamSelector(text))).toBe(text);
    }
  });

  it('refuse what is not a stream, saying why', () => {
    expect(thrown(() => parseStreamSelector('::1:80')).reason).toMatch(/brackets: \[::1\]:80/);
    expect(thrown(() => parseStreamSelector('10.0.0.1:70000')).reason).toMatch(/port 70000 is above 65535/);
    expect(thrown(() => parseStreamSelector('10.0.0.300:1')).reason).toMatch(/not an IPv4 or IPv6 address/);
    expect(thrown(() => parseStreamSelector('a:1,b:2,c:3')).reason).toMatch(/at most two endpoints/);
    const e = thrown(() => parseStreamSelector('http'));
    expect(e.code).toBe('capture-stream');
    expect(e.expected).toMatch(/\[::1\]:80/);
  });

  it('select the same stream as its number, in either direction, IPv4 and IPv6', () => {
    const bytes = threeStreams();
    const byNumber = selectStream(bytes, { stream: 2 });
    const v4 = selectStream(bytes, parseStreamSelector('192.0.2.1:50763,192.0.2.9:18080'));
    const reversed = selectStream(bytes, parseStreamSelector('192.0.2.9:18080,192.0.2.1:50763'));
    expect(v4.stream.index).toBe(byNumber.stream.index);
    expect(reversed.stream.index).toBe(byNumber.stream.index);
    expect(v4.packets.map((p) => p.frame)).toEqual(byNumber.packets.map((p) => p.frame));
    const v6 = selectStream(bytes, parseStreamSelector('[2001:db8::1]:40000,[2001:db8::2]:80'));
    expect(v6.stream.a).toEqual({ address: '2001:db8::1', port: 40000 });
    expect(v6.packets).toHaveLength(10);
    const none = thrown(() => selectStream(bytes, parseStreamSelector('192.0.2.1:1,192.0.2.9:2')));
    expect(none.reason).toMatch(/no TCP stream matches the endpoints 192\.0\.2\.1:1,192\.0\.2\.9:2 \(it has 3 streams/);
  });

  it('work in the language: `capture ./x.pcap stream A,B`', () => {
    const bytes = threeStreams();
    const readFile = () => bytes;
    const v6 = compileSequence('capture ./x.pcap stream [2001:db8::2]:80,[2001:db8::1]:40000\n', { readFile });
    expect(v6.participants.map((p) => p.label)).toEqual(['[2001:db8::1]:40000', '[2001:db8::2]:80']);
    const second = compileSequence('capture "./x.pcap" stream 192.0.2.1:50763,192.0.2.9:18080\n', { readFile });
    expect(second.participants.map((p) => p.label)).toEqual(['192.0.2.1:50763', '192.0.2.9:18080']);
    expect(second.options.extra['stream']).toBe(String(selectStream(bytes, { stream: 2 }).stream.index));
    // numbers still work exactly as before
    expect(compileSequence('capture ./x.pcap stream 2\n', { readFile }).participants).toEqual(second.participants);
  });

  it('point a bad endpoint in the language at the endpoint', () => {
    const e = thrown(() => compileSequence('participant a\ncapture ./x.pcap stream 10.0.0.1:99999\n', { readFile: () => loopback }));
    expect(e.code).toBe('syntax');
    expect(e.reason).toMatch(/port 99999 is above 65535/);
    expect(e.position?.start).toMatchObject({ line: 2, column: 25 });
    expect(e.position?.end.column).toBe(25 + '10.0.0.1:99999'.length);
  });
});

describe('a capture damaged before its first packet', () => {
  const truncated = loopback.slice(0, 100); // `head -c 100`: file header + part of the first record
  const huge = loopback.slice(0, 200);
  new DataView(huge.buffer).setUint32(24 + 8, 0x80000000, true); // first record claims 2 GB

  it('says truncated at byte N, with a hint, whole or fed byte by byte', () => {
    for (const input of [truncated, [...truncated].map((b) => Uint8Array.of(b))]) {
      const e = thrown(() => timelineFromCapture(input));
      expect(e.code).toBe('capture-truncated');
      expect(e.reason).toMatch(/^the capture is truncated at byte 24, before any complete TCP packet \(0 frames read\): the record there is \d+ bytes short$/);
      expect(e.hint).toMatch(/cut short/);
    }
  });

  it('says corrupt at byte N for a record claiming 2 GB', () => {
    const e = thrown(() => selectStream(huge));
    expect(e.code).toBe('capture-corrupt');
    expect(e.reason).toMatch(/^the capture is corrupt at byte 24, .*declares 2147483648 captured bytes/);
    expect(e.hint).toMatch(/capinfos/);
  });

  it('still says "no TCP packets" for a whole capture without TCP', () => {
    expect(thrown(() => selectStream(loopback.slice(0, 24))).reason).toBe('the capture holds no TCP packets (0 frames read)');
  });

  it('reaches the `capture` statement at its position', () => {
    const e = thrown(() => compileSequence('participant a\ncapture ./cut.pcap\n', { readFile: () => truncated }));
    expect(e.code).toBe('capture-truncated');
    expect(e.position?.start.line).toBe(2);
  });
});

describe('packet-header `capture … frame N`', () => {
  const readFile = () => loopback;

  it('reads up to frame N without a warning', () => {
    for (const n of [1, 3, 10]) {
      const model = parsePacketHeader(`capture ./http.pcap frame ${n}\n`, { readFile });
      expect(model.warnings.map((w) => w.code)).toEqual([]);
    }
    expect(readCapture(loopback, { upTo: 3 }).packets.map((p) => p.frame)).toEqual([1, 2, 3]);
    expect(readCapture(loopback, { upTo: 3 }).warnings).toEqual([]);
    // maxPackets is still the memory bound that warns
    expect(readCapture(loopback, { maxPackets: 3 }).warnings.map((w) => w.code)).toEqual(['capture-too-many']);
  });

  it('ignores damage after frame N, and names it when it comes before', () => {
    const cut = loopback.slice(0, loopback.length - 10);
    expect(parsePacketHeader('capture ./x.pcap frame 2\n', { readFile: () => cut }).warnings).toEqual([]);
    const e = thrown(() => parsePacketHeader('title T\ncapture ./x.pcap frame 1\n', { readFile: () => loopback.slice(0, 100) }));
    expect(e.code).toBe('capture-truncated');
    expect(e.reason).toMatch(/is truncated at byte 24, after 0 frames, so it has no frame 1/);
    expect(e.position?.start.line).toBe(2);
  });

  it('puts the reader\'s warnings on the `capture` line', () => {
    const v3 = loopback.slice();
    new DataView(v3.buffer).setUint16(4, 3, true); // pcap version 3.4: read anyway, with a warning
    const model = parsePacketHeader('title Frame 1\n\ncapture ./x.pcap frame 1\n', { readFile: () => v3 });
    const w = model.warnings.find((x) => x.code === 'capture-version');
    expect(w?.position?.start.line).toBe(3);
    // …and so does a sequence block's capture statement
    const tl = compileSequence('title S\ncapture ./x.pcap stream 1\n', { readFile: () => v3 });
    expect(tl.warnings.find((x) => x.code === 'capture-version')?.position?.start.line).toBe(2);
  });
});
