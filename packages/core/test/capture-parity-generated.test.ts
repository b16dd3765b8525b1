/**
 * The last parity gaps of issue 16, on captures generated here and compared with tshark field by field, mark by mark
 * and label by label (compareCaptureFile, the corpus test's comparison): the AE flag (AccECN, ex-NS), IPv6 fragment
 * reassembly, and relative numbers below the first seen in a capture that starts mid-stream (tshark wraps them
 * modulo 2^32). Each capture also round-trips through import → check → compile.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureToSequenceText, compileSequence, timelineFromCapture } from '../src/index.js';
import { fragmentV6, frame, tcpPacket, writePcap, type TcpSpec } from './fixtures/capture/build.js';
import { compareCaptureFile, describeDifference, view } from './fixtures/capture/corpus-compare.js';
import { HAVE_TSHARK } from './fixtures/capture/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'wg-parity-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Side = Omit<TcpSpec, 'src' | 'dst' | 'sport' | 'dport'>;

/** A two-endpoint exchange as raw-IP frames, 1 ms apart; `split` turns one packet into several (fragments). */
function capture(
  name: string,
  hosts: { a: string; b: string },
  steps: Array<[from: 'a' | 'b', seg: Side]>,
  split: (ip: Uint8Array, i: number) => Uint8Array[] = (ip) => [ip],
): { file: string; bytes: Uint8Array } {
  const packets = steps.flatMap(([from, seg], i) => {
    const a = { addr: hosts.a, port: 40000 };
    const b = { addr: hosts.b, port: 5001 };
    const [src, dst] = from === 'a' ? [a, b] : [b, a];
    return split(tcpPacket({ ...seg, src: src.addr, dst: dst.addr, sport: src.port, dport: dst.port }), i);
  });
  const bytes = writePcap(
    packets.map((ip, i) => ({ sec: 1_700_000_000, nsec: i * 1_000_000, data: frame(101, ip) })),
    { linkType: 101, nano: true },
  );
  const file = join(dir, `${name}.pcap`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

const V4 = { a: '10.0.0.1', b: '10.0.0.2' };
const V6 = { a: '2001:db8::1', b: '2001:db8::2' };

function roundTrips(bytes: Uint8Array): void {
  const text = captureToSequenceText(bytes);
  expect(text.split('\n')[0]).toMatch(/^# imported by wiregram/);
  expect(view(compileSequence(text))).toEqual(view(timelineFromCapture(bytes)));
}

describe('the AE flag (AccECN, RFC 9768; the former NS bit)', () => {
  const C = 1000;
  const S = 5000;
  const { file, bytes } = capture('ae', V4, [
    ['a', { seq: C, flags: 'SECN', window: 64240 }],
    ['b', { seq: S, ack: C + 1, flags: 'SAEN', window: 65160 }],
    ['a', { seq: C + 1, ack: S + 1, flags: 'AN', window: 502 }],
    ['a', { seq: C + 1, ack: S + 1, flags: 'PAN', window: 502, payload: 100 }],
    ['b', { seq: S + 1, ack: C + 101, flags: 'ACEN', window: 509 }],
    ['a', { seq: C + 101, ack: S + 1, flags: 'FA', window: 502 }],
    ['b', { seq: S + 1, ack: C + 102, flags: 'FAN', window: 509 }],
    ['a', { seq: C + 102, ack: S + 2, flags: 'A', window: 502 }],
  ]);

  it('is a flag of the segment, written AE after CWR as tshark 4.0.17 lists it', () => {
    const tl = timelineFromCapture(bytes);
    expect(tl.segments.map((s) => s.flags.join(','))).toEqual(['SYN,ECE,CWR,AE', 'SYN,ACK,ECE,AE', 'ACK,AE', 'PSH,ACK,AE', 'ACK,ECE,CWR,AE', 'FIN,ACK', 'FIN,ACK,AE', 'ACK']);
    expect(tl.segments[0]!.label).toBe('40000 → 5001 [SYN, ECE, CWR, AE] Seq=0 Win=64240 Len=0');
    expect(tl.segments[4]!.label).toBe('5001 → 40000 [ACK, ECE, CWR, AE] Seq=1 Ack=101 Win=509 Len=0');
    roundTrips(bytes);
    expect(captureToSequenceText(bytes)).toMatch(/^client -> server: SYN, ECE, CWR, AE /m);
  });

  it('is written and drawn in a hand-written diagram too', () => {
    const tl = compileSequence('option labels=wireshark\nclient -> server: SYN, ae, ECE\nserver -> client: SYN, ACK, AE');
    expect(tl.segments.map((s) => s.label)).toEqual(['54321 → 80 [SYN, ECE, AE] Seq=0 Win=65535 Len=0', '80 → 54321 [SYN, ACK, AE] Seq=0 Ack=1 Win=65535 Len=0']);
  });

  it.skipIf(!HAVE_TSHARK)('no field, mark, label or round-trip difference with tshark', () => {
    expect(compareCaptureFile(file).differences.map(describeDifference)).toEqual([]);
  }, 60_000);
});

describe('IPv6 fragments are reassembled as tshark does it', () => {
  const C = 0x10000000;
  const S = 0x20000000;
  const steps: Array<[from: 'a' | 'b', seg: Side]> = [
    ['a', { seq: C, flags: 'S', window: 64240 }],
    ['b', { seq: S, ack: C + 1, flags: 'SA', window: 65160 }],
    ['a', { seq: C + 1, ack: S + 1, flags: 'A', window: 502 }],
    ['a', { seq: C + 1, ack: S + 1, flags: 'PA', window: 502, payload: 3000 }], // 3 fragments, in order
    ['b', { seq: S + 1, ack: C + 3001, flags: 'A', window: 509 }],
    ['a', { seq: C + 3001, ack: S + 1, flags: 'PA', window: 502, payload: 2000 }], // 2 fragments, last first
    ['b', { seq: S + 1, ack: C + 5001, flags: 'PA', window: 509, payload: 1200 }], // 2 fragments
    ['a', { seq: C + 5001, ack: S + 1201, flags: 'FA', window: 502 }],
    ['b', { seq: S + 1201, ack: C + 5002, flags: 'FA', window: 509 }],
    ['a', { seq: C + 5002, ack: S + 1202, flags: 'A', window: 502 }],
  ];
  const { file, bytes } = capture('ipv6-fragments', V6, steps, (ip, i) => {
    if (i === 3) return fragmentV6(ip, 1232, 7);
    if (i === 5) return fragmentV6(ip, 1232, 8).reverse();
    if (i === 6) return fragmentV6(ip, 1024, 9);
    return [ip];
  });

  it('the whole segment appears on the frame that completes the datagram', () => {
    const tl = timelineFromCapture(bytes);
    expect(tl.segments.map((s) => s.len)).toEqual([0, 0, 0, 3000, 0, 2000, 1200, 0, 0, 0]);
    expect(tl.segments.map((s) => s.seq.relative)).toEqual([0, 0, 1, 1, 1, 3001, 1, 5001, 1201, 5002]);
    expect(tl.warnings.map((w) => w.code)).not.toContain('capture-fragment-skipped');
    roundTrips(bytes);
  });

  it.skipIf(!HAVE_TSHARK)('no field, mark, label or round-trip difference with tshark', () => {
    expect(compareCaptureFile(file).differences.map(describeDifference)).toEqual([]);
  }, 60_000);
});

describe('a capture that starts mid-stream: numbers below the first seen wrap modulo 2^32, as in tshark', () => {
  // The capture starts with data from both sides; older bytes (retransmitted) and older ACKs come later.
  const A = 3_000_000;
  const B = 7_000_000;
  const { file, bytes } = capture('mid-stream-below-first', V4, [
    ['a', { seq: A, ack: B, flags: 'PA', window: 502, payload: 500 }],
    ['b', { seq: B, ack: A + 500, flags: 'PA', window: 509, payload: 300 }],
    ['a', { seq: A - 1000, ack: B + 300, flags: 'PA', window: 502, payload: 500 }], // an old retransmission
    ['b', { seq: B + 300, ack: A - 200, flags: 'A', window: 509 }], // an old ACK
    ['a', { seq: A + 500, ack: B - 50, flags: 'PA', window: 502, payload: 100 }],
    ['b', { seq: B + 300, ack: A + 600, flags: 'A', window: 509 }],
  ]);

  it('relative numbers read as tshark prints them: 2^32 − n, not −n', () => {
    const segs = timelineFromCapture(bytes).segments;
    expect(segs.map((s) => s.seq.relative)).toEqual([1, 1, 2 ** 32 - 999, 301, 501, 301]);
    expect(segs.map((s) => s.ack?.relative)).toEqual([1, 501, 301, 2 ** 32 - 199, 2 ** 32 - 49, 601]);
    expect(segs[2]!.label).toMatch(/ Seq=4294966297 Ack=301 /);
    roundTrips(bytes);
  });

  it.skipIf(!HAVE_TSHARK)('no field, mark, label or round-trip difference with tshark', () => {
    expect(compareCaptureFile(file).differences.map(describeDifference)).toEqual([]);
  }, 60_000);
});
