/** The end of a run: what is still in flight arrives, and the world becomes a Timeline. */
import type { HeaderRequest, Participant, StateChange, Timeline } from '../../timeline.js';
import { formatLabel } from '../../labels.js';
import { err, type World } from './world.js';

export function finish(w: World): Timeline {
  w.deliver(Infinity);
  if (!w.numberingSet) w.options.numbering = w.options.labelStyle === 'wireshark' ? 'relative' : 'absolute';
  const { participants, states } = participantsAndStates(w);
  const headers: HeaderRequest[] = w.headers.map((h) => {
    const n = h.segment === null ? h.after - 1 : h.segment - 1;
    if (n < 0 || n >= w.segments.length) {
      err('bad-header', h.segment === null ? 'header refers to the previous segment, but there is none' : `there is no segment ${h.segment} (the diagram has ${w.segments.length})`, h.position, `a segment number from 1 to ${w.segments.length}`, null);
    }
    return { segment: n, at: h.at, position: h.position };
  });
  realWaitBrackets(w);
  const timeline: Timeline = {
    kind: 'timeline',
    title: w.title,
    participants,
    segments: w.segments,
    states,
    timers: w.timers,
    notes: w.notes,
    dividers: w.dividers,
    headers,
    options: w.options,
    duration: 0,
    warnings: w.warnings,
  };
  if (w.crashes.length) timeline.crashes = w.crashes;
  let duration = 0;
  for (const s of w.segments) duration = Math.max(duration, s.arrivesAt, s.sentAt);
  for (const s of timeline.states) duration = Math.max(duration, s.at);
  for (const tm of w.timers) duration = Math.max(duration, tm.end);
  for (const n of w.notes) duration = Math.max(duration, n.at);
  for (const d of w.dividers) duration = Math.max(duration, d.at);
  for (const c of w.crashes) duration = Math.max(duration, c.at);
  timeline.duration = duration;
  for (const s of w.segments) s.label = formatLabel(s, timeline);
  return timeline;
}

function participantsAndStates(w: World): { participants: Participant[]; states: StateChange[] } {
  const participants: Participant[] = [];
  const states: StateChange[] = [];
  let clientPort = 54321;
  for (const id of w.order) {
    const ep = w.endpoints.get(id)!;
    const port = ep.port ?? (ep.listener ? 80 : clientPort++);
    participants.push({ id, label: ep.label, address: ep.address, port, position: ep.position });
    if (!ep.spoofed) states.push({ participant: id, at: 0, from: null, to: ep.initial, cause: null, reason: 'initial state', position: ep.position });
  }
  // One entry per state change: a loop, not a spread (a spread of a long list overflows the call stack).
  for (const s of w.states) states.push(s);
  // Array sort is stable: changes at the same instant keep the order they happened in.
  states.sort((a, b) => a.at - b.at);
  return { participants, states };
}

/** `wait 7200s` brackets: on whoever acts after the idle stretch (the keepalive sender), else the first participant. */
function realWaitBrackets(w: World): void {
  for (const r of w.realWaits) {
    const next = w.segments.find((sg) => sg.sentAt >= r.end - 1e-9);
    const owner = next?.from ?? w.order[0];
    // A keepalive idle timer already spans this wait: give it the real duration instead of a second bracket.
    const ka = w.timers.find((tm) => tm.kind === 'keepalive' && tm.participant === owner && Math.abs(tm.end - r.end) < 1e-9);
    if (ka) ka.label = `${ka.label} ${r.label}`;
    else if (owner) w.timers.push({ participant: owner, kind: 'custom', label: r.label, start: r.start, end: r.end, expired: true, restarted: false, position: r.position });
  }
}
