/**
 * RFC 9293 §3.10.1–3.10.5, the user calls, as the author writes them: every segment line is what a user call (or a
 * reply the RFC makes the TCP send) puts on the wire.
 *
 * - §3.10.1 OPEN  → openCall (a SYN from CLOSED/LISTEN, or its retransmission) and answerSyn (the SYN, ACK that
 *   §3.10.7.2 sends in reply to a SYN in LISTEN)
 * - §3.10.2 SEND  → sendCall (data), pureAck (an ACK, window update or keep-alive)
 * - §3.10.4 CLOSE → closeCall (a FIN, or its retransmission)
 * - §3.10.5 ABORT → abortCall (a RST on an open connection)
 * - a reset owed by §3.10.7 (an unacceptable segment) → replyReset
 * - a segment of an earlier incarnation or a forged address → foreignSegment (no connection state involved)
 *
 * send() reads the line (readRequest), decides the numbers (decide), applies the author's explicit values
 * (applyOverrides), marks what a reader should notice (connectionMarks), and records it (record).
 */
import { WiregramError, type Position } from '../../errors.js';
import type { Segment, SegmentMark, SegmentMarkKind, TcpFlag, TcpOption, TcpState } from '../../timeline.js';
import type { SegmentAttribute, SegmentStatement, SeqValue } from '../ast.js';
import { formatSeq } from '../../labels.js';
import { SEQUENCE_LIMITS } from '../parser.js';
import type { Space } from './seq.js';
import { receivedUnseen } from './arrives.js';
import { settleIss, startIncarnation } from './incarnation.js';
import { SYNCHRONIZED, flagsKey, type Endpoint, type Outstanding, type PlainState, type Tcb } from './tcb.js';
import { cancelTimeWait, retransmissionTimer } from './timeouts.js';
import { addMark, err, type Cursor, type World } from './world.js';

/** A segment line, read: who sends what, and the sender's TCB. */
interface Request {
  s: SegmentStatement;
  from: Endpoint;
  to: Endpoint;
  t: Tcb;
  /** The receiver's TCB for this connection, if it has one yet. */
  peer: Tcb | null;
  state: TcpState;
  position: Position;
  flags: TcpFlag[];
  has: (f: TcpFlag) => boolean;
  attrs: Map<string, SegmentAttribute>;
  len: number;
  payload: string | null;
  keepalive: boolean;
  stale: boolean;
  force: boolean;
  lost: boolean;
  isData: boolean;
  /** Sequence space the segment takes: its bytes, plus one each for SYN and FIN. */
  consumes: number;
  needsAck: boolean;
  pure: boolean;
  /** RFC 9293 §3.8.6.1: with the peer's window closed, the sender probes it with one byte. */
  probe: boolean;
  sentAt: number;
  marks: SegmentMark[];
  mark: (kind: SegmentMarkKind, text: string) => void;
}

/** What the engine decides the segment carries (rels, see seq.ts). */
interface Draft {
  seqRel: number;
  ackRel: number | null;
  retransmission: boolean;
  retransmissionOf: number | null;
  rtoFrom: Outstanding | null;
  zeroSeq: boolean;
  newState: { state: PlainState; reason: string } | null;
  /** Set when this segment goes out as a probe (not when it retransmits a lost byte). */
  probing: boolean;
  /** A pure ACK sent before the sender's own SYN: its seq means nothing yet, so the label omits it. */
  preSynAck: boolean;
  /** Bytes already sent, sent again under an explicit seq= (not queued for retransmission a second time). */
  repeat: boolean;
}

/** One segment line: decide its numbers, record it, and put it on the wire. */
export function send(w: World, s: SegmentStatement, cursor: Cursor): void {
  const req = readRequest(w, s, cursor);
  const d = decide(w, req);
  const fromSpace = w.spaceFor(req.from, req.to.id);
  const toSpace = w.spaceFor(req.to, req.from.id);
  const overrides = applyOverrides(w, req, d, fromSpace, toSpace);
  const { window, options } = windowAndOptions(w, req, overrides);
  connectionMarks(w, req, d, window);
  const seg = buildSegment(w, req, d, fromSpace, toSpace, overrides, window, options);
  w.segments.push(seg);
  if (!req.stale && !req.from.spoofed) record(w, req, d, seg);
  const { sentAt } = req;
  if (sentAt > w.clock) w.clock = sentAt;
  cursor.lastSentAt = sentAt;
  cursor.now = Math.max(cursor.now, seg.arrivesAt, sentAt);
  if (cursor.now > SEQUENCE_LIMITS.maxTime) err('too-long', 'the diagram runs for too long', req.position, `a total time below ${SEQUENCE_LIMITS.maxTime}`, null);
  if (!req.lost) {
    w.schedule({ t: seg.arrivesAt, order: w.eventOrder++, kind: 'arrive', segment: seg, wireSeq: d.seqRel, wireAck: d.ackRel, keepalive: req.keepalive, stale: req.stale });
  }
}

/** The attributes, flags and payload of a segment line, checked; then time passes up to when it is sent. */
function readRequest(w: World, s: SegmentStatement, cursor: Cursor): Request {
  const from = w.endpoint(s.from);
  const to = w.endpoint(s.to);
  if (from === to) err('self-segment', `${from.id} cannot send a segment to itself`, s.to.position, 'two different participants', null);
  w.started = true;
  if (w.segments.length >= SEQUENCE_LIMITS.maxSegments) {
    err('too-many-segments', `more than ${SEQUENCE_LIMITS.maxSegments} segments in one diagram`, s.position, `at most ${SEQUENCE_LIMITS.maxSegments} segments`, 'draw the interesting part, or split the diagram (loops count every repetition)');
  }
  const attrs = new Map<string, SegmentAttribute>();
  for (const a of s.attributes) {
    if (attrs.has(a.key)) err('duplicate-attribute', `${a.key} is given twice`, a.position, `one ${a.key}`, null);
    attrs.set(a.key, a);
  }
  const flags: TcpFlag[] = [];
  for (const f of s.flags) if (!flags.includes(f.flag)) flags.push(f.flag);
  const keepalive = attrs.has('keepalive');
  if (keepalive && flags.length === 0) flags.push('ACK');
  const has = (f: TcpFlag) => flags.includes(f);
  const { len, payload } = readPayload(s, attrs, keepalive);
  if (has('SYN') && has('RST')) err('bad-flags', 'SYN and RST together make no sense', s.flags[0]!.position, 'SYN or RST', null);

  // Never before what has already happened (a `&` after a `wait` cannot reach back past processed arrivals).
  const sentAt = Math.max(s.concurrent ? cursor.lastSentAt : cursor.now, w.clock);
  // Everything that has arrived by now is known to the sender before it decides this segment's numbers.
  w.deliver(sentAt);
  const t = w.tcb(from, to.id);
  from.started = true;
  to.started = true;
  const stale = attrs.has('stale');
  const isData = len > 0;
  const marks: SegmentMark[] = [];
  return {
    s,
    from,
    to,
    t,
    peer: to.tcbs.get(from.id) ?? null,
    state: t.state.kind,
    position: s.position,
    flags,
    has,
    attrs,
    len,
    payload,
    keepalive,
    stale,
    force: attrs.has('force'),
    lost: attrs.has('lost'),
    isData,
    consumes: len + (has('SYN') ? 1 : 0) + (has('FIN') ? 1 : 0),
    needsAck: has('ACK'),
    pure: !has('SYN') && !has('FIN') && !has('RST') && !isData,
    probe: len === 1 && !keepalive && !stale && !from.spoofed && !has('SYN') && !has('FIN') && !has('RST') && t.peerWindow === 0,
    sentAt,
    marks,
    mark: (kind, text) => addMark(marks, kind, text),
  };
}

function readPayload(s: SegmentStatement, attrs: Map<string, SegmentAttribute>, keepalive: boolean): { len: number; payload: string | null } {
  let len = 0;
  let payload: string | null = null;
  const lenAttr = attrs.get('len');
  if (s.payload) {
    payload = s.payload.value;
    len = utf8Length(payload);
    if (lenAttr && lenAttr.value !== len) {
      err('len-mismatch', `len=${lenAttr.value} but the payload is ${len} bytes`, lenAttr.position, `len=${len} or no len`, "leave len out; the payload's UTF-8 length counts");
    }
  } else if (lenAttr) len = lenAttr.value as number;
  if (keepalive && len > 1) err('bad-keepalive', 'a keep-alive probe carries at most one byte', lenAttr?.position ?? s.position, 'keepalive or keepalive len=1', null);
  return { len, payload };
}

/** Which user call the line is, and the numbers it gives. `force` draws what the protocol forbids, marked. */
function decide(w: World, req: Request): Draft {
  const d: Draft = { seqRel: 0, ackRel: null, retransmission: false, retransmissionOf: null, rtoFrom: null, zeroSeq: false, newState: null, probing: false, preSynAck: false, repeat: false };
  const { t, has } = req;
  try {
    if (req.stale || req.from.spoofed) foreignSegment(req, d);
    else if (has('RST')) {
      if (t.pendingReset) replyReset(req, d);
      else abortCall(req, d);
    } else if (has('SYN')) {
      if (has('ACK')) answerSyn(w, req, d);
      else openCall(w, req, d);
      // The SYN again: with the number the first one carried, even one the author set by hand.
      if (d.retransmission) {
        const o = t.outstanding.find((x) => x.flagsKey.includes('SYN'));
        retransmitting(d, o);
        if (o) d.seqRel = o.start;
      }
    } else {
      checkSynchronized(req);
      d.ackRel = req.needsAck ? t.rcvNxt : null;
      if (has('FIN')) closeCall(req, d);
      else if (req.isData) sendCall(req, d);
      else pureAck(w, req, d);
    }
  } catch (e) {
    if (!(req.force && e instanceof WiregramError && e.code !== 'internal')) throw e;
    d.seqRel = t.sndNxt;
    d.ackRel = req.needsAck ? (t.rcvNxt ?? 0) : null;
    d.retransmission = false;
    d.retransmissionOf = null;
    d.rtoFrom = null;
    d.newState = null;
    if (!has('RST')) t.sndNxt += req.consumes;
    req.mark('override', `forced: ${e.reason}`);
    w.warn('forced', `drawn although ${e.reason}`, req.position);
  }
  return d;
}

function retransmitting(d: Draft, o: Outstanding | undefined): void {
  if (!o) return;
  d.retransmission = true;
  d.retransmissionOf = o.index;
  d.rtoFrom = o;
}

/** A segment from an old incarnation or a forged address: the sender's connection state is not involved. */
function foreignSegment(req: Request, d: Draft): void {
  const { t, has } = req;
  if (req.stale) {
    req.mark('stale', 'old duplicate');
    if (!req.attrs.has('seq')) err('stale-needs-seq', 'a stale segment needs the old sequence number it carries', req.position, 'seq=… (e.g. seq=90 or seq=x0)', 'write the historical number: client -> server: SYN seq=90 stale');
  }
  if (req.from.spoofed) req.mark('spoofed', 'spoofed source');
  d.seqRel = has('SYN') ? t.iss : t.sndNxt;
  if (!req.stale && has('SYN')) {
    t.synSent = true;
    t.sndNxt = Math.max(t.sndNxt, t.iss + 1);
  }
  if (req.needsAck) d.ackRel = t.rcvNxt ?? 0;
}

/** The reset §3.10.7 owes for an unacceptable segment. It leaves the sender's own state as it was. */
function replyReset(req: Request, d: Draft): void {
  const { t } = req;
  const p = t.pendingReset!;
  req.mark('reset', p.why);
  d.seqRel = p.seq ?? t.sndNxt;
  d.zeroSeq = p.zero;
  if (req.needsAck) d.ackRel = p.ack ?? t.rcvNxt;
  if (req.needsAck && d.ackRel === null) err('rst-ack-nothing', `${req.from.id} has received nothing to acknowledge`, req.position, 'RST without ACK', 'write RST alone');
  t.pendingReset = null;
}

/** §3.10.5 ABORT: "Send a reset segment: <SEQ=SND.NXT><CTL=RST>", and the connection is CLOSED. */
function abortCall(req: Request, d: Draft): void {
  const { t, state, from, to } = req;
  if (state === 'CLOSED' && t.used && !t.pendingReset) {
    // The connection is gone, and a RST is what §3.10.7.1 sends for any segment that still arrives: this one answers
    // a segment the diagram does not show (a capture point missed it, or saw it only after the RST). Drawn as a reply.
    d.seqRel = t.sndNxt;
    if (req.needsAck && t.rcvNxt !== null) d.ackRel = t.rcvNxt;
    req.mark('reset', 'answers a segment not in the diagram');
    return;
  }
  if (state === 'CLOSED' || state === 'LISTEN') {
    err(
      'rst-without-connection',
      `${from.id} cannot send RST in ${state} — nothing arrived that it could reset`,
      req.position,
      'a RST that answers a segment arriving for no connection, or aborts an open one',
      `a RST answers something: let ${to.id} send a segment to ${from.id} first`,
    );
  }
  d.seqRel = t.sndNxt;
  if (req.needsAck) {
    if (t.rcvNxt === null) err('rst-ack-nothing', `${from.id} has received nothing to acknowledge`, req.position, 'RST without ACK', 'write RST alone');
    d.ackRel = t.rcvNxt;
  }
  d.newState = { state: 'CLOSED', reason: 'abort (RST sent)' };
  req.mark('reset', 'abort');
}

/** §3.10.7.2: the SYN, ACK a listener sends for a SYN ("<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"), or its repeat. */
function answerSyn(w: World, req: Request, d: Draft): void {
  const { t, state, from, to, flags } = req;
  if (t.rcvNxt === null) {
    err('synack-without-syn', `${from.id} cannot send SYN, ACK in ${state} — it has not received a SYN`, req.position, `${to.id} -> ${from.id}: SYN first`, `let ${to.id} send SYN first; a SYN, ACK answers it`);
  }
  const twoWayAgain = state === 'ESTABLISHED' && w.settings.twoWay;
  if (state !== 'SYN_RCVD' && !twoWayAgain) {
    err('bad-syn', `${from.id} cannot send SYN, ACK in ${state} — the connection is already synchronised`, req.position, 'SYN, ACK only in SYN_RCVD', null);
  }
  if (twoWayAgain) t.synFlagsKey = '';
  settleIss(w, from, t);
  d.seqRel = t.iss;
  d.ackRel = t.rcvNxt;
  if (t.synSent && t.synFlagsKey === flagsKey(flags)) d.retransmission = true;
  t.synSent = true;
  t.synFlagsKey = flagsKey(flags);
  t.sndNxt = Math.max(t.sndNxt, t.iss + 1 + req.len);
}

/** §3.10.1 OPEN (active): "<SEQ=ISS><CTL=SYN>", SYN-SENT; or the same SYN again (a retransmission). */
function openCall(w: World, req: Request, d: Draft): void {
  const { t, state, from, flags } = req;
  if (state === 'CLOSED' || state === 'LISTEN') {
    startIncarnation(w, from, t);
    d.seqRel = t.iss;
    t.synSent = true;
    t.synFlagsKey = flagsKey(flags);
    t.sndNxt = t.iss + 1 + req.len;
    d.newState = { state: 'SYN_SENT', reason: 'active open (connect)' };
  } else if (state === 'SYN_SENT' || (t.state.kind === 'SYN_RCVD' && !t.state.passive)) {
    d.seqRel = t.iss;
    d.retransmission = true;
  } else if (t.state.kind === 'SYN_RCVD' && t.state.passive && !t.synSent) {
    // The SYN, ACK split in two (RFC 9293 allows it; the seeds' "four-way handshake"): the ACK went first, this is
    // the passive side's own SYN.
    d.seqRel = t.iss;
    t.synSent = true;
    t.synFlagsKey = flagsKey(flags);
    t.sndNxt = t.iss + 1 + req.len;
  } else {
    err(
      'syn-in-state',
      `${from.id} cannot send SYN in ${state} — ${SYNCHRONIZED.has(state) ? 'the connection is already open' : 'it is answering a SYN'}`,
      req.position,
      state === 'SYN_RCVD' ? 'SYN, ACK' : 'no SYN on an open connection',
      state === 'SYN_RCVD' ? `${from.id} answers with SYN, ACK` : 'close the connection first, or draw a new one',
    );
  }
}

/** FIN, data and ACKs need a connection whose peer's SYN has arrived: say which step is missing. */
function checkSynchronized(req: Request): void {
  const { t, state, from, to, has, isData } = req;
  const who = from.id;
  if (t.rcvNxt === null && (req.needsAck || isData || has('FIN'))) {
    if (state === 'SYN_SENT') {
      const what = isData ? 'data' : has('FIN') ? 'FIN' : 'ACK';
      err(
        isData ? 'data-before-handshake' : has('FIN') ? 'fin-before-handshake' : 'ack-before-synack',
        isData ? `${who} cannot send data in SYN_SENT — the handshake has not finished` : `${who} cannot send ${what} in SYN_SENT — it has not received ${to.id}'s SYN yet`,
        req.position,
        `${to.id} -> ${who}: SYN, ACK first`,
        isData ? `wait for ${to.id}'s SYN, ACK and send the ACK first` : `let ${to.id} answer with SYN, ACK first`,
      );
    }
    if (state === 'CLOSED' && has('FIN')) finFromClosed(req);
    noConnection(req, isData ? 'data' : has('FIN') ? 'FIN' : 'ACK');
  }
  if (state === 'CLOSED' || state === 'LISTEN') {
    if (has('FIN')) finFromClosed(req);
    noConnection(req, isData ? 'data' : 'ACK');
  }
  if (state === 'SYN_SENT' && (isData || has('FIN'))) {
    err(isData ? 'data-before-handshake' : 'fin-before-handshake', `${who} cannot send ${isData ? 'data' : 'FIN'} in SYN_SENT — the handshake has not finished`, req.position, 'the handshake to finish first', 'send the ACK first');
  }
}

function finFromClosed(req: Request): never {
  const { from, to, state } = req;
  return err('fin-from-closed', `${from.id} cannot send FIN in ${state} — there is no connection to close`, req.position, 'a FIN on an open connection (ESTABLISHED or CLOSE_WAIT)', `open the connection first: ${from.id} -> ${to.id}: SYN`);
}

function noConnection(req: Request, what: string): never {
  const { from, to, state } = req;
  return err(
    'no-connection',
    `${from.id} cannot send ${what} in ${state} — there is no connection${state === 'LISTEN' ? ' yet' : ''}`,
    req.position,
    state === 'LISTEN' ? `${from.id} to receive a SYN first` : `a SYN to open the connection first`,
    state === 'LISTEN' ? `let the other side send SYN first` : `open the connection: ${from.id} -> ${to.id}: SYN`,
  );
}

/** §3.10.4 CLOSE: a FIN from ESTABLISHED (→ FIN-WAIT-1) or CLOSE-WAIT (→ LAST-ACK); or the same FIN again. */
function closeCall(req: Request, d: Draft): void {
  const { t, state, from, to, len, isData } = req;
  if (state === 'ESTABLISHED' || state === 'SYN_RCVD' || state === 'CLOSE_WAIT') {
    if (isData && state === 'SYN_RCVD') err('data-before-handshake', `${from.id} cannot send data in SYN_RCVD — the handshake has not finished`, req.position, `${to.id}'s ACK first`, `let ${to.id} send the ACK first`);
    d.seqRel = t.sndNxt;
    t.finSent = true;
    t.finRel = t.sndNxt + len;
    t.sndNxt += len + 1;
    d.newState = state === 'CLOSE_WAIT' ? { state: 'LAST_ACK', reason: "close() after the peer's FIN" } : { state: 'FIN_WAIT_1', reason: 'active close (close)' };
  } else if (t.finSent && (state === 'FIN_WAIT_1' || state === 'CLOSING' || state === 'LAST_ACK' || (AFTER_FIN.has(state) && (req.attrs.has('retransmit') || req.attrs.has('seq'))))) {
    d.seqRel = t.finRel - len;
    d.retransmission = true;
    retransmitting(d, t.outstanding.find((x) => x.end === t.finRel + 1));
  } else {
    err(
      'fin-in-state',
      `${from.id} cannot send FIN in ${state} — ${t.finSent ? 'it has already sent its FIN and had it acknowledged' : 'the handshake has not finished'}`,
      req.position,
      'a FIN from ESTABLISHED or CLOSE_WAIT',
      t.finSent ? 'an endpoint sends one FIN; a retransmission is only possible before it is acknowledged' : 'finish the handshake first',
    );
  }
}

/** §3.10.2 SEND: data at SND.NXT; or a lost segment again, a keep-alive byte, or a zero-window probe. */
function sendCall(req: Request, d: Draft): void {
  const { t, state, from, to, s, attrs, keepalive, len, flags } = req;
  if (state === 'SYN_RCVD') {
    err('data-before-handshake', `${from.id} cannot send data in SYN_RCVD — the handshake has not finished`, req.position, `${to.id}'s ACK first`, `let ${to.id} send the ACK first`);
  }
  if (state !== 'ESTABLISHED' && state !== 'CLOSE_WAIT' && !keepalive) {
    if (resendBeforeFin(req, d)) return;
    err(
      'data-after-fin',
      `${from.id} cannot send data in ${state} — it has already sent its FIN`,
      req.position,
      'data before the FIN (ESTABLISHED), or from the side that has not closed yet (CLOSE_WAIT)',
      'send the data before the FIN',
    );
  }
  // A retransmission: the author repeats a lost (or unacknowledged, after a timeout) segment of the same size.
  let again: Outstanding | undefined;
  if (attrs.has('retransmit')) again = t.outstanding.find((o) => !o.retransmitted && o.len > 0);
  else if (!s.concurrent && t.lostPending.length) {
    const key = flagsKey(flags);
    again = t.lostPending.find((o) => o.len === len && o.flagsKey === key);
  }
  if (keepalive) {
    d.seqRel = t.sndNxt - 1;
  } else if (again) {
    d.seqRel = again.start;
    retransmitting(d, again);
  } else if (req.probe) {
    // One byte pushed into the peer's zero window: it is not accepted, so SND.NXT stays (as Wireshark's analysis
    // counts it); the byte goes again with the data once the window opens.
    d.seqRel = t.sndNxt;
    d.probing = true;
  } else {
    d.seqRel = t.sndNxt;
    t.sndNxt += len;
  }
}

/**
 * States after the own FIN in which bytes sent before it may go again. Once the FIN is acknowledged (FIN-WAIT-2,
 * TIME-WAIT) only as an explicit copy (`retransmit` or `seq=`): a spurious retransmission that crossed the ACK, or a
 * duplicate the network made, which a capture shows late.
 */
const AFTER_FIN: ReadonlySet<TcpState> = new Set(['FIN_WAIT_1', 'CLOSING', 'LAST_ACK', 'FIN_WAIT_2', 'TIME_WAIT']);

/**
 * §3.10.2 SEND after CLOSE: no new data, but bytes sent before the FIN may go again while the FIN is unacknowledged
 * (FIN-WAIT-1, CLOSING, LAST-ACK) — what real stacks do when such a segment was lost. The author marks it
 * `retransmit` or names its `seq=` below the FIN; SND.NXT does not move.
 */
function resendBeforeFin(req: Request, d: Draft): boolean {
  const { t, state, attrs, len } = req;
  if (!t.finSent || !AFTER_FIN.has(state)) return false;
  if (!attrs.has('retransmit') && !attrs.has('seq')) return false;
  const again = t.outstanding.find((o) => !o.retransmitted && o.len > 0 && o.end <= t.finRel);
  d.seqRel = again ? again.start : t.finRel - len;
  d.retransmission = true;
  retransmitting(d, again);
  return true;
}

/** An ACK without data (maybe PSH/URG/ECE/CWR): at SND.NXT, or a lost one repeated. */
function pureAck(w: World, req: Request, d: Draft): void {
  const { t, state, from, to, keepalive } = req;
  if (state === 'SYN_SENT') {
    err('ack-before-synack', `${from.id} cannot send ACK in SYN_SENT — it has not received ${to.id}'s SYN yet`, req.position, `${to.id} -> ${from.id}: SYN, ACK first`, `let ${to.id} answer with SYN, ACK first`);
  }
  d.seqRel = keepalive ? t.sndNxt - 1 : t.sndNxt;
  // An ACK from SYN_RCVD before the own SYN (a split SYN, ACK): no sequence number is established yet.
  if (t.state.kind === 'SYN_RCVD' && t.state.passive && !t.synSent) d.preSynAck = true;
  if (req.attrs.has('retransmit') && t.outstanding.length) {
    const o = t.outstanding[0]!;
    d.seqRel = o.start;
    retransmitting(d, o);
  }
  if (t.lastLostPure && t.lastLostPure.seq === d.seqRel && t.lastLostPure.ack === d.ackRel) {
    d.retransmission = true;
    d.retransmissionOf = w.lastLostIndex(from.id, to.id, d.seqRel);
  }
}

/**
 * New data, a FIN or an ACK written at a sequence number other than SND.NXT, as captures show them:
 * - past SND.NXT: the bytes in between were sent but are not in the diagram (Wireshark: "previous segment not
 *   captured"). SND.NXT (and the FIN's place) move past them, so what follows continues from there and an ACK of
 *   them acknowledges sent bytes.
 * - below SND.NXT: a copy of bytes already sent (a duplicate, or a segment the capture point saw late); SND.NXT
 *   only moves for the bytes past it, and a copy is not queued for retransmission again.
 */
function placeExplicitSeq(req: Request, d: Draft, computedSeq: number): void {
  const { t, has } = req;
  const fresh = computedSeq + req.consumes === t.sndNxt && !d.retransmission && !req.keepalive && !d.probing;
  if (!fresh || req.from.spoofed || has('SYN') || has('RST') || d.seqRel === computedSeq) return;
  const end = d.seqRel + req.consumes;
  t.sndNxt = Math.max(computedSeq, end);
  if (has('FIN')) t.finRel = d.seqRel + req.len;
  d.repeat = req.consumes > 0 && end <= computedSeq;
}

/** Explicit seq/ack values: accepted, and marked when they differ from what the protocol gives. */
function applyOverrides(w: World, req: Request, d: Draft, fromSpace: Space, toSpace: Space): string[] {
  const { from, to, attrs, stale, needsAck } = req;
  const overrides: string[] = [];
  const computedSeq = d.seqRel;
  const seqAttr = attrs.get('seq');
  if (seqAttr) {
    const v = seqAttr.value as SeqValue;
    d.seqRel = fromSpace.relOf(from.id, v, computedSeq, stale);
    // Only a value other than the computed one overrides; the same value merely confirms (or names) it.
    if (d.seqRel !== computedSeq) overrides.push('seq');
    d.zeroSeq = false;
    if (d.seqRel !== computedSeq && !stale) {
      req.mark('override', `seq overridden (expected ${formatSeq(fromSpace.number(computedSeq))})`);
      w.warn('override', `seq=${v.text} differs from the computed ${formatSeq(fromSpace.number(computedSeq))}; drawn as written`, v.position);
    }
    if (!stale) placeExplicitSeq(req, d, computedSeq);
  }
  const ackAttr = attrs.get('ack');
  if (ackAttr) {
    const v = ackAttr.value as SeqValue;
    if (!needsAck) err('ack-without-flag', `ack=${v.text} on a segment without the ACK flag`, v.position, 'the ACK flag, e.g. "ACK, ack=x+1"', 'add ACK to the flags');
    const computed = d.ackRel;
    // A stale segment's ack belongs to the old incarnation too: a new symbol there is not a name for a live number.
    const rel = toSpace.relOf(to.id, v, computed ?? 0, stale);
    const peerNxt = req.peer?.sndNxt ?? 0;
    if (!v.forced && !stale && rel > peerNxt) {
      err(
        'ack-unsent',
        `${from.id} acknowledges ${v.text}, but ${to.id} has only sent up to ${formatSeq(toSpace.number(peerNxt))}`,
        v.position,
        `an ack no higher than ${formatSeq(toSpace.number(peerNxt))}`,
        `an ACK cannot cover bytes never sent; write ack=${v.text}! to draw a deliberately bogus segment`,
      );
    }
    // Forced past what the peer sent: a capture that missed the peer's segments, or a deliberately bogus ACK.
    // Either way it acknowledges bytes nobody saw sent, which Wireshark calls an "ACKed unseen segment".
    if (v.forced && !stale && rel > peerNxt) req.mark('acked-unseen', 'ACKed unseen segment');
    // An ack past what this side received, of bytes not lost in the diagram: they arrived unseen.
    const { t, peer } = req;
    const lostBetween = peer?.lostPending.some((o) => o.start < rel && o.end > (t.rcvNxt ?? rel)) ?? false;
    if (!stale && !from.spoofed && !lostBetween && t.rcvNxt !== null && rel > t.rcvNxt) receivedUnseen(w, from, t, rel, req.sentAt, w.segments.length, v.position);
    if (rel !== computed) {
      overrides.push('ack');
      if (!stale) req.mark('override', computed === null ? 'ack set by hand' : `ack overridden (expected ${formatSeq(toSpace.number(computed))})`);
      if (computed !== null && !stale) w.warn('override', `ack=${v.text} differs from the computed ${formatSeq(toSpace.number(computed))}; drawn as written`, v.position);
    }
    d.ackRel = rel;
  }
  if (needsAck && d.ackRel === null) {
    if (stale || from.spoofed) d.ackRel = 0;
    else err('ack-without-syn', `${from.id} has not received a SYN from ${to.id}, so it has nothing to acknowledge`, req.position, `${to.id}'s SYN first`, null);
  }
  return overrides;
}

function windowAndOptions(w: World, req: Request, overrides: string[]): { window: number; options: TcpOption[] } {
  const { attrs } = req;
  let window = req.from.window ?? w.settings.window;
  const winAttr = attrs.get('win');
  if (winAttr) {
    if (winAttr.value !== window) overrides.push('win');
    window = winAttr.value as number;
    if (window === 0) req.mark('zero-window', 'zero window');
  }
  const options: TcpOption[] = [];
  const mss = attrs.get('mss');
  if (mss) {
    options.push({ kind: 'MSS', value: mss.value as number });
    if (!req.has('SYN')) w.warn('mss-without-syn', 'MSS is only sent on SYN segments; drawn as written', mss.position);
  }
  const ws = attrs.get('ws');
  if (ws) options.push({ kind: 'WS', value: ws.value as number });
  if (attrs.has('sack_perm')) options.push({ kind: 'SACK_PERM' });
  const ts = attrs.get('ts');
  if (ts) options.push({ kind: 'TS', value: ts.value as number, echo: 0 });
  return { window, options };
}

/** Marks computed from the connection (Wireshark's analysis words), and the timer of a retransmission. */
function connectionMarks(w: World, req: Request, d: Draft, window: number): void {
  const { t, pure, keepalive, needsAck, mark } = req;
  const { ackRel } = d;
  if (keepalive) mark('keepalive', 'keep-alive');
  if (pure && !keepalive && t.gotKeepalive) mark('keepalive-ack', 'keep-alive ACK');
  if (d.probing) mark('zero-window-probe', 'zero window probe');
  if (pure && !keepalive && t.gotProbe && window === 0) mark('zero-window-probe-ack', 'zero window probe ACK');
  // Only the window changed, and it is open (Wireshark's window update): not a duplicate ACK.
  const windowUpdate = pure && !keepalive && needsAck && ackRel !== null && t.lastAckSent === ackRel && t.lastWindowSent !== null && window !== t.lastWindowSent && window > 0;
  if (windowUpdate) mark('window-update', 'window update');
  if (pure && !keepalive && needsAck && ackRel !== null && t.lastAckSent === ackRel && t.dataSinceAck && !d.retransmission && !windowUpdate) mark('duplicate-ack', 'dup ACK');
  if (!d.retransmission) return;
  const fast = t.dupAcks >= 3 && req.isData;
  mark('retransmission', fast ? 'fast retransmission' : 'retransmission');
  // Time the retransmission: it leaves when the RTO fires, unless the author already said so (timeout).
  if (d.rtoFrom && !t.explicitTimeout && !fast && !req.s.concurrent) req.sentAt = retransmissionTimer(w, req.from, d.rtoFrom, req.sentAt, req.position);
  t.explicitTimeout = false;
  if (d.rtoFrom) d.rtoFrom.retransmitted = true;
}

function buildSegment(w: World, req: Request, d: Draft, fromSpace: Space, toSpace: Space, overrides: string[], window: number, options: TcpOption[]): Segment {
  const { attrs, sentAt } = req;
  const transit = attrs.get('delay') ? (attrs.get('delay')!.value as number) : w.settings.trip;
  const hiddenFields: Array<'seq' | 'ack' | 'win' | 'len'> = [];
  const hide = attrs.get('hide');
  if (hide) for (const h of (hide.value as string).toLowerCase().split('+')) hiddenFields.push(h as 'seq');
  if ((w.settings.hidePureAckSeq || d.preSynAck) && req.pure && req.needsAck && !hiddenFields.includes('seq')) hiddenFields.push('seq');
  const seg: Segment = {
    index: w.segments.length,
    from: req.from.id,
    to: req.to.id,
    flags: req.flags,
    seq: d.zeroSeq ? { symbol: null, offset: 0, relative: 0 } : fromSpace.number(d.seqRel),
    ack: d.ackRel === null ? null : toSpace.number(d.ackRel),
    len: req.len,
    window,
    options,
    payload: req.payload,
    sentAt,
    arrivesAt: req.lost ? sentAt + transit * 0.6 : sentAt + transit,
    lost: req.lost,
    retransmission: d.retransmission,
    retransmissionOf: d.retransmissionOf,
    overrides,
    marks: req.marks,
    label: '',
    note: (attrs.get('note')?.value as string | undefined) ?? null,
    time: (attrs.get('time')?.value as number | undefined) ?? null,
    position: req.position,
  };
  if (hiddenFields.length) seg.hidden = hiddenFields;
  return seg;
}

/** The sender's side of the TCB after sending: activity, ACK state, the retransmission queue, the new state. */
function record(w: World, req: Request, d: Draft, seg: Segment): void {
  const { t, from, keepalive, pure, needsAck, has, sentAt, lost } = req;
  const { ackRel, seqRel, retransmission, rtoFrom } = d;
  t.used = true;
  // The idle time a keep-alive probe ends: since the last segment this connection sent or received.
  if (keepalive && sentAt > t.lastActivity) {
    w.timers.push({ participant: from.id, kind: 'keepalive', label: 'keepalive', start: t.lastActivity, end: sentAt, expired: true, restarted: false, position: req.position });
  }
  if (!keepalive) t.lastActivity = sentAt;
  if (needsAck && ackRel !== null) {
    t.lastAckSent = ackRel;
    t.dataSinceAck = false;
  }
  if (pure && !keepalive) {
    t.gotKeepalive = false;
    t.gotProbe = false;
  }
  if (!has('RST')) t.lastWindowSent = seg.window;
  if (req.consumes > 0 && !retransmission && !keepalive && !d.probing && !d.repeat && !has('RST')) {
    const o: Outstanding = { index: seg.index, start: seqRel, end: seqRel + req.consumes, flagsKey: flagsKey(req.flags), len: req.len, sentAt, lost, retransmitted: false };
    t.outstanding.push(o);
    if (lost) t.lostPending.push(o);
  } else if (retransmission && rtoFrom) {
    const k = t.lostPending.indexOf(rtoFrom);
    if (k >= 0) t.lostPending.splice(k, 1);
    rtoFrom.sentAt = sentAt;
    rtoFrom.lost = lost;
    rtoFrom.index = seg.index;
    rtoFrom.retransmitted = false;
    if (lost) t.lostPending.push(rtoFrom);
  }
  t.lastLostPure = pure && lost ? { seq: seqRel, ack: ackRel } : retransmission && pure ? null : t.lastLostPure;
  if (d.newState?.state === 'CLOSED') cancelTimeWait(t, sentAt);
  if (d.newState) w.setState(from, t, d.newState.state, sentAt, seg.index, d.newState.reason, req.position);
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += c < 0x800 ? 2 : 3;
  }
  return n;
}
