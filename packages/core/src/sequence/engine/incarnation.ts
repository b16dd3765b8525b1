/**
 * Connection incarnations (RFC 9293 §3.4.1, §3.6.1 MAY-2): a connection on the same pair of endpoints that
 * opens again — after CLOSED, after a reset sent a passive opener back to LISTEN, after a crash — is a new
 * incarnation with a fresh ISN, so segments of the old one can be told from the new.
 *
 * The ISN is the author's (`isn A=…` or `seq A=…` written while A has no connection) or, by default, one past
 * every number the previous incarnation used: numbers round up to the next hundred above the old SND.NXT (the
 * RFC's figures move 300 → 400), symbols get the next index (`x` → `x2` → `x3`). Numbers of every incarnation
 * share the endpoint's sequence space (rels); a symbolic incarnation lives 2^40 above the last so none overlap.
 */
import { WiregramError } from '../../errors.js';
import type { SeqValue } from '../ast.js';
import { signed32, type Space } from './seq.js';
import { reopen, type Endpoint, type Tcb } from './tcb.js';
import type { World } from './world.js';

const SYMBOLIC_STRIDE = 2 ** 40;

/**
 * Whether an `isn`/`seq` line for this TCB's endpoint names the ISS of an incarnation still to be used: no connection
 * after an earlier one (CLOSED, LISTEN, crashed), or a later incarnation's SYN received but not answered yet.
 */
export function awaitingIss(t: Tcb): boolean {
  if ((t.state.kind === 'CLOSED' || t.state.kind === 'LISTEN') && t.used) return true;
  return t.state.kind === 'SYN_RCVD' && t.state.passive && !t.synSent && t.incarnations > 0;
}

/**
 * A listener chose its new incarnation's ISS when the SYN arrived; until its SYN, ACK goes out nobody has seen it,
 * so an `isn`/`seq` line written after the SYN arrived still names it.
 */
export function settleIss(w: World, ep: Endpoint, t: Tcb): void {
  if (!ep.nextIsn || t.synSent || t.incarnations === 0) return;
  const space = w.spaceFor(ep, t.peer);
  const old = t.iss;
  const pending = ep.nextIsn;
  ep.nextIsn = null;
  // The default ISN chosen at the SYN (a base, a symbol) was never shown: replace it.
  space.bases = space.bases.filter((b) => b !== old);
  if (t.defaultIss) space.points = space.points.filter((p) => p.rel !== old);
  const iss = authorIss(ep, t, space, pending, false);
  if (!space.bases.includes(iss)) space.bases.push(iss);
  t.defaultIss = false;
  t.iss = iss;
  t.sndUna = iss;
  t.sndNxt = iss;
}

/** Start `t`'s next incarnation: a new ISS, fresh counters. The first incarnation keeps ISS 0. */
export function startIncarnation(w: World, ep: Endpoint, t: Tcb): void {
  const space = w.spaceFor(ep, t.peer);
  const first = t.incarnations === 0 && !t.used;
  const pending = ep.nextIsn;
  ep.nextIsn = null;
  if (first && !pending) return;
  const iss = pending ? authorIss(ep, t, space, pending, first) : defaultIss(t, space);
  if (!space.bases.includes(iss)) space.bases.push(iss);
  reopen(t, iss);
  t.defaultIss = !pending;
}

/** The rel of the ISN the author named. A symbol is a new point; a number is read in the endpoint's numbering. */
function authorIss(ep: Endpoint, t: Tcb, space: Space, v: SeqValue, first: boolean): number {
  if (v.symbol !== null) {
    if (space.isn !== null && !first) mixed(ep, v, 'numbers');
    const existing = space.find(v.symbol);
    if (existing) return existing.rel;
    const rel = first ? 0 : nextSymbolicRel(t, space);
    space.points.push({ symbol: v.symbol, rel });
    return rel;
  }
  if (space.isn === null) mixed(ep, v, 'symbols');
  return signed32(v.offset - space.isn);
}

function mixed(ep: Endpoint, v: SeqValue, what: 'numbers' | 'symbols'): never {
  throw new WiregramError({
    code: 'mixed-numbering',
    reason: `${ep.id}'s sequence numbers are ${what === 'numbers' ? 'numeric' : 'symbolic'}; "${v.text}" is ${what === 'numbers' ? 'a symbol' : 'a number'}`,
    position: v.position,
    expected: what === 'numbers' ? `a number, as ${ep.id}'s first ISN is` : `a symbol, as ${ep.id}'s first ISN is`,
    hint: 'use symbols throughout, or numbers throughout',
  });
}

function nextSymbolicRel(t: Tcb, space: Space): number {
  let top = t.sndNxt;
  for (const b of space.bases) top = Math.max(top, b);
  return (Math.floor(top / SYMBOLIC_STRIDE) + 1) * SYMBOLIC_STRIDE;
}

/** One past every number the previous incarnation used (see the file comment). */
function defaultIss(t: Tcb, space: Space): number {
  if (space.isn !== null) return t.iss + 100 * Math.ceil((t.sndNxt - t.iss + 1) / 100);
  const rel = nextSymbolicRel(t, space);
  const isnPoint = space.points.find((p) => p.rel === 0) ?? space.points[0];
  const base = (isnPoint?.symbol ?? 'x').replace(/\d+$/, '');
  space.points.push({ symbol: `${base}${space.bases.length + 1}`, rel });
  return rel;
}
