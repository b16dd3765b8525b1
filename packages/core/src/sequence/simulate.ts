/**
 * The protocol engine: walks the syntax tree as a discrete-event simulation and produces a Timeline. Each
 * endpoint keeps an RFC 9293 connection block per peer (state, SND.UNA/SND.NXT, RCV.NXT); sends happen in
 * statement order, arrivals are queued and delivered when the clock passes them, so segments may cross.
 *
 * Sequence numbers are kept as integers relative to each endpoint's ISN ("rel"); a sequence space turns a rel
 * into what the author sees: `x+1` for a symbolic ISN or a renamed point, the absolute value mod 2^32 otherwise.
 */
import { WiregramError, diagnostic, withWiregramErrors, type Diagnostic, type Position } from '../errors.js';
import type {
  DiagramOptions,
  Divider,
  HeaderRequest,
  LabelStyle,
  Note,
  Numbering,
  Participant,
  Segment,
  SegmentMark,
  SegmentMarkKind,
  SeqNumber,
  StateChange,
  StateNameStyle,
  TcpFlag,
  TcpOption,
  TcpState,
  Timeline,
  Timer,
  TimingLayout,
} from '../timeline.js';
import { timelineFromCapture } from '../capture/index.js';
import type {
  CaptureStatement,
  ParStatement,
  ParticipantStatement,
  SegmentAttribute,
  SegmentStatement,
  SeqValue,
  SequenceDocument,
  Statement,
  Word,
} from './ast.js';
import { formatLabel, formatSeq } from './format.js';
import { INTERNAL_ERROR, SEQUENCE_LIMITS, suggest } from './parser.js';

export interface CompileOptions {
  labelStyle?: LabelStyle;
  stateNames?: StateNameStyle;
  numbering?: Numbering;
  layout?: TimingLayout;
  /** Supplied by the host for `capture ./x.pcap stream 0`; core itself does no I/O. */
  readFile?: (path: string, position: Position) => Uint8Array;
}

const MOD = 4294967296;
const mod32 = (n: number) => ((n % MOD) + MOD) % MOD;
const signed32 = (n: number) => {
  const m = mod32(n);
  return m >= 2147483648 ? m - MOD : m;
};

const SYNCHRONIZED: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT']);

interface Point {
  symbol: string;
  rel: number;
}

/** How an endpoint's sequence numbers are shown. */
class Space {
  points: Point[] = [];
  isn: number | null = 0;
  /** Foreign points (stale segments' symbols) live far below 0 so they never mix with live numbers. */
  foreign = 0;

  number(rel: number): SeqNumber {
    let best: Point | null = null;
    for (let i = this.points.length - 1; i >= 0; i--) {
      const p = this.points[i]!;
      if (p.rel <= rel && (best === null || p.rel > best.rel)) best = p;
    }
    if (best) return { symbol: best.symbol, offset: rel - best.rel, relative: rel };
    if (this.isn !== null) return { symbol: null, offset: mod32(this.isn + rel), relative: rel };
    const low = this.points.reduce<Point | null>((a, p) => (a === null || p.rel < a.rel ? p : a), null);
    return low ? { symbol: low.symbol, offset: rel - low.rel, relative: rel } : { symbol: null, offset: rel, relative: rel };
  }

  find(symbol: string): Point | null {
    for (let i = this.points.length - 1; i >= 0; i--) if (this.points[i]!.symbol === symbol) return this.points[i]!;
    return null;
  }
}

interface Outstanding {
  index: number;
  start: number;
  end: number;
  flagsKey: string;
  len: number;
  sentAt: number;
  lost: boolean;
  retransmitted: boolean;
}

interface Tcb {
  me: string;
  peer: string;
  state: TcpState;
  passive: boolean;
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
  pendingReset: { seq: number | null; ack: number | null; zero: boolean; why: string } | null;
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
  timeWaitTimer: Timer | null;
  timerGen: number;
  explicitTimeout: boolean;
  used: boolean;
}

interface Endpoint {
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
  /**
   * Sends SYNs (or SYN, ACKs) to several peers — a listener answering a SYN flood: each connection then has its own
   * ISN (`s1`, `s2`, … from `isn server=s`; `y1`, `y2`, … when no ISN was given), as real stacks choose one per
   * connection. The order is the order of the first SYN to each peer in the text.
   */
  perConnection: { peers: string[]; base: string; spaces: Map<string, Space> } | null;
}

type Event =
  | { t: number; order: number; kind: 'arrive'; segment: Segment; wireSeq: number; wireAck: number | null; keepalive: boolean; stale: boolean }
  | { t: number; order: number; kind: 'timewait'; tcb: Tcb; gen: number };

interface Cursor {
  now: number;
  lastSentAt: number;
}

interface Settings {
  msl: number;
  rto: number;
  trip: number;
  twoWay: boolean;
  hidePureAckSeq: boolean;
  window: number;
}

function err(code: string, reason: string, position: Position | null, expected: string | null, hint: string | null): never {
  throw new WiregramError({ code, reason, position, expected, hint });
}

/** Visit every statement in text order, inside par branches and loop bodies too (each loop body once). */
function eachStatement(statements: Statement[], visit: (s: Statement) => void): void {
  for (const s of statements) {
    visit(s);
    if (s.type === 'par') for (const b of s.branches) eachStatement(b, visit);
    else if (s.type === 'loop') eachStatement(s.body, visit);
  }
}

/** Marks are unique by kind: the first reason given is kept. */
function addMark(marks: SegmentMark[], kind: SegmentMarkKind, text: string): void {
  if (!marks.some((m) => m.kind === kind)) marks.push({ kind, text });
}

function flagsKey(flags: TcpFlag[]): string {
  return flags.filter((f) => f === 'SYN' || f === 'FIN' || f === 'RST' || f === 'ACK').sort().join(',');
}

const OPTION_VALUES: Record<string, { key: keyof DiagramOptions; values: Record<string, string> }> = {
  labels: { key: 'labelStyle', values: { textbook: 'textbook', flags: 'flags', wireshark: 'wireshark' } },
  states: { key: 'stateNames', values: { underscore: 'underscore', hyphen: 'hyphen', _: 'underscore', '-': 'hyphen', syn_sent: 'underscore', 'syn-sent': 'hyphen' } },
  numbering: { key: 'numbering', values: { relative: 'relative', absolute: 'absolute' } },
  layout: { key: 'layout', values: { states: 'states', lifeline: 'lifeline', flow: 'flow' } },
};
const OPTION_ALIASES: Record<string, string> = {
  label: 'labels',
  labels: 'labels',
  'label-style': 'labels',
  labelstyle: 'labels',
  label_style: 'labels',
  states: 'states',
  state: 'states',
  'state-names': 'states',
  statenames: 'states',
  state_names: 'states',
  numbering: 'numbering',
  numbers: 'numbering',
  layout: 'layout',
  style: 'layout',
};

const KNOWN_OPTIONS = ['labels', 'states', 'numbering', 'layout', 'msl', 'rto', 'rtt', 'delay', 'win', 'handshake', 'pure-ack-seq'];

class Engine {
  readonly endpoints = new Map<string, Endpoint>();
  readonly order: string[] = [];
  readonly segments: Segment[] = [];
  readonly states: StateChange[] = [];
  readonly timers: Timer[] = [];
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
  segmentNotes = new Map<number, string>();
  started = false;
  steps = 0;
  /** The latest instant already acted on (an arrival processed, a segment sent). */
  clock = 0;

  constructor(compile: CompileOptions) {
    this.options = {
      labelStyle: compile.labelStyle ?? 'textbook',
      stateNames: compile.stateNames ?? 'underscore',
      numbering: compile.numbering ?? 'absolute',
      layout: compile.layout ?? 'states',
      extra: {},
    };
    this.numberingSet = compile.numbering !== undefined;
  }

  // ── set-up pass: participants, options, title ───────────────────────────────────────────────────────────

  collect(statements: Statement[]): void {
    eachStatement(statements, (s) => {
      if (s.type === 'participant') this.declare(s);
      else if (s.type === 'option') this.option(s.entries);
      else if (s.type === 'title') this.title = s.text;
      else if (s.type === 'autonumber') this.options.extra.autonumber = 'true';
    });
  }

  declare(s: ParticipantStatement): void {
    if (this.endpoints.has(s.id.value)) {
      err('duplicate-participant', `participant "${s.id.value}" is declared twice`, s.id.position, 'each participant once', 'remove one of the two lines');
    }
    const ep = this.newEndpoint(s.id.value, s.label ?? s.id.value, s.position, s.position);
    this.declared = true;
    ep.address = s.address;
    ep.port = s.port;
    ep.spoofed = s.spoofed;
    ep.backlog = s.backlog;
    ep.window = s.window;
    if (s.listen && !s.spoofed) {
      ep.listener = true;
      this.show(ep, 'LISTEN', 0.5, null, 'passive open (listen)', s.position);
    }
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
      perConnection: null,
    };
    const multi = this.multiPeer.get(id);
    if (multi) ep.perConnection = { peers: [...multi.peers], base: multi.base, spaces: new Map() };
    this.endpoints.set(id, ep);
    this.order.push(id);
    return ep;
  }

  option(entries: Array<{ key: string; value: string; position: Position }>): void {
    for (const e of entries) {
      const key = e.key.toLowerCase();
      const canon = OPTION_ALIASES[key];
      if (canon) {
        const spec = OPTION_VALUES[canon]!;
        const v = spec.values[e.value.toLowerCase()];
        if (!v) {
          err('bad-option', `option ${e.key}=${e.value}: unknown value "${e.value}"`, e.position, `${e.key}=${[...new Set(Object.values(spec.values))].join(' | ')}`, null);
        }
        (this.options as unknown as Record<string, string>)[spec.key] = v;
        if (spec.key === 'numbering') this.numberingSet = true;
        continue;
      }
      const num = (max: number) => {
        const n = Number(e.value.toLowerCase().replace(/msl$/, ''));
        if (!Number.isFinite(n) || n <= 0 || n > max || e.value.trim() === '') {
          err('bad-option', `option ${e.key}=${e.value}: expected a positive number`, e.position, `${e.key}=<number > 0, at most ${max}>`, null);
        }
        return n;
      };
      switch (key) {
        case 'msl':
          this.settings.msl = num(10_000);
          break;
        case 'rto':
          this.settings.rto = num(10_000);
          break;
        case 'rtt':
          this.settings.trip = num(10_000) / 2;
          break;
        case 'delay':
        case 'trip':
          this.settings.trip = num(10_000);
          break;
        case 'win':
        case 'window':
          this.settings.window = Math.floor(num(0x3fffffff));
          break;
        case 'handshake': {
          const v = e.value.toLowerCase();
          if (v !== 'two-way' && v !== 'three-way' && v !== '2' && v !== '3') {
            err('bad-option', `option handshake=${e.value}: unknown value`, e.position, 'handshake=three-way | two-way', null);
          }
          this.settings.twoWay = v === 'two-way' || v === '2';
          break;
        }
        case 'pure-ack-seq':
        case 'ack-seq':
        case 'pure_ack_seq': {
          const v = e.value.toLowerCase();
          if (v !== 'hide' && v !== 'show') err('bad-option', `option ${e.key}=${e.value}: unknown value`, e.position, `${e.key}=show | hide`, null);
          this.settings.hidePureAckSeq = v === 'hide';
          break;
        }
        default: {
          // Unknown keys are kept for layouts; a near miss of a known key is a typo worth stopping for.
          const near = suggest(key, KNOWN_OPTIONS);
          if (near && near !== key) {
            err('unknown-option', `unknown option "${e.key}"`, e.position, KNOWN_OPTIONS.join(', '), `did you mean ${near}?`);
          }
          this.options.extra[e.key] = e.value;
        }
      }
    }
  }

  // ── endpoints and connection blocks ─────────────────────────────────────────────────────────────────────

  endpoint(w: Word): Endpoint {
    const ep = this.endpoints.get(w.value);
    if (ep) return ep;
    if (this.declared) {
      const known = this.order.join(', ');
      err('unknown-participant', `unknown participant "${w.value}"`, w.position, `one of ${known}`, `declare it first: participant ${w.value}`);
    }
    return this.newEndpoint(w.value, w.value, null, w.position);
  }

  tcb(ep: Endpoint, peer: string): Tcb {
    let t = ep.tcbs.get(peer);
    if (!t) {
      t = {
        me: ep.id,
        peer,
        state: ep.listener ? 'LISTEN' : ep.initial,
        passive: false,
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
        timeWaitTimer: null,
        timerGen: 0,
        explicitTimeout: false,
        used: false,
      };
      this.initialise(t, t.state);
      ep.tcbs.set(peer, t);
    }
    return t;
  }

  /** Starting an endpoint mid-connection (`state client=ESTABLISHED`): both sides are synchronised at rel 0. */
  initialise(t: Tcb, state: TcpState): void {
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

  setState(ep: Endpoint, t: Tcb, to: TcpState, at: number, cause: number | null, reason: string | null, position: Position | null): void {
    if (t.state === to) return;
    t.state = to;
    // A reset owed in an earlier state is void once the connection has moved on.
    if (to !== 'CLOSED') t.pendingReset = null;
    ep.primary = t;
    this.show(ep, to, at, cause, reason, position);
  }

  /** Record a change of the state drawn on `ep`'s lifeline (a forged address has none). */
  show(ep: Endpoint, to: TcpState, at: number, cause: number | null, reason: string | null, position: Position | null): void {
    if (ep.spoofed || ep.visible === to) return;
    this.states.push({ participant: ep.id, at, from: ep.visible, to, cause, reason, position });
    ep.visible = to;
    ep.changed = true;
  }

  // ── the clock ───────────────────────────────────────────────────────────────────────────────────────────

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

  deliver(upTo: number): void {
    while (this.queueHead < this.queue.length && this.queue[this.queueHead]!.t <= upTo) {
      const e = this.queue[this.queueHead++]!;
      if (e.t > this.clock) this.clock = e.t;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      if (e.kind === 'arrive') this.arrive(e);
      else this.timeWaitExpired(e.tcb, e.gen, e.t);
    }
  }

  // ── statements ─────────────────────────────────────────────────────────────────────────────────────────

  run(statements: Statement[], cursor: Cursor): void {
    for (const s of statements) this.step(s, cursor);
  }

  step(s: Statement, cursor: Cursor): void {
    // Loops multiply statements: bound the total work, not just the text.
    if (++this.steps > SEQUENCE_LIMITS.maxSteps) {
      err('too-many-steps', `the diagram runs more than ${SEQUENCE_LIMITS.maxSteps} statements`, s.position, `at most ${SEQUENCE_LIMITS.maxSteps} statements, loops included`, 'use smaller loop counts');
    }
    switch (s.type) {
      case 'segment':
        this.send(s, cursor);
        break;
      case 'isn':
        for (const a of s.assignments) {
          const ep = this.endpoint(a.participant);
          if (ep.started) err('isn-after-start', `isn for ${ep.id} comes after its first segment`, a.position, 'isn before the first segment', 'move the isn line to the top (or use "seq" to rename a point mid-diagram)');
          ep.space = new Space();
          ep.isnSet = true;
          if (ep.perConnection) ep.perConnection.spaces.clear();
          if (a.value.symbol !== null) {
            if (a.value.offset !== 0) err('syntax', `an ISN is a plain symbol or number, not "${a.value.text}"`, a.value.position, 'isn client=x or isn client=1000', null);
            ep.space.isn = null;
            ep.space.points.push({ symbol: a.value.symbol, rel: 0 });
          } else ep.space.isn = a.value.offset;
        }
        break;
      case 'seq':
        for (const a of s.assignments) {
          const ep = this.endpoint(a.participant);
          const t = ep.primary ?? this.firstTcb(ep);
          const rel = t ? t.sndNxt : 0;
          const space = t ? this.spaceFor(ep, t.peer) : ep.space;
          if (a.value.symbol !== null) {
            space.points.push({ symbol: a.value.symbol, rel: rel - a.value.offset });
          } else {
            if (space.points.length > 0 && space.isn === null) {
              err('mixed-numbering', `${ep.id}'s sequence numbers are symbolic; "${a.value.text}" is a number`, a.value.position, `a symbol such as ${ep.id}=u`, 'use symbols throughout, or numbers throughout (isn client=1000)');
            }
            space.isn = mod32(a.value.offset - rel);
            space.points = [];
          }
        }
        break;
      case 'state':
        for (const a of s.assignments) {
          const ep = this.endpoint(a.participant);
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
            t.state = a.state;
            this.initialise(t, a.state);
          }
        }
        break;
      case 'listen':
        // What has arrived by now happened before this listen (a SYN that came earlier found the port as it was).
        if (this.started) this.deliver(cursor.now);
        for (const w of s.participants) {
          const ep = this.endpoint(w);
          if (ep.visible !== 'CLOSED' && ep.visible !== 'LISTEN') {
            err('bad-listen', `${ep.id} cannot listen in ${ep.visible} — it is busy with a connection`, w.position, 'listen on a CLOSED endpoint', null);
          }
          ep.listener = true;
          const at = this.started ? cursor.now : 0.5;
          // A later `&` segment must not reach back before this state change.
          if (this.started && at > this.clock) this.clock = at;
          for (const t of ep.tcbs.values()) if (t.state === 'CLOSED') t.state = 'LISTEN';
          this.show(ep, 'LISTEN', at, null, 'passive open (listen)', s.position);
        }
        break;
      case 'note': {
        const participants = s.participants.map((w) => this.endpoint(w).id);
        const spans = s.placement === 'over';
        this.notes.push({ text: s.text, participants, placement: s.placement, at: spans ? cursor.now + 0.25 : cursor.now, position: s.position });
        if (spans) cursor.now += 0.5;
        break;
      }
      case 'divider': {
        const participants = s.participants.map((w) => this.endpoint(w).id);
        const d: Divider = { text: s.text, at: cursor.now + 0.25, position: s.position };
        if (participants.length) d.participants = participants;
        this.dividers.push(d);
        cursor.now += 0.5;
        break;
      }
      case 'timeout':
        this.timeout(s.participant, s.label, s.position, cursor);
        break;
      case 'wait': {
        if (s.unit === 'seconds') {
          // Wall-clock time has no scale in an abstract diagram: draw it compressed (see realWaitTrips) and say
          // the real duration on a bracket.
          const start = cursor.now;
          cursor.now += realWaitTrips(s.amount) * this.settings.trip;
          this.realWaits.push({ start, end: cursor.now, label: s.label ?? `${s.amount} s`, position: s.position });
        } else {
          const unit = s.unit === 'msl' ? this.settings.msl : s.unit === 'rto' ? this.settings.rto : this.settings.trip;
          cursor.now += s.amount * unit;
        }
        if (cursor.now > SEQUENCE_LIMITS.maxTime) err('too-long', 'the diagram runs for too long', s.position, `a total time below ${SEQUENCE_LIMITS.maxTime}`, null);
        this.deliver(cursor.now);
        break;
      }
      case 'header':
        this.headers.push({ segment: s.segment, at: cursor.now, position: s.position, after: this.segments.length });
        break;
      case 'par':
        this.par(s, cursor);
        break;
      case 'loop':
        for (let i = 0; i < s.count; i++) this.run(s.body, cursor);
        break;
      default:
        break; // title, participant, option, autonumber: handled in the set-up pass; capture: by simulate()
    }
  }

  firstTcb(ep: Endpoint): Tcb | null {
    for (const t of ep.tcbs.values()) return t;
    if (this.order.length === 2) {
      const other = this.order.find((id) => id !== ep.id);
      if (other) return this.tcb(ep, other);
    }
    return null;
  }

  /** Branches run side by side: always execute the statement of the branch whose clock is earliest. */
  par(s: ParStatement, cursor: Cursor): void {
    const cursors = s.branches.map(() => ({ now: cursor.now, lastSentAt: cursor.lastSentAt }));
    const next = s.branches.map(() => 0);
    // A binary heap of branches by (clock, branch number): always step the earliest one.
    const heap: number[] = [];
    const less = (a: number, b: number) => cursors[a]!.now < cursors[b]!.now || (cursors[a]!.now === cursors[b]!.now && a < b);
    const push = (b: number) => {
      heap.push(b);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    };
    const pop = (): number => {
      const top = heap[0]!;
      const lastB = heap.pop()!;
      if (heap.length) {
        heap[0] = lastB;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m]!, heap[i]!];
          i = m;
        }
      }
      return top;
    };
    for (let b = 0; b < s.branches.length; b++) if (s.branches[b]!.length) push(b);
    while (heap.length) {
      const pick = pop();
      this.step(s.branches[pick]![next[pick]!]!, cursors[pick]!);
      next[pick]!++;
      if (next[pick]! < s.branches[pick]!.length) push(pick);
    }
    for (const c of cursors) {
      cursor.now = Math.max(cursor.now, c.now);
      cursor.lastSentAt = Math.max(cursor.lastSentAt, c.lastSentAt);
    }
  }

  timeout(w: Word, label: string | null, position: Position, cursor: Cursor): void {
    const ep = this.endpoint(w);
    let oldest: { t: Tcb; o: Outstanding } | null = null;
    for (const t of ep.tcbs.values()) {
      for (const o of t.outstanding) if (!oldest || o.sentAt < oldest.o.sentAt) oldest = { t, o };
    }
    if (!oldest) {
      err('nothing-to-time-out', `${ep.id} has nothing unacknowledged, so no retransmission timer is running`, w.position, 'a timeout after a segment that was lost or not yet acknowledged', 'send (and lose) a segment first, or use "wait" to let time pass');
    }
    const end = Math.max(cursor.now, oldest.o.sentAt + this.settings.rto);
    this.timers.push({ participant: ep.id, kind: 'RTO', label: label ?? 'RTO', start: oldest.o.sentAt, end, expired: true, restarted: false, position });
    oldest.t.explicitTimeout = true;
    cursor.now = end;
    this.deliver(end);
  }

  // ── sending ─────────────────────────────────────────────────────────────────────────────────────────────

  send(s: SegmentStatement, cursor: Cursor): void {
    const from = this.endpoint(s.from);
    const to = this.endpoint(s.to);
    if (from === to) err('self-segment', `${from.id} cannot send a segment to itself`, s.to.position, 'two different participants', null);
    this.started = true;
    if (this.segments.length >= SEQUENCE_LIMITS.maxSegments) {
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
    const stale = attrs.has('stale');
    const force = attrs.has('force');
    const lost = attrs.has('lost');
    let len = 0;
    let payload: string | null = null;
    const lenAttr = attrs.get('len');
    if (s.payload) {
      payload = s.payload.value;
      len = utf8Length(payload);
      if (lenAttr && lenAttr.value !== len) {
        err('len-mismatch', `len=${lenAttr.value} but the payload is ${len} bytes`, lenAttr.position, `len=${len} or no len`, 'leave len out; the payload\'s UTF-8 length counts');
      }
    } else if (lenAttr) len = lenAttr.value as number;
    if (keepalive && len > 1) err('bad-keepalive', 'a keep-alive probe carries at most one byte', lenAttr?.position ?? s.position, 'keepalive or keepalive len=1', null);
    if (has('SYN') && has('RST')) err('bad-flags', 'SYN and RST together make no sense', s.flags[0]!.position, 'SYN or RST', null);

    // Never before what has already happened (a `&` after a `wait` cannot reach back past processed arrivals).
    let sentAt = Math.max(s.concurrent ? cursor.lastSentAt : cursor.now, this.clock);
    // Everything that has arrived by now is known to the sender before it decides this segment's numbers.
    this.deliver(sentAt);
    const t = this.tcb(from, to.id);
    const peer = to.tcbs.get(from.id) ?? null;
    const state = t.state;
    const who = from.id;
    const position = s.position;
    const delayAttr = attrs.get('delay');
    const transit = delayAttr ? (delayAttr.value as number) : this.settings.trip;
    const marks: SegmentMark[] = [];
    const mark = (kind: SegmentMarkKind, text: string) => addMark(marks, kind, text);

    from.started = true;
    to.started = true;

    let seqRel = 0;
    let ackRel: number | null = null;
    let retransmission = false;
    let retransmissionOf: number | null = null;
    let rtoFrom: Outstanding | null = null;
    let zeroSeq = false;
    let newState: { state: TcpState; reason: string } | null = null;
    const isData = len > 0;
    /** Sequence space the segment takes: its bytes, plus one each for SYN and FIN. */
    const consumes = len + (has('SYN') ? 1 : 0) + (has('FIN') ? 1 : 0);
    const needsAck = has('ACK');
    const pure = !has('SYN') && !has('FIN') && !has('RST') && !isData;
    // RFC 9293 §3.8.6.1: with the peer's window closed, the sender probes it with one byte.
    const probe = len === 1 && !keepalive && !stale && !from.spoofed && !has('SYN') && !has('FIN') && !has('RST') && t.peerWindow === 0;
    /** Set when this segment goes out as a probe (not when it retransmits a lost byte). */
    let probing = false;
    /** A pure ACK sent before the sender's own SYN: its seq means nothing yet, so the label omits it. */
    let preSynAck = false;

    const noConnection = (what: string): never =>
      err(
        'no-connection',
        `${who} cannot send ${what} in ${state} — there is no connection${state === 'LISTEN' ? ' yet' : ''}`,
        position,
        state === 'LISTEN' ? `${who} to receive a SYN first` : `a SYN to open the connection first`,
        state === 'LISTEN' ? `let the other side send SYN first` : `open the connection: ${who} -> ${to.id}: SYN`,
      );

    try {
      if (stale || from.spoofed) {
        // A segment from an old incarnation or a forged address: the sender's connection state is not involved.
        if (stale) {
          mark('stale', 'old duplicate');
          if (!attrs.has('seq')) err('stale-needs-seq', 'a stale segment needs the old sequence number it carries', position, 'seq=… (e.g. seq=90 or seq=x0)', 'write the historical number: client -> server: SYN seq=90 stale');
        }
        if (from.spoofed) mark('spoofed', 'spoofed source');
        seqRel = has('SYN') ? 0 : t.sndNxt;
        if (!stale && has('SYN')) {
          t.synSent = true;
          t.sndNxt = Math.max(t.sndNxt, 1);
        }
        if (needsAck) ackRel = t.rcvNxt ?? 0;
      } else if (has('RST')) {
        if (t.pendingReset) {
          const p = t.pendingReset;
          mark('reset', p.why);
          seqRel = p.seq ?? t.sndNxt;
          zeroSeq = p.zero;
          if (needsAck) ackRel = p.ack ?? t.rcvNxt;
          if (needsAck && ackRel === null) err('rst-ack-nothing', `${who} has received nothing to acknowledge`, position, 'RST without ACK', 'write RST alone');
          t.pendingReset = null;
          // A reset that answers an unacceptable segment leaves the sender's own state as it was (RFC 9293 §3.10.7).
        } else {
          if (state === 'CLOSED' || state === 'LISTEN') {
            err(
              'rst-without-connection',
              `${who} cannot send RST in ${state} — nothing arrived that it could reset`,
              position,
              'a RST that answers a segment arriving for no connection, or aborts an open one',
              `a RST answers something: let ${to.id} send a segment to ${who} first`,
            );
          }
          seqRel = t.sndNxt;
          if (needsAck) {
            if (t.rcvNxt === null) err('rst-ack-nothing', `${who} has received nothing to acknowledge`, position, 'RST without ACK', 'write RST alone');
            ackRel = t.rcvNxt;
          }
          newState = { state: 'CLOSED', reason: 'abort (RST sent)' };
          mark('reset', 'abort');
        }
      } else if (has('SYN')) {
        if (has('ACK')) {
          if (t.rcvNxt === null) {
            err(
              'synack-without-syn',
              `${who} cannot send SYN, ACK in ${state} — it has not received a SYN`,
              position,
              `${to.id} -> ${who}: SYN first`,
              `let ${to.id} send SYN first; a SYN, ACK answers it`,
            );
          }
          const twoWayAgain = state === 'ESTABLISHED' && this.settings.twoWay;
          if (state !== 'SYN_RCVD' && !twoWayAgain) {
            err('bad-syn', `${who} cannot send SYN, ACK in ${state} — the connection is already synchronised`, position, 'SYN, ACK only in SYN_RCVD', null);
          }
          if (twoWayAgain) t.synFlagsKey = '';
          seqRel = 0;
          ackRel = t.rcvNxt;
          if (t.synSent && t.synFlagsKey === flagsKey(flags)) {
            retransmission = true;
          }
          t.synSent = true;
          t.synFlagsKey = flagsKey(flags);
          t.sndNxt = Math.max(t.sndNxt, 1 + len);

        } else {
          if (state === 'CLOSED' || state === 'LISTEN') {
            if (t.used) this.reopen(t);
            seqRel = 0;
            t.synSent = true;
            t.synFlagsKey = flagsKey(flags);
            t.sndNxt = 1 + len;
            newState = { state: 'SYN_SENT', reason: 'active open (connect)' };
          } else if (state === 'SYN_SENT' || (state === 'SYN_RCVD' && !t.passive)) {
            seqRel = 0;
            retransmission = true;
          } else if (state === 'SYN_RCVD' && t.passive && !t.synSent) {
            // The SYN, ACK split in two (RFC 9293 allows it; the seeds' "four-way handshake"): the ACK went
            // first, this is the passive side's own SYN.
            seqRel = 0;
            t.synSent = true;
            t.synFlagsKey = flagsKey(flags);
            t.sndNxt = 1 + len;
          } else {
            err(
              'syn-in-state',
              `${who} cannot send SYN in ${state} — ${SYNCHRONIZED.has(state) ? 'the connection is already open' : 'it is answering a SYN'}`,
              position,
              state === 'SYN_RCVD' ? 'SYN, ACK' : 'no SYN on an open connection',
              state === 'SYN_RCVD' ? `${who} answers with SYN, ACK` : 'close the connection first, or draw a new one',
            );
          }
        }
        if (retransmission) {
          const o = t.outstanding.find((x) => x.start === 0);
          if (o) {
            retransmissionOf = o.index;
            rtoFrom = o;
          }
        }
      } else {
        // FIN, data, or a pure ACK
        if (t.rcvNxt === null && (needsAck || isData || has('FIN'))) {
          if (state === 'SYN_SENT') {
            const what = isData ? 'data' : has('FIN') ? 'FIN' : 'ACK';
            err(
              isData ? 'data-before-handshake' : has('FIN') ? 'fin-before-handshake' : 'ack-before-synack',
              isData
                ? `${who} cannot send data in SYN_SENT — the handshake has not finished`
                : `${who} cannot send ${what} in SYN_SENT — it has not received ${to.id}'s SYN yet`,
              position,
              `${to.id} -> ${who}: SYN, ACK first`,
              isData ? `wait for ${to.id}'s SYN, ACK and send the ACK first` : `let ${to.id} answer with SYN, ACK first`,
            );
          }
          if (state === 'CLOSED' && has('FIN')) {
            err('fin-from-closed', `${who} cannot send FIN in CLOSED — there is no connection to close`, position, 'a FIN on an open connection (ESTABLISHED or CLOSE_WAIT)', `open the connection first: ${who} -> ${to.id}: SYN`);
          }
          noConnection(isData ? 'data' : has('FIN') ? 'FIN' : 'ACK');
        }
        if (state === 'CLOSED' || state === 'LISTEN') {
          if (has('FIN')) err('fin-from-closed', `${who} cannot send FIN in ${state} — there is no connection to close`, position, 'a FIN on an open connection (ESTABLISHED or CLOSE_WAIT)', `open the connection first: ${who} -> ${to.id}: SYN`);
          noConnection(isData ? 'data' : 'ACK');
        }
        if (state === 'SYN_SENT' && (isData || has('FIN'))) {
          err(
            isData ? 'data-before-handshake' : 'fin-before-handshake',
            `${who} cannot send ${isData ? 'data' : 'FIN'} in SYN_SENT — the handshake has not finished`,
            position,
            'the handshake to finish first',
            'send the ACK first',
          );
        }
        ackRel = needsAck ? t.rcvNxt : null;
        if (has('FIN')) {
          if (state === 'ESTABLISHED' || state === 'SYN_RCVD' || state === 'CLOSE_WAIT') {
            if (isData && state === 'SYN_RCVD') err('data-before-handshake', `${who} cannot send data in SYN_RCVD — the handshake has not finished`, position, `${to.id}'s ACK first`, `let ${to.id} send the ACK first`);
            seqRel = t.sndNxt;
            t.finSent = true;
            t.finRel = t.sndNxt + len;
            t.sndNxt += len + 1;
            newState = state === 'CLOSE_WAIT' ? { state: 'LAST_ACK', reason: 'close() after the peer\'s FIN' } : { state: 'FIN_WAIT_1', reason: 'active close (close)' };
          } else if (t.finSent && (state === 'FIN_WAIT_1' || state === 'CLOSING' || state === 'LAST_ACK')) {
            seqRel = t.finRel - len;
            retransmission = true;
            const o = t.outstanding.find((x) => x.end === t.finRel + 1);
            if (o) {
              retransmissionOf = o.index;
              rtoFrom = o;
            }
          } else {
            err(
              'fin-in-state',
              `${who} cannot send FIN in ${state} — ${t.finSent ? 'it has already sent its FIN and had it acknowledged' : 'the handshake has not finished'}`,
              position,
              'a FIN from ESTABLISHED or CLOSE_WAIT',
              t.finSent ? 'an endpoint sends one FIN; a retransmission is only possible before it is acknowledged' : 'finish the handshake first',
            );
          }
        } else if (isData) {
          if (state === 'SYN_RCVD') {
            err('data-before-handshake', `${who} cannot send data in SYN_RCVD — the handshake has not finished`, position, `${to.id}'s ACK first`, `let ${to.id} send the ACK first`);
          }
          if (state !== 'ESTABLISHED' && state !== 'CLOSE_WAIT' && !keepalive) {
            err(
              'data-after-fin',
              `${who} cannot send data in ${state} — it has already sent its FIN`,
              position,
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
            seqRel = t.sndNxt - 1;
          } else if (again) {
            seqRel = again.start;
            retransmission = true;
            retransmissionOf = again.index;
            rtoFrom = again;
          } else if (probe) {
            // One byte pushed into the peer's zero window: it is not accepted, so SND.NXT stays (as Wireshark's
            // analysis counts it); the byte goes again with the data once the window opens.
            seqRel = t.sndNxt;
            probing = true;
          } else {
            seqRel = t.sndNxt;
            t.sndNxt += len;
          }
        } else {
          // pure ACK (maybe PSH/URG/ECE/CWR without data)
          if (state === 'SYN_SENT') {
            err('ack-before-synack', `${who} cannot send ACK in SYN_SENT — it has not received ${to.id}'s SYN yet`, position, `${to.id} -> ${who}: SYN, ACK first`, `let ${to.id} answer with SYN, ACK first`);
          }
          seqRel = keepalive ? t.sndNxt - 1 : t.sndNxt;
          // An ACK from SYN_RCVD before the own SYN (a split SYN, ACK): no sequence number is established yet.
          if (state === 'SYN_RCVD' && t.passive && !t.synSent) preSynAck = true;
          if (attrs.has('retransmit') && t.outstanding.length) {
            const o = t.outstanding[0]!;
            seqRel = o.start;
            retransmission = true;
            retransmissionOf = o.index;
            rtoFrom = o;
          }
          if (t.lastLostPure && t.lastLostPure.seq === seqRel && t.lastLostPure.ack === ackRel) {
            retransmission = true;
            retransmissionOf = this.lastLostIndex(from.id, to.id, seqRel);
          }
        }
      }
    } catch (e) {
      // `force`: the author wants this segment drawn although the protocol forbids it — drawn, marked, warned.
      if (!(force && e instanceof WiregramError && e.code !== 'internal')) throw e;
      seqRel = t.sndNxt;
      ackRel = needsAck ? (t.rcvNxt ?? 0) : null;
      retransmission = false;
      retransmissionOf = null;
      rtoFrom = null;
      newState = null;
      if (!has('RST')) t.sndNxt += consumes;
      mark('override', `forced: ${e.reason}`);
      this.warn('forced', `drawn although ${e.reason}`, position);
    }

    // ── explicit values: accepted, and marked when they differ from what the protocol gives ──
    const fromSpace = this.spaceFor(from, to.id);
    const toSpace = this.spaceFor(to, from.id);
    const overrides: string[] = [];
    const computedSeq = seqRel;
    const seqAttr = attrs.get('seq');
    if (seqAttr) {
      const v = seqAttr.value as SeqValue;
      seqRel = this.relOf(fromSpace, from.id, v, computedSeq, stale);
      // Only a value other than the computed one overrides; the same value merely confirms (or names) it.
      if (seqRel !== computedSeq) overrides.push('seq');
      zeroSeq = false;
      if (seqRel !== computedSeq && !stale) {
        mark('override', `seq overridden (expected ${formatSeq(fromSpace.number(computedSeq))})`);
        this.warn('override', `seq=${v.text} differs from the computed ${formatSeq(fromSpace.number(computedSeq))}; drawn as written`, v.position);
      }
    }
    const ackAttr = attrs.get('ack');
    if (ackAttr) {
      const v = ackAttr.value as SeqValue;
      if (!needsAck) err('ack-without-flag', `ack=${v.text} on a segment without the ACK flag`, v.position, 'the ACK flag, e.g. "ACK, ack=x+1"', 'add ACK to the flags');
      const computed = ackRel;
      // A stale segment's ack belongs to the old incarnation too: a new symbol there is not a name for a live number.
      const rel = this.relOf(toSpace, to.id, v, computed ?? 0, stale);
      const peerNxt = peer?.sndNxt ?? 0;
      if (!v.forced && !stale && rel > peerNxt) {
        err(
          'ack-unsent',
          `${who} acknowledges ${v.text}, but ${to.id} has only sent up to ${formatSeq(toSpace.number(peerNxt))}`,
          v.position,
          `an ack no higher than ${formatSeq(toSpace.number(peerNxt))}`,
          `an ACK cannot cover bytes never sent; write ack=${v.text}! to draw a deliberately bogus segment`,
        );
      }
      if (rel !== computed) {
        overrides.push('ack');
        if (!stale) mark('override', computed === null ? 'ack set by hand' : `ack overridden (expected ${formatSeq(toSpace.number(computed))})`);
        if (computed !== null && !stale) this.warn('override', `ack=${v.text} differs from the computed ${formatSeq(toSpace.number(computed))}; drawn as written`, v.position);
      }
      ackRel = rel;
    }
    if (needsAck && ackRel === null) {
      if (stale || from.spoofed) ackRel = 0;
      else err('ack-without-syn', `${who} has not received a SYN from ${to.id}, so it has nothing to acknowledge`, position, `${to.id}'s SYN first`, null);
    }

    let window = from.window ?? this.settings.window;
    const winAttr = attrs.get('win');
    if (winAttr) {
      if (winAttr.value !== window) overrides.push('win');
      window = winAttr.value as number;
      if (window === 0) mark('zero-window', 'zero window');
    }
    const options: TcpOption[] = [];
    const mss = attrs.get('mss');
    if (mss) {
      options.push({ kind: 'MSS', value: mss.value as number });
      if (!has('SYN')) this.warn('mss-without-syn', 'MSS is only sent on SYN segments; drawn as written', mss.position);
    }
    const ws = attrs.get('ws');
    if (ws) {
      options.push({ kind: 'WS', value: ws.value as number });
    }
    if (attrs.has('sack_perm')) options.push({ kind: 'SACK_PERM' });
    const ts = attrs.get('ts');
    if (ts) options.push({ kind: 'TS', value: ts.value as number, echo: 0 });

    // ── marks computed from the connection ──
    if (keepalive) mark('keepalive', 'keep-alive');
    if (pure && !keepalive && t.gotKeepalive) mark('keepalive-ack', 'keep-alive ACK');
    if (probing) mark('zero-window-probe', 'zero window probe');
    if (pure && !keepalive && t.gotProbe && window === 0) mark('zero-window-probe-ack', 'zero window probe ACK');
    // Only the window changed, and it is open (Wireshark's window update): not a duplicate ACK.
    const windowUpdate = pure && !keepalive && needsAck && ackRel !== null && t.lastAckSent === ackRel && t.lastWindowSent !== null && window !== t.lastWindowSent && window > 0;
    if (windowUpdate) mark('window-update', 'window update');
    if (pure && !keepalive && needsAck && ackRel !== null && t.lastAckSent === ackRel && t.dataSinceAck && !retransmission && !windowUpdate) mark('duplicate-ack', 'dup ACK');
    if (retransmission) {
      const fast = t.dupAcks >= 3 && isData;
      mark('retransmission', fast ? 'fast retransmission' : 'retransmission');
      // Time the retransmission: it leaves when the RTO fires, unless the author already said so (timeout).
      if (rtoFrom && !t.explicitTimeout && !fast && !s.concurrent) {
        const fire = rtoFrom.sentAt + this.settings.rto;
        if (fire > sentAt) {
          sentAt = fire;
          this.deliver(sentAt);
        }
        this.timers.push({ participant: from.id, kind: 'RTO', label: 'RTO', start: rtoFrom.sentAt, end: sentAt, expired: true, restarted: false, position });
      }
      t.explicitTimeout = false;
      if (rtoFrom) rtoFrom.retransmitted = true;
    }

    const index = this.segments.length;
    const arrivesAt = lost ? sentAt + transit * 0.6 : sentAt + transit;
    const hiddenFields: Array<'seq' | 'ack' | 'win' | 'len'> = [];
    const hide = attrs.get('hide');
    if (hide) for (const h of (hide.value as string).toLowerCase().split('+')) hiddenFields.push(h as 'seq');
    if ((this.settings.hidePureAckSeq || preSynAck) && pure && needsAck && !hiddenFields.includes('seq')) hiddenFields.push('seq');
    const seg: Segment = {
      index,
      from: from.id,
      to: to.id,
      flags,
      seq: zeroSeq ? { symbol: null, offset: 0, relative: 0 } : fromSpace.number(seqRel),
      ack: ackRel === null ? null : toSpace.number(ackRel),
      len,
      window,
      options,
      payload,
      sentAt,
      arrivesAt,
      lost,
      retransmission,
      retransmissionOf,
      overrides,
      marks,
      label: '',
      note: (attrs.get('note')?.value as string | undefined) ?? null,
      time: (attrs.get('time')?.value as number | undefined) ?? null,
      position,
    };
    if (hiddenFields.length) seg.hidden = hiddenFields;
    this.segments.push(seg);

    // ── sender-side bookkeeping ──
    if (!stale && !from.spoofed) {
      t.used = true;
      // The idle time a keep-alive probe ends: since the last segment this connection sent or received.
      if (keepalive && sentAt > t.lastActivity) {
        this.timers.push({ participant: from.id, kind: 'keepalive', label: 'keepalive', start: t.lastActivity, end: sentAt, expired: true, restarted: false, position });
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
      if (!has('RST')) t.lastWindowSent = window;
      if (consumes > 0 && !retransmission && !keepalive && !probing && !has('RST')) {
        const o: Outstanding = { index, start: seqRel, end: seqRel + consumes, flagsKey: flagsKey(flags), len, sentAt, lost, retransmitted: false };
        t.outstanding.push(o);
        if (lost) t.lostPending.push(o);
      } else if (retransmission && rtoFrom) {
        const k = t.lostPending.indexOf(rtoFrom);
        if (k >= 0) t.lostPending.splice(k, 1);
        rtoFrom.sentAt = sentAt;
        rtoFrom.lost = lost;
        rtoFrom.index = index;
        rtoFrom.retransmitted = false;
        if (lost) t.lostPending.push(rtoFrom);
      }
      t.lastLostPure = pure && lost ? { seq: seqRel, ack: ackRel } : retransmission && pure ? null : t.lastLostPure;
      if (newState) this.setState(from, t, newState.state, sentAt, index, newState.reason, position);
      if (newState?.state === 'CLOSED') this.cancelTimeWait(t, sentAt);
    }

    if (sentAt > this.clock) this.clock = sentAt;
    cursor.lastSentAt = sentAt;
    cursor.now = Math.max(cursor.now, arrivesAt, sentAt);
    if (cursor.now > SEQUENCE_LIMITS.maxTime) err('too-long', 'the diagram runs for too long', position, `a total time below ${SEQUENCE_LIMITS.maxTime}`, null);
    if (!lost) {
      this.schedule({ t: arrivesAt, order: this.eventOrder++, kind: 'arrive', segment: seg, wireSeq: seqRel, wireAck: ackRel, keepalive, stale });
    }
  }

  lastLostIndex(from: string, to: string, seqRel: number): number | null {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.from === from && s.to === to && s.lost && s.seq.relative === seqRel) return i;
    }
    return null;
  }

  /** A connection that ended (CLOSED) and opens again: a new incarnation with fresh counters. */
  reopen(t: Tcb): void {
    t.sndUna = 0;
    t.sndNxt = 0;
    t.synSent = false;
    t.finSent = false;
    t.rcvNxt = null;
    t.irs = null;
    t.ooo = [];
    t.pendingFin = null;
    t.outstanding = [];
    t.lostPending = [];
    t.passive = false;
    t.pendingReset = null;
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
    pc.spaces.set(peer, space);
    return space;
  }

  /** Mark the endpoints that open connections with several peers (see `Endpoint.perConnection`). */
  findMultiPeer(statements: Statement[]): void {
    const peers = new Map<string, { to: string[]; answersOnly: boolean }>();
    const firstSent = new Set<string>();
    eachStatement(statements, (s) => {
      if (s.type !== 'segment') return;
      if (!firstSent.has(s.from.value) && !s.attributes.some((a) => a.key === 'stale')) {
        // Look ahead for the implied passive open: a first answer of RST (no SYN) means the port was closed.
        firstSent.add(s.from.value);
        if (s.flags.some((f) => f.flag === 'RST') && !s.flags.some((f) => f.flag === 'SYN')) this.refusers.add(s.from.value);
      }
      if (!s.flags.some((f) => f.flag === 'SYN') || s.attributes.some((a) => a.key === 'stale')) return;
      const e = peers.get(s.from.value) ?? { to: [], answersOnly: true };
      if (!e.to.includes(s.to.value)) e.to.push(s.to.value);
      if (!s.flags.some((f) => f.flag === 'ACK')) e.answersOnly = false;
      peers.set(s.from.value, e);
    });
    for (const [id, e] of peers) {
      // The textbooks' letters: y for the side that answers SYNs (the server), x for the side that opens.
      if (e.to.length >= 2) this.multiPeer.set(id, { peers: e.to, base: e.answersOnly ? 'y' : 'x' });
    }
  }

  /** Turn an explicit seq/ack value into a rel in a sequence space (`epId`'s on one connection). */
  relOf(space: Space, epId: string, v: SeqValue, near: number, stale: boolean): number {
    if (v.symbol !== null) {
      const p = space.find(v.symbol);
      if (p) return p.rel + v.offset;
      if (!stale) {
        // A new symbol on a live segment names the number the engine computes there (`FIN seq=u`), like `seq client=u`.
        space.points.push({ symbol: v.symbol, rel: near - v.offset });
        return near;
      }
      // A stale segment's symbol (`x0` of an old incarnation): its own point, far from the live numbers.
      space.foreign++;
      const rel = -(2 ** 40) * space.foreign;
      space.points.push({ symbol: v.symbol, rel });
      return rel + v.offset;
    }
    if (space.isn === null) {
      err('mixed-numbering', `${epId}'s sequence numbers are symbolic; "${v.text}" is a number`, v.position, `a symbol such as ${space.points[0]?.symbol ?? 'x'}+1`, 'use symbols throughout, or numbers throughout (isn client=1000)');
    }
    const expected = mod32(space.isn + near);
    return near + signed32(v.offset - expected);
  }

  warn(code: string, reason: string, position: Position | null): void {
    if (this.warnings.length < 200) this.warnings.push(diagnostic({ code, reason, position }));
  }

  // ── receiving ───────────────────────────────────────────────────────────────────────────────────────────

  arrive(e: Extract<Event, { kind: 'arrive' }>): void {
    const seg = e.segment;
    const at = e.t;
    const rcv = this.endpoints.get(seg.to)!;
    const snd = this.endpoints.get(seg.from)!;
    const mark = (kind: SegmentMarkKind, text: string) => addMark(seg.marks, kind, text);
    if (rcv.spoofed) {
      // Nobody at a forged address holds this connection: the segment goes unanswered.
      mark('dropped', 'no reply: spoofed address');
      return;
    }
    const t = this.tcb(rcv, snd.id);
    if (!e.keepalive) t.lastActivity = at;
    const has = (f: TcpFlag) => seg.flags.includes(f);
    const seqRel = e.wireSeq;
    const ackRel = e.wireAck;
    const len = seg.len;
    const idx = seg.index;
    const pos = seg.position;

    // An endpoint that has never done anything and receives a SYN was listening all along: passive open.
    const refuses = this.refusers.has(rcv.id) && !rcv.listener;
    if (t.state === 'CLOSED' && ((!rcv.changed && !rcv.explicitState && !refuses) || rcv.listener) && !t.used && has('SYN') && !has('ACK') && !rcv.spoofed) {
      rcv.listener = true;
      t.state = 'LISTEN';
      if (rcv.visible === 'CLOSED') this.show(rcv, 'LISTEN', Math.min(0.5, at), null, 'passive open (listen)', null);
    }
    const state = t.state;
    if (e.keepalive) t.gotKeepalive = true;
    if (!has('RST')) t.peerWindow = seg.window;
    if (seg.marks.some((m) => m.kind === 'zero-window-probe')) t.gotProbe = true;

    switch (state) {
      case 'CLOSED': {
        if (has('RST')) return;
        // RFC 9293 §3.10.7.1: anything for a closed port is answered with a reset.
        const why = has('SYN') && !has('ACK') ? 'port closed' : 'no such connection';
        const end = seqRel + len + (has('FIN') ? 1 : 0);
        t.pendingReset = has('ACK') && ackRel !== null ? { seq: ackRel, ack: end, zero: false, why } : { seq: null, ack: end + (has('SYN') ? 1 : 0), zero: true, why };
        return;
      }
      case 'LISTEN': {
        if (has('RST')) return;
        if (has('ACK')) {
          t.pendingReset = { seq: ackRel, ack: null, zero: false, why: 'no such connection' };
          return;
        }
        if (!has('SYN')) return;
        if (rcv.backlog !== null) {
          let half = 0;
          for (const other of rcv.tcbs.values()) if (other.state === 'SYN_RCVD') half++;
          if (half >= rcv.backlog) {
            mark('dropped', 'SYN queue full');
            this.warn('syn-queue-full', `${rcv.id}'s SYN queue (backlog ${rcv.backlog}) is full; the SYN from ${snd.id} is dropped`, pos);
            return;
          }
        }
        t.irs = seqRel;
        t.rcvNxt = seqRel + 1 + len;
        t.passive = true;
        t.used = true;
        t.synSent = false;
        t.sndNxt = 0;
        t.sndUna = 0;
        if (this.settings.twoWay) this.setState(rcv, t, 'ESTABLISHED', at, idx, 'SYN received: established at once (two-way handshake)', pos);
        else this.setState(rcv, t, 'SYN_RCVD', at, idx, 'SYN received (passive open)', pos);
        return;
      }
      case 'SYN_SENT': {
        let acceptable = true;
        if (has('ACK') && ackRel !== null) {
          acceptable = ackRel > t.sndUna && ackRel <= t.sndNxt;
          if (!acceptable) {
            if (!has('RST')) {
              t.pendingReset = { seq: ackRel, ack: null, zero: false, why: 'unacceptable ACK' };
              mark('stale', 'unacceptable ACK');
            }
            return;
          }
        }
        if (has('RST')) {
          if (acceptable && has('ACK')) {
            this.setState(rcv, t, 'CLOSED', at, idx, 'connection refused (RST)', pos);
            t.outstanding = [];
            t.lostPending = [];
          }
          return;
        }
        if (has('SYN')) {
          t.irs = seqRel;
          t.rcvNxt = seqRel + 1 + len;
          if (has('ACK')) {
            this.ackUpTo(t, ackRel!);
            this.setState(rcv, t, 'ESTABLISHED', at, idx, 'SYN, ACK received', pos);
          } else if (t.sndUna >= 1) {
            // RFC 9293 §3.10.7.3: "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to
            // ESTABLISHED" — the second half of a split SYN, ACK.
            this.setState(rcv, t, 'ESTABLISHED', at, idx, 'SYN received (own SYN already acknowledged)', pos);
          } else {
            t.passive = false;
            this.setState(rcv, t, 'SYN_RCVD', at, idx, 'SYN received (simultaneous open)', pos);
          }
        } else if (has('ACK') && ackRel !== null) {
          // An acceptable ACK without SYN (the first half of a split SYN, ACK): our SYN arrived; wait for theirs.
          this.ackUpTo(t, ackRel);
        }
        return;
      }
      case 'SYN_RCVD': {
        if (has('RST')) {
          if (!t.passive) this.setState(rcv, t, 'CLOSED', at, idx, 'RST received', pos);
          else {
            this.setState(rcv, t, 'LISTEN', at, idx, 'RST received: back to listening', pos);
            t.rcvNxt = null;
            t.synSent = false;
            t.sndNxt = 0;
            t.outstanding = [];
            t.lostPending = [];
          }
          return;
        }
        if (has('SYN') && !has('ACK')) {
          if (seqRel !== t.irs) {
            this.warn('unexpected-syn', `${rcv.id} is in SYN_RCVD and receives a different SYN from ${snd.id}`, pos);
            t.irs = seqRel;
            t.rcvNxt = seqRel + 1 + len;
          }
          return;
        }
        if (has('ACK') && ackRel !== null) {
          if (ackRel < 1 || ackRel > t.sndNxt || !t.synSent) {
            t.pendingReset = { seq: ackRel, ack: null, zero: false, why: 'unacceptable ACK' };
            mark('out-of-window', 'unacceptable ACK');
            return;
          }
          this.ackUpTo(t, ackRel);
          this.setState(rcv, t, 'ESTABLISHED', at, idx, has('SYN') ? 'SYN, ACK received (simultaneous open)' : 'ACK of SYN received', pos);
          this.dataAndFin(rcv, t, seg, seqRel, at);
        }
        return;
      }
      default: {
        // synchronised states
        if (e.stale && !has('RST') && !has('SYN') && (len > 0 || has('FIN')) && t.rcvNxt !== null) {
          // A segment of an earlier incarnation: outside this connection's receive window it is discarded.
          const win = rcv.window ?? this.settings.window;
          if (seqRel + len <= t.rcvNxt || seqRel >= t.rcvNxt + win) {
            mark('out-of-window', 'outside the window: discarded');
            return;
          }
        }
        if (has('RST')) {
          // RFC 9293 §3.10.7.4 (after RFC 5961): only a RST at exactly RCV.NXT resets. Computed RSTs always are;
          // a hand-set seq (a blind reset attack) may not be.
          if ((seg.overrides.includes('seq') || e.stale) && t.rcvNxt !== null && seqRel !== t.rcvNxt) {
            const inWindow = seqRel > t.rcvNxt && seqRel < t.rcvNxt + (rcv.window ?? this.settings.window);
            mark('out-of-window', inWindow ? 'RST in window: challenge ACK' : 'RST out of window: ignored');
            return;
          }
          this.setState(rcv, t, 'CLOSED', at, idx, 'connection reset (RST)', pos);
          t.outstanding = [];
          t.lostPending = [];
          this.cancelTimeWait(t, at);
          return;
        }
        if (has('SYN')) {
          if (t.irs !== null && seqRel === t.irs) {
            // the peer's SYN again (its SYN, ACK retransmitted, or two-way handshake duplicates)
            if (this.settings.twoWay && !has('ACK')) {
              mark('stale', 'redundant connection');
              this.warn('redundant-connection', `${rcv.id} accepts the repeated SYN as one more connection (two-way handshake)`, pos);
            }
          } else if (this.settings.twoWay && !has('ACK')) {
            this.warn('redundant-connection', `${rcv.id} opens one more connection for the SYN from ${snd.id} (two-way handshake)`, pos);
          } else if (!has('ACK')) {
            mark('out-of-window', 'SYN on an open connection');
          }
          if (!has('ACK')) return;
        }
        if (has('ACK') && ackRel !== null) {
          if (ackRel > t.sndNxt) {
            mark('out-of-window', 'acknowledges unsent data');
          } else if (ackRel > t.sndUna) {
            this.ackUpTo(t, ackRel);
            t.dupAcks = 0;
          } else if (ackRel === t.sndUna && len === 0 && !has('FIN') && t.outstanding.length) {
            t.dupAcks++;
          }
          if (t.finSent && ackRel >= t.finRel + 1) {
            if (t.state === 'FIN_WAIT_1') this.setState(rcv, t, 'FIN_WAIT_2', at, idx, 'ACK of FIN received', pos);
            else if (t.state === 'CLOSING') this.enterTimeWait(rcv, t, at, idx, 'ACK of FIN received', pos);
            else if (t.state === 'LAST_ACK') {
              this.setState(rcv, t, 'CLOSED', at, idx, 'ACK of FIN received', pos);
              return;
            }
          }
        }
        this.dataAndFin(rcv, t, seg, seqRel, at);
      }
    }
  }

  ackUpTo(t: Tcb, ackRel: number): void {
    if (ackRel > t.sndUna) t.sndUna = ackRel;
    // Outstanding segments are in sequence order: drop the acknowledged prefix.
    let n = 0;
    while (n < t.outstanding.length && t.outstanding[n]!.end <= ackRel) n++;
    if (n) t.outstanding.splice(0, n);
    if (t.lostPending.length) t.lostPending = t.lostPending.filter((o) => o.end > ackRel);
  }

  dataAndFin(rcv: Endpoint, t: Tcb, seg: Segment, seqRel: number, at: number): void {
    const len = seg.len;
    const fin = seg.flags.includes('FIN');
    if (t.rcvNxt === null) return;
    if (seg.marks.some((m) => m.kind === 'keepalive')) return;
    // A zero-window probe's byte is outside the closed window: not accepted (RFC 9293 §3.10.7.4), only answered.
    if (seg.marks.some((m) => m.kind === 'zero-window-probe')) return;
    if (len > 0) {
      if (t.pendingFin !== null || (t.state !== 'ESTABLISHED' && t.state !== 'FIN_WAIT_1' && t.state !== 'FIN_WAIT_2' && t.state !== 'SYN_RCVD')) {
        // Bytes it already has (a delayed duplicate reaching TIME_WAIT) are discarded; new ones are an error.
        if (seqRel + len <= t.rcvNxt && !seg.retransmission) addMark(seg.marks, 'dropped', 'old duplicate: discarded');
        else addMark(seg.marks, 'out-of-window', 'data after FIN');
      } else if (seqRel === t.rcvNxt) {
        // Filling a gap that later data already left behind, without being a retransmission: it was overtaken.
        if (t.ooo.length > 0 && !seg.retransmission) addMark(seg.marks, 'out-of-order', 'out-of-order');
        t.rcvNxt += len;
        this.mergeOoo(t);
      } else if (seqRel > t.rcvNxt) {
        insertRange(t.ooo, seqRel, seqRel + len);
      } else if (seqRel + len <= t.rcvNxt) {
        // already received: a spurious retransmission
      } else {
        t.rcvNxt = seqRel + len;
      }
      t.dataSinceAck = true;
    }
    if (fin) {
      const finSeq = seqRel + len;
      if (finSeq === t.rcvNxt) {
        t.rcvNxt += 1;
        this.finReceived(rcv, t, at, seg.index, seg.position);
      } else if (finSeq + 1 === t.rcvNxt) {
        // A FIN we already have: its ACK was lost. In TIME_WAIT this restarts the 2MSL timer.
        if (t.state === 'TIME_WAIT') this.enterTimeWait(rcv, t, at, seg.index, 'FIN retransmission received: 2MSL restarts', seg.position, true);
      } else if (finSeq > t.rcvNxt) {
        t.pendingFin = finSeq;
      }
    }
    if (t.pendingFin !== null && t.pendingFin === t.rcvNxt) {
      t.pendingFin = null;
      t.rcvNxt += 1;
      this.finReceived(rcv, t, at, seg.index, seg.position);
    }
  }

  mergeOoo(t: Tcb): void {
    let n = 0;
    while (n < t.ooo.length && t.ooo[n]![0] <= t.rcvNxt!) {
      const end = t.ooo[n]![1];
      if (end > t.rcvNxt!) t.rcvNxt = end;
      n++;
    }
    if (n) t.ooo.splice(0, n);
  }

  finReceived(rcv: Endpoint, t: Tcb, at: number, idx: number, pos: Position | null): void {
    switch (t.state) {
      case 'SYN_RCVD':
      case 'ESTABLISHED':
        this.setState(rcv, t, 'CLOSE_WAIT', at, idx, 'FIN received', pos);
        break;
      case 'FIN_WAIT_1':
        this.setState(rcv, t, 'CLOSING', at, idx, 'FIN received (simultaneous close)', pos);
        break;
      case 'FIN_WAIT_2':
        this.enterTimeWait(rcv, t, at, idx, 'FIN received', pos);
        break;
      default:
        break;
    }
  }

  enterTimeWait(rcv: Endpoint, t: Tcb, at: number, idx: number, reason: string, pos: Position | null, restart = false): void {
    const twoMsl = 2 * this.settings.msl;
    if (restart && t.timeWaitTimer) {
      t.timeWaitTimer.end = at;
      t.timeWaitTimer.expired = false;
    } else {
      this.setState(rcv, t, 'TIME_WAIT', at, idx, reason, pos);
    }
    const timer: Timer = { participant: rcv.id, kind: 'TIME_WAIT', label: '2MSL', start: at, end: at + twoMsl, expired: true, restarted: restart, position: pos };
    this.timers.push(timer);
    t.timeWaitTimer = timer;
    t.timerGen++;
    this.schedule({ t: at + twoMsl, order: this.eventOrder++, kind: 'timewait', tcb: t, gen: t.timerGen });
  }

  cancelTimeWait(t: Tcb, at: number): void {
    if (t.timeWaitTimer && t.timeWaitTimer.end > at) {
      t.timeWaitTimer.end = at;
      t.timeWaitTimer.expired = false;
    }
    t.timeWaitTimer = null;
    t.timerGen++;
  }

  timeWaitExpired(t: Tcb, gen: number, at: number): void {
    if (gen !== t.timerGen || t.state !== 'TIME_WAIT') return;
    const ep = this.endpoints.get(t.me)!;
    t.timeWaitTimer = null;
    this.setState(ep, t, 'CLOSED', at, null, '2MSL expired', null);
    t.pendingReset = null;
  }

  // ── result ──────────────────────────────────────────────────────────────────────────────────────────────

  finish(): Timeline {
    this.deliver(Infinity);
    if (!this.numberingSet) this.options.numbering = this.options.labelStyle === 'wireshark' ? 'relative' : 'absolute';
    const participants: Participant[] = [];
    const states: StateChange[] = [];
    let clientPort = 54321;
    for (const id of this.order) {
      const ep = this.endpoints.get(id)!;
      const port = ep.port ?? (ep.listener ? 80 : clientPort++);
      participants.push({ id, label: ep.label, address: ep.address, port, position: ep.position });
      if (!ep.spoofed) states.push({ participant: id, at: 0, from: null, to: ep.initial, cause: null, reason: 'initial state', position: ep.position });
    }
    states.push(...this.states);
    // Array sort is stable: changes at the same instant keep the order they happened in.
    states.sort((a, b) => a.at - b.at);
    const headers: HeaderRequest[] = this.headers.map((h) => {
      const n = h.segment === null ? h.after - 1 : h.segment - 1;
      if (n < 0 || n >= this.segments.length) {
        err('bad-header', h.segment === null ? 'header refers to the previous segment, but there is none' : `there is no segment ${h.segment} (the diagram has ${this.segments.length})`, h.position, `a segment number from 1 to ${this.segments.length}`, null);
      }
      return { segment: n, at: h.at, position: h.position };
    });
    for (const w of this.realWaits) {
      // The bracket goes on whoever acts after the idle stretch (the keepalive sender), else the first participant.
      const next = this.segments.find((sg) => sg.sentAt >= w.end - 1e-9);
      const owner = next?.from ?? this.order[0];
      // A keepalive idle timer already spans this wait: give it the real duration instead of a second bracket.
      const ka = this.timers.find((tm) => tm.kind === 'keepalive' && tm.participant === owner && Math.abs(tm.end - w.end) < 1e-9);
      if (ka) ka.label = `${ka.label} ${w.label}`;
      else if (owner) this.timers.push({ participant: owner, kind: 'custom', label: w.label, start: w.start, end: w.end, expired: true, restarted: false, position: w.position });
    }
    const timeline: Timeline = {
      kind: 'timeline',
      title: this.title,
      participants,
      segments: this.segments,
      states,
      timers: this.timers,
      notes: this.notes,
      dividers: this.dividers,
      headers,
      options: this.options,
      duration: 0,
      warnings: this.warnings,
    };
    let duration = 0;
    for (const s of this.segments) duration = Math.max(duration, s.arrivesAt, s.sentAt);
    for (const s of timeline.states) duration = Math.max(duration, s.at);
    for (const tm of this.timers) duration = Math.max(duration, tm.end);
    for (const n of this.notes) duration = Math.max(duration, n.at);
    for (const d of this.dividers) duration = Math.max(duration, d.at);
    timeline.duration = duration;
    for (const s of this.segments) s.label = formatLabel(s, timeline);
    return timeline;
  }
}

/**
 * How many one-way trips a wall-clock wait of `seconds` is drawn as: 1 + 2·log10(1 + 10·seconds). Logarithmic,
 * so 200 ms ≈ 2 trips, 1 s ≈ 3 (the default RTO), 2 min ≈ 7 and a 7200 s keepalive idle ≈ 11 — long enough to
 * read as a long pause, short enough to keep the diagram on one page.
 */
function realWaitTrips(seconds: number): number {
  return 1 + 2 * Math.log10(1 + 10 * Math.max(0, seconds));
}

/** Insert [start, end) into sorted, disjoint ranges, merging with neighbours it touches (keeps the list short). */
function insertRange(ranges: Array<[number, number]>, start: number, end: number): void {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]![1] < start) lo = mid + 1;
    else hi = mid;
  }
  let i = lo;
  let s = start;
  let e = end;
  while (i < ranges.length && ranges[i]![0] <= e) {
    s = Math.min(s, ranges[i]![0]);
    e = Math.max(e, ranges[i]![1]);
    i++;
  }
  ranges.splice(lo, i - lo, [s, e]);
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function fromCapture(cap: CaptureStatement, segment: SegmentStatement | null, options: CompileOptions, engine: Engine): Timeline {
  if (segment) err('capture-mixed', 'a capture cannot be combined with hand-written segments', segment.position, 'either segments or one capture statement', 'draw the capture in its own block');
  if (!options.readFile) {
    err('capture-unavailable', `cannot read ${cap.path.value}: no file access here`, cap.path.position, 'a host that reads files (the CLI or a Markdown plugin)', 'render this block with the wiregram CLI or a Markdown plugin, which supply file access');
  }
  let bytes: Uint8Array;
  try {
    bytes = options.readFile(cap.path.value, cap.path.position);
  } catch (e) {
    if (e instanceof WiregramError) throw e;
    err('capture-read', `cannot read ${cap.path.value}: ${e instanceof Error ? e.message : String(e)}`, cap.path.position, 'a readable pcap or pcapng file inside the project', null);
  }
  // The block's own title, options and notes still apply.
  const opts = engine.options;
  // Captured ISNs are random 32-bit numbers: show them relative (as Wireshark does) unless the block (or the host)
  // says otherwise.
  if (!engine.numberingSet) opts.numbering = 'relative';
  let tl: Timeline;
  try {
    // Endpoints (`stream 10.0.0.1:80,…`) or a number; the reader's warnings point at the statement.
    tl = timelineFromCapture(bytes, { ...(cap.tuple ? { tuple: cap.tuple } : { stream: cap.stream }), position: cap.position, numbering: opts.numbering, labelStyle: opts.labelStyle });
  } catch (e) {
    if (e instanceof WiregramError) {
      if (e.position) throw e;
      throw new WiregramError({ code: e.code, reason: e.reason, position: cap.position, expected: e.expected, hint: e.hint });
    }
    err('capture-invalid', `cannot decode ${cap.path.value}: ${e instanceof Error ? e.message : String(e)}`, cap.path.position, 'a pcap or pcapng file', null);
  }
  tl.title = engine.title ?? tl.title;
  tl.options = { ...tl.options, ...opts, extra: { ...tl.options.extra, ...opts.extra } };
  for (const s of tl.segments) s.label = formatLabel(s, tl);
  return tl;
}

/** Run the protocol engine over a parsed document. Throws WiregramError for anything the protocol forbids. */
export function simulate(doc: SequenceDocument, options: CompileOptions = {}): Timeline {
  if (!doc || doc.type !== 'document' || !Array.isArray(doc.statements)) {
    throw new WiregramError({ code: 'invalid-input', reason: 'simulate expects the document parseSequence returns', expected: 'a SequenceDocument' });
  }
  // Anything but a WiregramError is an engine bug; still report it as a typed error rather than a stack trace.
  return withWiregramErrors(() => {
    const engine = new Engine(options);
    engine.findMultiPeer(doc.statements);
    engine.collect(doc.statements);
    const captures: CaptureStatement[] = [];
    let firstSegment: SegmentStatement | null = null;
    eachStatement(doc.statements, (s) => {
      if (s.type === 'capture') captures.push(s);
      else if (s.type === 'segment') firstSegment ??= s;
    });
    if (captures.length > 1) err('capture-mixed', 'one capture per diagram', captures[1]!.position, 'a single capture statement', 'draw each capture in its own block');
    if (captures.length === 1) return fromCapture(captures[0]!, firstSegment, options, engine);
    const cursor: Cursor = { now: 1, lastSentAt: 1 };
    engine.run(doc.statements, cursor);
    return engine.finish();
  }, INTERNAL_ERROR);
}
