/**
 * What the timing layouts (states/lifeline in layout.ts, flow in flow.ts) share: item constructors measured with
 * the layout font, the size metrics, names, segment roles and steps.
 */
import type { Segment, StateChange, TcpState, Timeline } from '@wiregram/core';
import { formatState } from '@wiregram/core';
import { FONT, measureText } from '../font/measure.js';
import type { Role, SceneItem, SceneLine, ScenePolyline, SceneRect, SceneText } from '../scene.js';

// ---------------------------------------------------------------------------------------------------------
// Text helpers

export const ASC = FONT.ascent;
export const DESC = FONT.descent;

export function mkText(
  role: Role,
  x: number,
  y: number,
  text: string,
  fontSize: number,
  step: number,
  anchor: SceneText['anchor'] = 'middle',
  weight: SceneText['fontWeight'] = 'normal',
): SceneText {
  return {
    type: 'text',
    role,
    step,
    x,
    y,
    text,
    fontSize,
    fontWeight: weight,
    anchor,
    rotate: 0,
    width: measureText(text, fontSize, weight),
    ascent: fontSize * ASC,
    descent: fontSize * DESC,
  };
}

/** Baseline that centres capitals/CJK visually on `midY`. */
export function baselineFor(midY: number, fontSize: number): number {
  return midY + (fontSize * FONT.capHeight) / 2;
}

export function mkRect(role: Role, x: number, y: number, width: number, height: number, step: number, rx = 0): SceneRect {
  return { type: 'rect', role, step, x, y, width, height, rx };
}

/**
 * Each shape of item comes from an object literal, never from a property added afterwards: a class V8 reaches
 * by adding a property is freed at a full GC that finds none of its objects alive (between two documents), and
 * the SVG writer's optimized code that relied on it goes with it.
 */
export function mkLine(role: Role, x1: number, y1: number, x2: number, y2: number, step: number, dash?: number[]): SceneLine {
  return dash ? { type: 'line', role, step, x1, y1, x2, y2, dash } : { type: 'line', role, step, x1, y1, x2, y2 };
}

// ---------------------------------------------------------------------------------------------------------
// Names

export function stateName(state: TcpState, timeline: Timeline): string {
  return formatState(state, timeline.options?.stateNames ?? 'underscore');
}


// ---------------------------------------------------------------------------------------------------------

export interface Metrics {
  fs: number; // label font size
  stateFs: number;
  nameFs: number;
  titleFs: number;
  markFs: number;
  lineH: number; // label line height
  padX: number;
  boxH: number; // minimum state box height
  margin: number;
}

export function metrics(fs: number): Metrics {
  return {
    fs,
    // The seeds set states a size above the labels (16 vs 13 px): the state is what a box is about.
    stateFs: fs + 2,
    nameFs: fs + 2,
    titleFs: fs + 4,
    markFs: fs - 1,
    lineH: Math.round(fs * 1.35),
    padX: Math.round(fs * 0.4),
    boxH: Math.round(fs * 2.5),
    margin: Math.round(fs * 1.4),
  };
}

export const EPS = 1e-9;
export const key = (t: number): number => Math.round(t * 1e6) / 1e6;

export function markTexts(seg: Segment): string {
  const texts: string[] = [];
  for (const mk of seg.marks ?? []) if (mk.text && !texts.includes(mk.text)) texts.push(mk.text);
  if (seg.retransmission && !texts.some((t) => /retrans/i.test(t))) texts.unshift('retransmission');
  if (seg.lost && !texts.some((t) => /lost/i.test(t))) texts.unshift('lost');
  return texts.join(' · ');
}

export function segmentRole(seg: Segment): Role {
  if (seg.lost) return 'segment-lost';
  // A segment is drawn as overridden only when the core marked a value that differs from what it computed.
  if ((seg.marks ?? []).some((mk) => mk.kind === 'override')) return 'segment-override';
  if (seg.retransmission) return 'segment-retransmission';
  return 'segment';
}

/** The arrowhead is painted like its line: a black head on an orange retransmission reads as a different arrow. */
export function headRole(segmentRole: Role): Role {
  if (segmentRole === 'segment-retransmission') return 'arrowhead-retransmission';
  if (segmentRole === 'segment-override') return 'arrowhead-override';
  return 'arrowhead';
}

/** Step of whatever happens at time t without a causing segment: shown with the last segment sent by then. */
export function stepAt(timeline: Timeline, t: number): number {
  // Prefix maxima of step over segments sorted by send time, cached per timeline: a binary search per call.
  let cache = stepCache.get(timeline);
  if (!cache) {
    const sorted = [...timeline.segments].sort((a, b) => a.sentAt - b.sentAt);
    const steps: number[] = [];
    let mx = 0;
    for (const s of sorted) steps.push((mx = Math.max(mx, s.index + 1)));
    cache = { at: sorted.map((s) => s.sentAt), steps };
    stepCache.set(timeline, cache);
  }
  let lo = 0;
  let hi = cache.at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cache.at[mid]! <= t + EPS) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : cache.steps[lo - 1]!;
}
export const stepCache = new WeakMap<Timeline, { at: number[]; steps: number[] }>();

/** Non-initial state changes by their causing segment: `cause → changes` (what a segment did on arrival or send). */
export function changesByCause(timeline: Timeline): Map<number, StateChange[]> {
  const out = new Map<number, StateChange[]>();
  for (const s of timeline.states) {
    if (s.cause === null || s.from === null) continue;
    const list = out.get(s.cause);
    if (list) list.push(s);
    else out.set(s.cause, [s]);
  }
  return out;
}

/**
 * `crash A`: a lightning bolt across A's lifeline (or state column, `halfWidth` either side) at the instant it lost
 * its connections, and the word beside it. Drawn in the loss colour (what is lost is every connection); `side` is
 * where the word goes.
 */
export function crashMark(x: number, y: number, halfWidth: number, step: number, m: Metrics, side: 'left' | 'right'): { items: SceneItem[]; text: SceneText } {
  const w = Math.max(10, halfWidth);
  const bolt: ScenePolyline = {
    type: 'polyline',
    role: 'loss-cross',
    step,
    points: [
      [x - w, y - 7],
      [x + w * 0.15, y - 2],
      [x - w * 0.15, y + 2],
      [x + w, y + 7],
    ],
  };
  // Above the instant: state names go below it.
  const base = baselineFor(y - 9, m.markFs);
  const text = side === 'left' ? mkText('label-mark', x - w - 5, base, 'crash', m.markFs, step, 'end') : mkText('label-mark', x + w + 5, base, 'crash', m.markFs, step, 'start');
  return { items: [bolt, text], text };
}
