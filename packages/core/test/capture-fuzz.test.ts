/**
 * Hostile input: random bytes, truncations and bit flips of real captures, absurd declared lengths. Every
 * public function must return (possibly with warnings) or throw a WiregramError — never crash, hang, or
 * buffer without bound.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CaptureReader,
  captureToJson,
  captureToSequenceText,
  indexStreams,
  MAX_BLOCK,
  readCapture,
  timelineFromCapture,
  WiregramError,
} from '../src/index.js';
import { conversation, frame, writePcap, writePcapng } from './fixtures/capture/build.js';
import { lossy } from './fixtures/capture/scenarios.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/capture/${name}`, import.meta.url)));
const REAL = [fixture('loopback.pcap'), fixture('loopback.pcapng')];
const SYNTH = [
  writePcap(lossy().map((p) => ({ sec: p.sec, nsec: p.nsec, data: frame(1, p.ip, { vlan: [7] }) })), { linkType: 1, bigEndian: true }),
  writePcapng(
    conversation({ client: '2001:db8::1', server: '2001:db8::2', cport: 1, sport: 2, cisn: 3, sisn: 4 }).map((p) => ({ sec: p.sec, nsec: p.nsec, data: frame(276, p.ip) })),
    { interfaces: [{ linkType: 276, tsresol: 9 }], bigEndian: true, unknownBlockEvery: 3 },
  ),
];
const SAMPLES = [...REAL, ...SYNTH];

/** Run every entry point; anything but a WiregramError escaping is a failure. */
function survive(bytes: Uint8Array): void {
  const calls: Array<() => unknown> = [
    () => readCapture(bytes),
    () => indexStreams(bytes, { frameStreams: true }),
    () => timelineFromCapture(bytes),
    () => timelineFromCapture(bytes, { stream: 1, numbering: 'absolute' }),
    () => captureToJson(bytes),
    () => captureToSequenceText(bytes),
  ];
  for (const call of calls) {
    try {
      const r = call();
      expect(r).toBeDefined();
    } catch (e) {
      if (!(e instanceof WiregramError)) throw e;
      expect(e.reason.length).toBeGreaterThan(0);
    }
  }
}

describe('hostile captures', () => {
  it('random bytes (with and without a valid magic) never escape as anything but WiregramError', () => {
    const magic = fc.constantFrom(
      [0xd4, 0xc3, 0xb2, 0xa1],
      [0xa1, 0xb2, 0xc3, 0xd4],
      [0x4d, 0x3c, 0xb2, 0xa1],
      [0x0a, 0x0d, 0x0d, 0x0a],
      [],
    );
    fc.assert(
      fc.property(magic, fc.uint8Array({ maxLength: 600 }), (m, rest) => {
        const bytes = new Uint8Array(m.length + rest.length);
        bytes.set(m);
        bytes.set(rest, m.length);
        survive(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('truncations of real captures give the packets before the cut and a warning', () => {
    for (const sample of SAMPLES) {
      const full = indexStreams(sample).tcpPackets;
      let warned = 0;
      let previous = 0;
      for (let cut = 0; cut < sample.length; cut += 7) {
        const part = sample.subarray(0, cut);
        survive(part);
        try {
          const r = indexStreams(part);
          // Packets only ever accumulate as the cut moves on (a cut on a record boundary is a valid file).
          expect(r.tcpPackets).toBeLessThanOrEqual(full);
          expect(r.tcpPackets).toBeGreaterThanOrEqual(previous);
          previous = r.tcpPackets;
          if (r.warnings.some((w) => w.code === 'capture-truncated' && /ends in the middle of a record/.test(w.reason))) warned++;
        } catch (e) {
          expect(e).toBeInstanceOf(WiregramError);
          // only a cut inside the file header (pcap header or pcapng section header) may fail outright
          expect((e as WiregramError).reason).toMatch(/empty|too short for a file header/);
        }
      }
      expect(warned).toBeGreaterThan(sample.length / 7 / 2);
    }
  });

  it('a truncated capture still draws, with the warning in timeline.warnings', () => {
    const real = REAL[0]!;
    const tl = timelineFromCapture(real.subarray(0, real.length - 30));
    expect(tl.segments.length).toBeGreaterThan(5);
    const w = tl.warnings.find((d) => d.code === 'capture-truncated')!;
    expect(w.message).toMatch(/^the capture ends in the middle of a record at byte \d+/);
    expect(w.hint).toMatch(/tcpdump/);
  });

  it('bit flips and byte overwrites of real captures', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES.keys()), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (which, edits) => {
        const bytes = SAMPLES[which]!.slice();
        for (const [pos, v] of edits) bytes[pos % bytes.length] = edits.length % 2 ? bytes[pos % bytes.length]! ^ (1 << (v % 8)) : v;
        survive(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('damaged files give the same result however the bytes are split into chunks', () => {
    const outcome = (input: Uint8Array | Uint8Array[]) => {
      try {
        const r = indexStreams(input, { frameStreams: true });
        return { frames: r.frames, streams: r.streams, per: Array.from(r.frameStreams!), warnings: r.warnings.map((w) => w.code) };
      } catch (e) {
        if (!(e instanceof WiregramError)) throw e;
        return { error: e.reason };
      }
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES.keys()),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 30 }),
        (which, edits, sizes) => {
          const bytes = SAMPLES[which]!.slice();
          for (const [pos, v] of edits) bytes[pos % bytes.length] = v;
          const chunks: Uint8Array[] = [];
          for (let o = 0, i = 0; o < bytes.length; i++) {
            const n = sizes[i % sizes.length]!;
            chunks.push(bytes.slice(o, o + n));
            o += n;
          }
          expect(outcome(chunks)).toEqual(outcome(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a skipped pcapng block with a damaged trailing length is reported however it is chunked (fuzz regression)', () => {
    const bytes = REAL[1]!.slice();
    // The file ends with a block wiregram skips unparsed (interface statistics); break its trailing length.
    bytes[bytes.length - 4] = 0;
    const whole = indexStreams(bytes);
    expect(whole.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^pcapng block at byte \d+: the trailing length does not match the leading length \d+/)]);
    for (const size of [1, 3, 5, 64]) {
      const chunks: Uint8Array[] = [];
      for (let o = 0; o < bytes.length; o += size) chunks.push(bytes.slice(o, o + size));
      const r = indexStreams(chunks);
      expect(r.warnings.map((w) => w.message), `chunks of ${size}`).toEqual(whole.warnings.map((w) => w.message));
      expect(r.frames).toBe(whole.frames);
    }
  });

  it('refuses absurd declared lengths without allocating them', () => {
    // pcap record claiming 4 GB
    const pcap = writePcap([{ sec: 1, nsec: 0, data: new Uint8Array(60) }], { linkType: 1 });
    new DataView(pcap.buffer).setUint32(24 + 8, 0xfffffff0, true);
    const r = indexStreams(pcap);
    expect(r.frames).toBe(0);
    expect(r.warnings[0]!.code).toBe('capture-corrupt');
    expect(r.warnings[0]!.reason).toMatch(/declares 4294967280 captured bytes/);

    // pcapng EPB claiming 2 GB
    const ng = writePcapng([{ sec: 1, nsec: 0, data: new Uint8Array(60) }], { interfaces: [{ linkType: 1 }] });
    const epbAt = ng.length - (32 + 60);
    new DataView(ng.buffer).setUint32(epbAt + 4, 0x7ffffff0, true);
    expect(indexStreams(ng).warnings.map((w) => w.code)).toContain('capture-corrupt');

    // An unknown block claiming 1 GB, then 8 MB of data streamed in: skipped, never buffered.
    const head = writePcapng([], { interfaces: [{ linkType: 1 }] });
    const reader = new CaptureReader(() => undefined);
    reader.push(head);
    const big = new Uint8Array(8);
    new DataView(big.buffer).setUint32(0, 0x12345, true);
    new DataView(big.buffer).setUint32(4, 0x40000000, true);
    reader.push(big);
    const zeros = new Uint8Array(1 << 20);
    for (let i = 0; i < 8; i++) reader.push(zeros);
    expect(reader.bufferedBytes).toBeLessThan(1024);
    reader.end();
    expect(reader.warnings.list().map((w) => w.code)).toEqual(['capture-truncated']);

    // A packet block split across chunks is buffered, but never beyond MAX_BLOCK.
    const r2 = new CaptureReader(() => undefined);
    r2.push(head);
    const epb = new Uint8Array(8);
    new DataView(epb.buffer).setUint32(0, 6, true);
    new DataView(epb.buffer).setUint32(4, MAX_BLOCK + 4, true);
    r2.push(epb);
    r2.push(zeros);
    expect(r2.bufferedBytes).toBeLessThanOrEqual(MAX_BLOCK);
    expect(r2.stopped).toBe(true);
  });

  it('says clearly when a file is not a capture at all', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(0), /empty/],
      [new TextEncoder().encode('12:00:01.000 IP 10.0.0.1.80 > 10.0.0.2.5000: Flags [S]'), /not a pcap or pcapng file \(it starts with bytes 31 32 3a 30\)/],
      [new Uint8Array([0xd4, 0xc3, 0xb2]), /only 3 bytes long/],
    ];
    for (const [bytes, msg] of cases) {
      try {
        timelineFromCapture(bytes);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(WiregramError);
        expect((e as WiregramError).reason).toMatch(msg);
        expect((e as WiregramError).hint).toMatch(/tcpdump -w/);
      }
    }
  });
});
