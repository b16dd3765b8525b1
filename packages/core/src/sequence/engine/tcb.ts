/**
 * The transmission control block (RFC 9293 §3.3.1) as a plain record, one per (endpoint, peer), and the endpoint
 * that holds them. Numbers are rels (see seq.ts): SND.UNA, SND.NXT and RCV.NXT relative to ISS and IRS.
 */
import type { Position } from '../../errors.js';
import type { StateChange, TcpFlag, TcpState, Timer } from '../../timeline.js';
import type { SeqValue } from '../ast.js';
import type { Space } from './seq.js';

/** States past the handshake in which both sides' numbers are known (RFC 9293 §3.3.2 "synchronized"). */
export const SYNCHRONIZED: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT']);

/** A segment on the retransmission queue (RFC 9293 §3.8.1). */
export interface Outstanding {
  index: number;
  start: number;
  end: number;
  flagsKey: string;
  len: number;
  sentAt: number;
  lost: boolean;
  retransmitted: boolean;
}

/** A reset owed to the peer: RFC 9293 §3.10.7's "<SEQ=SEG.ACK><CTL=RST>" and friends, sent when the author draws it. */
export interface PendingReset {
  seq: number | null;
  ack: number | null;
  zero: boolean;
  why: string;
}

/**
 * The connection state: one variant per RFC 9293 state (§3.3.2), each carrying what only that state needs, as
 * Fuchsia netstack3's `State` enum does. `switch (t.state.kind)` is checked for exhaustiveness by the compiler.
 */
export type ConnState =
  | { kind: 'CLOSED' }
  | { kind: 'LISTEN' }
  | { kind: 'SYN_SENT' }
  /** `passive`: reached from LISTEN (a passive OPEN) rather than SYN-SENT (simultaneous open) — MUST-11. */
  | { kind: 'SYN_RCVD'; passive: boolean }
  | { kind: 'ESTABLISHED' }
  | { kind: 'FIN_WAIT_1' }
  | { kind: 'FIN_WAIT_2' }
  | { kind: 'CLOSE_WAIT' }
  | { kind: 'CLOSING' }
  | { kind: 'LAST_ACK' }
  /** `timer`: the 2MSL timer drawn for this stay (null for an endpoint put in TIME_WAIT by a `state` line). */
  | { kind: 'TIME_WAIT'; timer: Timer | null };

/** States whose variant carries nothing: named by their kind alone. */
export type PlainState = Exclude<TcpState, 'SYN_RCVD' | 'TIME_WAIT'>;

/** The variant of a state with default data (a `state` line's starting state). */
export function stateOf(kind: TcpState): ConnState {
  if (kind === 'SYN_RCVD') return { kind, passive: false };
  if (kind === 'TIME_WAIT') return { kind, timer: null };
  return { kind };
}

export interface Tcb {
  me: string;
  peer: string;
  state: ConnState;
  /**
   * ISS of this incarnation, as a rel of the endpoint's sequence space: 0 for the first; a later incarnation on
   * the same pair starts elsewhere (incarnation.ts), so numbers of old and new incarnations never mix.
   */
  iss: number;
  /** How many incarnations this TCB has started (0 before the first SYN). */
  incarnations: number;
  /** The ISS was chosen by the engine, not named by the author (an `isn`/`seq` line may still replace it). */
  defaultIss: boolean;
  sndUna: number;
  sndNxt: number;
  synSent: boolean;
  synFlagsKey: string;
  finSent: boolean;
  finRel: number;
  rcvNxt: number | null;
  irs: number | null;
  ooo: Array<[number, number]>;
  pendingFin: number | null;
  outstanding: Outstanding[];
  /** Lost segments not yet retransmitted, oldest first (a short list: what a retransmission can repeat). */
  lostPending: Outstanding[];
  lastLostPure: { seq: number; ack: number | null } | null;
  pendingReset: PendingReset | null;
  lastAckSent: number | null;
  dataSinceAck: boolean;
  dupAcks: number;
  lastActivity: number;
  gotKeepalive: boolean;
  /** The window this endpoint last advertised on the connection, and the peer's (from its last segment). */
  lastWindowSent: number | null;
  peerWindow: number | null;
  /** A zero-window probe arrived and has not been answered yet. */
  gotProbe: boolean;
  /** Bumped whenever a 2MSL timer is started or cancelled: an expiry event of an older one is void. */
  timerGen: number;
  explicitTimeout: boolean;
  used: boolean;
}

export interface Endpoint {
  id: string;
  label: string;
  address: string | null;
  port: number | null;
  spoofed: boolean;
  backlog: number | null;
  window: number | null;
  listener: boolean;
  initial: TcpState;
  visible: TcpState;
  space: Space;
  tcbs: Map<string, Tcb>;
  primary: Tcb | null;
  changed: boolean;
  initialChange: StateChange | null;
  position: Position | null;
  started: boolean;
  /** `state x=CLOSED` written: the port is closed, a SYN is refused rather than implying a passive open. */
  explicitState: boolean;
  /** The author wrote an `isn` for this endpoint. */
  isnSet: boolean;
  /** `isn A=…` (or `seq A=…`) written for A's next incarnation, waiting for it to start. */
  nextIsn: SeqValue | null;
  /** `crash A` happened: no passive open is implied until A listens or opens again. */
  crashed: boolean;
  /**
   * Sends SYNs (or SYN, ACKs) to several peers — a listener answering a SYN flood: each connection then has its own
   * ISN (`s1`, `s2`, … from `isn server=s`; `y1`, `y2`, … when no ISN was given), as real stacks choose one per
   * connection. The order is the order of the first SYN to each peer in the text.
   */
  perConnection: { peers: string[]; base: string; spaces: Map<string, Space> } | null;
}

export function newTcb(me: string, peer: string, state: TcpState): Tcb {
  const t: Tcb = {
    me,
    peer,
    state: stateOf(state),
    iss: 0,
    incarnations: 0,
    defaultIss: false,
    sndUna: 0,
    sndNxt: 0,
    synSent: false,
    synFlagsKey: '',
    finSent: false,
    finRel: 0,
    rcvNxt: null,
    irs: null,
    ooo: [],
    pendingFin: null,
    outstanding: [],
    lostPending: [],
    lastLostPure: null,
    pendingReset: null,
    lastAckSent: null,
    dataSinceAck: false,
    dupAcks: 0,
    lastActivity: 0,
    gotKeepalive: false,
    lastWindowSent: null,
    peerWindow: null,
    gotProbe: false,
    timerGen: 0,
    explicitTimeout: false,
    used: false,
  };
  initialise(t, state);
  return t;
}

/** Starting an endpoint mid-connection (`state client=ESTABLISHED`): both sides are synchronised at rel 0. */
export function initialise(t: Tcb, state: TcpState): void {
  if (!SYNCHRONIZED.has(state) && state !== 'SYN_RCVD') return;
  t.synSent = true;
  t.rcvNxt = 0;
  t.irs = -1;
  if (state === 'FIN_WAIT_1' || state === 'CLOSING' || state === 'LAST_ACK') {
    t.finSent = true;
    t.finRel = 0;
    t.sndNxt = 1;
  }
  if (state === 'FIN_WAIT_2' || state === 'TIME_WAIT') {
    t.finSent = true;
    t.finRel = -1;
  }
}

/** A new incarnation with fresh counters, its ISS at `iss` (see incarnation.ts). */
export function reopen(t: Tcb, iss: number): void {
  t.iss = iss;
  t.sndUna = iss;
  t.sndNxt = iss;
  t.synSent = false;
  t.finSent = false;
  t.rcvNxt = null;
  t.irs = null;
  t.ooo = [];
  t.pendingFin = null;
  t.outstanding = [];
  t.lostPending = [];
  t.pendingReset = null;
  t.finRel = 0;
  t.dupAcks = 0;
  t.lastLostPure = null;
  t.lastAckSent = null;
  t.dataSinceAck = false;
  t.incarnations++;
}

/** Drop the retransmission queue (the connection is gone: RFC 9293 §3.10.7.4 "flush all segment queues"). */
export function flushQueues(t: Tcb): void {
  t.outstanding = [];
  t.lostPending = [];
}

/** The flags that decide what a segment is, as one key (SYN vs SYN, ACK retransmissions). */
export function flagsKey(flags: TcpFlag[]): string {
  // What filter → sort → join made, without its three arrays (it runs for every segment sent): each of the four
  // flags once is one of 16 keys, taken from a table of constant strings (flat, so comparing them stays cheap).
  let bits = 0;
  for (let i = 0; i < flags.length; i++) {
    const bit = KEY_BITS[flags[i]!] ?? 0;
    if (bits & bit) return flags.filter((f) => KEY_BITS[f]).sort().join(','); // a flag given twice
    bits |= bit;
  }
  return KEYS[bits]!;
}

/** The flags that count for flagsKey, one bit each in sorted order. */
const KEY_BITS: Partial<Record<TcpFlag, number>> = { ACK: 1, FIN: 2, RST: 4, SYN: 8 };
const KEYS = Array.from({ length: 16 }, (_, bits) => (['ACK', 'FIN', 'RST', 'SYN'] as const).filter((_, k) => bits & (1 << k)).join(','));
