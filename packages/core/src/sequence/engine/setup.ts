/**
 * The set-up pass, before any event: participants, options and title, and a look ahead at who opens connections
 * to several peers (each of those connections gets its own ISN) or refuses connections.
 */
import type { Position } from '../../errors.js';
import { ELIDE_MODES, type DiagramOptions, type ElideMode } from '../../timeline.js';
import type { ParticipantStatement, Statement } from '../ast.js';
import { suggest } from '../parser.js';
import { eachStatement, err, type World } from './world.js';

const OPTION_VALUES: Record<string, { key: keyof DiagramOptions; values: Record<string, string> }> = {
  labels: { key: 'labelStyle', values: { textbook: 'textbook', flags: 'flags', wireshark: 'wireshark' } },
  states: { key: 'stateNames', values: { underscore: 'underscore', hyphen: 'hyphen', _: 'underscore', '-': 'hyphen', syn_sent: 'underscore', 'syn-sent': 'hyphen' } },
  numbering: { key: 'numbering', values: { relative: 'relative', absolute: 'absolute' } },
  layout: { key: 'layout', values: { states: 'states', lifeline: 'lifeline', flow: 'flow', stevens: 'stevens', tcptrace: 'tcptrace', throughput: 'throughput', rtt: 'rtt', window: 'window' } },
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

const KNOWN_OPTIONS = ['labels', 'states', 'numbering', 'layout', 'msl', 'rto', 'rtt', 'delay', 'win', 'handshake', 'pure-ack-seq', 'elide', 'direction', 'rtt-axis'];

export function collect(w: World, statements: Statement[]): void {
  eachStatement(statements, (s) => {
    if (s.type === 'participant') declare(w, s);
    else if (s.type === 'option') option(w, s.entries);
    else if (s.type === 'title') w.title = s.text;
    else if (s.type === 'autonumber') w.options.extra.autonumber = 'true';
  });
}

function declare(w: World, s: ParticipantStatement): void {
  if (w.endpoints.has(s.id.value)) {
    err('duplicate-participant', `participant "${s.id.value}" is declared twice`, s.id.position, 'each participant once', 'remove one of the two lines');
  }
  const ep = w.newEndpoint(s.id.value, s.label ?? s.id.value, s.position, s.position);
  w.declared = true;
  ep.address = s.address;
  ep.port = s.port;
  ep.spoofed = s.spoofed;
  ep.backlog = s.backlog;
  ep.window = s.window;
  if (s.listen && !s.spoofed) {
    ep.listener = true;
    w.show(ep, 'LISTEN', 0.5, null, 'passive open (listen)', s.position);
  }
}

export function option(w: World, entries: Array<{ key: string; value: string; position: Position }>): void {
  for (const e of entries) {
    const key = e.key.toLowerCase();
    const canon = OPTION_ALIASES[key];
    if (canon) {
      const spec = OPTION_VALUES[canon]!;
      const v = spec.values[e.value.toLowerCase()];
      if (!v) {
        err('bad-option', `option ${e.key}=${e.value}: unknown value "${e.value}"`, e.position, `${e.key}=${[...new Set(Object.values(spec.values))].join(' | ')}`, null);
      }
      (w.options as unknown as Record<string, string>)[spec.key] = v;
      if (spec.key === 'numbering') w.numberingSet = true;
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
        w.settings.msl = num(10_000);
        break;
      case 'rto':
        w.settings.rto = num(10_000);
        break;
      case 'rtt':
        w.settings.trip = num(10_000) / 2;
        break;
      case 'delay':
      case 'trip':
        w.settings.trip = num(10_000);
        break;
      case 'win':
      case 'window':
        w.settings.window = Math.floor(num(0x3fffffff));
        break;
      case 'handshake': {
        const v = e.value.toLowerCase();
        if (v !== 'two-way' && v !== 'three-way' && v !== '2' && v !== '3') {
          err('bad-option', `option handshake=${e.value}: unknown value`, e.position, 'handshake=three-way | two-way', null);
        }
        w.settings.twoWay = v === 'two-way' || v === '2';
        break;
      }
      case 'pure-ack-seq':
      case 'ack-seq':
      case 'pure_ack_seq': {
        const v = e.value.toLowerCase();
        if (v !== 'hide' && v !== 'show') err('bad-option', `option ${e.key}=${e.value}: unknown value`, e.position, `${e.key}=show | hide`, null);
        w.settings.hidePureAckSeq = v === 'hide';
        break;
      }
      case 'elide':
        w.options.elide = elideMode(e);
        break;
      default: {
        // Unknown keys are kept for layouts; a near miss of a known key is a typo worth stopping for.
        const near = suggest(key, KNOWN_OPTIONS);
        if (near && near !== key) {
          err('unknown-option', `unknown option "${e.key}"`, e.position, KNOWN_OPTIONS.join(', '), `did you mean ${near}?`);
        }
        w.options.extra[e.key] = e.value;
      }
    }
  }
}

/** `option elide=auto|on|off` (yes/true and no/false/none too). */
function elideMode(e: { key: string; value: string; position: Position }): ElideMode {
  const v = e.value.toLowerCase();
  const mode = ({ yes: 'on', true: 'on', no: 'off', false: 'off', none: 'off' } as Record<string, ElideMode>)[v] ?? v;
  if (!(ELIDE_MODES as readonly string[]).includes(mode)) err('bad-option', `option ${e.key}=${e.value}: unknown value "${e.value}"`, e.position, `${e.key}=${ELIDE_MODES.join(' | ')}`, 'auto folds long runs of unremarkable segments when the diagram is long');
  return mode as ElideMode;
}

/** Mark the endpoints that open connections with several peers (see `Endpoint.perConnection`). */
export function findMultiPeer(w: World, statements: Statement[]): void {
  const peers = new Map<string, { to: string[]; answersOnly: boolean }>();
  const firstSent = new Set<string>();
  eachStatement(statements, (s) => {
    if (s.type !== 'segment') return;
    if (!firstSent.has(s.from.value) && !s.attributes.some((a) => a.key === 'stale')) {
      // Look ahead for the implied passive open: a first answer of RST (no SYN) means the port was closed.
      firstSent.add(s.from.value);
      if (s.flags.some((f) => f.flag === 'RST') && !s.flags.some((f) => f.flag === 'SYN')) w.refusers.add(s.from.value);
    }
    if (!s.flags.some((f) => f.flag === 'SYN') || s.attributes.some((a) => a.key === 'stale')) return;
    const e = peers.get(s.from.value) ?? { to: [], answersOnly: true };
    if (!e.to.includes(s.to.value)) e.to.push(s.to.value);
    if (!s.flags.some((f) => f.flag === 'ACK')) e.answersOnly = false;
    peers.set(s.from.value, e);
  });
  for (const [id, e] of peers) {
    // The textbooks' letters: y for the side that answers SYNs (the server), x for the side that opens.
    if (e.to.length >= 2) w.multiPeer.set(id, { peers: e.to, base: e.answersOnly ? 'y' : 'x' });
  }
}

