/**
 * RFC 9293 §3.10.8, timeouts.
 *
 * - Retransmission timeout: `timeout A` written by the author (retransmissionTimeout), or implied when the author
 *   repeats a lost or unacknowledged segment (retransmissionTimer): the segment goes again when the RTO fires.
 * - TIME-WAIT timeout: 2MSL after the last FIN is acknowledged the TCB is deleted (enterTimeWait, timeWaitExpired).
 * - User timeout: not modelled. A diagram ends when its author stops writing; nothing there gives up on its own.
 */
import type { Position } from '../../errors.js';
import type { Word } from '../ast.js';
import type { Endpoint, Outstanding, Tcb } from './tcb.js';
import { err, type Cursor, type World } from './world.js';

/** `timeout A`: A's retransmission timer fires for its oldest unacknowledged segment. */
export function retransmissionTimeout(w: World, word: Word, label: string | null, position: Position, cursor: Cursor): void {
  const ep = w.endpoint(word);
  let oldest: { t: Tcb; o: Outstanding } | null = null;
  for (const t of ep.tcbs.values()) {
    for (const o of t.outstanding) if (!oldest || o.sentAt < oldest.o.sentAt) oldest = { t, o };
  }
  if (!oldest) {
    err('nothing-to-time-out', `${ep.id} has nothing unacknowledged, so no retransmission timer is running`, word.position, 'a timeout after a segment that was lost or not yet acknowledged', 'send (and lose) a segment first, or use "wait" to let time pass');
  }
  const end = Math.max(cursor.now, oldest.o.sentAt + w.settings.rto);
  w.timers.push({ participant: ep.id, kind: 'RTO', label: label ?? 'RTO', start: oldest.o.sentAt, end, expired: true, restarted: false, position });
  oldest.t.explicitTimeout = true;
  cursor.now = end;
  w.deliver(end);
}

/**
 * A retransmission the author wrote without a `timeout` line: it leaves when the RTO of the segment it repeats
 * fires (never earlier than `sentAt`), and the timer is drawn. Returns when it leaves.
 */
export function retransmissionTimer(w: World, from: Endpoint, rtoFrom: Outstanding, sentAt: number, position: Position): number {
  const fire = rtoFrom.sentAt + w.settings.rto;
  if (fire > sentAt) {
    sentAt = fire;
    w.deliver(sentAt);
  }
  w.timers.push({ participant: from.id, kind: 'RTO', label: 'RTO', start: rtoFrom.sentAt, end: sentAt, expired: true, restarted: false, position });
  return sentAt;
}

/** Enter TIME-WAIT and start the 2MSL timer, or (`restart`, a FIN retransmission arrived) restart it. */
export function enterTimeWait(w: World, rcv: Endpoint, t: Tcb, at: number, idx: number, reason: string, pos: Position | null, restart = false): void {
  const twoMsl = 2 * w.settings.msl;
  const old = t.state.kind === 'TIME_WAIT' ? t.state.timer : null;
  if (restart && old) {
    old.end = at;
    old.expired = false;
  } else {
    w.setState(rcv, t, { kind: 'TIME_WAIT', timer: null }, at, idx, reason, pos);
  }
  const timer = { participant: rcv.id, kind: 'TIME_WAIT' as const, label: '2MSL', start: at, end: at + twoMsl, expired: true, restarted: restart, position: pos };
  w.timers.push(timer);
  if (t.state.kind === 'TIME_WAIT') t.state.timer = timer;
  t.timerGen++;
  w.schedule({ t: at + twoMsl, order: w.eventOrder++, kind: 'timewait', tcb: t, gen: t.timerGen });
}

/** The connection leaves TIME-WAIT another way (a RST, a crash): the 2MSL bracket ends here, not expired. Call it before the state changes. */
export function cancelTimeWait(t: Tcb, at: number): void {
  const timer = t.state.kind === 'TIME_WAIT' ? t.state.timer : null;
  if (timer && timer.end > at) {
    timer.end = at;
    timer.expired = false;
  }
  if (t.state.kind === 'TIME_WAIT') t.state.timer = null;
  t.timerGen++;
}

/** §3.10.8 "If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state". */
export function timeWaitExpired(w: World, t: Tcb, gen: number, at: number): void {
  if (gen !== t.timerGen || t.state.kind !== 'TIME_WAIT') return;
  const ep = w.endpoints.get(t.me)!;
  w.setState(ep, t, 'CLOSED', at, null, '2MSL expired', null);
  t.pendingReset = null;
}
