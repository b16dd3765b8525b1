/**
 * A captured TCP stream as a core Timeline: participants with address and port, segments with real time,
 * flags, relative numbers, options and Wireshark's expert marks, and each endpoint's TCP state inferred from
 * what it sent and received.
 */
import { WiregramError, type Position } from '../errors.js';
import { ELIDED_LABELS, elidedRuns } from '../elide.js';
import type {
  DiagramOptions,
  ElideMode,
  LabelStyle,
  Numbering,
  Participant,
  Segment,
  SegmentMark,
  StateChange,
  TcpState,
  Timeline,
  Timer,
} from '../timeline.js';
import { formatLabel } from '../labels.js';
import { forEachAnalysis, type SegmentAnalysis } from './analysis.js';
import { TH_ACK, TH_FIN, TH_RST, TH_SYN, TH_URG, sharedFlagNames } from './decode.js';
import { FAST_RETRANSMISSION, SPURIOUS_RETRANSMISSION } from '../labels.js';
import { placeWarnings, TRUNCATED_HINT } from './reader.js';
import { optionsOfKind, scanCapture, type CaptureTuple, type ScanOptions, type ScanResult, type StreamInfo, type StreamPacket } from './scan.js';
import { formatStreamSelector } from './selector.js';

export type CaptureInput = Uint8Array | ArrayBuffer | Iterable<Uint8Array>;

export interface CaptureStreamOptions {
  /** Wireshark's tcp.stream number (default 0 unless `tuple` is given). */
  stream?: number;
  /** Choose the first stream between these endpoints instead. */
  tuple?: CaptureTuple;
  /** Relative seq/ack numbers (default, as Wireshark shows them) or absolute. */
  numbering?: Numbering;
  /** Style of `Segment.label` (default `wireshark`, as the Info column). */
  labelStyle?: LabelStyle;
  /** At most this many segments are kept (default 100 000). */
  maxSegments?: number;
  /**
   * The `elide` overview the Timeline will be drawn as (`option elide=…`): labels are made only for the segments it
   * keeps, the folded ones keep an empty label (a layout drawing them after all labels them).
   */
  elide?: ElideMode;
  /**
   * Where the `capture` statement that asked for this stream stands: the reader's findings (a truncated file,
   * skipped frames) point there instead of nowhere.
   */
  position?: Position | null;
}

/** What a scan must keep for the stream `options` asks for: by number (default 0), or by endpoints. */
export function streamScanOptions(options: CaptureStreamOptions): ScanOptions {
  const useTuple = options.tuple !== undefined && options.stream === undefined;
  const stream = useTuple ? undefined : (options.stream ?? 0);
  if (stream !== undefined && (!Number.isInteger(stream) || stream < 0)) {
    throw new WiregramError({ code: 'capture-stream', reason: `stream ${String(stream)} is not a stream number`, expected: 'a whole number ≥ 0, as in tshark’s tcp.stream' });
  }
  // A Timeline never reads a segment's payload bytes: only the headers are kept.
  return { ...(stream !== undefined ? { stream } : { tuple: options.tuple! }), ...(options.maxSegments ? { maxSegments: options.maxSegments } : {}), headerPayload: 0 };
}

/** Scan a capture and pick the requested stream; throws a WiregramError when it does not exist. */
export function selectStream(input: CaptureInput, options: CaptureStreamOptions = {}): ScanResult & { stream: StreamInfo } {
  return withStream(scanCapture(input, streamScanOptions(options)), options);
}

/** Check that the scan found the requested stream. */
export function withStream(scan: ScanResult, options: CaptureStreamOptions = {}): ScanResult & { stream: StreamInfo } {
  if (scan.selected === null) {
    const n = scan.streams.length;
    const damage = scan.damage;
    if (n === 0 && damage) {
      // "no TCP packets" would hide the real problem: the file stops (or breaks) before any packet is whole.
      const truncated = damage.code === 'capture-truncated';
      throw new WiregramError({
        code: damage.code,
        reason: `the capture is ${truncated ? 'truncated' : 'corrupt'} at byte ${damage.at}, before any complete TCP packet (${scan.frames} frame${scan.frames === 1 ? '' : 's'} read): ${damage.detail}`,
        expected: 'a complete pcap or pcapng file',
        hint: truncated ? TRUNCATED_HINT : 'the file is damaged or was written by a broken tool: check it with `capinfos FILE`, or capture again',
        position: options.position ?? null,
      });
    }
    const byTuple = options.tuple !== undefined && options.stream === undefined;
    const list = scan.streams
      .slice(0, 5)
      .map((s) => `${s.index}: ${endpointText(s.a.address, s.a.port)} → ${endpointText(s.b.address, s.b.port)}`)
      .join('; ');
    const asked = byTuple ? `no TCP stream matches the endpoints ${formatStreamSelector({ tuple: options.tuple! })}` : `the capture has no TCP stream ${options.stream ?? 0}`;
    throw new WiregramError({
      code: 'capture-no-stream',
      reason: n === 0 ? `the capture holds no TCP packets (${scan.frames} frames read)` : `${asked} (it has ${n} stream${n === 1 ? '' : 's'}: ${list}${n > 5 ? '; …' : ''})`,
      expected: n === 0 ? 'a capture of TCP traffic' : byTuple ? 'the endpoints of one of its streams' : `a stream number from 0 to ${n - 1}`,
      hint: n === 0 ? 'capture with a filter such as `tcpdump -w file.pcap tcp port 80`' : 'list the streams with `wiregram import FILE --list` (or `tshark -r FILE -q -z conv,tcp`)',
      position: options.position ?? null,
    });
  }
  return { ...scan, stream: scan.streams[scan.selected]! };
}

export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Turn one TCP stream of a pcap/pcapng capture into a Timeline. */
export function timelineFromCapture(input: CaptureInput, options: CaptureStreamOptions = {}): Timeline {
  return timelineFromScan(selectStream(input, options), options);
}

interface Side {
  id: string;
  state: TcpState;
  /** Absolute ISN and the absolute sequence number of our FIN (after it), when sent. */
  isn: number | null;
  finNext: number | null;
}

/**
 * Build the Timeline from a scan that selected a stream (see `withStream`). `lean: true` is for callers that only
 * write the stream as text or JSON: every `Segment.label` is left empty and `Segment.options` keeps only the
 * options the text writes (MSS, WS, SACK_PERM) — a long stream's labels and timestamp options were a large part
 * of its Timeline's memory (its text still needs crossings and states: `&` marks and `msl=`). `graph: true` is for a
 * stream graph: of the options only SACK blocks (all a graph reads), and no label, no inferred states, no crossings. `elide` (the mode the diagram
 * will be drawn with): labels only for the segments that overview keeps — a folded segment is never drawn, and a
 * long stream's 55,000 labels were most of its Timeline's cost; the folded ones keep an empty label.
 */
export function timelineFromScan(
  scan: ScanResult & { stream: StreamInfo },
  options: CaptureStreamOptions = {},
  { lean = false, graph = false, elide = options.elide }: { lean?: boolean; graph?: boolean; elide?: ElideMode | undefined } = {},
): Timeline {
  const numbering: Numbering = options.numbering ?? 'relative';
  const info = scan.stream;
  const packets = scan.packets;
  // The client is whoever sent the first bare SYN; without a handshake in the capture, the first sender.
  const firstSyn = packets.find((p) => (p.flags & (TH_SYN | TH_ACK)) === TH_SYN);
  const clientDir: 0 | 1 = firstSyn ? firstSyn.dir : 0;
  const known = firstSyn !== undefined;
  const ids: [string, string] = clientDir === 0 ? [known ? 'client' : 'a', known ? 'server' : 'b'] : [known ? 'server' : 'b', known ? 'client' : 'a'];
  const ends = [info.a, info.b] as const;
  const participants: Participant[] = [clientDir, 1 - clientDir].map((d) => ({
    id: ids[d]!,
    label: endpointText(ends[d]!.address, ends[d]!.port),
    address: ends[d]!.address,
    port: ends[d]!.port,
    position: null,
  }));

  // Each segment is built from its analysis as it is made (one analysis object serves them all).
  const segments: Segment[] = [];
  forEachAnalysis(packets, (i, a) => {
    segments.push(buildSegment(packets[i]!, i, a, ids, lean, graph));
  });
  // A stream graph (no labels) plots times and numbers only: the arrows' crossings and the endpoints' states are
  // not worked out for it.
  if (!graph) crossings(packets, segments);
  const { states, timers } = !graph ? inferStates(packets, segments, ids, clientDir, known) : { states: [], timers: [] };
  const duration = segments.length ? segments[segments.length - 1]!.arrivesAt : 0;
  for (const t of timers) t.end = Math.max(t.start + 1, duration);
  const labelStyle: LabelStyle = options.labelStyle ?? 'wireshark';
  const options2: DiagramOptions = { labelStyle, stateNames: 'underscore', numbering, layout: 'flow', extra: { source: 'capture', stream: String(info.index) } };
  const timeline: Timeline = {
    kind: 'timeline',
    title: `TCP stream ${info.index}: ${participants[0]!.label} ↔ ${participants[1]!.label}`,
    participants,
    segments,
    states,
    timers,
    notes: [],
    dividers: [],
    headers: [],
    options: options2,
    duration,
    warnings: placeWarnings(scan.warnings, options.position),
  };
  // Wireshark's Info column (or the style asked for), through core's shared formatter so captured and authored
  // labels agree.
  if (!lean && !graph) {
    const runs = elidedRuns(timeline, elide);
    if (runs.length) options2.extra[ELIDED_LABELS] = elide!;
    let r = 0;
    for (let i = 0; i < segments.length; i++) {
      const run = runs[r];
      if (run && i >= run[0]) {
        // Skip the folded run.
        i = run[1];
        r++;
        continue;
      }
      segments[i]!.label = formatLabel(segments[i]!, timeline, labelStyle, { numbering });
    }
  }
  return timeline;
}

/**
 * The options `tcp-sequence` text spells out (`mss=`, `ws=`, `sack_perm`): all a lean Timeline keeps (a test
 * holds this to what export.ts writes).
 */
const TEXT_OPTIONS: ReadonlySet<string> = new Set(['MSS', 'WS', 'SACK_PERM']);

/** The empty list shared by every segment without marks, overrides or options (frozen: it is everyone's). */
const NONE = Object.freeze([]) as unknown as never[];

function buildSegment(
  p: StreamPacket,
  i: number,
  a: SegmentAnalysis,
  ids: readonly [string, string],
  lean: boolean,
  graph: boolean,
): Segment {
  const flags = sharedFlagNames(p.flags);
  // The marks are made in a function of their own: rare branches met late inside this one made V8 recompile it.
  const marks = segmentMarks(p, a);
  const hasAck = (p.flags & TH_ACK) !== 0;
  // The packet's options as they are: the scan made them for this Timeline alone (copying doubled the memory of a
  // long stream). A stream graph reads only SACK blocks (kind 5): nothing else is parsed for it.
  let options = graph ? optionsOfKind(p, 5, 'SACK') : p.options;
  if (lean) options = options.some((o) => !TEXT_OPTIONS.has(o.kind)) ? options.filter((o) => TEXT_OPTIONS.has(o.kind)) : options;
  if (!options.length) options = NONE;
  const seg: Segment = {
    index: i,
    from: ids[p.dir],
    to: ids[1 - p.dir]!,
    flags,
    seq: { symbol: null, offset: p.seq, relative: p.relSeq },
    ack: hasAck ? { symbol: null, offset: p.ack, relative: p.relAck } : null,
    len: p.len,
    window: a.windowSize,
    options,
    payload: null,
    sentAt: i,
    arrivesAt: i + 1,
    lost: false,
    retransmission: a.retransmission,
    retransmissionOf: a.retransmissionOf,
    overrides: NONE,
    marks,
    label: '',
    note: null,
    time: p.time,
    position: null,
  };
  if (p.flags & TH_URG) seg.urgent = p.urgent;
  if (!graph) {
    // Only a stream's text writes it; a graph plots `time`.
    const text = p.timeText;
    if (text !== null) seg.timeText = text;
  }
  return seg;
}

/** Wireshark's expert marks of a segment (most have none: they share NONE, and no array is made for them). */
function segmentMarks(p: StreamPacket, a: SegmentAnalysis): SegmentMark[] {
  let marks: SegmentMark[] | null = null;
  if (a.reusedPorts) (marks ??= []).push({ kind: 'reused-ports', text: 'port numbers reused' });
  if (a.retransmission) (marks ??= []).push({ kind: 'retransmission', text: a.fastRetransmission ? FAST_RETRANSMISSION : a.spuriousRetransmission ? SPURIOUS_RETRANSMISSION : 'retransmission' });
  if (a.duplicateAck) (marks ??= []).push({ kind: 'duplicate-ack', text: `dup ACK #${a.duplicateAck}`, dupAck: { num: a.duplicateAck, frame: a.duplicateAckOf ?? 0 } });
  if (a.windowFull) (marks ??= []).push({ kind: 'window-full', text: 'window full' });
  if (a.outOfOrder) (marks ??= []).push({ kind: 'out-of-order', text: 'out-of-order' });
  if (a.zeroWindow) (marks ??= []).push({ kind: 'zero-window', text: 'zero window' });
  if (a.zeroWindowProbe) (marks ??= []).push({ kind: 'zero-window-probe', text: 'zero window probe' });
  if (a.zeroWindowProbeAck) (marks ??= []).push({ kind: 'zero-window-probe-ack', text: 'zero window probe ACK' });
  if (a.windowUpdate) (marks ??= []).push({ kind: 'window-update', text: 'window update' });
  if (a.lostSegment) (marks ??= []).push({ kind: 'previous-segment-lost', text: 'previous segment not captured' });
  if (a.ackedUnseen) (marks ??= []).push({ kind: 'acked-unseen', text: 'ACKed unseen segment' });
  if (a.keepAlive) (marks ??= []).push({ kind: 'keepalive', text: 'keep-alive' });
  if (a.keepAliveAck) (marks ??= []).push({ kind: 'keepalive-ack', text: 'keep-alive ACK' });
  if (p.flags & TH_RST) (marks ??= []).push({ kind: 'reset', text: 'reset' });
  return marks ?? NONE;
}

/**
 * Segments are sent one unit apart and take one unit to arrive. Exception: a SYN or FIN answered by the other
 * side's own SYN or FIN that does not acknowledge it crossed it on the wire (simultaneous open or close), and so
 * did the two SYN, ACKs that follow a simultaneous open: both then arrive after the second was sent, so the arrows
 * cross and the states go through SYN_RCVD / CLOSING.
 */
function crossings(packets: readonly StreamPacket[], segments: Segment[]): void {
  for (let i = 0; i + 1 < packets.length; i++) {
    const a = packets[i]!;
    const b = packets[i + 1]!;
    if (a.dir === b.dir || !(a.flags & (TH_SYN | TH_FIN)) || !(b.flags & (TH_SYN | TH_FIN))) continue;
    // After a simultaneous open each side answers the other's SYN with its own SYN, ACK; two SYN, ACKs in a row
    // from both sides crossed too (after one, the other side would have sent a plain ACK).
    const synAcks = (a.flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && (b.flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK);
    if (synAcks) {
      segments[i]!.arrivesAt = segments[i + 1]!.arrivesAt;
      continue;
    }
    const end = (a.seq + a.len + 1) >>> 0;
    const acked = (b.flags & TH_ACK) !== 0 && ((b.ack - end) | 0) >= 0;
    if (acked) continue;
    segments[i]!.arrivesAt = segments[i + 1]!.arrivesAt;
  }
}

/**
 * Each endpoint's RFC 9293 state, from the segments it sent (at sentAt) and received (at arrivesAt).
 * A capture shows one vantage point, so this is what the packets imply, not what the kernels recorded.
 */
function inferStates(
  packets: readonly StreamPacket[],
  segments: readonly Segment[],
  ids: readonly [string, string],
  clientDir: 0 | 1,
  handshakeSeen: boolean,
): { states: StateChange[]; timers: Timer[] } {
  const states: StateChange[] = [];
  const timers: Timer[] = [];
  const initial: TcpState = handshakeSeen ? 'CLOSED' : 'ESTABLISHED';
  const sides: [Side, Side] = [
    { id: ids[0], state: initial, isn: null, finNext: null },
    { id: ids[1], state: initial, isn: null, finNext: null },
  ];
  for (const d of [clientDir, 1 - clientDir] as const) {
    states.push({ participant: ids[d]!, at: 0, from: null, to: initial, cause: null, reason: handshakeSeen ? null : 'already connected when the capture started', position: null });
  }
  const server = sides[1 - clientDir]!;
  // The other side was listening if it ever answered with a SYN; a port that only answers RST was closed.
  // (With a bare SYN of its own it opened actively too: a simultaneous open.)
  const firstServerSyn = packets.find((p) => p.dir !== clientDir && p.flags & TH_SYN);
  const listened = firstServerSyn !== undefined && (firstServerSyn.flags & TH_ACK) !== 0;
  if (handshakeSeen && listened && (packets[0]!.flags & (TH_SYN | TH_ACK)) === TH_SYN) move(server, 'LISTEN', 0, null, 'passive open');

  function move(side: Side, to: TcpState, at: number, cause: number | null, reason: string): void {
    if (side.state === to) return;
    states.push({ participant: side.id, at, from: side.state, to, cause, reason, position: null });
    side.state = to;
    if (to === 'TIME_WAIT') timers.push({ participant: side.id, kind: 'TIME_WAIT', label: '2MSL', start: at, end: at + 1, expired: false, restarted: false, position: null });
  }

  // Events in time order; at equal times, arrivals before departures (a reply leaves after its cause arrives).
  // Each event is a number, segment·2 + (1 for its arrival): two objects per segment were a long stream's garbage.
  const at = (code: number) => (code & 1 ? segments[code >>> 1]!.arrivesAt : segments[code >>> 1]!.sentAt);
  const events = new Uint32Array(segments.length * 2);
  for (let code = 0; code < events.length; code++) events[code] = code;
  const order = (x: number, y: number) => at(x) - at(y) || ((x & 1) === (y & 1) ? (x >>> 1) - (y >>> 1) : x & 1 ? -1 : 1);
  // Segments one unit apart (a capture without crossings) are in this order already: checked in one pass, as
  // sorting 110,000 codes through a comparator was a long stream's slowest step here.
  let sorted = true;
  for (let k = 1; k < events.length && sorted; k++) sorted = order(events[k - 1]!, events[k]!) <= 0;
  if (!sorted) events.sort(order);

  const e = { at: 0, recv: false, i: 0 };
  for (let k = 0; k < events.length; k++) {
    const code = events[k]!;
    e.at = at(code);
    e.recv = (code & 1) === 1;
    e.i = code >>> 1;
    const p = packets[e.i]!;
    const side = e.recv ? sides[1 - p.dir]! : sides[p.dir];
    const f = p.flags;
    if (!e.recv) {
      if (f & TH_SYN && side.isn === null) side.isn = p.seq;
      if (f & TH_RST) {
        move(side, 'CLOSED', e.at, e.i, 'sent RST');
        continue;
      }
      if ((f & (TH_SYN | TH_ACK)) === TH_SYN && (side.state === 'CLOSED' || side.state === 'LISTEN')) move(side, 'SYN_SENT', e.at, e.i, 'active open');
      if (f & TH_FIN) {
        if (side.finNext === null) side.finNext = (p.seq + p.len + 1) >>> 0;
        if (side.state === 'ESTABLISHED' || side.state === 'SYN_RCVD') move(side, 'FIN_WAIT_1', e.at, e.i, 'close()');
        else if (side.state === 'CLOSE_WAIT') move(side, 'LAST_ACK', e.at, e.i, 'close()');
      }
      continue;
    }
    // Arrival.
    if (f & TH_RST) {
      if (side.state !== 'CLOSED' && side.state !== 'LISTEN' && side.state !== 'TIME_WAIT') move(side, 'CLOSED', e.at, e.i, 'reset by peer');
      continue;
    }
    if (f & TH_SYN) {
      if (!(f & TH_ACK) && side.state === 'LISTEN') move(side, 'SYN_RCVD', e.at, e.i, 'SYN received');
      else if (!(f & TH_ACK) && side.state === 'SYN_SENT') move(side, 'SYN_RCVD', e.at, e.i, 'simultaneous open');
      else if (f & TH_ACK && side.state === 'SYN_SENT') move(side, 'ESTABLISHED', e.at, e.i, 'SYN-ACK received');
      else if (f & TH_ACK && side.state === 'SYN_RCVD' && side.isn !== null && ((p.ack - ((side.isn + 1) >>> 0)) | 0) >= 0) move(side, 'ESTABLISHED', e.at, e.i, 'handshake complete');
      continue;
    }
    const acks = (n: number | null) => n !== null && f & TH_ACK && ((p.ack - n) | 0) >= 0;
    if (side.state === 'SYN_RCVD' && side.isn !== null && acks((side.isn + 1) >>> 0)) move(side, 'ESTABLISHED', e.at, e.i, 'handshake complete');
    const finAcked = acks(side.finNext);
    if (f & TH_FIN) {
      if (side.state === 'ESTABLISHED' || side.state === 'SYN_RCVD') move(side, 'CLOSE_WAIT', e.at, e.i, 'FIN received');
      else if (side.state === 'FIN_WAIT_1' && finAcked) {
        // RFC 9293 processes the ACK before the FIN: FIN_WAIT_2, then TIME_WAIT, at the same instant.
        move(side, 'FIN_WAIT_2', e.at, e.i, 'our FIN acknowledged');
        move(side, 'TIME_WAIT', e.at, e.i, 'FIN received');
      } else if (side.state === 'FIN_WAIT_1') move(side, 'CLOSING', e.at, e.i, 'simultaneous close');
      else if (side.state === 'FIN_WAIT_2') move(side, 'TIME_WAIT', e.at, e.i, 'FIN received');
    } else if (finAcked) {
      if (side.state === 'FIN_WAIT_1') move(side, 'FIN_WAIT_2', e.at, e.i, 'our FIN acknowledged');
      else if (side.state === 'CLOSING') move(side, 'TIME_WAIT', e.at, e.i, 'our FIN acknowledged');
      else if (side.state === 'LAST_ACK') move(side, 'CLOSED', e.at, e.i, 'our FIN acknowledged');
    }
  }
  states.sort((x, y) => x.at - y.at);
  return { states, timers };
}
