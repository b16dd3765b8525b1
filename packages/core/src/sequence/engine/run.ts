/**
 * The event loop: statements run in text order (a `par`'s branches side by side), segments are queued and
 * delivered when the clock passes their arrival, so segments may cross. Statements that are not segments set
 * numbers and states (`isn`, `seq`, `state`, `listen`) or draw (`note`, `divider`, `header`).
 */
import type { Divider } from '../../timeline.js';
import type { Assignment, CrashStatement, ListenStatement, ParStatement, Statement, StateStatement, WaitStatement } from '../ast.js';
import { SEQUENCE_LIMITS } from '../parser.js';
import { segmentArrives } from './arrives.js';
import { awaitingIss } from './incarnation.js';
import { Space } from './seq.js';
import { SYNCHRONIZED, initialise, newTcb, stateOf } from './tcb.js';
import { cancelTimeWait, retransmissionTimeout, timeWaitExpired } from './timeouts.js';
import { send } from './user-calls.js';
import { err, type Cursor, type World } from './world.js';

/** Install the event loop on the world (see `World.deliver`). */
export function installClock(w: World): void {
  w.deliver = (upTo) => {
    while (w.queueHead < w.queue.length && w.queue[w.queueHead]!.t <= upTo) {
      const e = w.queue[w.queueHead++]!;
      if (e.t > w.clock) w.clock = e.t;
      if (w.queueHead > 1024 && w.queueHead * 2 > w.queue.length) {
        w.queue.splice(0, w.queueHead);
        w.queueHead = 0;
      }
      if (e.kind === 'arrive') segmentArrives(w, e);
      else timeWaitExpired(w, e.tcb, e.gen, e.t);
    }
  };
}

export function runStatements(w: World, statements: Statement[], cursor: Cursor): void {
  for (const s of statements) step(w, s, cursor);
}

function step(w: World, s: Statement, cursor: Cursor): void {
  // Loops multiply statements: bound the total work, not just the text.
  if (++w.steps > SEQUENCE_LIMITS.maxSteps) {
    err('too-many-steps', `the diagram runs more than ${SEQUENCE_LIMITS.maxSteps} statements`, s.position, `at most ${SEQUENCE_LIMITS.maxSteps} statements, loops included`, 'use smaller loop counts');
  }
  switch (s.type) {
    case 'segment':
      return send(w, s, cursor);
    case 'isn':
      return s.assignments.forEach((a) => isnLine(w, a, cursor));
    case 'seq':
      return s.assignments.forEach((a) => seqLine(w, a, cursor));
    case 'state':
      return stateLine(w, s);
    case 'listen':
      return listenLine(w, s, cursor);
    case 'crash':
      return crashLine(w, s, cursor);
    case 'note': {
      const participants = s.participants.map((p) => w.endpoint(p).id);
      const spans = s.placement === 'over';
      w.notes.push({ text: s.text, participants, placement: s.placement, at: spans ? cursor.now + 0.25 : cursor.now, position: s.position });
      if (spans) cursor.now += 0.5;
      return;
    }
    case 'divider': {
      const participants = s.participants.map((p) => w.endpoint(p).id);
      const d: Divider = { text: s.text, at: cursor.now + 0.25, position: s.position };
      if (participants.length) d.participants = participants;
      w.dividers.push(d);
      cursor.now += 0.5;
      return;
    }
    case 'timeout':
      return retransmissionTimeout(w, s.participant, s.label, s.position, cursor);
    case 'wait':
      return waitLine(w, s, cursor);
    case 'header':
      w.headers.push({ segment: s.segment, at: cursor.now, position: s.position, after: w.segments.length });
      return;
    case 'par':
      return par(w, s, cursor);
    case 'loop':
      for (let i = 0; i < s.count; i++) runStatements(w, s.body, cursor);
      return;
    default:
      return; // title, participant, option, autonumber: the set-up pass; capture: the compile entry
  }
}

/** `isn A=x`: the ISN of A's first connection, or — once A has started — of its next incarnation. */
function isnLine(w: World, a: Assignment, cursor: Cursor): void {
  const ep = w.endpoint(a.participant);
  if (ep.started) {
    if (a.value.symbol !== null && a.value.offset !== 0) err('syntax', `an ISN is a plain symbol or number, not "${a.value.text}"`, a.value.position, 'isn client=x or isn client=1000', null);
    // What has arrived by now has happened: the next incarnation is the one after it.
    w.deliver(cursor.now);
    ep.nextIsn = a.value;
    return;
  }
  ep.space = new Space();
  ep.isnSet = true;
  if (ep.perConnection) ep.perConnection.spaces.clear();
  ep.space.setIsn(a.value);
}

/**
 * `seq A=u`: name A's next sequence number. While A has no connection (CLOSED or LISTEN after an earlier one, or
 * crashed) that number is the ISN of its next incarnation.
 */
function seqLine(w: World, a: Assignment, cursor: Cursor): void {
  const ep = w.endpoint(a.participant);
  if (w.started) w.deliver(cursor.now);
  const t = ep.primary ?? w.firstTcb(ep);
  if (t && awaitingIss(t)) {
    if (a.value.symbol !== null && a.value.offset !== 0) err('syntax', `the ISN of ${ep.id}'s next connection is a plain symbol or number, not "${a.value.text}"`, a.value.position, `seq ${ep.id}=z or seq ${ep.id}=400`, null);
    ep.nextIsn = a.value;
    return;
  }
  const rel = t ? t.sndNxt : 0;
  const space = t ? w.spaceFor(ep, t.peer) : ep.space;
  space.rename(a.value, rel, ep.id);
}

function stateLine(w: World, s: StateStatement): void {
  for (const a of s.assignments) {
    const ep = w.endpoint(a.participant);
    if (ep.started || ep.changed) {
      err(
        'state-after-start',
        `state for ${ep.id} comes after ${ep.started ? 'its first segment' : 'it started listening'}`,
        a.position,
        'state lines before the first segment and before listen',
        'the engine computes states from the segments; set only the starting state (state server=LISTEN also listens)',
      );
    }
    ep.initial = a.state;
    ep.explicitState = true;
    ep.listener = a.state === 'LISTEN';
    ep.visible = a.state;
    for (const t of ep.tcbs.values()) {
      t.state = stateOf(a.state);
      initialise(t, a.state);
    }
    // Already synchronised: the SYN took the number before the first one drawn, so Wireshark's relative numbers
    // (a capture that starts mid-connection) count that first one as 1.
    if (SYNCHRONIZED.has(a.state)) ep.space.bases = [-1];
  }
}

/** `listen A`: RFC 9293 §3.10.1 OPEN, passive. */
function listenLine(w: World, s: ListenStatement, cursor: Cursor): void {
  // What has arrived by now happened before this listen (a SYN that came earlier found the port as it was).
  if (w.started) w.deliver(cursor.now);
  for (const p of s.participants) {
    const ep = w.endpoint(p);
    if (ep.visible !== 'CLOSED' && ep.visible !== 'LISTEN') {
      err('bad-listen', `${ep.id} cannot listen in ${ep.visible} — it is busy with a connection`, p.position, 'listen on a CLOSED endpoint', null);
    }
    ep.listener = true;
    const at = w.started ? cursor.now : 0.5;
    // A later `&` segment must not reach back before this state change.
    if (w.started && at > w.clock) w.clock = at;
    for (const t of ep.tcbs.values()) if (t.state.kind === 'CLOSED') t.state = { kind: 'LISTEN' };
    w.show(ep, 'LISTEN', at, null, 'passive open (listen)', s.position);
  }
}

/**
 * `crash A`: every TCB of A is gone at once, nothing is sent (RFC 9293 §3.5.1). Each is replaced by an empty CLOSED
 * one that only remembers how far the lost incarnation's numbers went, so A's next OPEN starts a new incarnation
 * past them (incarnation.ts). A no longer listens; its peers keep their state until a segment tells them.
 */
function crashLine(w: World, s: CrashStatement, cursor: Cursor): void {
  if (w.started) w.deliver(cursor.now);
  const at = Math.max(cursor.now, w.clock);
  for (const p of s.participants) {
    const ep = w.endpoint(p);
    if (ep.spoofed) err('bad-crash', `${ep.id} is a spoofed address: it holds no connection that could be lost`, p.position, 'crash a real endpoint', null);
    // Connections it was put in by a `state` line exist before their first segment: they are lost too.
    if (ep.initial !== 'CLOSED' && ep.initial !== 'LISTEN') for (const q of w.order) if (q !== ep.id && !w.endpoints.get(q)!.spoofed) w.tcb(ep, q);
    for (const [peer, t] of ep.tcbs) {
      cancelTimeWait(t, at);
      const fresh = newTcb(ep.id, peer, 'CLOSED');
      fresh.iss = t.iss;
      fresh.sndUna = t.sndUna;
      fresh.sndNxt = t.sndNxt;
      fresh.incarnations = t.incarnations;
      fresh.used = t.used || t.state.kind !== 'CLOSED';
      ep.tcbs.set(peer, fresh);
    }
    ep.primary = null;
    ep.listener = false;
    // From now on a TCB it makes starts CLOSED (not in a `state` line's state), and no passive open is implied.
    ep.crashed = true;
    ep.started = true;
    w.crashes.push({ participant: ep.id, at, position: p.position });
    w.show(ep, 'CLOSED', at, null, 'crash: every connection lost', s.position);
  }
  // The mark needs room, and a later `&` segment must not reach back before it.
  w.clock = Math.max(w.clock, at);
  cursor.now = at + 0.5;
}

function waitLine(w: World, s: WaitStatement, cursor: Cursor): void {
  if (s.unit === 'seconds') {
    // Wall-clock time has no scale in an abstract diagram: draw it compressed (see realWaitTrips) and say the real
    // duration on a bracket.
    const start = cursor.now;
    cursor.now += realWaitTrips(s.amount) * w.settings.trip;
    w.realWaits.push({ start, end: cursor.now, label: s.label ?? `${s.amount} s`, position: s.position });
  } else {
    const unit = s.unit === 'msl' ? w.settings.msl : s.unit === 'rto' ? w.settings.rto : w.settings.trip;
    cursor.now += s.amount * unit;
  }
  if (cursor.now > SEQUENCE_LIMITS.maxTime) err('too-long', 'the diagram runs for too long', s.position, `a total time below ${SEQUENCE_LIMITS.maxTime}`, null);
  w.deliver(cursor.now);
}

/**
 * How many one-way trips a wall-clock wait of `seconds` is drawn as: 1 + 2·log10(1 + 10·seconds). Logarithmic,
 * so 200 ms ≈ 2 trips, 1 s ≈ 3 (the default RTO), 2 min ≈ 7 and a 7200 s keepalive idle ≈ 11 — long enough to
 * read as a long pause, short enough to keep the diagram on one page.
 */
function realWaitTrips(seconds: number): number {
  return 1 + 2 * Math.log10(1 + 10 * Math.max(0, seconds));
}

/** Branches run side by side: always execute the statement of the branch whose clock is earliest. */
function par(w: World, s: ParStatement, cursor: Cursor): void {
  const cursors = s.branches.map(() => ({ now: cursor.now, lastSentAt: cursor.lastSentAt }));
  const next = s.branches.map(() => 0);
  const heap = new BranchHeap((a, b) => cursors[a]!.now < cursors[b]!.now || (cursors[a]!.now === cursors[b]!.now && a < b));
  for (let b = 0; b < s.branches.length; b++) if (s.branches[b]!.length) heap.push(b);
  while (heap.size) {
    const pick = heap.pop();
    step(w, s.branches[pick]![next[pick]!]!, cursors[pick]!);
    next[pick]!++;
    if (next[pick]! < s.branches[pick]!.length) heap.push(pick);
  }
  for (const c of cursors) {
    cursor.now = Math.max(cursor.now, c.now);
    cursor.lastSentAt = Math.max(cursor.lastSentAt, c.lastSentAt);
  }
}

/** A binary heap of branch numbers (by clock, then branch number): always step the earliest branch. */
class BranchHeap {
  private readonly heap: number[] = [];
  constructor(private readonly less: (a: number, b: number) => boolean) {}
  get size(): number {
    return this.heap.length;
  }
  push(b: number): void {
    const heap = this.heap;
    heap.push(b);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  }
  pop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const lastB = heap.pop()!;
    if (heap.length) {
      heap[0] = lastB;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && this.less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}
