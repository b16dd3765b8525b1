/**
 * The chosen stream's packets are kept in typed-array columns and read back through views (issue 14: import
 * memory). Every field a view returns must be what the capture holds — also for rows written before the columns
 * and the header buffer grew — and a view must behave like the plain object it replaced (fresh option lists,
 * a complete toJSON). The lean Timeline the text and JSON exports build must write exactly what a full one does.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexStreams, LINKTYPE, scanCapture, selectStream, timelineFromScan, timelineToJson, type StreamPacket } from '../src/capture/index.js';
import { timelineToSequenceText } from '../src/compile/capture-text.js';
import { packetDeltaText, type PacketRef, type TimeBase } from '../src/capture/reader.js';
import { frame, NOP, SACK_PERM, mss, sack, tcpPacket, ts, writePcap, ws, type FramePacket, type TcpSpec } from './fixtures/capture/build.js';

type Segment = Omit<TcpSpec, 'src' | 'dst' | 'sport' | 'dport'>;

const C = 0xfffff000; // the client's ISN: its numbers wrap past 2^32 during the transfer
const S = 0x10000000;
const SEGMENTS = 300; // past the columns' first 64 rows and the header buffer's first 8 KiB

/** A handshake, then SEGMENTS data segments from the client with timestamps, every third ACKed with a SACK block; a second stream interleaved. */
function capture(): { bytes: Uint8Array; ips: Uint8Array[] } {
  const ips: Uint8Array[] = [];
  const packets: FramePacket[] = [];
  let t = 0;
  const push = (ip: Uint8Array, mine = true) => {
    if (mine) ips.push(ip);
    packets.push({ sec: 1_700_000_000 + Math.floor(t / 1e9), nsec: t % 1e9, data: frame(LINKTYPE.ETHERNET, ip) });
    t += 1_000_123;
  };
  const c = (spec: Segment) => tcpPacket({ ...spec, src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 });
  const s = (spec: Segment) => tcpPacket({ ...spec, src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 });
  push(c({ seq: C, flags: 'S', window: 64240, options: [...mss(1460), ...SACK_PERM, ...ts(100, 0), ...NOP, ...ws(7)] }));
  push(s({ seq: S, ack: C + 1, flags: 'SA', window: 65160, options: [...mss(1460), ...SACK_PERM, ...ts(200, 100), ...NOP, ...ws(7)] }));
  push(c({ seq: C + 1, ack: S + 1, flags: 'A', window: 502, options: [...NOP, ...NOP, ...ts(101, 200)] }));
  for (let k = 0; k < SEGMENTS; k++) {
    const seq = (C + 1 + k * 100) >>> 0;
    push(c({ seq, ack: S + 1, flags: 'PA', window: 502, payload: 100, ttl: 64 - (k % 3), options: [...NOP, ...NOP, ...ts(1000 + k, 200 + k)] }));
    if (k % 3 === 2) push(s({ seq: S + 1, ack: (seq - 100) >>> 0, flags: 'A', window: 509, options: [...NOP, ...NOP, ...sack(seq, (seq + 100) >>> 0)] }));
    if (k % 50 === 0) push(tcpPacket({ src: '10.0.0.3', dst: '10.0.0.2', sport: 50000 + k, dport: 80, seq: k, flags: 'S' }), false);
  }
  return { bytes: writePcap(packets, { linkType: LINKTYPE.ETHERNET, nano: true }), ips };
}

const { bytes, ips } = capture();

describe('the kept stream in columns', () => {
  const scan = scanCapture(bytes, { stream: 0 });
  const packets = scan.packets;

  it('keeps every segment of the stream and none of the others', () => {
    expect(scan.streams.length).toBeGreaterThan(1);
    expect(packets).toHaveLength(ips.length);
    expect(packets.map((p) => p.frame)).toEqual([...new Set(packets.map((p) => p.frame))].sort((a, b) => a - b));
  });

  it('reads back each row as the capture wrote it, first rows included after the columns grew', () => {
    packets.forEach((p, i) => {
      const ip = new DataView(ips[i]!.buffer, ips[i]!.byteOffset);
      const fromClient = ip.getUint32(12) === 0x0a000001;
      expect(p.dir, `row ${i}`).toBe(fromClient ? 0 : 1);
      expect(p.seq, `row ${i}`).toBe(ip.getUint32(24));
      expect(p.ack, `row ${i}`).toBe(ip.getUint32(28));
      expect(p.flags, `row ${i}`).toBe(ip.getUint8(33));
      expect(p.window, `row ${i}`).toBe(ip.getUint16(34));
      expect(p.ttl, `row ${i}`).toBe(ip.getUint8(8));
      expect(p.len, `row ${i}`).toBe(ip.getUint16(2) - 20 - (ip.getUint8(32) >> 4) * 4);
      expect(p.relSeq, `row ${i}`).toBe((p.seq - (fromClient ? C : S)) >>> 0);
      // The header and the first 64 payload bytes, as captured.
      const headers = 20 + (ip.getUint8(32) >> 4) * 4;
      expect([...p.headerBytes], `row ${i}`).toEqual([...ips[i]!.subarray(0, Math.min(ips[i]!.length, headers + 64))]);
    });
    expect(packets[3]!.relSeq).toBe(1);
    expect(packets.filter((p) => p.len > 0).at(-1)!.relSeq).toBe(1 + (SEGMENTS - 1) * 100);
    expect(packets[0]!.timeText).toBe('0.000000000');
    expect(packets[1]!.timeText).toBe('0.001000123');
  });

  it('parses the options of each row: timestamps, SACK edges relative to the peer', () => {
    expect(packets[0]!.options.map((o) => o.kind)).toEqual(['MSS', 'SACK_PERM', 'TS', 'NOP', 'WS']);
    expect(packets[0]!.options[0]!.value).toBe(1460);
    const data = packets.filter((p) => p.len > 0);
    data.forEach((p, k) => expect(p.options.find((o) => o.kind === 'TS'), `segment ${k}`).toEqual({ kind: 'TS', value: 1000 + k, echo: 200 + k }));
    const sacks = packets.filter((p) => p.options.some((o) => o.kind === 'SACK'));
    expect(sacks).toHaveLength(Math.floor(SEGMENTS / 3));
    sacks.forEach((p, j) => {
      const k = j * 3 + 2;
      expect(p.options.find((o) => o.kind === 'SACK')!.blocks, `SACK ${j}`).toEqual([[1 + k * 100, 1 + (k + 1) * 100]]);
    });
  });

  it('behaves like a plain object: fresh option lists, a complete toJSON', () => {
    const p = packets[0]!;
    const first = p.options;
    first.length = 0;
    expect(p.options).toHaveLength(5);
    expect(p.options).not.toBe(p.options);
    const plain = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
    const keys: Array<keyof StreamPacket> = ['frame', 'time', 'timeText', 'epoch', 'dir', 'flags', 'seq', 'ack', 'relSeq', 'relAck', 'len', 'window', 'ttl', 'firstFragment', 'reusedPorts', 'urgent'];
    for (const k of keys) expect(plain[k], k).toEqual(p[k]);
    expect(plain['options']).toEqual(p.options);
  });

  it('keeps only the headers with headerPayload: 0 (what a Timeline needs)', () => {
    const lean = scanCapture(bytes, { stream: 0, headerPayload: 0 }).packets;
    lean.forEach((p, i) => {
      const ip = new DataView(ips[i]!.buffer, ips[i]!.byteOffset);
      expect(p.headerBytes.length, `row ${i}`).toBe(20 + (ip.getUint8(32) >> 4) * 4);
      expect(p.options).toEqual(packets[i]!.options);
    });
  });
});

describe('a lean Timeline (labels and timestamp options left out) writes what a full one writes', () => {
  const fixtures = ['loopback.pcap', 'loopback.pcapng'].map((f) => new Uint8Array(readFileSync(new URL(`./fixtures/capture/${f}`, import.meta.url))));
  for (const [name, input] of [['synthetic', bytes], ['loopback.pcap', fixtures[0]!], ['loopback.pcapng', fixtures[1]!]] as const) {
    it(name, () => {
      for (const s of indexStreams(input).streams) {
        for (const numbering of ['relative', 'absolute'] as const) {
          const options = { stream: s.index, numbering };
          const scan = selectStream(input, options);
          const frames = scan.packets.map((p) => p.frame);
          const full = timelineFromScan(scan, options);
          const lean = timelineFromScan(scan, options, { lean: true });
          expect(lean.segments.every((seg) => seg.label === '')).toBe(true);
          expect(timelineToSequenceText(lean, frames, options), `stream ${s.index}`).toBe(timelineToSequenceText(full, frames, options));
          expect(timelineToJson(lean, numbering === 'absolute')).toEqual(timelineToJson(full, numbering === 'absolute'));
        }
      }
    });
  }
});

describe('packetDeltaText', () => {
  // The definition: exact integer nanoseconds (BigInt), six digits for microsecond captures.
  function reference(p: PacketRef, base: TimeBase): string {
    const scale = BigInt(1e9 / p.unitsPerSecond);
    const ns = p.tsSplit
      ? BigInt(p.tsHigh - base.high) * 1_000_000_000n + BigInt(p.tsLow - base.low) * scale
      : ((BigInt(p.tsHigh) - BigInt(base.high)) * 4294967296n + BigInt(p.tsLow - base.low)) * scale;
    const abs = ns < 0n ? -ns : ns;
    const frac = (abs % 1_000_000_000n).toString().padStart(9, '0');
    return `${ns < 0n ? '-' : ''}${abs / 1_000_000_000n}.${p.unitsPerSecond <= 1e6 ? frac.slice(0, 6) : frac}`;
  }
  it('equals the exact integer definition, near and past 2^53 ns as well', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom(1e6, 1e9, 1e3, 1), u32, u32, u32, u32, (split, ups, h0, l0, h1, l1) => {
        const ref = { tsHigh: h1, tsLow: l1, tsSplit: split, unitsPerSecond: ups, offsetSeconds: 0 } as PacketRef;
        const base: TimeBase = { high: h0, low: l0, split, unitsPerSecond: ups, offsetSeconds: 0 };
        expect(packetDeltaText(ref, base)).toBe(reference(ref, base));
        // Close to the base: the common case, taken by the number path.
        const near = { ...ref, tsHigh: (h0 + (h1 % 5_000_000)) >>> 0 } as PacketRef;
        expect(packetDeltaText(near, base)).toBe(reference(near, base));
      }),
      { numRuns: 3000 },
    );
  });
});
