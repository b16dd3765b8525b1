/**
 * TCP stream graphs as numbers (issue 17): what Wireshark's TCP Stream Graphs and tcptrace's time-sequence plots
 * show, computed from a Timeline — captured or simulated alike — for one direction of data at a time. Pure data,
 * no pixel: the layout scales, decimates and draws it, and tests compare it with tshark and tcptrace.
 *
 * Time is seconds since the stream's first segment when every segment has a real time (a capture, or `t=` on
 * every line), else the engine's one-way trips; then data is seen when it is sent and ACKs when they reach the
 * data's sender (the sender is the vantage point, as a capture on the sender's host would be).
 */
import { STREAM_GRAPHS, type Numbering, type Participant, type Segment, type StreamGraphKind, type Timeline } from './timeline.js';

export function isStreamGraph(name: unknown): name is StreamGraphKind {
  return typeof name === 'string' && (STREAM_GRAPHS as readonly string[]).includes(name);
}

/** Wireshark's names for the graphs (its Statistics › TCP Stream Graphs menu). */
export const STREAM_GRAPH_TITLES: Readonly<Record<StreamGraphKind, string>> = {
  stevens: 'Time / Sequence (Stevens)',
  tcptrace: 'Time / Sequence (tcptrace)',
  throughput: 'Throughput',
  rtt: 'Round Trip Time',
  window: 'Window Scaling',
};

/** What a series is; the layout picks colour and shape from it. */
export type GraphSeriesKey =
  | 'data'
  | 'retransmission'
  | 'syn-fin'
  | 'ack'
  | 'window'
  | 'sack'
  | 'zero-window'
  | 'lost'
  | 'acked-unseen'
  | 'throughput'
  | 'goodput'
  | 'rtt'
  | 'rwnd'
  | 'in-flight';

export type GraphDraw = 'bars' | 'points' | 'step' | 'line' | 'marks';

export interface GraphSeries {
  key: GraphSeriesKey;
  draw: GraphDraw;
  /** x of each point (time, or for `rtt` against seq the sequence number). */
  x: number[];
  /** y of each point; for bars, the bottom. */
  y: number[];
  /** For bars: the top (seq + len). */
  y2?: number[];
  /** The Timeline segment each point comes from. */
  index: number[];
}

export type GraphUnit = 'seconds' | 'trips' | 'bytes' | 'bytes/s' | 'bytes/trip';

export interface StreamGraph {
  kind: StreamGraphKind;
  /** The data sender and receiver of the direction drawn. */
  from: Participant;
  to: Participant;
  xUnit: GraphUnit;
  yUnit: GraphUnit;
  /** What x is: time, or the sequence number (the RTT graph against seq). */
  xAxis: 'time' | 'seq';
  numbering: Numbering;
  /** Real time of x = 0 (seconds, as in the Timeline), or 0 for trips. */
  timeOrigin: number;
  /** Moving-average window of the throughput graph, in the x unit. */
  averageWindow?: number;
  series: GraphSeries[];
  /** For the description: data segments, bytes, retransmissions, zero windows, … of this direction. */
  counts: { segments: number; dataSegments: number; bytes: number; retransmissions: number; zeroWindows: number; lost: number; duration: number };
}

export interface StreamGraphOptions {
  /** `<participant id>` (the data sender) or `reverse` (the other direction than the default). */
  direction?: string;
  /** RTT against `seq` (Wireshark's default) or `time`. */
  rttAxis?: 'seq' | 'time';
}

/** The error a layout turns into a typed WiregramError (core's graph never knows a position). */
export class StreamGraphError extends Error {
  constructor(
    message: string,
    readonly expected: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Whether a segment carries a mark of this kind (a loop: asked for every segment of a long stream, twice). */
function has(s: Segment, kind: string): boolean {
  const marks = s.marks;
  for (let k = 0; k < marks.length; k++) if (marks[k]!.kind === kind) return true;
  return false;
}

/**
 * The direction to draw: the one named, else the sender of the most payload (as a transfer is usually looked at);
 * `reverse` is the other one.
 */
export function graphDirection(timeline: Timeline, direction?: string): { from: Participant; to: Participant } {
  const parts = timeline.participants;
  if (parts.length < 2) throw new StreamGraphError('a stream graph needs two endpoints', 'a diagram between two participants', 'add a second participant');
  const bytes = new Map<string, number>();
  for (const s of timeline.segments) bytes.set(s.from, (bytes.get(s.from) ?? 0) + s.len);
  // Between the first two endpoints that exchanged segments (a stream graph is about one connection).
  const first = timeline.segments[0];
  let a = first ? parts.find((p) => p.id === first.from)! : parts[0]!;
  let b = first ? parts.find((p) => p.id === first.to)! : parts[1]!;
  if ((bytes.get(b.id) ?? 0) > (bytes.get(a.id) ?? 0)) [a, b] = [b, a];
  if (direction === undefined || direction === '' || direction === 'auto') return { from: a, to: b };
  if (direction === 'reverse') return { from: b, to: a };
  const named = parts.find((p) => p.id === direction);
  if (!named) {
    throw new StreamGraphError(
      `direction=${direction}: no participant is called "${direction}"`,
      `direction=${[a.id, b.id].join(' | ')} | reverse`,
      `the data sender's name, e.g. direction=${a.id}`,
    );
  }
  if (named.id === b.id) return { from: b, to: a };
  if (named.id === a.id) return { from: a, to: b };
  const other = timeline.segments.find((s) => s.from === named.id)?.to ?? timeline.segments.find((s) => s.to === named.id)?.from ?? b.id;
  return { from: named, to: parts.find((p) => p.id === other)! };
}

export function streamGraph(timeline: Timeline, kind: StreamGraphKind, options: StreamGraphOptions = {}): StreamGraph {
  const { from, to } = graphDirection(timeline, options.direction);
  const segs = timeline.segments;
  const real = segs.length > 0 && segs.every((s) => s.time !== null && s.time !== undefined && Number.isFinite(s.time));
  let origin = 0;
  if (real) {
    origin = Infinity;
    for (const s of segs) if (s.time! < origin) origin = s.time!;
  }
  // Absolute numbers only where they are numbers (a symbolic ISN `x` has none): the sender's ISN added back. An ISN
  // of 0 (a diagram that gave none) draws the same numbers either way: called relative.
  let base = 0;
  if (timeline.options?.numbering === 'absolute') {
    const sample = segs.find((s) => s.from === from.id && s.seq.symbol === null);
    if (sample) base = (sample.seq.offset - sample.seq.relative) >>> 0;
  }
  const numbering: Numbering = base !== 0 ? 'absolute' : 'relative';
  // Segments one endpoint sends at the same instant (`&`, a window's worth) are drawn a tenth of a trip apart, as
  // the sequence layouts spread a burst, so each one (and a lost one among them) has its own bar.
  const burst = new Map<number, number>();
  if (!real) {
    const seen = new Map<string, number>();
    for (const s of segs) {
      const k = `${s.from}@${s.sentAt}`;
      const n = seen.get(k) ?? 0;
      seen.set(k, n + 1);
      if (n) burst.set(s.index, n * 0.1);
    }
  }
  const sentT = (s: Segment) => (real ? s.time! - origin : s.sentAt + (burst.get(s.index) ?? 0));
  // Vantage point: the data sender. A real time is where the capture saw it; in trips, an ACK counts on arrival.
  const seenT = (s: Segment) => (real ? s.time! - origin : s.arrivesAt);
  const fwd: Segment[] = [];
  const rev: Segment[] = [];
  for (const s of segs) {
    if (s.from === from.id && s.to === to.id) fwd.push(s);
    else if (s.from === to.id && s.to === from.id && !(s.lost && !real)) rev.push(s);
  }
  // A capture is already in time order; sort only when it is not (the engine's arrivals can overtake).
  let ordered = true;
  for (let i = 1; i < rev.length && ordered; i++) ordered = seenT(rev[i - 1]!) <= seenT(rev[i]!);
  if (!ordered) rev.sort((x, y) => seenT(x) - seenT(y) || x.index - y.index);
  const seqOf = (s: Segment) => base + s.seq.relative;
  // SYN and FIN take one sequence number each (looked up once per segment: a long stream asks often).
  let top = 0;
  for (const s of segs) if (s.index > top) top = s.index;
  const synFin = new Uint8Array(top + 1);
  for (const s of segs) for (const f of s.flags) if (f === 'SYN' || f === 'FIN') synFin[s.index] = 1;
  const endOf = (s: Segment) => seqOf(s) + s.len + synFin[s.index]!;
  const ackOf = (s: Segment) => base + s.ack!.relative;
  const occupies = (s: Segment) => s.len > 0 || synFin[s.index] === 1;

  let bytes = 0;
  let dataSegments = 0;
  let retransmissions = 0;
  let lost = 0;
  for (const s of fwd) {
    if (s.len > 0) {
      dataSegments++;
      bytes += s.len;
    }
    if (s.retransmission) retransmissions++;
    if (s.lost || has(s, 'previous-segment-lost')) lost++;
  }
  let zeroWindows = 0;
  for (const s of rev) if (has(s, 'zero-window')) zeroWindows++;
  let duration = 0;
  for (const s of segs) duration = Math.max(duration, real ? s.time! - origin : s.arrivesAt);

  const graph: StreamGraph = {
    kind,
    from,
    to,
    xUnit: real ? 'seconds' : 'trips',
    yUnit: 'bytes',
    xAxis: 'time',
    numbering,
    timeOrigin: real ? origin : 0,
    series: [],
    counts: { segments: fwd.length, dataSegments, bytes, retransmissions, zeroWindows, lost, duration },
  };
  const series = (key: GraphSeriesKey, draw: GraphDraw, bars = false): GraphSeries => {
    const sr: GraphSeries = { key, draw, x: [], y: [], index: [] };
    if (bars) sr.y2 = [];
    graph.series.push(sr);
    return sr;
  };
  const push = (sr: GraphSeries, x: number, y: number, index: number, y2?: number) => {
    sr.x.push(x);
    sr.y.push(y);
    sr.index.push(index);
    if (y2 !== undefined) sr.y2!.push(y2);
  };
  const drop = () => (graph.series = graph.series.filter((sr) => sr.x.length > 0));

  if (kind === 'stevens') {
    // A point per segment that occupies sequence space (data, and the SYN and FIN), at (time, seq).
    const pts = series('data', 'points');
    const re = series('retransmission', 'points');
    for (const s of fwd) if (occupies(s)) push(s.retransmission ? re : pts, sentT(s), seqOf(s), s.index);
    lostMarks(series('lost', 'marks'));
    drop();
    return graph;
  }

  if (kind === 'tcptrace') {
    const data = series('data', 'bars', true);
    const re = series('retransmission', 'bars', true);
    const sf = series('syn-fin', 'bars', true);
    for (const s of fwd) {
      if (!occupies(s)) continue;
      const t = sentT(s);
      // As tcptrace: a segment's data, and its SYN or FIN as a one-number bar of its own after it.
      if (s.len > 0) push(s.retransmission ? re : data, t, seqOf(s), s.index, seqOf(s) + s.len);
      if (endOf(s) > seqOf(s) + s.len) push(s.len === 0 && s.retransmission ? re : sf, t, seqOf(s) + s.len, s.index, endOf(s));
    }
    const ack = series('ack', 'step');
    const win = series('window', 'step');
    const sack = series('sack', 'bars', true);
    const zw = series('zero-window', 'marks');
    const unseen = series('acked-unseen', 'marks');
    for (const s of rev) {
      if (!s.ack) continue;
      const t = seenT(s);
      const a = ackOf(s);
      push(ack, t, a, s.index);
      if (s.window !== null && s.window !== undefined) push(win, t, a + s.window, s.index);
      for (const o of s.options) if (o.kind === 'SACK' && o.blocks) for (const [l, r] of o.blocks) push(sack, t, base + l, s.index, base + r);
      if (has(s, 'zero-window')) push(zw, t, a, s.index);
      if (has(s, 'acked-unseen')) push(unseen, t, a, s.index);
    }
    lostMarks(series('lost', 'marks'));
    drop();
    return graph;
  }

  if (kind === 'throughput') {
    graph.yUnit = real ? 'bytes/s' : 'bytes/trip';
    // A moving average over a window of one second (Wireshark's default) or, for a stream shorter than 20 s, a
    // twentieth of it; one round trip (two one-way trips) in the engine's time.
    const w = real ? Math.min(1, Math.max(duration / 20, 1e-6)) : 2;
    graph.averageWindow = w;
    const tp = series('throughput', 'line');
    movingAverage(
      fwd.filter((s) => s.len > 0).map((s) => [sentT(s), s.len, s.index] as const),
      w,
      tp,
    );
    // Goodput: bytes the receiver acknowledged, at the same average.
    const gp = series('goodput', 'line');
    const acked: Array<readonly [number, number, number]> = [];
    let last: number | null = null;
    for (const s of rev) {
      if (!s.ack) continue;
      const a = ackOf(s);
      if (last !== null && a > last) acked.push([seenT(s), a - last, s.index]);
      if (last === null || a > last) last = a;
    }
    movingAverage(acked, w, gp);
    drop();
    return graph;
  }

  if (kind === 'rtt') {
    graph.yUnit = real ? 'seconds' : 'trips';
    const bySeq = (options.rttAxis ?? 'seq') === 'seq';
    graph.xAxis = bySeq ? 'seq' : 'time';
    if (bySeq) graph.xUnit = 'bytes';
    const rtt = series('rtt', 'points');
    // Karn's rule: a sample only from a segment sent once; an ACK covering a segment (or its retransmission) ends
    // its wait. Segments are waited on in the order of their end.
    const resent = new Set<number>();
    for (const s of fwd) if (s.retransmission) for (const o of fwd) if (o !== s && occupies(o) && seqOf(o) < endOf(s) && endOf(o) > seqOf(s)) resent.add(o.index);
    const waiting: Segment[] = [];
    const events: Array<[number, number, Segment]> = [];
    for (const s of fwd) if (occupies(s)) events.push([sentT(s), 0, s]);
    for (const s of rev) if (s.ack) events.push([seenT(s), 1, s]);
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].index - b[2].index);
    for (const [t, isAck, s] of events) {
      if (!isAck) {
        if (!s.retransmission) waiting.push(s);
        continue;
      }
      const a = ackOf(s);
      let keep = 0;
      for (const w of waiting) {
        if (endOf(w) <= a) {
          if (!resent.has(w.index)) push(rtt, bySeq ? seqOf(w) : sentT(w), t - sentT(w), w.index);
        } else waiting[keep++] = w;
      }
      waiting.length = keep;
    }
    drop();
    return graph;
  }

  // window: the receiver's advertised window, and what the sender has in flight.
  const rwnd = series('rwnd', 'step');
  const inflight = series('in-flight', 'step');
  const zw = series('zero-window', 'marks');
  const evs: Array<[number, number, Segment]> = [];
  for (const s of fwd) evs.push([sentT(s), 1, s]);
  for (const s of rev) evs.push([seenT(s), 0, s]);
  // A capture in its frames' order, as tshark (and our analysis) reads it: its clock can stamp a frame a few
  // microseconds before the one written ahead of it (the two directions stamped apart), and tshark's bytes in
  // flight at a segment subtract the SACK blocks of the last ACK written before it, whatever its time. Each sample
  // is still drawn at its own time. The engine's segments go by time (its arrivals can overtake).
  if (real) evs.sort((a, b) => a[2].index - b[2].index);
  else evs.sort((a, b) => a[0] - b[0] || a[2].index - b[2].index);
  // tshark's bytes in flight: the span of the segments not yet acknowledged (an ACK drops the ones it covers and
  // trims the one it ends inside), after this one is added.
  const unacked: Array<[number, number]> = [];
  let sacked: Array<[number, number]> = [];
  for (const [t, isData, s] of evs) {
    if (!isData) {
      sacked = [];
      for (const o of s.options) if (o.kind === 'SACK' && o.blocks) for (const [l, r] of o.blocks) sacked.push([base + l, base + r]);
      if (s.window !== null && s.window !== undefined) push(rwnd, t, s.window, s.index);
      if (has(s, 'zero-window')) push(zw, t, 0, s.index);
      if (s.ack) {
        const a = ackOf(s);
        let keep = 0;
        for (const u of unacked) {
          if (u[1] <= a) continue;
          if (u[0] < a) u[0] = a;
          unacked[keep++] = u;
        }
        unacked.length = keep;
      }
      continue;
    }
    if (!occupies(s)) continue;
    // tshark's end of an unacknowledged segment: its data; a SYN or FIN alone counts its one number.
    unacked.push([seqOf(s), s.len > 0 ? seqOf(s) + s.len : endOf(s)]);
    if (s.len === 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (const [a, b] of unacked) {
      if (a < lo) lo = a;
      if (b > hi) hi = b;
    }
    // Bytes the receiver's last SACK blocks say arrived are not in flight — every block's size, as tshark counts
    // them (a D-SACK block below the ACK included).
    let n = hi - lo;
    for (const [l, r] of sacked) n -= r - l;
    if (n > 0) push(inflight, t, n, s.index);
  }
  drop();
  return graph;

  function lostMarks(sr: GraphSeries): void {
    // A segment the engine lost (the sender sent it; it never arrived), or one the capture missed before this one.
    let prevEnd: number | null = null;
    for (const s of fwd) {
      if (!occupies(s)) continue;
      if (s.lost) push(sr, sentT(s), seqOf(s), s.index);
      else if (has(s, 'previous-segment-lost') && prevEnd !== null) push(sr, sentT(s), prevEnd, s.index);
      const e = endOf(s);
      if (prevEnd === null || e > prevEnd) prevEnd = e;
    }
  }
}

/**
 * Moving average of `[time, bytes, index]` samples in time order: at each sample, the bytes of the samples within
 * `w` before it (its own included) over `w` — Wireshark's moving average, divided by the whole window rather than by
 * the time since its oldest sample, so a burst after a pause is not a spike of bytes over microseconds.
 */
function movingAverage(samples: ReadonlyArray<readonly [number, number, number]>, w: number, out: GraphSeries): void {
  let oldest = 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const [t, n, index] = samples[i]!;
    sum += n;
    while (oldest < i && samples[oldest]![0] <= t - w) sum -= samples[oldest++]![1];
    out.x.push(t);
    out.y.push(sum / w);
    out.index.push(index);
  }
}
