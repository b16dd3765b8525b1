/**
 * The stream graphs' numbers (issue 17) against the yardsticks, on live captures of real Linux TCP with loss and
 * with a zero window (the CI corpus: network namespaces and an impairing forwarder): every point `streamGraph`
 * returns equals tshark's fields for the same frame, and the tcptrace graph equals `tcptrace -S -zxy`'s own
 * (segments, ACK and window steps, SACK blocks), as numbers. And a simulated transfer with one loss reads like
 * the textbook figure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSequence, indexStreams, streamGraph, timelineFromCapture, type GraphSeries, type StreamGraph, type Timeline } from '../src/index.js';
import { FAST_RETRANSMIT } from '../../../test/support/seeds.js';
import { frame, sack, SACK_PERM, tcpPacket, writePcap, type TcpSpec } from './fixtures/capture/build.js';
import { generateCorpus, type Corpus } from './fixtures/capture/corpus.js';
import { HAVE_TCPTRACE, tcptraceGraphs, tsharkGraphRows, type GraphRow, type XplotGraph } from './fixtures/capture/graph-yardsticks.js';
import { HAVE_TSHARK } from './fixtures/capture/tshark.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let corpus: Corpus | null = null;
let skipReason = '';
/** The corpus's bulk transfer with loss (port 5001) and the one whose receiver stalls (port 5003). */
const STREAMS = [
  { name: 'loss', port: 5001 },
  { name: 'zero window', port: 5003 },
] as const;
interface Case {
  name: string;
  timeline: Timeline;
  rows: GraphRow[];
  /** The data sender's address:port as tshark writes it. */
  sender: string;
  tcptrace: XplotGraph | undefined;
}
const cases: Case[] = [];

beforeAll(() => {
  const made = generateCorpus(ROOT, join(ROOT, 'test-output', 'graph-corpus'));
  if ('skip' in made) {
    skipReason = made.skip;
    return;
  }
  corpus = made;
  const file = corpus.files[0]!;
  const bytes = new Uint8Array(readFileSync(file));
  const index = indexStreams(bytes);
  const xplots = HAVE_TCPTRACE ? tcptraceGraphs(file) : new Map<string, XplotGraph>();
  for (const { name, port } of STREAMS) {
    const info = index.streams.find((s) => s.b.port === port || s.a.port === port)!;
    const timeline = timelineFromCapture(bytes, { stream: info.index });
    const rows = tsharkGraphRows(file, info.index);
    const client = info.a.port === port ? info.b : info.a;
    const sender = `${client.address}:${client.port}`;
    const server = info.a.port === port ? info.a : info.b;
    cases.push({ name, timeline, rows, sender, tcptrace: xplots.get(`${sender}_==>_${server.address}:${server.port}`) });
  }
}, 120_000);

const near = (a: number, b: number, eps = 1.5e-6) => Math.abs(a - b) <= eps;
const points = (s: GraphSeries | undefined) => (s ? s.x.map((x, i) => [x, s.y[i]!, ...(s.y2 ? [s.y2[i]!] : [])]) : []);
const series = (g: StreamGraph, key: string) => g.series.filter((s) => s.key === key);
const all = (g: StreamGraph, ...keys: string[]) => keys.flatMap((k) => series(g, k).flatMap(points)).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
const SYN = 0x02;
const FIN = 0x01;

describe.each(STREAMS.map((s) => s.name))('stream graphs of the %s capture equal tshark and tcptrace', (name) => {
  const get = () => cases.find((c) => c.name === name)!;

  it('stevens: a point per segment with sequence space at tshark’s (time, seq); retransmissions as tshark flags them', (ctx) => {
    if (!corpus) return ctx.skip(skipReason);
    const { timeline, rows, sender } = get();
    const g = streamGraph(timeline, 'stevens');
    expect(`${g.from.address}:${g.from.port}`).toBe(sender);
    // In the graph's order (time, then seq): two segments with one timestamp (a retransmission beside new data)
    // come in frame order from tshark but seq order from the graph.
    const want = rows
      .filter((r) => r.src === sender && (r.len > 0 || r.flags & (SYN | FIN)))
      .sort((a, b) => a.t - b.t || a.seq - b.seq);
    const got = all(g, 'data', 'retransmission');
    expect(got.length).toBe(want.length);
    want.forEach((r, i) => {
      expect(near(got[i]![0]!, r.t), `frame ${r.frame} time ${got[i]![0]} vs ${r.t}`).toBe(true);
      expect(got[i]![1]).toBe(r.seq);
    });
    const re = series(g, 'retransmission').flatMap((s) => s.index);
    expect(re.map((i) => rows[i]!.frame).sort((a, b) => a - b)).toEqual(want.filter((r) => r.retransmission).map((r) => r.frame).sort((a, b) => a - b));
    if (name === 'loss' && corpus.mode === 'netns') expect(re.length).toBeGreaterThan(0);
  });

  it('tcptrace: segments, ACK and window steps and SACK blocks equal `tcptrace -S -zxy`', (ctx) => {
    if (!corpus) return ctx.skip(skipReason);
    if (!HAVE_TCPTRACE) return ctx.skip('tcptrace is not installed (CI installs it)');
    const { timeline, tcptrace } = get();
    expect(tcptrace, 'tcptrace wrote a graph for the stream').toBeDefined();
    const g = streamGraph(timeline, 'tcptrace');
    const segs = all(g, 'data', 'retransmission', 'syn-fin');
    const theirs = [...tcptrace!.segments].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(segs.length).toBe(theirs.length);
    theirs.forEach(([t, lo, hi], i) => {
      expect(near(segs[i]![0]!, t), `segment ${i}: t ${segs[i]![0]} vs ${t}`).toBe(true);
      expect([segs[i]![1], segs[i]![2]]).toEqual([lo, hi]);
    });
    // The ACK line steps where the acknowledged number moves.
    const steps = (s: GraphSeries | undefined): Array<[number, number]> => {
      const out: Array<[number, number]> = [];
      if (!s) return out;
      for (let i = 0; i < s.x.length; i++) if (i > 0 && s.y[i] !== s.y[i - 1]) out.push([s.x[i]!, s.y[i]!]);
      return out;
    };
    const ack = steps(series(g, 'ack')[0]);
    const theirAck = tcptrace!.ackSteps.filter(([, a], i, arr) => i === 0 || a !== arr[i - 1]![1]);
    expect(ack.length).toBe(theirAck.length);
    theirAck.forEach(([t, a], i) => {
      expect(near(ack[i]![0], t)).toBe(true);
      expect(ack[i]![1]).toBe(a);
    });
    const win = steps(series(g, 'window')[0]);
    expect(win.length).toBe(tcptrace!.windowSteps.length);
    tcptrace!.windowSteps.forEach(([t, w], i) => {
      expect(near(win[i]![0], t)).toBe(true);
      expect(win[i]![1]).toBe(w);
    });
    const sacks = all(g, 'sack');
    const theirSacks = [...tcptrace!.sacks].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(sacks.length).toBe(theirSacks.length);
    theirSacks.forEach(([t, l, r], i) => {
      expect(near(sacks[i]![0]!, t)).toBe(true);
      expect([sacks[i]![1], sacks[i]![2]]).toEqual([l, r]);
    });
  });

  it('tcptrace: ACKs, windows, zero windows and SACK blocks are tshark’s', (ctx) => {
    if (!corpus) return ctx.skip(skipReason);
    const { timeline, rows, sender } = get();
    const g = streamGraph(timeline, 'tcptrace');
    const back = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.src !== sender && r.ack !== null);
    const ack = series(g, 'ack')[0]!;
    expect(ack.index).toEqual(back.map((b) => b.i));
    back.forEach(({ r }, k) => {
      expect(near(ack.x[k]!, r.t)).toBe(true);
      expect(ack.y[k]).toBe(r.ack);
      expect(series(g, 'window')[0]!.y[k]).toBe(r.ack! + r.window);
    });
    const zero = series(g, 'zero-window').flatMap((s) => s.index);
    expect(zero).toEqual(back.filter(({ r }) => r.window === 0 && !(r.flags & (SYN | FIN | 0x04))).map((b) => b.i));
    if (name === 'zero window' && corpus.mode === 'netns') expect(zero.length).toBeGreaterThan(0);
    const sack = series(g, 'sack')[0];
    expect(sack ? sack.x.length : 0).toBe(back.reduce((n, { r }) => n + r.sacks.length, 0));
  });

  it('window: the advertised window is tshark’s tcp.window_size; bytes in flight its tcp.analysis.bytes_in_flight', (ctx) => {
    if (!corpus) return ctx.skip(skipReason);
    const { timeline, rows, sender } = get();
    const g = streamGraph(timeline, 'window');
    const rwnd = series(g, 'rwnd')[0]!;
    const back = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.src !== sender);
    expect(rwnd.y).toEqual(back.map(({ r }) => r.window));
    const flight = series(g, 'in-flight')[0]!;
    const theirs = new Map(rows.map((r, i) => [i, r.bytesInFlight] as const).filter(([, b]) => b !== null));
    // Every sample we draw has tshark's number (tshark leaves it out on a few segments; we never add one it lacks),
    // to the byte: tshark sometimes counts a SYN's or FIN's sequence number among the bytes, sometimes not.
    let compared = 0;
    flight.index.forEach((i, k) => {
      const b = theirs.get(i);
      if (b === undefined || b === null) return;
      compared++;
      expect(Math.abs(flight.y[k]! - b), `frame ${rows[i]!.frame}: ${flight.y[k]} vs ${b}`).toBeLessThanOrEqual(1);
    });
    expect(compared).toBeGreaterThan(flight.index.length * 0.9);
  });

  it('rtt: each sample of a segment sent once is the time to the ACK that covers it (tshark’s ack_rtt where it names that frame)', (ctx) => {
    if (!corpus) return ctx.skip(skipReason);
    const { timeline, rows } = get();
    const g = streamGraph(timeline, 'rtt');
    const rtt = series(g, 'rtt')[0]!;
    expect(rtt.x.length).toBeGreaterThan(0);
    const byFrame = new Map(rows.map((r, i) => [r.frame, i]));
    let compared = 0;
    const sample = new Map(rtt.index.map((i, k) => [i, rtt.y[k]!]));
    for (const r of rows) {
      if (r.ackRtt === null || r.acksFrame === null) continue;
      const i = byFrame.get(r.acksFrame)!;
      const ours = sample.get(i);
      // Only where this ACK is the first to cover the segment exactly (tshark may name a later ACK's frame too).
      if (ours === undefined || r.ack !== rows[i]!.seq + rows[i]!.len) continue;
      expect(near(ours, r.ackRtt, 2e-6), `frame ${r.frame} acks frame ${r.acksFrame}: ${ours} vs ${r.ackRtt}`).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
    // Karn: no sample from a segment that was sent again.
    for (const i of rtt.index) expect(rows[i]!.retransmission).toBe(false);
    expect(rtt.x).toEqual(rtt.index.map((i) => rows[i]!.seq));
  });

  it('throughput: the moving average of tshark’s segment lengths over the window before each segment', (ctx) => {
    if (!corpus) return ctx.skip(skipReason);
    const { timeline, rows, sender } = get();
    const g = streamGraph(timeline, 'throughput');
    const tp = series(g, 'throughput')[0]!;
    const data = rows.filter((r) => r.src === sender && r.len > 0);
    const w = g.averageWindow!;
    // The window's edge moved both ways by a microsecond: tshark's times are exact to the nanosecond, ours are
    // doubles of epoch seconds (exact to about 0.24 µs), so a segment at the edge may fall either side.
    // Segments up to this one in capture order (two may share a timestamp).
    const reference = (slack: number): number[] =>
      data.map((r, k) => data.slice(0, k + 1).filter((o) => o.t > r.t - w + slack).reduce((n, o) => n + o.len, 0) / w);
    const early = reference(-1e-6);
    const late = reference(1e-6);
    expect(tp.x.length).toBe(data.length);
    data.forEach((r, k) => {
      expect(near(tp.x[k]!, r.t)).toBe(true);
      // Between the two: a burst sent within a microsecond of the window's edge may count in part.
      const lo = Math.min(early[k]!, late[k]!) * (1 - 1e-6);
      const hi = Math.max(early[k]!, late[k]!) * (1 + 1e-6);
      expect(tp.y[k]! >= lo && tp.y[k]! <= hi, `sample ${k}: ${tp.y[k]} not within [${lo}, ${hi}]`).toBe(true);
    });
  });
});

describe('bytes in flight go in the capture’s frame order, as tshark’s', () => {
  // A capture's clock can stamp a frame a few microseconds before the one written ahead of it (the loss capture's
  // sender sent data stamped 2 µs before the SACK written just before it): tshark subtracts that SACK all the same.
  const C = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 5001 };
  const S = { src: '10.0.0.2', dst: '10.0.0.1', sport: 5001, dport: 40000 };
  const pkts: Array<[number, TcpSpec]> = [
    [0, { ...C, seq: 1000, flags: 'S', options: SACK_PERM }],
    [1000, { ...S, seq: 5000, ack: 1001, flags: 'SA', options: SACK_PERM }],
    [2000, { ...C, seq: 1001, ack: 5001, flags: 'A' }],
    [10000, { ...C, seq: 1001, ack: 5001, flags: 'A', payload: 100 }],
    [11000, { ...C, seq: 1101, ack: 5001, flags: 'A', payload: 100 }],
    [12000, { ...C, seq: 1201, ack: 5001, flags: 'A', payload: 100 }],
    [13000, { ...C, seq: 1301, ack: 5001, flags: 'A', payload: 100 }],
    [20000, { ...S, seq: 5001, ack: 1001, flags: 'A', options: [1, 1, ...sack(1201, 1301)] }],
    [30000, { ...S, seq: 5001, ack: 1001, flags: 'A', options: [1, 1, ...sack(1201, 1401)] }],
    // Written after the SACK of 201–401, stamped before it.
    [29998, { ...C, seq: 1401, ack: 5001, flags: 'A', payload: 100 }],
  ];
  const bytes = writePcap(
    pkts.map(([us, t]) => ({ sec: 1_700_000_000, nsec: us * 1000, data: frame(1, tcpPacket(t)) })),
    { linkType: 1, nano: true },
  );

  it('a segment stamped before the ACK written ahead of it still has that ACK’s SACK blocks subtracted', () => {
    const g = streamGraph(timelineFromCapture(bytes, { stream: 0 }), 'window');
    const flight = series(g, 'in-flight')[0]!;
    expect(flight.index).toEqual([3, 4, 5, 6, 9]);
    // 1–501 unacknowledged, 201–401 SACKed.
    expect(flight.y).toEqual([100, 200, 300, 400, 300]);
    // Drawn at its own time.
    expect(flight.x[4]).toBeCloseTo(0.029998, 9);
  });

  it('tshark agrees', (ctx) => {
    if (!HAVE_TSHARK) return ctx.skip('tshark is not installed (CI installs it)');
    const dir = mkdtempSync(join(tmpdir(), 'wg-flight-'));
    try {
      const file = join(dir, 'reordered.pcap');
      writeFileSync(file, bytes);
      const rows = tsharkGraphRows(file, 0);
      expect(rows.map((r) => r.bytesInFlight).filter((b) => b !== null)).toEqual([100, 200, 300, 400, 300]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a simulated transfer with one loss reads like the textbook figure', () => {
  const src = FAST_RETRANSMIT;
  it('time is the engine’s one-way trips; the lost segment is sent again (fast retransmission) at the same sequence number, later', () => {
    const tl = compileSequence(src);
    const g = streamGraph(tl, 'stevens');
    expect(g.xUnit).toBe('trips');
    expect(`${g.from.id}→${g.to.id}`).toBe('client→server');
    const pts = all(g, 'data', 'retransmission');
    const lost = series(g, 'lost')[0]!;
    expect(lost.y).toEqual([1001]);
    const re = series(g, 'retransmission')[0]!;
    expect(re.y).toEqual([1001]);
    expect(re.x[0]!).toBeGreaterThan(lost.x[0]!);
    // Sequence numbers rise by 1000 per segment, then fall back for the resend (the textbook's sawtooth).
    expect(pts.map((p) => p[1])).toEqual([0, 1, 1001, 2001, 3001, 4001, 1001]);
    // The window sent at one instant is spread a tenth of a trip apart, each segment its own point.
    expect(pts.slice(1, 6).map((p) => p[0])).toEqual([4, 4.1, 4.2, 4.3, 4.4]);
  });

  it('the ACK line stays at the hole (duplicate ACKs) until the resend fills it', () => {
    const tl = compileSequence(src);
    const g = streamGraph(tl, 'tcptrace');
    const ack = series(g, 'ack')[0]!;
    expect(ack.y).toEqual([1, 1001, 1001, 1001, 1001, 5001, 5001]);
    // Seen by the sender when they arrive: one trip after they were sent.
    ack.index.forEach((i, k) => expect(ack.x[k]).toBe(tl.segments[i]!.arrivesAt));
    const lost = series(g, 'lost')[0]!;
    expect(lost.x).toEqual([tl.segments[4]!.sentAt + 0.1]);
    expect(series(g, 'retransmission')[0]!.index).toEqual([12]);
    expect(tl.segments[12]!.marks.map((m) => m.text)).toContain('fast retransmission');
  });

  it('the direction switch draws the other side; a name that is no participant is an error that says which are', () => {
    const tl = compileSequence(src);
    expect(streamGraph(tl, 'tcptrace', { direction: 'reverse' }).from.id).toBe('server');
    expect(streamGraph(tl, 'tcptrace', { direction: 'server' }).from.id).toBe('server');
    expect(() => streamGraph(tl, 'tcptrace', { direction: 'bob' })).toThrow(/no participant is called "bob"/);
  });
});
