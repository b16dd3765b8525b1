/**
 * `option elide=auto`: an overview of a long stream for the sequence layouts (issue 17, item 3). Runs of
 * unremarkable segments fold into one labelled gap (`… 1,203 segments, 1.7 MB, 0.84 s …`, drawn as a divider); every
 * marked event — loss, retransmission, window events, handshake, close, a state change, a note — stays, with
 * CONTEXT neighbours on each side. Layout only: a Timeline → Timeline step before the geometry, so the three styles
 * draw the result as they draw anything else, and the description lists what is drawn.
 */
import type { Divider, ElideMode, Segment, Timeline } from '@wiregram/core';

/** `auto` folds only diagrams longer than this. */
export const ELIDE_AUTO_MIN = 100;
/** Unremarkable segments kept on each side of a marked one, and at both ends of the diagram. */
const CONTEXT = 2;
/** A run shorter than this is drawn: a gap row would not save room. */
const MIN_RUN = 4;
/** Abstract time a gap takes in the states/lifeline styles (a segment's one-way trip in a capture is 1). */
const GAP_SPAN = 1;

export interface ElidedGap {
  /** Original indices of the first and last folded segment. */
  first: number;
  last: number;
  count: number;
  bytes: number;
  /** Seconds from the first folded segment to the last; null without capture times. */
  seconds: number | null;
  text: string;
}

/** Whether a segment is an event the overview must keep (the list, plus what the author asked for). */
function remarkable(s: Segment, caused: Set<number>, pinned: Set<number>): boolean {
  if (s.marks.length > 0 || s.retransmission || s.lost || s.overrides.length > 0 || s.note !== null) return true;
  if (s.flags.includes('SYN') || s.flags.includes('FIN') || s.flags.includes('RST')) return true;
  if (s.window === 0) return true;
  return caused.has(s.index) || pinned.has(s.index);
}

const group = (n: number) => n.toLocaleString('en-US');

/** `1.7 MB`, `812 kB`, `96 B` (SI, as Wireshark's conversation table). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** `0.84 s`, `12.3 ms`, `850 µs`. */
export function formatSeconds(s: number): string {
  if (s >= 0.1) return `${s.toFixed(2)} s`;
  if (s >= 0.001) return `${(s * 1e3).toFixed(1)} ms`;
  return `${Math.round(s * 1e6)} µs`;
}

export function gapText(count: number, bytes: number, seconds: number | null): string {
  const parts = [`${group(count)} segments`];
  if (bytes > 0) parts.push(formatBytes(bytes));
  if (seconds !== null) parts.push(formatSeconds(seconds));
  return `… ${parts.join(', ')} …`;
}

/** Which segments (by position in `timeline.segments`) fold, as runs [first, last]. */
export function elidedRuns(timeline: Timeline, mode: ElideMode | undefined): Array<[number, number]> {
  const segs = timeline.segments;
  if (!mode || mode === 'off' || (mode === 'auto' && segs.length <= ELIDE_AUTO_MIN)) return [];
  const caused = new Set<number>();
  for (const st of timeline.states) if (st.cause !== null && st.from !== null && st.from !== st.to) caused.add(st.cause);
  const pinned = new Set(timeline.headers.map((h) => h.segment));
  const keep = new Uint8Array(segs.length);
  for (let i = 0; i < Math.min(CONTEXT, segs.length); i++) keep[i] = keep[segs.length - 1 - i] = 1;
  // The last segment each sender sent at each sequence number: a retransmission brings back its original too.
  const lastAt = new Map<string, Map<number, number>>();
  segs.forEach((s, i) => {
    if (s.len > 0) {
      let sender = lastAt.get(s.from);
      if (!sender) lastAt.set(s.from, (sender = new Map()));
      if (s.retransmission) {
        const original = sender.get(s.seq.offset);
        if (original !== undefined) keep[original] = 1;
      }
      sender.set(s.seq.offset, i);
    }
    if (!remarkable(s, caused, pinned)) return;
    for (let k = Math.max(0, i - CONTEXT); k <= Math.min(segs.length - 1, i + CONTEXT); k++) keep[k] = 1;
  });
  // Notes and dividers keep the segments around their instant.
  for (const at of [...timeline.notes.map((n) => n.at), ...timeline.dividers.map((d) => d.at)]) {
    segs.forEach((s, i) => {
      if (s.sentAt <= at + 1 && s.arrivesAt >= at - 1) keep[i] = 1;
    });
  }
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < segs.length; ) {
    if (keep[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < segs.length && !keep[j + 1]) j++;
    if (j - i + 1 >= MIN_RUN) runs.push([i, j]);
    i = j + 1;
  }
  return runs;
}

/**
 * The Timeline with each run folded: kept segments renumbered (states, headers and retransmission links follow),
 * one divider per gap, and time squeezed so a gap takes GAP_SPAN (monotone, so crossing arrows still cross).
 * Returns the input itself when nothing folds.
 */
export function elideTimeline(timeline: Timeline, mode: ElideMode | undefined): { timeline: Timeline; gaps: ElidedGap[] } {
  const runs = elidedRuns(timeline, mode);
  if (runs.length === 0) return { timeline, gaps: [] };
  const segs = timeline.segments;
  const gaps: ElidedGap[] = [];
  // Intervals [a, b] of abstract time to squeeze into GAP_SPAN each.
  const squeeze: Array<{ a: number; b: number }> = [];
  const folded = new Uint8Array(segs.length);
  for (const [i, j] of runs) {
    let bytes = 0;
    for (let k = i; k <= j; k++) {
      folded[k] = 1;
      bytes += segs[k]!.len;
    }
    const t0 = segs[i]!.time;
    const t1 = segs[j]!.time;
    const seconds = t0 !== null && t1 !== null ? Math.max(0, t1 - t0) : null;
    gaps.push({ first: segs[i]!.index, last: segs[j]!.index, count: j - i + 1, bytes, seconds, text: gapText(j - i + 1, bytes, seconds) });
    const a = segs[i]!.sentAt;
    let b = j + 1 < segs.length ? segs[j + 1]!.sentAt : a;
    if (j + 1 >= segs.length) for (let k = i; k <= j; k++) b = Math.max(b, segs[k]!.arrivesAt);
    squeeze.push({ a, b: Math.max(a, b) });
  }
  // f(t): identity before the first interval; each interval [a, b] becomes GAP_SPAN long; later times shift by
  // what the intervals before them lost (found by binary search: a long stream has many gaps).
  const shiftBefore: number[] = [];
  let total = 0;
  for (const { a, b } of squeeze) {
    shiftBefore.push(total);
    total += b - a - GAP_SPAN;
  }
  const map = (t: number): number => {
    let lo = 0;
    let hi = squeeze.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (squeeze[mid]!.a < t) lo = mid + 1;
      else hi = mid;
    }
    // squeeze[lo - 1] is the last interval starting before t.
    if (lo === 0) return t;
    const { a, b } = squeeze[lo - 1]!;
    const shift = shiftBefore[lo - 1]!;
    if (t < b) return a - shift + ((t - a) / (b - a)) * GAP_SPAN;
    return t - shift - (b - a - GAP_SPAN);
  };
  const renumber = new Map<number, number>();
  const kept: Segment[] = [];
  segs.forEach((s, k) => {
    if (folded[k]) return;
    renumber.set(s.index, kept.length);
    kept.push({ ...s, index: kept.length, sentAt: map(s.sentAt), arrivesAt: map(s.arrivesAt), retransmissionOf: s.retransmissionOf === null ? null : (renumber.get(s.retransmissionOf) ?? null) });
  });
  const dividers: Divider[] = [
    ...timeline.dividers.map((d) => ({ ...d, at: map(d.at) })),
    ...gaps.map((g, n) => ({ text: g.text, at: map(squeeze[n]!.a) + GAP_SPAN / 2, position: null, gap: true })),
  ].sort((x, y) => x.at - y.at);
  const out: Timeline = {
    ...timeline,
    segments: kept,
    states: timeline.states
      .filter((st) => st.cause === null || renumber.has(st.cause))
      .map((st) => ({ ...st, at: map(st.at), cause: st.cause === null ? null : renumber.get(st.cause)! })),
    timers: timeline.timers.map((t) => ({ ...t, start: map(t.start), end: map(t.end) })),
    notes: timeline.notes.map((n) => ({ ...n, at: map(n.at) })),
    dividers,
    headers: timeline.headers.filter((h) => renumber.has(h.segment)).map((h) => ({ ...h, segment: renumber.get(h.segment)!, at: map(h.at) })),
    duration: map(timeline.duration),
  };
  if (timeline.crashes) out.crashes = timeline.crashes.map((c) => ({ ...c, at: map(c.at) }));
  return { timeline: out, gaps };
}
