/**
 * `option elide=auto`: an overview of a long stream for the sequence layouts (issue 17, item 3). Runs of
 * unremarkable segments fold into one labelled gap (`… 1,203 segments, 1.7 MB, 0.84 s …`, drawn as a divider); every
 * marked event — loss, retransmission, window events, handshake, close, a state change, a note — stays, with
 * CONTEXT neighbours on each side. Layout only: a Timeline → Timeline step before the geometry, so the three styles
 * draw the result as they draw anything else, and the description lists what is drawn.
 */
import { ELIDED_LABELS, elidedRuns, formatLabel, type Divider, type ElideMode, type Segment, type Timeline } from '@wiregram/core';

export { ELIDE_AUTO_MIN, elidedRuns } from '@wiregram/core';

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

/** `1,203`: en-US grouping of a whole number, without ICU (its first NumberFormat cost a cold process ~50 ms). */
const group = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

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

/** Set by core's timelineFromScan when it left the labels of the segments it expected folded empty. */
const labelsDeferred = (timeline: Timeline): boolean => timeline.options?.extra?.[ELIDED_LABELS] !== undefined;

/**
 * A captured Timeline's labels are made only for what the overview its compile was told of keeps (the rest are
 * empty): drawn whole after all, every segment is labelled. Anything else is returned as it is.
 */
function labelled(timeline: Timeline): Timeline {
  if (!labelsDeferred(timeline)) return timeline;
  return { ...timeline, segments: timeline.segments.map((s) => (s.label === '' ? { ...s, label: formatLabel(s, timeline) } : s)) };
}

/**
 * The Timeline with each run folded: kept segments renumbered (states, headers and retransmission links follow),
 * one divider per gap, and time squeezed so a gap takes GAP_SPAN (monotone, so crossing arrows still cross).
 * Returns the input itself when nothing folds.
 */
export function elideTimeline(timeline: Timeline, mode: ElideMode | undefined): { timeline: Timeline; gaps: ElidedGap[] } {
  const runs = elidedRuns(timeline, mode);
  if (runs.length === 0) return { timeline: labelled(timeline), gaps: [] };
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
  const captured = labelsDeferred(timeline);
  segs.forEach((s, k) => {
    if (folded[k]) return;
    renumber.set(s.index, kept.length);
    // A captured segment has an empty label only when its compile expected it to be folded (it labels only what
    // the overview it was told of keeps): one drawn anyway, under another mode, is labelled here.
    const label = s.label === '' && captured ? formatLabel(s, timeline) : s.label;
    kept.push({ ...s, label, index: kept.length, sentAt: map(s.sentAt), arrivesAt: map(s.arrivesAt), retransmissionOf: s.retransmissionOf === null ? null : (renumber.get(s.retransmissionOf) ?? null) });
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
