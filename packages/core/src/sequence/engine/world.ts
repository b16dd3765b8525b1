/**
 * What the engine knows while it runs: the endpoints and their TCBs, the clock and its event queue, and the
 * Timeline being written. The protocol itself (RFC 9293 §3.10) lives in user-calls.ts, arrives.ts and
 * timeouts.ts; this file only records.
 */
import { WiregramError, diagnostic, type Diagnostic, type Position } from '../../errors.js';
import type { Crash, DiagramOptions, Divider, LabelStyle, Numbering, StateNameStyle, TimingLayout, Note, Segment, SegmentMark, SegmentMarkKind, StateChange, TcpState, Timer } from '../../timeline.js';
import type { Statement } from '../ast.js';
import { SEQUENCE_LIMITS } from '../parser.js';
import { Space } from './seq.js';
import { SYNCHRONIZED, newTcb, stateOf, type ConnState, type Endpoint, type PlainState, type Tcb } from './tcb.js';

/** How the engine draws what it computes; the compile entry (compile.ts) adds what only a host can give. */
export interface EngineOptions {
  labelStyle?: LabelStyle;
  stateNames?: StateNameStyle;
  numbering?: Numbering;
  layout?: TimingLayout;
}

export type Event =
  | { t: number; order: number; kind: 'arrive'; segment: Segment; wireSeq: number; wireAck: number | null; keepalive: boolean; stale: boolean }
  | { t: number; order: number; kind: 'timewait'; tcb: Tcb; gen: number };
export type Arrival = Extract<Event, { kind: 'arrive' }>;

/** Where the statements being run stand in time (a `par` branch has its own). */
export interface Cursor {
  now: number;
  lastSentAt: number;
}

export interface Settings {
  msl: number;
  rto: number;
  trip: number;
  twoWay: boolean;
  hidePureAckSeq: boolean;
  window: number;
}

export function err(code: string, reason: string, position: Position | null, expected: string | null, hint: string | null): never {
  throw new WiregramError({ code, reason, position, expected, hint });
}

/**
 * Visit every statement in text order, inside par branches and loop bodies too (each loop body once). An explicit
 * stack, not recursion: the call stack stays flat however the blocks nest.
 */
export function eachStatement(statements: Statement[], visit: (s: Statement) => void): void {
  const stack: Array<{ list: Statement[]; i: number }> = [{ list: statements, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const s = top.list[top.i++]!;
    visit(s);
    if (s.type === 'par') for (let b = s.branches.length - 1; b >= 0; b--) stack.push({ list: s.branches[b]!, i: 0 });
    else if (s.type === 'loop') stack.push({ list: s.body, i: 0 });
  }
}

/** Marks are unique by kind: the first reason given is kept. */
export function addMark(marks: SegmentMark[], kind: SegmentMarkKind, text: string): void {
  if (!marks.some((m) => m.kind === kind)) marks.push({ kind, text });
}

export class World {
  readonly endpoints = new Map<string, Endpoint>();
  readonly order: string[] = [];
  readonly segments: Segment[] = [];
  readonly states: StateChange[] = [];
  readonly timers: Timer[] = [];
  readonly crashes: Crash[] = [];
  readonly notes: Note[] = [];
  readonly dividers: Divider[] = [];
  readonly headers: Array<{ segment: number | null; at: number; position: Position; after: number }> = [];
  readonly warnings: Diagnostic[] = [];
  readonly queue: Event[] = [];
  queueHead = 0;
  eventOrder = 0;
  declared = false;
  title: string | null = null;
  options: DiagramOptions;
  settings: Settings = { msl: 2, rto: 3, trip: 1, twoWay: false, hidePureAckSeq: false, window: 65535 };
  numberingSet = false;
  /** Endpoints that send SYNs to several peers, found before the run (see `Endpoint.perConnection`). */
  readonly multiPeer = new Map<string, { peers: string[]; base: string }>();
  /** Endpoints whose first segment is a RST without SYN: they answer a SYN by refusing it, so they never listened. */
  readonly refusers = new Set<string>();
  /** `wait 7200s`: wall-clock waits, drawn as compressed gaps whose bracket shows the real duration. */
  readonly realWaits: Array<{ start: number; end: number; label: string; position: Position }> = [];
  started = false;
  steps = 0;
  /** The latest instant already acted on (an arrival processed, a segment sent). */
  clock = 0;
  /**
   * Deliver every event due by `upTo`. Installed by the event loop (run.ts) so that a user call can let time pass
   * before it acts without this file, or the user calls, importing the loop.
   */
  deliver: (upTo: number) => void = () => undefined;

  constructor(compile: EngineOptions) {
    this.options = {
      labelStyle: compile.labelStyle ?? 'textbook',
      stateNames: compile.stateNames ?? 'underscore',
      numbering: compile.numbering ?? 'absolute',
      layout: compile.layout ?? 'states',
      extra: {},
    };
    this.numberingSet = compile.numbering !== undefined;
  }

  endpoint(w: { value: string; position: Position }): Endpoint {
    const ep = this.endpoints.get(w.value);
    if (ep) return ep;
    if (this.declared) {
      const known = this.order.join(', ');
      err('unknown-participant', `unknown participant "${w.value}"`, w.position, `one of ${known}`, `declare it first: participant ${w.value}`);
    }
    return this.newEndpoint(w.value, w.value, null, w.position);
  }

  /** `at`: where a participant past the limit is named. */
  newEndpoint(id: string, label: string, position: Position | null, at: Position): Endpoint {
    if (this.endpoints.size >= SEQUENCE_LIMITS.maxParticipants) {
      err('too-many-participants', `more than ${SEQUENCE_LIMITS.maxParticipants} participants`, at, `at most ${SEQUENCE_LIMITS.maxParticipants}`, 'draw fewer endpoints');
    }
    const ep: Endpoint = {
      id,
      label,
      address: null,
      port: null,
      spoofed: false,
      backlog: null,
      window: null,
      listener: false,
      initial: 'CLOSED',
      visible: 'CLOSED',
      space: new Space(),
      tcbs: new Map(),
      primary: null,
      changed: false,
      initialChange: null,
      position,
      started: false,
      explicitState: false,
      isnSet: false,
      nextIsn: null,
      crashed: false,
      perConnection: null,
    };
    const multi = this.multiPeer.get(id);
    if (multi) ep.perConnection = { peers: [...multi.peers], base: multi.base, spaces: new Map() };
    this.endpoints.set(id, ep);
    this.order.push(id);
    return ep;
  }

  /** `ep`'s TCB for its connection with `peer`, made on first use in the endpoint's starting state. */
  tcb(ep: Endpoint, peer: string): Tcb {
    let t = ep.tcbs.get(peer);
    if (!t) {
      t = newTcb(ep.id, peer, ep.listener ? 'LISTEN' : ep.crashed ? 'CLOSED' : ep.initial);
      ep.tcbs.set(peer, t);
    }
    return t;
  }

  firstTcb(ep: Endpoint): Tcb | null {
    for (const t of ep.tcbs.values()) return t;
    if (this.order.length === 2) {
      const other = this.order.find((id) => id !== ep.id);
      if (other) return this.tcb(ep, other);
    }
    return null;
  }

  /**
   * The sequence space `ep` uses on its connection with `peer`: the endpoint's own, or — for an endpoint with
   * connections to several peers — one per connection, made on first use from the endpoint's ISN.
   */
  spaceFor(ep: Endpoint, peer: string): Space {
    const pc = ep.perConnection;
    if (!pc || ep.spoofed) return ep.space;
    let space = pc.spaces.get(peer);
    if (space) return space;
    let k = pc.peers.indexOf(peer);
    if (k < 0) k = pc.peers.push(peer) - 1;
    space = new Space();
    const base = ep.space;
    const isnPoint = base.isn === null ? base.points.find((p) => p.rel === 0) : undefined;
    if (ep.isnSet && !isnPoint) space.isn = base.isn; // a number the author chose: every connection starts there
    else {
      space.isn = null;
      space.points.push({ symbol: `${isnPoint?.symbol ?? pc.base}${k + 1}`, rel: 0 });
    }
    if (SYNCHRONIZED.has(ep.initial)) space.bases = [-1];
    pc.spaces.set(peer, space);
    return space;
  }

  /** Enter a state (a kind alone for states that carry nothing, the variant for SYN_RCVD and TIME_WAIT). */
  setState(ep: Endpoint, t: Tcb, next: ConnState | PlainState, at: number, cause: number | null, reason: string | null, position: Position | null): void {
    const to = typeof next === 'string' ? stateOf(next) : next;
    if (t.state.kind === to.kind) return;
    t.state = to;
    // A reset owed in an earlier state is void once the connection has moved on.
    if (to.kind !== 'CLOSED') t.pendingReset = null;
    ep.primary = t;
    this.show(ep, to.kind, at, cause, reason, position);
  }

  /** Record a change of the state drawn on `ep`'s lifeline (a forged address has none). */
  show(ep: Endpoint, to: TcpState, at: number, cause: number | null, reason: string | null, position: Position | null): void {
    if (ep.spoofed || ep.visible === to) return;
    this.states.push({ participant: ep.id, at, from: ep.visible, to, cause, reason, position });
    ep.visible = to;
    ep.changed = true;
  }

  schedule(e: Event): void {
    // Binary insertion by (t, order); almost always appends.
    let lo = this.queueHead;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.queue[mid]!;
      if (m.t < e.t || (m.t === e.t && m.order < e.order)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, e);
  }

  warn(code: string, reason: string, position: Position | null): void {
    if (this.warnings.length < 200) this.warnings.push(diagnostic({ code, reason, position }));
  }

  lastLostIndex(from: string, to: string, seqRel: number): number | null {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.from === from && s.to === to && s.lost && s.seq.relative === seqRel) return i;
    }
    return null;
  }
}
