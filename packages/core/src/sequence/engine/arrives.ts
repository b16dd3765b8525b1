/**
 * RFC 9293 §3.10.7, SEGMENT ARRIVES: one function per state group, as the RFC orders them.
 *
 * - §3.10.7.1 CLOSED          → inClosed
 * - §3.10.7.2 LISTEN          → inListen
 * - §3.10.7.3 SYN-SENT        → inSynSent
 * - §3.10.7.4 other states    → otherwise, the RFC's checks in order: checkSequence (first), checkRst (second),
 *   security (third: no compartments are drawn), checkSyn (fourth), checkAck (fifth), URG (sixth: drawn as a flag
 *   only), processText (seventh), processFin (eighth).
 *
 * Replies the RFC sends at once (a RST for an unacceptable segment, the ACK of data) are not sent here: the author
 * draws them, and the engine checks and numbers them (`pendingReset`, `rcvNxt`). The sender's wire numbers
 * (`wireSeq`/`wireAck`) are rels, in the sender's and the receiver's sequence spaces.
 */
import type { Position } from '../../errors.js';
import type { Segment, SegmentMarkKind, TcpFlag } from '../../timeline.js';
import { startIncarnation } from './incarnation.js';
import { insertRange } from './seq.js';
import { flushQueues, type Endpoint, type Tcb } from './tcb.js';
import { cancelTimeWait, enterTimeWait } from './timeouts.js';
import { addMark, type Arrival, type World } from './world.js';

/** One arriving segment and what the receiver knows while it processes it. */
interface Arriving {
  w: World;
  e: Arrival;
  seg: Segment;
  rcv: Endpoint;
  snd: Endpoint;
  t: Tcb;
  at: number;
  seqRel: number;
  ackRel: number | null;
  len: number;
  idx: number;
  pos: Position | null;
  has: (f: TcpFlag) => boolean;
  mark: (kind: SegmentMarkKind, text: string) => void;
}

function unreachable(state: never): never {
  throw new Error(`unhandled TCP state ${String(state)}`);
}

/** §3.10.7: dispatch by the receiving TCB's state (the switch is exhaustive over TcpState: the compiler checks it). */
export function segmentArrives(w: World, e: Arrival): void {
  const a = arriving(w, e);
  if (!a) return;
  const state = a.t.state;
  switch (state.kind) {
    case 'CLOSED':
      return inClosed(a);
    case 'LISTEN':
      return inListen(a);
    case 'SYN_SENT':
      return inSynSent(a);
    case 'SYN_RCVD':
    case 'ESTABLISHED':
    case 'FIN_WAIT_1':
    case 'FIN_WAIT_2':
    case 'CLOSE_WAIT':
    case 'CLOSING':
    case 'LAST_ACK':
    case 'TIME_WAIT':
      return otherwise(a);
    default:
      return unreachable(state);
  }
}

/** Find the receiving TCB and note what every arrival tells it (activity, the peer's window, probes). */
function arriving(w: World, e: Arrival): Arriving | null {
  const seg = e.segment;
  const rcv = w.endpoints.get(seg.to)!;
  const snd = w.endpoints.get(seg.from)!;
  const mark = (kind: SegmentMarkKind, text: string) => addMark(seg.marks, kind, text);
  if (rcv.spoofed) {
    // Nobody at a forged address holds this connection: the segment goes unanswered.
    mark('dropped', 'no reply: spoofed address');
    return null;
  }
  const t = w.tcb(rcv, snd.id);
  const has = (f: TcpFlag) => seg.flags.includes(f);
  if (!e.keepalive) t.lastActivity = e.t;
  impliedListen(w, rcv, t, has, e.t);
  if (e.keepalive) t.gotKeepalive = true;
  if (!has('RST')) t.peerWindow = seg.window;
  if (seg.marks.some((m) => m.kind === 'zero-window-probe')) t.gotProbe = true;
  return { w, e, seg, rcv, snd, t, at: e.t, seqRel: e.wireSeq, ackRel: e.wireAck, len: seg.len, idx: seg.index, pos: seg.position, has, mark };
}

/**
 * An endpoint that has never done anything and receives a SYN was listening all along: a passive OPEN (§3.10.1).
 */
function impliedListen(w: World, rcv: Endpoint, t: Tcb, has: (f: TcpFlag) => boolean, at: number): void {
  const refuses = w.refusers.has(rcv.id) && !rcv.listener;
  // A listener's listening socket outlives its connections: a SYN after one ended finds it listening again.
  const implied = !rcv.changed && !rcv.explicitState && !refuses && !rcv.crashed && !t.used;
  if (t.state.kind === 'CLOSED' && (implied || rcv.listener) && has('SYN') && !has('ACK') && !rcv.spoofed) {
    rcv.listener = true;
    t.state = { kind: 'LISTEN' };
    // The first listen happened before anything (drawn at the start); a listener listening again, when the SYN comes.
    if (rcv.visible === 'CLOSED') w.show(rcv, 'LISTEN', t.used ? at : Math.min(0.5, at), null, 'passive open (listen)', null);
  }
}

/** §3.10.7.1: anything for a closed port is answered with a reset (an incoming RST is discarded). */
function inClosed(a: Arriving): void {
  const { t, has, seqRel, ackRel, len } = a;
  if (has('RST')) return;
  const why = has('SYN') && !has('ACK') ? 'port closed' : 'no such connection';
  const end = seqRel + len + (has('FIN') ? 1 : 0);
  t.pendingReset = has('ACK') && ackRel !== null ? { seq: ackRel, ack: end, zero: false, why } : { seq: null, ack: end + (has('SYN') ? 1 : 0), zero: true, why };
}

/** §3.10.7.2: a RST is ignored, an ACK is answered with a reset, a SYN makes a new connection in SYN-RECEIVED. */
function inListen(a: Arriving): void {
  const { w, t, rcv, snd, has, seqRel, ackRel, len, at, idx, pos } = a;
  if (has('RST')) return;
  if (has('ACK')) {
    t.pendingReset = { seq: ackRel, ack: null, zero: false, why: 'no such connection' };
    return;
  }
  if (!has('SYN')) return;
  if (rcv.backlog !== null) {
    let half = 0;
    for (const other of rcv.tcbs.values()) if (other.state.kind === 'SYN_RCVD') half++;
    if (half >= rcv.backlog) {
      a.mark('dropped', 'SYN queue full');
      w.warn('syn-queue-full', `${rcv.id}'s SYN queue (backlog ${rcv.backlog}) is full; the SYN from ${snd.id} is dropped`, pos);
      return;
    }
  }
  // A listener that had a connection on this pair before answers with a new incarnation's ISN.
  startIncarnation(w, rcv, t);
  t.irs = seqRel;
  t.rcvNxt = seqRel + 1 + len;
  t.used = true;
  t.synSent = false;
  t.sndNxt = t.iss;
  t.sndUna = t.iss;
  if (w.settings.twoWay) w.setState(rcv, t, 'ESTABLISHED', at, idx, 'SYN received: established at once (two-way handshake)', pos);
  else w.setState(rcv, t, { kind: 'SYN_RCVD', passive: true }, at, idx, 'SYN received (passive open)', pos);
}

/** §3.10.7.3: first the ACK bit, then RST, then SYN. */
function inSynSent(a: Arriving): void {
  const { w, t, rcv, has, seqRel, ackRel, len, at, idx, pos } = a;
  if (has('ACK') && ackRel !== null && !(ackRel > t.sndUna && ackRel <= t.sndNxt)) {
    // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set)".
    if (!has('RST')) {
      t.pendingReset = { seq: ackRel, ack: null, zero: false, why: 'unacceptable ACK' };
      a.mark('stale', 'unacceptable ACK');
    }
    return;
  }
  if (has('RST')) {
    if (has('ACK')) {
      w.setState(rcv, t, 'CLOSED', at, idx, 'connection refused (RST)', pos);
      flushQueues(t);
    }
    return;
  }
  if (has('SYN')) {
    t.irs = seqRel;
    t.rcvNxt = seqRel + 1 + len;
    if (has('ACK')) {
      ackUpTo(t, ackRel!);
      w.setState(rcv, t, 'ESTABLISHED', at, idx, 'SYN, ACK received', pos);
    } else if (t.sndUna > t.iss) {
      // "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to ESTABLISHED" — the second half
      // of a split SYN, ACK.
      w.setState(rcv, t, 'ESTABLISHED', at, idx, 'SYN received (own SYN already acknowledged)', pos);
    } else {
      w.setState(rcv, t, { kind: 'SYN_RCVD', passive: false }, at, idx, 'SYN received (simultaneous open)', pos);
    }
  } else if (has('ACK') && ackRel !== null) {
    // An acceptable ACK without SYN (the first half of a split SYN, ACK): our SYN arrived; wait for theirs.
    ackUpTo(t, ackRel);
  }
}

/** §3.10.7.4: SYN-RECEIVED and the synchronized states, the RFC's eight checks in order. */
function otherwise(a: Arriving): void {
  if (!checkSequence(a)) return;
  if (a.has('RST')) return checkRst(a);
  // Third, security: this engine draws no security compartments, so nothing is checked here.
  if (a.has('SYN') && !checkSyn(a)) return;
  if (!checkAck(a)) return;
  // Sixth, URG: urgent data is drawn as a flag; nothing in the connection's numbers changes.
  if (!processText(a)) return;
  processFin(a);
}

/**
 * First, the sequence number. Computed segments are in window by construction; what is checked is a segment of
 * an earlier incarnation (`stale`) carrying data or FIN, discarded when outside the receive window.
 */
function checkSequence(a: Arriving): boolean {
  const { w, e, t, rcv, has, seqRel, len } = a;
  if (t.state.kind === 'SYN_RCVD') return true;
  if (e.stale && !has('RST') && !has('SYN') && (len > 0 || has('FIN')) && t.rcvNxt !== null) {
    const win = rcv.window ?? w.settings.window;
    if (seqRel + len <= t.rcvNxt || seqRel >= t.rcvNxt + win) {
      a.mark('out-of-window', 'outside the window: discarded');
      return false;
    }
  }
  return true;
}

/** Second, the RST bit. */
function checkRst(a: Arriving): void {
  const { w, e, t, rcv, seg, seqRel, at, idx, pos } = a;
  if (t.state.kind === 'SYN_RCVD') {
    // "If this connection was initiated with a passive OPEN, then return this connection to the LISTEN state";
    // from an active OPEN the connection is refused.
    if (!t.state.passive) w.setState(rcv, t, 'CLOSED', at, idx, 'RST received', pos);
    else {
      w.setState(rcv, t, 'LISTEN', at, idx, 'RST received: back to listening', pos);
      t.rcvNxt = null;
      t.synSent = false;
      t.sndNxt = t.iss;
      flushQueues(t);
    }
    return;
  }
  // After RFC 5961: only a RST at exactly RCV.NXT resets. Computed RSTs always are; a hand-set seq (a blind reset
  // attack) may not be.
  if ((seg.overrides.includes('seq') || e.stale) && t.rcvNxt !== null && seqRel !== t.rcvNxt) {
    const inWindow = seqRel > t.rcvNxt && seqRel < t.rcvNxt + (rcv.window ?? w.settings.window);
    a.mark('out-of-window', inWindow ? 'RST in window: challenge ACK' : 'RST out of window: ignored');
    return;
  }
  cancelTimeWait(t, at);
  w.setState(rcv, t, 'CLOSED', at, idx, 'connection reset (RST)', pos);
  flushQueues(t);
}

/** Fourth, the SYN bit. Returns whether processing goes on (a SYN, ACK goes on to its ACK). */
function checkSyn(a: Arriving): boolean {
  const { w, t, rcv, snd, has, seqRel, len, pos } = a;
  if (t.state.kind === 'SYN_RCVD') {
    if (has('ACK')) return true;
    if (seqRel !== t.irs) {
      w.warn('unexpected-syn', `${rcv.id} is in SYN_RCVD and receives a different SYN from ${snd.id}`, pos);
      t.irs = seqRel;
      t.rcvNxt = seqRel + 1 + len;
    }
    return false;
  }
  if (t.irs !== null && seqRel === t.irs) {
    // the peer's SYN again (its SYN, ACK retransmitted, or two-way handshake duplicates)
    if (w.settings.twoWay && !has('ACK')) {
      a.mark('stale', 'redundant connection');
      w.warn('redundant-connection', `${rcv.id} accepts the repeated SYN as one more connection (two-way handshake)`, pos);
    }
  } else if (w.settings.twoWay && !has('ACK')) {
    w.warn('redundant-connection', `${rcv.id} opens one more connection for the SYN from ${snd.id} (two-way handshake)`, pos);
  } else if (!has('ACK')) {
    a.mark('out-of-window', 'SYN on an open connection');
  }
  return has('ACK');
}

/** Fifth, the ACK field. Returns whether processing goes on to the segment text. */
function checkAck(a: Arriving): boolean {
  const { w, t, rcv, has, ackRel, len, at, idx, pos } = a;
  if (t.state.kind === 'SYN_RCVD') {
    if (!has('ACK') || ackRel === null) return false;
    if (ackRel <= t.iss || ackRel > t.sndNxt || !t.synSent) {
      t.pendingReset = { seq: ackRel, ack: null, zero: false, why: 'unacceptable ACK' };
      a.mark('out-of-window', 'unacceptable ACK');
      return false;
    }
    ackUpTo(t, ackRel);
    w.setState(rcv, t, 'ESTABLISHED', at, idx, has('SYN') ? 'SYN, ACK received (simultaneous open)' : 'ACK of SYN received', pos);
    return true;
  }
  if (!has('ACK') || ackRel === null) return true;
  if (ackRel > t.sndNxt) {
    a.mark('out-of-window', 'acknowledges unsent data');
  } else if (ackRel > t.sndUna) {
    ackUpTo(t, ackRel);
    t.dupAcks = 0;
  } else if (ackRel === t.sndUna && len === 0 && !has('FIN') && t.outstanding.length) {
    t.dupAcks++;
  }
  if (t.finSent && ackRel >= t.finRel + 1) {
    if (t.state.kind === 'FIN_WAIT_1') w.setState(rcv, t, 'FIN_WAIT_2', at, idx, 'ACK of FIN received', pos);
    else if (t.state.kind === 'CLOSING') enterTimeWait(w, rcv, t, at, idx, 'ACK of FIN received', pos);
    else if (t.state.kind === 'LAST_ACK') {
      w.setState(rcv, t, 'CLOSED', at, idx, 'ACK of FIN received', pos);
      return false;
    }
  }
  return true;
}

/** SND.UNA advances; the acknowledged prefix leaves the retransmission queue. */
function ackUpTo(t: Tcb, ackRel: number): void {
  if (ackRel > t.sndUna) t.sndUna = ackRel;
  // Outstanding segments are in sequence order: drop the acknowledged prefix.
  let n = 0;
  while (n < t.outstanding.length && t.outstanding[n]!.end <= ackRel) n++;
  if (n) t.outstanding.splice(0, n);
  if (t.lostPending.length) t.lostPending = t.lostPending.filter((o) => o.end > ackRel);
}

/** Seventh, the segment text. Returns whether the FIN is looked at (not for keep-alives and window probes). */
function processText(a: Arriving): boolean {
  const { t, seg, seqRel, len } = a;
  if (t.rcvNxt === null) return false;
  if (seg.marks.some((m) => m.kind === 'keepalive')) return false;
  // A zero-window probe's byte is outside the closed window: not accepted, only answered.
  if (seg.marks.some((m) => m.kind === 'zero-window-probe')) return false;
  if (len === 0) return true;
  const open = t.state.kind === 'ESTABLISHED' || t.state.kind === 'FIN_WAIT_1' || t.state.kind === 'FIN_WAIT_2' || t.state.kind === 'SYN_RCVD';
  if (t.pendingFin !== null || !open) {
    // Bytes it already has (a delayed duplicate reaching TIME_WAIT) are discarded; new ones are an error.
    if (seqRel + len <= t.rcvNxt && !seg.retransmission) addMark(seg.marks, 'dropped', 'old duplicate: discarded');
    else addMark(seg.marks, 'out-of-window', 'data after FIN');
  } else if (seqRel === t.rcvNxt) {
    // Filling a gap that later data already left behind, without being a retransmission: it was overtaken.
    if (t.ooo.length > 0 && !seg.retransmission) addMark(seg.marks, 'out-of-order', 'out-of-order');
    t.rcvNxt += len;
    mergeOoo(t);
  } else if (seqRel > t.rcvNxt) {
    insertRange(t.ooo, seqRel, seqRel + len);
  } else if (seqRel + len <= t.rcvNxt) {
    // already received: a spurious retransmission
  } else {
    t.rcvNxt = seqRel + len;
  }
  t.dataSinceAck = true;
  return true;
}

/**
 * The receiver acknowledges, by an explicit ack=, bytes that never arrived in the diagram: it did receive them, the
 * capture point just did not see them (a capture's ACK of an unseen segment). RCV.NXT moves up to there, and a FIN
 * waiting behind the gap is taken in at this instant.
 */
export function receivedUnseen(w: World, rcv: Endpoint, t: Tcb, upTo: number, at: number, idx: number, pos: Position | null): void {
  if (t.rcvNxt === null || upTo <= t.rcvNxt) return;
  const fin = t.pendingFin;
  t.rcvNxt = fin !== null && upTo > fin ? fin : upTo;
  mergeOoo(t);
  if (fin !== null && t.rcvNxt === fin && upTo > fin) {
    t.pendingFin = null;
    t.rcvNxt = fin + 1;
    finReceived(w, rcv, t, at, idx, pos);
  }
}

function mergeOoo(t: Tcb): void {
  let n = 0;
  while (n < t.ooo.length && t.ooo[n]![0] <= t.rcvNxt!) {
    const end = t.ooo[n]![1];
    if (end > t.rcvNxt!) t.rcvNxt = end;
    n++;
  }
  if (n) t.ooo.splice(0, n);
}

/** Eighth, the FIN bit (a FIN ahead of missing data waits in `pendingFin` until the gap fills). */
function processFin(a: Arriving): void {
  const { w, t, rcv, seg, seqRel, len, at } = a;
  const rcvNxt = t.rcvNxt!;
  if (seg.flags.includes('FIN')) {
    const finSeq = seqRel + len;
    if (finSeq === rcvNxt) {
      t.rcvNxt = rcvNxt + 1;
      finReceived(w, rcv, t, at, seg.index, seg.position);
    } else if (finSeq + 1 === rcvNxt) {
      // A FIN we already have: its ACK was lost. In TIME_WAIT this restarts the 2MSL timer.
      if (t.state.kind === 'TIME_WAIT') enterTimeWait(w, rcv, t, at, seg.index, 'FIN retransmission received: 2MSL restarts', seg.position, true);
    } else if (finSeq > rcvNxt) {
      t.pendingFin = finSeq;
    }
  }
  if (t.pendingFin !== null && t.pendingFin === t.rcvNxt) {
    t.pendingFin = null;
    t.rcvNxt += 1;
    finReceived(w, rcv, t, at, seg.index, seg.position);
  }
}

/** §3.10.7.4, eighth, the state changes a FIN makes. */
function finReceived(w: World, rcv: Endpoint, t: Tcb, at: number, idx: number, pos: Position | null): void {
  const state = t.state;
  switch (state.kind) {
    case 'SYN_RCVD':
    case 'ESTABLISHED':
      return w.setState(rcv, t, 'CLOSE_WAIT', at, idx, 'FIN received', pos);
    case 'FIN_WAIT_1':
      return w.setState(rcv, t, 'CLOSING', at, idx, 'FIN received (simultaneous close)', pos);
    case 'FIN_WAIT_2':
      return enterTimeWait(w, rcv, t, at, idx, 'FIN received', pos);
    case 'CLOSE_WAIT':
    case 'CLOSING':
    case 'LAST_ACK':
    case 'TIME_WAIT':
      return; // "Remain in the … state" (a FIN retransmission in TIME-WAIT restarts 2MSL: processFin)
    case 'CLOSED':
    case 'LISTEN':
    case 'SYN_SENT':
      return; // not reached: these states do not process the text (§3.10.7.1–3)
    default:
      return unreachable(state);
  }
}
