/**
 * Wireshark's TCP sequence analysis (`tcp.analysis.*` expert info), replayed over one stream's segments
 * in capture order, with the same rules packet-tcp.c applies: retransmissions (plain, fast, spurious),
 * out-of-order, duplicate ACKs, zero windows and probes, keep-alives, window updates, lost segments.
 */
import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from './decode.js';
import type { StreamPacket } from './scan.js';

export interface SegmentAnalysis {
  retransmission: boolean;
  fastRetransmission: boolean;
  spuriousRetransmission: boolean;
  outOfOrder: boolean;
  /** Dup ACK number (#1, #2 …) or 0. */
  duplicateAck: number;
  /** Frame of the ACK this one duplicates. */
  duplicateAckOf: number | null;
  zeroWindow: boolean;
  zeroWindowProbe: boolean;
  zeroWindowProbeAck: boolean;
  keepAlive: boolean;
  keepAliveAck: boolean;
  windowUpdate: boolean;
  lostSegment: boolean;
  /** Data up to the right edge of the peer's advertised window (`[TCP Window Full]`). */
  windowFull: boolean;
  ackedUnseen: boolean;
  reusedPorts: boolean;
  /** Index (in the stream's segment list) of the earlier segment a retransmission repeats. */
  retransmissionOf: number | null;
  /** The window scaled as Wireshark's `tcp.window_size` shows it. */
  windowSize: number;
}

interface Flow {
  nextseq: number;
  nextseqtime: number;
  maxseqtobeacked: number;
  lastack: number;
  lastacktime: number;
  window: number;
  lastsegmentflags: number;
  /**
   * Dup ACKs in a row, or -1: an "ACKed unseen segment" the other side sent was about a gap this side has not
   * moved past (tshark keeps this in its unsigned dupacknum, so -1 also counts as "≥ 2" for a fast retransmission).
   */
  dupacknum: number;
  lastnondupack: number;
  /** -1 unknown, -2 no scaling, ≥0 shift. */
  winScale: number;
  seen: boolean;
  /** From this side's SYN to its first ACK without SYN: the window it advertised is not scaled (tshark's is_first_ack). */
  isFirstAck: boolean;
}

const A_KEEP_ALIVE = 1;
const A_ZERO_WINDOW_PROBE = 2;

const lt = (a: number, b: number) => ((a - b) | 0) < 0;
const gt = (a: number, b: number) => ((a - b) | 0) > 0;

export function analyzeStream(packets: readonly StreamPacket[]): SegmentAnalysis[] {
  const out: SegmentAnalysis[] = [];
  forEachAnalysis(packets, (_, a) => out.push({ ...a }));
  return out;
}

/**
 * `analyzeStream` one segment at a time: `fn` gets each segment's analysis in capture order, in one object reused
 * for every segment (read it before returning). A long stream's 55,000 analysis objects were garbage made only to be
 * read once.
 */
export function forEachAnalysis(packets: readonly StreamPacket[], fn: (i: number, a: Readonly<SegmentAnalysis>) => void): void {
  const z = new Analyzer();
  for (let i = 0; i < packets.length; i++) {
    z.step(packets[i]!, i);
    fn(i, z.a);
  }
}

/**
 * The analysis state of one stream, a segment at a time (`step`). A method per segment rather than one loop: V8
 * compiles a long loop's function by on-stack replacement, and each rare branch first met late (a retransmission,
 * a zero window) threw that compile away — three compiles of the whole loop were a long stream's analysis.
 */
class Analyzer {
  readonly flows: [Flow, Flow] = [newFlow(), newFlow()];
  mruSyn = -1;
  firstRtt = 0;
  // Per direction, keyed by the sequence number as a signed 32-bit integer: a small integer key keeps the map on
  // V8's fast path.
  readonly firstSent: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
  readonly a: SegmentAnalysis = reset({} as SegmentAnalysis);

  step(p: StreamPacket, i: number): void {
    const { flows, firstSent, a } = this;
    let { mruSyn, firstRtt } = this;
    const fwd = flows[p.dir];
    const rev = flows[1 - p.dir]!;
    reset(a);
    a.reusedPorts = p.reusedPorts;
    a.windowSize = p.window;
    const { seq, ack, flags, len: seglen, window } = p;
    const nowNs = p.time * 1e9;

    // Window scaling, as verify_tcp_window_scaling decides it from the SYN and SYN-ACK.
    if (flags & TH_SYN) {
      const ws = p.options.find((o) => o.kind === 'WS');
      if (ws) fwd.winScale = Math.min(14, ws.value ?? 0);
      if (fwd.winScale === -1) {
        fwd.winScale = -2;
        rev.winScale = -2;
      } else if (flags & TH_ACK && rev.winScale === -2) fwd.winScale = -2;
      if (!(flags & TH_ACK)) mruSyn = nowNs;
    } else if (fwd.winScale >= 0) a.windowSize = window * 2 ** fwd.winScale;

    let lastFlags = 0;
    let skipFwdChecks = false;
    // The checks of tcp_analyze_sequence_number (Wireshark 4.0), in its order; a `goto finished_fwd` there is
    // `skipFwdChecks` here.
    // ZERO WINDOW PROBE
    if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
      a.zeroWindowProbe = true;
      lastFlags |= A_ZERO_WINDOW_PROBE;
      skipFwdChecks = true;
    }
    if (!skipFwdChecks) {
      if (window === 0 && (flags & (TH_RST | TH_FIN | TH_SYN)) === 0) a.zeroWindow = true;
      if (fwd.nextseq && gt(seq, fwd.nextseq) && (flags & TH_RST) === 0) a.lostSegment = true;
      if ((seglen === 0 || seglen === 1) && seq === ((fwd.nextseq - 1) >>> 0) && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0) {
        a.keepAlive = true;
        lastFlags |= A_KEEP_ALIVE;
      }
      const plainAck = seglen === 0 && seq === fwd.nextseq && ack === fwd.lastack && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
      if (plainAck && window && window !== fwd.window) a.windowUpdate = true;
      a.windowFull = windowFull(seq, seglen, flags, rev);
      if (plainAck && window && window === fwd.window && rev.lastsegmentflags & A_KEEP_ALIVE) {
        a.keepAliveAck = true;
        skipFwdChecks = true;
      } else if (plainAck && window === 0 && window === fwd.window && rev.lastsegmentflags & A_ZERO_WINDOW_PROBE) {
        a.zeroWindowProbeAck = true;
        skipFwdChecks = true;
      } else if (plainAck && window && window === fwd.window) {
        fwd.dupacknum = fwd.dupacknum === -1 ? 1 : fwd.dupacknum + 1;
        a.duplicateAck = fwd.dupacknum;
        a.duplicateAckOf = fwd.lastnondupack;
      }
    }
    if (ack !== fwd.lastack) {
      fwd.lastnondupack = p.frame;
      fwd.dupacknum = 0;
    }
    // ACKED UNSEEN SEGMENT (4.0.17): the first time, the bytes up to what was seen then count as acknowledged. Past
    // that point again: marked only if the other side has since sent an ACK that moved (its dupacknum is back at 0);
    // a stalled peer's pure ACKs do not repeat it.
    if (rev.maxseqtobeacked && gt(ack, rev.maxseqtobeacked) && flags & TH_ACK) {
      if (lt(rev.maxseqtobeacked, rev.nextseq)) {
        rev.maxseqtobeacked = rev.nextseq;
        a.ackedUnseen = true;
      } else {
        if (rev.dupacknum === 0) a.ackedUnseen = true;
        rev.dupacknum = -1;
      }
    }
    // Whether the segment occupies sequence space, and the sequence number after it.
    const occupies = seglen > 0 || (flags & (TH_SYN | TH_FIN)) !== 0;
    const nextseq = (seq + seglen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    const sent = firstSent[p.dir];
    const sentKey = seq | 0;
    if (occupies && !a.keepAlive) classifyResent(a, { seq, seglen, nextseq, nowNs, fwd, rev, ooo: firstRtt !== 0 ? firstRtt : 3_000_000 });
    if (a.retransmission) a.retransmissionOf = sent.get(sentKey) ?? null;
    // The first segment that carried each starting sequence number, to point retransmissions at it.
    if (occupies && !sent.has(sentKey)) sent.set(sentKey, i);
    if (gt(nextseq, fwd.nextseq) || !fwd.nextseq) {
      if (!a.zeroWindowProbe) {
        fwd.nextseq = nextseq;
        fwd.nextseqtime = nowNs;
      }
    }
    if (seq === fwd.maxseqtobeacked || !fwd.maxseqtobeacked) {
      if (!a.zeroWindowProbe) fwd.maxseqtobeacked = fwd.nextseq;
    }
    fwd.window = window;
    fwd.lastack = ack;
    fwd.lastacktime = nowNs;
    fwd.lastsegmentflags = lastFlags;
    fwd.seen = true;
    // After the analysis, as dissect_tcp does: the first RTT (SYN to the first ACK without SYN) and is_first_ack.
    if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) {
      if (mruSyn >= 0 && firstRtt === 0) firstRtt = nowNs - mruSyn;
      fwd.isFirstAck = false;
    }
    if (flags & TH_SYN) fwd.isFirstAck = true;
    this.mruSyn = mruSyn;
    this.firstRtt = firstRtt;
  }
}

/**
 * `a` as each segment's analysis starts: nothing found. Field by field (Object.assign from a frozen object was a
 * slow path); the one list of the fields and their blank values.
 */
function reset(a: SegmentAnalysis): SegmentAnalysis {
  a.retransmission = false;
  a.fastRetransmission = false;
  a.spuriousRetransmission = false;
  a.outOfOrder = false;
  a.duplicateAck = 0;
  a.duplicateAckOf = null;
  a.zeroWindow = false;
  a.zeroWindowProbe = false;
  a.zeroWindowProbeAck = false;
  a.keepAlive = false;
  a.keepAliveAck = false;
  a.windowUpdate = false;
  a.lostSegment = false;
  a.windowFull = false;
  a.ackedUnseen = false;
  a.reusedPorts = false;
  a.retransmissionOf = null;
  a.windowSize = 0;
  return a;
}

/**
 * WINDOW FULL: data that reaches exactly the right edge of the window the peer last advertised (known only once
 * the peer's window scaling is known).
 */
function windowFull(seq: number, seglen: number, flags: number, rev: Flow): boolean {
  if (seglen === 0 || rev.winScale === -1 || flags & (TH_SYN | TH_FIN | TH_RST)) return false;
  const edge = rev.lastack + rev.window * 2 ** (rev.isFirstAck || rev.winScale === -2 ? 0 : rev.winScale);
  return ((seq + seglen) >>> 0) === edge >>> 0;
}

/**
 * RETRANSMISSION / FAST RETRANSMISSION / OUT-OF-ORDER / SPURIOUS, for a segment that occupies sequence space and
 * is not a keep-alive, in tshark 4.0's order: spurious (its bytes already acknowledged), fast retransmission,
 * out-of-order, retransmission.
 * A segment of more than one byte starting at nextseq−1 (after a zero-window probe) adds new data: it is none of
 * these, though it can still be spurious.
 */
function classifyResent(a: SegmentAnalysis, s: { seq: number; seglen: number; nextseq: number; nowNs: number; fwd: Flow; rev: Flow; ooo: number }): void {
  const { seq, seglen, nowNs, fwd, rev } = s;
  let notAdvanced = fwd.nextseq !== 0 && lt(seq, fwd.nextseq);
  if (seglen > 1 && ((fwd.nextseq - 1) >>> 0) === seq) notAdvanced = false;
  if (seglen > 0 && rev.lastack !== 0 && !gt((seq + seglen) >>> 0, rev.lastack)) {
    a.spuriousRetransmission = a.retransmission = true;
  } else if (notAdvanced && (rev.dupacknum >= 2 || rev.dupacknum === -1) && rev.lastack === seq && since(nowNs, rev.lastacktime) < 20_000_000) {
    a.fastRetransmission = a.retransmission = true;
  } else if (notAdvanced && since(nowNs, fwd.nextseqtime) < s.ooo && fwd.nextseq !== s.nextseq) {
    a.outOfOrder = true;
  } else if (notAdvanced) a.retransmission = true;
}

/** Nanoseconds since `then`, as tshark's unsigned 64-bit difference: a time that went backwards is never "soon". */
const since = (now: number, then: number) => (now >= then ? now - then : Infinity);

function newFlow(): Flow {
  return {
    nextseq: 0,
    nextseqtime: 0,
    maxseqtobeacked: 0,
    lastack: 0,
    lastacktime: 0,
    window: 0xffffffff,
    lastsegmentflags: 0,
    dupacknum: 0,
    lastnondupack: 0,
    winScale: -1,
    seen: false,
    isFirstAck: false,
  };
}
