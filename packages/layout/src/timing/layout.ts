/**
 * Timeline → Scene for timing diagrams, in three styles:
 *  - `states`   a column of state boxes per endpoint, arrows from box edge to box edge (the seed figures);
 *  - `lifeline` vertical lifelines, state names written beside them at the instant they change;
 *  - `flow`     Wireshark's Flow Graph: time column, one row per segment, `Seq=… Ack=… Len=…` labels (flow.ts).
 *
 * Time runs downwards. Abstract instants map to y through a piecewise-linear scale: each distinct instant gets
 * a "band" (room for zero-length states stacked at that instant, notes and dividers), each interval between
 * instants `unit × Δt` px, stretched where a state box would be too short. Monotone, so crossing segments
 * still cross. Arrow labels sit on their arrow (horizontal, the line knocked out behind them, as in the seeds);
 * a placer slides each label along its arrow until it touches nothing, and the whole layout is redone with a
 * taller unit if some label cannot be placed.
 */
import { checkSceneBudget, checkTimelineBudget, type BudgetOptions } from '../budget.js';
import type { Segment, StateChange, Timeline, TimingLayout } from '@wiregram/core';
import { measureText } from '../font/measure.js';
import { BoxSet, YIndex, inflate, itemBox, lineCrossing, segmentHitsBox, type Box, type Segment2 } from '../geometry.js';
import type { Role, Scene, SceneItem, SceneText } from '../scene.js';
import { ASC, baselineFor, changesByCause, crashMark, DESC, EPS, headRole, key, markTexts, metrics, mkLine, mkRect, mkText, segmentRole, stateName, stepAt, type Metrics } from './common.js';
import { elideTimeline } from './elide.js';
import { finish } from './finish.js';
import type { TimingLayoutOptions } from './options.js';

export type { TimingLayoutOptions } from './options.js';
import { layoutFlow } from './flow.js';
import { isStreamGraph } from '@wiregram/core';
import { layoutStreamGraph } from '../graph/index.js';

interface LabelBlock {
  seg: Segment;
  lines: Array<{ text: string; role: Role; fs: number }>;
  width: number;
  height: number;
}

interface Arrow {
  seg: Segment;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  role: Role;
  step: number;
}

/** Per-endpoint column geometry. */
interface Column {
  id: string;
  label: string;
  cx: number;
  /** Half width of the state box column (states style) or 0 (lifeline/flow). */
  half: number;
  index: number;
}

interface Placed {
  items: SceneItem[];
  /** Labels that could not be placed without touching something. */
  failures: number;
}

/**
 * One BoxSet and one YIndex kept for as long as the module lives, made on the first layout: V8 frees the hidden
 * class of objects none of which is alive at a full GC (between two documents of a host's build) and drops the
 * optimized code that uses them with it, so the label placer would start cold after each such GC.
 */
let kept: [BoxSet, YIndex<unknown>] | null = null;

export function layoutTimeline(source: Timeline, options: TimingLayoutOptions = {}): Scene {
  kept ??= [new BoxSet(), new YIndex<unknown>()];
  const style: TimingLayout = options.style ?? source.options?.layout ?? 'states';
  // A stream graph draws at most what its plot can show, whatever the stream's length: only the Scene is checked.
  if (isStreamGraph(style)) return checkSceneBudget(layoutStreamGraph(source, { ...options, style }), options);
  // A long stream's overview: runs of unremarkable segments folded before anything is measured or budgeted.
  const timeline = elideTimeline(source, options.elide ?? source.options?.elide).timeline;
  // Refuse a diagram past its output budget before any geometry is built (budget.ts).
  checkTimelineBudget(timeline, options);
  const m = metrics(options.fontSize ?? 12);
  if (style === 'flow') return checkSceneBudget(layoutFlow(timeline, m, options), options);
  const drawn = separateBursts(timeline);
  // Retry with a taller time unit (then wider gaps) until every label finds a free spot.
  const baseUnit = options.unit ?? Math.round(m.lineH * 3.6);
  let best: Placed | null = null;
  // Taller before wider: steeper arrows leave more room between neighbours and around crossings, and a page
  // scrolls down for free while a wide figure is shrunk (text and all) to the column width.
  const tries: Array<[number, number]> = [
    [1, 1],
    [1.15, 1],
    [1.3, 1],
    [1.5, 1],
    [1.5, 1.15],
    [1.7, 1.15],
    [1.7, 1.3],
    [2, 1.5],
    [2.4, 2],
  ];
  // First with labels of multi-column segments beside the busy endpoint (compact), then beside the other end
  // (fans of segments leaving one endpoint at once only separate far from it).
  const plan = planColumns(drawn, m, style);
  outer: for (const mode of ['hub', 'spoke'] as const) {
    for (const [u, g] of tries) {
      const placed = layoutColumns(plan, baseUnit * u, g, mode);
      if (!best || placed.failures < best.failures) best = placed;
      if (placed.failures === 0) break outer;
    }
  }
  return checkSceneBudget(finish(timeline, best!.items, m, options, timeline.segments.length), options);
}

// ---------------------------------------------------------------------------------------------------------
// states / lifeline

/**
 * Segments one endpoint sends to the same peer at the same instant (`&` in the source) would be drawn on top of
 * each other; draw them as a burst, each a little later than the one before. Layout only: the Timeline (and the
 * description) keep the author's times.
 */
function separateBursts(timeline: Timeline): Timeline {
  const seen = new Map<string, number>();
  let changed = false;
  const segments = timeline.segments.map((sg) => {
    const k = `${sg.from}>${sg.to}@${key(sg.sentAt)}`;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    if (n === 0) return sg;
    changed = true;
    return { ...sg, sentAt: sg.sentAt + n * 0.4, arrivesAt: sg.arrivesAt + n * 0.4 };
  });
  if (!changed) return timeline;
  const moved = new Map(segments.map((sg) => [sg.index, sg]));
  // State changes caused by a moved segment's arrival move with it.
  const states = timeline.states.map((st) => {
    if (st.cause === null || st.from === null) return st;
    const sg = moved.get(st.cause);
    const orig = timeline.segments[st.cause];
    if (!sg || !orig || sg === orig) return st;
    if (st.participant === sg.to && Math.abs(st.at - orig.arrivesAt) < EPS) return { ...st, at: sg.arrivesAt };
    if (st.participant === sg.from && Math.abs(st.at - orig.sentAt) < EPS) return { ...st, at: sg.sentAt };
    return st;
  });
  return { ...timeline, segments, states };
}

function labelBlock(seg: Segment, m: Metrics): LabelBlock {
  const lines: LabelBlock['lines'] = [{ text: seg.label, role: 'label', fs: m.fs }];
  const marks = markTexts(seg);
  if (marks) lines.push({ text: marks, role: 'label-mark', fs: m.markFs });
  let width = 0;
  for (const l of lines) width = Math.max(width, measureText(l.text, l.fs));
  const height = lines.reduce((h, l) => h + l.fs * (ASC + DESC), 0) + (lines.length - 1) * 1;
  return { seg, lines, width: width + 2 * m.padX, height: height + 4 };
}

/**
 * What every try of `layoutColumns` shares (tries differ only in time unit, gap scale and label mode): the
 * states per endpoint, the instants and what is stacked at each, the label sizes and which labels cross once.
 * Measured once per diagram instead of once per try.
 */
interface Plan {
  timeline: Timeline;
  m: Metrics;
  style: 'states' | 'lifeline';
  parts: Timeline['participants'];
  segs: Segment[];
  /** States per participant (initial first), in timeline order. */
  statesOf: Map<string, StateChange[]>;
  /** The distinct instants, ascending, and each one's index. */
  times: number[];
  idx: Map<number, number>;
  stackStep: number;
  /** Boundaries (non-initial state changes) per participant per instant, keyed `${p}@${i}`. */
  bounds: Map<string, StateChange[]>;
  stackH: number[];
  slots: Slot[];
  slotH: number[];
  /** Instants before the first send whose gap closes (a passive open drawn on the first segment's row). */
  closedGaps: number[];
  byCause: Map<number, StateChange[]>;
  oneWay: number;
  blocks: LabelBlock[];
  pIndex: Map<string, number>;
  degree: Map<string, number>;
  crossOnce: Set<number>;
  /** The widest state name of each participant at the state font size. */
  stateTextW: Map<string, number>;
  /** Each participant's name width (bold). */
  nameW: number[];
}

type Slot = { kind: 'note' | 'divider'; i: number; h: number; text: string; note?: Timeline['notes'][number]; between?: string[] };

function planColumns(timeline: Timeline, m: Metrics, style: 'states' | 'lifeline'): Plan {
  const parts = timeline.participants;
  const segs = timeline.segments;

  // --- states per participant (initial first), in timeline order
  const statesOf = new Map<string, StateChange[]>();
  for (const p of parts) statesOf.set(p.id, []);
  for (const s of timeline.states) {
    const list = statesOf.get(s.participant);
    if (list) list.push(s);
  }
  for (const list of statesOf.values()) list.sort((a, b) => (a.from === null ? -1 : 0) - (b.from === null ? -1 : 0) || a.at - b.at);

  // --- instants and bands
  const instants = new Set<number>();
  for (const s of segs) {
    instants.add(key(s.sentAt));
    instants.add(key(s.arrivesAt));
  }
  for (const s of timeline.states) if (s.from !== null) instants.add(key(s.at));
  for (const t of timeline.timers) {
    instants.add(key(t.start));
    instants.add(key(t.end));
  }
  for (const n of timeline.notes) instants.add(key(n.at));
  for (const d of timeline.dividers) instants.add(key(d.at));
  for (const c of timeline.crashes ?? []) instants.add(key(c.at));
  if (instants.size === 0) instants.add(0);
  const times = [...instants].sort((a, b) => a - b);
  const idx = new Map<number, number>();
  times.forEach((t, i) => idx.set(t, i));

  const stackStep = style === 'states' ? m.boxH : m.lineH + 2;
  // boundaries per participant per instant (non-initial state changes)
  const bounds = new Map<string, StateChange[]>(); // `${p}@${i}`
  for (const s of timeline.states) {
    if (s.from === null) continue;
    const k = `${s.participant}@${idx.get(key(s.at))}`;
    const list = bounds.get(k) ?? [];
    list.push(s);
    bounds.set(k, list);
  }
  const stackH = new Array<number>(times.length).fill(0);
  for (const [k, list] of bounds) {
    const i = Number(k.slice(k.lastIndexOf('@') + 1));
    stackH[i] = Math.max(stackH[i]!, (list.length - 1) * stackStep);
  }
  // notes and dividers: heights, stacked in the band after the state stack
  const slots: Slot[] = [];
  for (const n of timeline.notes) {
    const lines = n.text.split('\n').length;
    slots.push({ kind: 'note', i: idx.get(key(n.at))!, h: lines * m.lineH + 2 * m.padX + 12, text: n.text, note: n });
  }
  for (const d of timeline.dividers)
    slots.push({ kind: 'divider', i: idx.get(key(d.at))!, h: m.lineH + 14, text: d.text, between: d.participants ?? [] });
  const slotH = new Array<number>(times.length).fill(0);
  for (const s of slots) slotH[s.i]! += s.h;

  // A passive open (`LISTEN`) before the first segment is drawn on the row where that segment leaves, as the
  // seed figures do: the server's CLOSED box is as short as the client's, not stacked above it.
  const closedGaps: number[] = [];
  {
    let firstSend = Infinity;
    for (const sg of segs) firstSend = Math.min(firstSend, key(sg.sentAt));
    const timerAt = new Set<number>();
    for (const t of timeline.timers) timerAt.add(key(t.start)).add(key(t.end));
    for (let i = 0; i + 1 < times.length && times[i + 1]! <= firstSend; i++)
      if (slotH[i] === 0 && stackH[i] === 0 && !timerAt.has(times[i]!)) closedGaps.push(i + 1);
  }

  const stateTextW = new Map<string, number>();
  for (const [id, list] of statesOf) stateTextW.set(id, list.reduce((w, s) => Math.max(w, measureText(stateName(s.to, timeline), m.stateFs)), 0));
  const degree = new Map<string, number>();
  for (const sg of segs) {
    degree.set(sg.from, (degree.get(sg.from) ?? 0) + 1);
    degree.set(sg.to, (degree.get(sg.to) ?? 0) + 1);
  }
  const pIndex = new Map(parts.map((p, i) => [p.id, i]));
  return {
    timeline,
    m,
    style,
    parts,
    segs,
    statesOf,
    times,
    idx,
    stackStep,
    bounds,
    stackH,
    slots,
    slotH,
    closedGaps,
    byCause: changesByCause(timeline),
    oneWay: median(segs.filter((s) => !s.lost).map((s) => s.arrivesAt - s.sentAt)) || 1,
    blocks: segs.map((s) => labelBlock(s, m)),
    pIndex,
    degree,
    crossOnce: crossingOnce(segs, pIndex),
    stateTextW,
    nameW: parts.map((p) => measureText(p.label, m.nameFs, 'bold')),
  };
}

/** The width of `id`'s widest state name (0 for an id without states). */
function stateTextWidth(plan: Plan, id: string): number {
  return plan.stateTextW.get(id) ?? 0;
}

/** How far across the gap a lost segment gets before its cross. */
function lostFraction(plan: Plan, seg: Segment): number {
  return Math.min(0.72, Math.max(0.5, (seg.arrivesAt - seg.sentAt) / plan.oneWay));
}

/** The vertical scale of one try: where each instant's band starts and ends, and where each state changes. */
interface Rows {
  top: number;
  yTop: number[];
  yBot: number[];
  /** y of each boundary (state change); arrows attach there when the change was caused by them. */
  boundaryY: Map<StateChange, number>;
  initialBottom: number;
  bottom: number;
}

function verticalScale(plan: Plan, unit: number): Rows {
  const { m, style, times, idx, stackStep, bounds, stackH, slotH, statesOf, segs } = plan;
  const top = 0; // content coordinates; shifted in finish()
  const nameH = style === 'states' ? m.nameFs * 1.6 : m.nameFs * 2.4;
  const preRow = style === 'states' ? m.boxH : m.lineH * 1.6; // room for the initial state above the first instant
  const yTop = new Array<number>(times.length).fill(0);
  const yBot = new Array<number>(times.length).fill(0);
  // Long idle stretches (2MSL, RTO) are drawn shorter than their duration: past one unit, growth is sub-linear.
  const span = (dt: number): number => (dt <= 1 ? dt : 1 + Math.sqrt(dt - 1) * 0.7);
  const gaps = times.map((t, i) => (i === 0 ? 0 : Math.max(unit * span(t - times[i - 1]!), stackStep)));
  for (const i of plan.closedGaps) gaps[i] = 0;
  const computeY = (): void => {
    let y = top + nameH + preRow + 6;
    for (let i = 0; i < times.length; i++) {
      y += gaps[i]!;
      yTop[i] = y;
      y += stackH[i]! + slotH[i]!;
      yBot[i] = y;
    }
  };
  computeY();

  const boundaryY = new Map<StateChange, number>();
  const placeBoundaries = (): void => {
    for (const [k, list] of bounds) {
      const i = Number(k.slice(k.lastIndexOf('@') + 1));
      list.forEach((s, j) => {
        let y = yTop[i]! + j * stackStep;
        // A change caused by sending goes after the notes of that instant, as the send does.
        if (j === list.length - 1 && slotH[i]! > 0 && s.cause !== null && segs[s.cause]?.from === s.participant) y = yBot[i]!;
        boundaryY.set(s, y);
      });
    }
  };
  placeBoundaries();

  // Stretch intervals so every non-empty state box is at least a box (or a text line) tall.
  const initialBottom = top + nameH;
  for (let pass = 0; pass < 2; pass++) {
    for (const list of statesOf.values()) {
      for (let j = 1; j < list.length; j++) {
        const s = list[j]!;
        const prev = list[j - 1]!;
        const y0 = prev.from === null ? initialBottom : boundaryY.get(prev)!;
        const y1 = boundaryY.get(s)!;
        const i = idx.get(key(s.at))!;
        const ip = prev.from === null ? -1 : idx.get(key(prev.at))!;
        if (ip === i) continue; // same instant: already stacked
        const need = (prev.from === null ? preRow : stackStep) - (y1 - y0);
        if (need > 0.01 && i > 0) {
          gaps[i]! += need;
          computeY();
          placeBoundaries();
        }
      }
    }
  }
  const lastY = yBot[times.length - 1]!;
  const bottom = lastY + (style === 'states' ? m.boxH : m.lineH * 2);
  return { top, yTop, yBot, boundaryY, initialBottom, bottom };
}

/** The columns of one try: each label's home gap, the gaps' widths, each endpoint's centre. */
interface Columns {
  cols: Column[];
  colOf: Map<string, Column>;
  homeGap: Map<number, number>;
}

function placeColumns(plan: Plan, gapScale: number, mode: 'hub' | 'spoke'): Columns {
  const { m, style, parts, segs, statesOf, pIndex, degree, crossOnce, blocks } = plan;
  const cols: Column[] = [];
  const colOf = new Map<string, Column>();
  // Each label gets a "home" gap: the gap next to the busier endpoint, on the side facing the other one
  // (for a SYN flood, the gap beside the server). Only home gaps are made wide enough for labels, so
  // diagrams with many endpoints stay compact.
  const homeGap = new Map<number, number>();
  const gapNeed = new Array<number>(Math.max(0, parts.length - 1)).fill(0);
  for (const sg of segs) {
    const a = pIndex.get(sg.from);
    const b = pIndex.get(sg.to);
    if (a === undefined || b === undefined || a === b) continue;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    let home = lo;
    if (hi - lo > 1) {
      let hub = (degree.get(sg.to) ?? 0) >= (degree.get(sg.from) ?? 0) ? b : a;
      if (mode === 'spoke') hub = hub === a ? b : a;
      home = hub === hi ? hi - 1 : lo;
    }
    homeGap.set(sg.index, home);
    // A lost segment's line is only part of the gap long: its label must still fit between the ends.
    // One crossing (simultaneous open/close): the label sits between its sender and the crossing, so that
    // stretch (about half the arrow) must hold it.
    const frac = sg.lost ? lostFraction(plan, sg) : crossOnce.has(sg.index) ? 0.5 : 1;
    // The seeds leave about a third of the gap free on each side of a label: it reads as on the arrow, not
    // squeezed between the boxes.
    gapNeed[home] = Math.max(gapNeed[home]!, (blocks[sg.index]!.width + 4 * m.fs) / frac + m.fs);
  }
  const gapW = gapNeed.map((need, k) => {
    const min = need > 0 ? m.fs * 18 : m.fs * 4;
    let w = Math.max(min, need) * gapScale;
    if (style === 'lifeline') {
      if (need > 0) w += 3 * m.fs; // arrows end on the lifeline itself: give the labels the room boxes would
      // room for the two header boxes and for the state names written on the inner side of middle lifelines
      // header boxes are max(name + 2 fs, 6 fs) wide; keep half an fs between them
      const nA = Math.max(plan.nameW[k]! / 2 + m.fs, 3 * m.fs) + m.fs / 2;
      const nB = Math.max(plan.nameW[k + 1]! / 2 + m.fs, 3 * m.fs) + m.fs / 2;
      const inner = k > 0 ? stateTextWidth(plan, parts[k]!.id) + m.fs : 0;
      w = Math.max(w, nA + nB + m.fs, inner + m.fs * 2);
    }
    return w;
  });
  let colW = 7 * m.fs;
  for (const p of parts) colW = Math.max(colW, stateTextWidth(plan, p.id) + 2.6 * m.fs);
  let x = 0;
  parts.forEach((p, i) => {
    const nameW = plan.nameW[i]!;
    // An endpoint without states (a spoofed address) is drawn as a plain dashed lifeline even in `states`.
    const stateless = (statesOf.get(p.id) ?? []).length === 0;
    // All state columns get the same width, as in the seed figures: a regular grid reads calmer.
    const half = style === 'states' && !stateless ? Math.max(colW, nameW + m.fs) / 2 : 0;
    if (i > 0 && style === 'states' && stateless) x += nameW / 2;
    if (i > 0) x += half + gapW[i - 1]!;
    const col: Column = { id: p.id, label: p.label, cx: x, half, index: i };
    cols.push(col);
    colOf.set(p.id, col);
    x += half;
    if (style === 'states' && stateless) x += nameW / 2;
  });
  return { cols, colOf, homeGap };
}

/** Where along its stretch of arrow a label is tried (0.5 = the middle), nearest the middle first. */
const CANDS = [0.5];
for (let k = 1; k <= 9; k++) CANDS.push(0.5 - k * 0.04, 0.5 + k * 0.04);

/** One try's drawing state, shared by its stages: the plan, its rows and columns, what is drawn so far. */
interface Frame {
  plan: Plan;
  rows: Rows;
  cols: Column[];
  colOf: Map<string, Column>;
  homeGap: Map<number, number>;
  items: SceneItem[];
  /** What a label (and a state name, a note) must not touch. */
  obstacles: BoxSet;
  arrows: Arrow[];
  arrowIndex: YIndex<Arrow>;
}

function layoutColumns(plan: Plan, unit: number, gapScale: number, mode: 'hub' | 'spoke'): Placed {
  const rows = verticalScale(plan, unit);
  const { cols, colOf, homeGap } = placeColumns(plan, gapScale, mode);
  const f: Frame = { plan, rows, cols, colOf, homeGap, items: [], obstacles: new BoxSet(), arrows: [], arrowIndex: new YIndex<Arrow>() };
  placeArrows(f);
  drawParticipants(f);
  const statesAt = f.items.length;
  drawTimers(f);
  drawCrashes(f);
  const { pendingDividers, pendingLines } = drawNotesAndDividers(f);
  // Arrows' ends are obstacles for labels (so a label never sits on an arrowhead or a cross).
  const ends = new BoxSet();
  for (const a of f.arrows) {
    ends.push({ x1: a.x1 - 6, y1: a.y1 - 6, x2: a.x1 + 6, y2: a.y1 + 6 });
    ends.push({ x1: a.x2 - 10, y1: a.y2 - 10, x2: a.x2 + 10, y2: a.y2 + 10 });
  }
  // --- states (after timers and notes, so their names avoid them; drawn underneath them)
  const overlays = f.items.splice(statesAt);
  drawStates(f, pendingDividers);
  for (const o of overlays) f.items.push(o);
  drawDividerLabels(f, pendingDividers);
  const { labelItems, failures } = placeLabels(f, ends, pendingLines);
  drawArrows(f);
  for (const l of labelItems) f.items.push(l);
  return { items: f.items, failures };
}

function yOfSend(f: Frame, seg: Segment): number {
  const c = f.plan.byCause.get(seg.index)?.find((s) => s.participant === seg.from);
  if (c && f.rows.boundaryY.has(c)) return f.rows.boundaryY.get(c)!;
  return f.rows.yBot[f.plan.idx.get(key(seg.sentAt))!]!;
}

function yOfArrival(f: Frame, seg: Segment): number {
  const c = f.plan.byCause.get(seg.index)?.find((s) => s.participant === seg.to);
  if (c && f.rows.boundaryY.has(c)) return f.rows.boundaryY.get(c)!;
  return f.rows.yTop[f.plan.idx.get(key(seg.arrivesAt))!]!;
}

// --- arrows
function placeArrows(f: Frame): void {
  const { plan, cols, colOf } = f;
  for (const seg of plan.segs) {
    const a = colOf.get(seg.from);
    const b = colOf.get(seg.to);
    if (!a || !b) continue;
    const dir = b.cx >= a.cx ? 1 : -1;
    const x1 = a.cx + dir * a.half;
    let x2 = b.cx - dir * b.half;
    const y1 = yOfSend(f, seg);
    let y2 = yOfArrival(f, seg);
    if (seg.lost) {
      // The cross sits where the segment got to: proportionally to a normal trip, never at the receiver.
      const fr = lostFraction(plan, seg);
      const yEnd = f.rows.yTop[plan.idx.get(key(seg.arrivesAt))!]!;
      if (Math.abs(a.index - b.index) > 1) {
        // Across several columns: the cross goes in the gap before the receiver, not over another endpoint.
        const prev = cols[b.index - dir]!;
        const gx = prev.cx + dir * prev.half;
        x2 = gx + (x2 - gx) * Math.max(fr, 0.5);
      } else x2 = x1 + (x2 - x1) * fr;
      y2 = yEnd;
    }
    if (a === b) {
      // A segment to itself (unusual): a small loop to the right.
      x2 = x1;
    }
    const ar: Arrow = { seg, x1, y1, x2, y2, role: segmentRole(seg), step: seg.index + 1 };
    f.arrows.push(ar);
    f.arrowIndex.add(y1, y2, ar);
  }
}

// --- participants (names / header boxes) and columns
function drawParticipants(f: Frame): void {
  const { m, style } = f.plan;
  const { top, initialBottom, bottom } = f.rows;
  const { items, obstacles } = f;
  for (const c of f.cols) {
    const nameW = f.plan.nameW[c.index]!;
    if (style === 'states') {
      const t = mkText('participant', c.cx, baselineFor(top + m.nameFs * 0.6, m.nameFs), c.label, m.nameFs, 0, 'middle', 'bold');
      items.push(t);
      obstacles.push(itemBox(t));
      if (c.half === 0) items.push(mkLine('lifeline', c.cx, initialBottom, c.cx, bottom, 0, [4, 4]));
    } else {
      const w = Math.max(nameW + 2 * m.fs, 6 * m.fs);
      const h = m.nameFs * 2;
      const r = mkRect('participant-box', c.cx - w / 2, top, w, h, 0, 3);
      items.push(r);
      items.push(mkText('participant', c.cx, baselineFor(top + h / 2, m.nameFs), c.label, m.nameFs, 0, 'middle', 'bold'));
      obstacles.push(itemBox(r));
      items.push(mkLine('lifeline', c.cx, top + h, c.cx, bottom, 0));
    }
  }
}

function stateSide(f: Frame, c: Column): 'left' | 'right' | 'center' {
  const n = f.cols.length;
  return n === 1 ? 'right' : c.index === 0 ? 'left' : c.index === n - 1 ? 'right' : 'center';
}

// --- timers: brackets on the outer side of the column
function drawTimers(f: Frame): void {
  const { plan, colOf, items, obstacles } = f;
  const { m, style, timeline, idx } = plan;
  const lanes = new Map<string, Array<{ start: number; end: number; lane: number }>>();
  const laneW = new Map<string, number[]>();
  for (const tm of timeline.timers) {
    const c = colOf.get(tm.participant);
    if (!c) continue;
    const side = stateSide(f, c) === 'left' ? -1 : 1;
    const used = lanes.get(c.id) ?? [];
    let lane = 0;
    while (used.some((u) => u.lane === lane && u.start < tm.end - EPS && tm.start < u.end - EPS)) lane++;
    used.push({ start: tm.start, end: tm.end, lane });
    lanes.set(c.id, used);
    const label = tm.restarted ? `${tm.label} (restarted)` : tm.label;
    const lw = measureText(label, m.fs);
    const widths = laneW.get(c.id) ?? [];
    let off = style === 'states' ? c.half + 8 : stateTextWidth(plan, c.id) + 14;
    for (let l = 0; l < lane; l++) off += (widths[l] ?? 0) + 12;
    widths[lane] = Math.max(widths[lane] ?? 0, lw + 10);
    laneW.set(c.id, widths);
    const xb = c.cx + side * off;
    const y0 = f.rows.yBot[idx.get(key(tm.start))!]!;
    const y1 = f.rows.yTop[idx.get(key(tm.end))!]!;
    const tick = 5 * -side;
    const step = stepAt(timeline, tm.start);
    const points: Array<[number, number]> = [
      [xb + tick, y0],
      [xb, y0],
      [xb, y1],
      [xb + tick, y1],
    ];
    // Two literals, not a spread: each item shape comes from a literal (see mkLine).
    items.push(tm.expired ? { type: 'polyline', role: 'timer', step, points } : { type: 'polyline', role: 'timer', step, points, dash: [4, 3] });
    const t = mkText('timer-label', xb + side * 5, baselineFor((y0 + y1) / 2, m.fs), label, m.fs, step, side < 0 ? 'end' : 'start');
    items.push(t);
    obstacles.push(inflate(itemBox(t), 2));
    obstacles.push({ x1: Math.min(xb, xb + tick), y1: y0, x2: Math.max(xb, xb + tick), y2: y1 });
  }
}

// --- crashes: a bolt across the lifeline at the instant, the word on the column's outer side
function drawCrashes(f: Frame): void {
  const { m, style, timeline, idx } = f.plan;
  const { yTop } = f.rows;
  for (const cr of timeline.crashes ?? []) {
    const c = f.colOf.get(cr.participant);
    const i = idx.get(key(cr.at));
    if (!c || i === undefined) continue;
    const side = stateSide(f, c) === 'left' ? 'left' : 'right';
    // Across the whole state box in the states style, across the lifeline otherwise; the word just outside.
    const half = style === 'states' ? c.half : 10;
    const mark = crashMark(c.cx, yTop[i]!, half, stepAt(timeline, cr.at), m, side);
    for (const it of mark.items) f.items.push(it);
    f.obstacles.push(inflate(itemBox(mark.text), 2));
    f.obstacles.push({ x1: c.cx - half, y1: yTop[i]! - 8, x2: c.cx + half, y2: yTop[i]! + 8 });
  }
}

type PendingDivider = { ym: number; text: string; step: number };
type PendingLine = { x1: number; y1: number; x2: number; y2: number };

/** The left and right edge of the drawing's columns (dividers span them). */
function edges(f: Frame): [number, number] {
  const { cols } = f;
  const { m, style } = f.plan;
  const n = cols.length;
  const leftEdge = n ? cols[0]!.cx - cols[0]!.half - (style === 'states' ? 0 : m.fs * 3) : 0;
  const rightEdge = n ? cols[n - 1]!.cx + cols[n - 1]!.half + (style === 'states' ? 0 : m.fs * 3) : 0;
  return [leftEdge, rightEdge];
}

// --- notes and dividers inside their instant's band
function drawNotesAndDividers(f: Frame): { pendingDividers: PendingDivider[]; pendingLines: PendingLine[] } {
  const { plan, colOf, items, obstacles } = f;
  const { m, timeline, times, stackH, slots } = plan;
  const { yTop } = f.rows;
  const noteFs = m.fs;
  const [leftEdge, rightEdge] = edges(f);
  const slotCursor = new Array<number>(times.length).fill(0);
  const pendingDividers: PendingDivider[] = [];
  /** Horizontal exchange arrows: labels must not sit on them either. */
  const pendingLines: PendingLine[] = [];
  for (const s of slots) {
    const y0 = yTop[s.i]! + stackH[s.i]! + slotCursor[s.i]!;
    slotCursor[s.i]! += s.h;
    const step = stepAt(timeline, times[s.i]!);
    if (s.kind === 'divider' && s.between?.length === 2 && colOf.has(s.between[0]!) && colOf.has(s.between[1]!)) {
      // An exchange between two endpoints (`client <-> server: 数据传输`): a two-headed arrow, as the seeds draw it.
      const ym = y0 + s.h / 2;
      let ca = colOf.get(s.between[0]!)!;
      let cb = colOf.get(s.between[1]!)!;
      if (ca.cx > cb.cx) [ca, cb] = [cb, ca];
      const xa = ca.cx + ca.half;
      const xb = cb.cx - cb.half;
      items.push(mkLine('divider', xa + 8, ym, xb - 8, ym, step));
      items.push({ type: 'polygon', role: 'arrowhead', step, points: [[xa, ym], [xa + 9, ym - 3.6], [xa + 9, ym + 3.6]] });
      items.push({ type: 'polygon', role: 'arrowhead', step, points: [[xb, ym], [xb - 9, ym - 3.6], [xb - 9, ym + 3.6]] });
      const t = mkText('divider-label', (xa + xb) / 2, baselineFor(ym, m.fs), s.text, m.fs, step);
      items.push(mkRect('background', t.x - t.width / 2 - m.padX, ym - m.lineH / 2, t.width + 2 * m.padX, m.lineH, step, 2));
      items.push(t);
      obstacles.push(inflate(itemBox(t), 1));
      pendingLines.push({ x1: xa, y1: ym, x2: xb, y2: ym });
      continue;
    }
    if (s.kind === 'divider') {
      const ym = y0 + s.h / 2;
      items.push(mkLine('divider', leftEdge - 8, ym, rightEdge + 8, ym, step, [6, 4]));
      pendingDividers.push({ ym, text: s.text, step });
      continue;
    }
    const note = s.note!;
    const lines = note.text.split('\n');
    const tw = lines.reduce((w, l) => Math.max(w, measureText(l, m.fs)), 0) + 2 * m.padX + 8;
    const pc = note.participants.map((id) => colOf.get(id)).filter((c): c is Column => !!c);
    let x1: number;
    let x2: number;
    if (pc.length === 0) {
      x1 = (leftEdge + rightEdge) / 2 - tw / 2;
      x2 = x1 + tw;
    } else if (note.placement === 'over' || pc.length > 1) {
      const lo = pc.reduce((a, c) => Math.min(a, c.cx - c.half), Infinity);
      const hi = pc.reduce((a, c) => Math.max(a, c.cx + c.half), -Infinity);
      const mid = (lo + hi) / 2;
      const w = Math.max(tw, hi - lo + (pc.length > 1 ? 16 : 0));
      x1 = mid - w / 2;
      x2 = mid + w / 2;
    } else if (note.placement === 'left') {
      x2 = pc[0]!.cx - pc[0]!.half - 6;
      x1 = x2 - tw;
    } else {
      x1 = pc[0]!.cx + pc[0]!.half + 6;
      x2 = x1 + tw;
    }
    const bh = s.h - 12;
    if (pc.length === 1 && note.placement !== 'over') {
      // Beside one endpoint: step outwards past timer brackets and labels already there.
      const dir = note.placement === 'left' ? -1 : 1;
      for (let k = 0; k < 20; k++) {
        const b: Box = { x1, y1: y0 + 6, x2, y2: y0 + 6 + bh };
        const hit = obstacles.find(b, 2);
        if (!hit) break;
        const dx = dir > 0 ? hit.x2 + 4 - x1 : hit.x1 - 4 - x2;
        x1 += dx;
        x2 += dx;
      }
    }
    const r = mkRect('note-box', x1, y0 + 6, x2 - x1, bh, step, 2);
    items.push(r);
    obstacles.push(itemBox(r));
    lines.forEach((l, k) => {
      items.push(mkText('note', (x1 + x2) / 2, baselineFor(y0 + 6 + m.padX + m.lineH * (k + 0.5), noteFs), l, noteFs, step));
    });
  }
  return { pendingDividers, pendingLines };
}

// --- states (after timers and notes, so their names avoid them; drawn underneath them)
function drawStates(f: Frame, pendingDividers: PendingDivider[]): void {
  const { plan, items, obstacles, arrowIndex } = f;
  const { m, style, timeline, statesOf } = plan;
  const { initialBottom, boundaryY, bottom } = f.rows;
  const fixed = obstacles.clone(); // names, timers, notes: what a state name must also avoid
  for (const c of f.cols) {
    const list = statesOf.get(c.id) ?? [];
    list.forEach((s, j) => {
      const y0 = s.from === null ? initialBottom : boundaryY.get(s)!;
      const next = list[j + 1];
      const y1 = next ? boundaryY.get(next)! : bottom;
      const step = s.cause !== null ? s.cause + 1 : s.from === null ? 0 : stepAt(timeline, s.at);
      const name = stateName(s.to, timeline);
      if (style === 'states') {
        const r = mkRect('state-box', c.cx - c.half, y0, 2 * c.half, y1 - y0, step);
        items.push(r);
        obstacles.push(itemBox(r));
        // Centred in its box, unless an arrow crossing the column (many endpoints) runs through it.
        let st = mkText('state', c.cx, baselineFor((y0 + y1) / 2, m.stateFs), name, m.stateFs, step);
        const room = (y1 - y0 - m.stateFs * 1.4) / 2;
        if (room > 2) {
          for (const f of [0, -0.5, 0.5, -1, 1, -0.25, 0.25, -0.75, 0.75]) {
            const cand = mkText('state', c.cx, baselineFor((y0 + y1) / 2 + f * room, m.stateFs), name, m.stateFs, step);
            const b = inflate(itemBox(cand), 2);
            if (
              !arrowIndex.some(b.y1, b.y2, (ar) => segmentHitsBox(ar.x1, ar.y1, ar.x2, ar.y2, b)) &&
              fixed.count(b, 8) === 0 &&
              !pendingDividers.some((d) => d.ym > b.y1 - 4 && d.ym < b.y2 + 4)
            ) {
              st = cand;
              break;
            }
          }
        }
        items.push(st);
      } else {
        // Beside the lifeline, just below the instant; tick marks the instant.
        // Outer lifelines write outside; middle ones on whichever side no segment leaves or arrives there.
        const side = stateSide(f, c);
        const below = y0 + m.stateFs * ASC + 2;
        const above = y0 - m.stateFs * DESC - 3;
        const at = (sd: 'left' | 'right', yb: number): SceneText =>
          sd === 'left' ? mkText('state', c.cx - 6, yb, name, m.stateFs, step, 'end') : mkText('state', c.cx + 6, yb, name, m.stateFs, step, 'start');
        let t = at(side === 'left' ? 'left' : 'right', below);
        if (side === 'center') {
          for (const [sd, yb] of [['right', below], ['left', below], ['right', above], ['left', above]] as const) {
            const cand = at(sd, yb);
            const b = inflate(itemBox(cand), 2);
            if (!arrowIndex.some(b.y1, b.y2, (ar) => segmentHitsBox(ar.x1, ar.y1, ar.x2, ar.y2, b)) && fixed.count(b, 8) === 0) {
              t = cand;
              break;
            }
          }
        }
        items.push(mkLine('lifeline', c.cx - 4, y0, c.cx + 4, y0, step));
        items.push(t);
        obstacles.push(inflate(itemBox(t), 2));
      }
    });
  }
}

// Divider labels: centred, unless a segment in flight crosses there; then slide sideways.
function drawDividerLabels(f: Frame, pendingDividers: PendingDivider[]): void {
  const { items, obstacles, arrowIndex } = f;
  const { m } = f.plan;
  const [leftEdge, rightEdge] = edges(f);
  for (const d of pendingDividers) {
    const w = measureText(d.text, m.fs, 'bold') + 2 * m.padX;
    const mid = (leftEdge + rightEdge) / 2;
    const half = (rightEdge - leftEdge) / 2;
    let bx = mid;
    for (const f of [0, -0.25, 0.25, -0.5, 0.5, -0.75, 0.75, -1, 1]) {
      const cx = mid + f * half;
      const box: Box = { x1: cx - w / 2, y1: d.ym - m.lineH / 2, x2: cx + w / 2, y2: d.ym + m.lineH / 2 };
      const hit =
        arrowIndex.some(box.y1 - 2, box.y2 + 2, (a) => segmentHitsBox(a.x1, a.y1, a.x2, a.y2, inflate(box, 2))) || obstacles.count(box, 1) > 0;
      if (!hit) {
        bx = cx;
        break;
      }
    }
    const t = mkText('divider-label', bx, baselineFor(d.ym, m.fs), d.text, m.fs, d.step, 'middle', 'bold');
    items.push(mkRect('background', bx - w / 2, d.ym - m.lineH / 2, w, m.lineH, d.step));
    items.push(t);
    obstacles.push(inflate(itemBox(t), 1));
  }
}

// --- labels: slide along the arrow until nothing is hit
function placeLabels(f: Frame, ends: BoxSet, pendingLines: PendingLine[]): { labelItems: SceneItem[]; failures: number } {
  let failures = 0;
  const labelItems: SceneItem[] = [];
  const placedLabels = new BoxSet();
  for (const a of f.arrows) {
    const blk = f.plan.blocks[a.seg.index]!;
    const { chosen, bestScore } = labelSpot(f, a, blk, ends, placedLabels, pendingLines);
    if (bestScore >= 1) {
      failures++;
    }
    const { cx, cy, box } = chosen!;
    placedLabels.push(box);
    labelItems.push(mkRect('background', box.x1, box.y1, box.x2 - box.x1, box.y2 - box.y1, a.step, 2));
    let y = box.y1 + 2;
    for (const l of blk.lines) {
      y += l.fs * ASC;
      labelItems.push(mkText(l.role, cx, y, l.text, l.fs, a.step));
      y += l.fs * DESC + 1;
    }
    void cy;
  }
  return { labelItems, failures };
}

/** Candidate positions of `a`'s label (0…1 along it): inside its home gap first, then inside the other gaps it spans. */
function alongArrow(f: Frame, a: Arrow): number[] {
  const { cols, colOf } = f;
  const ts: number[] = [];
  const home = f.homeGap.get(a.seg.index);
  const ca = colOf.get(a.seg.from)!;
  const cb = colOf.get(a.seg.to)!;
  const dxa = a.x2 - a.x1;
  const gapsSpanned: number[] = [];
  for (let k = Math.min(ca.index, cb.index); k < Math.max(ca.index, cb.index); k++) gapsSpanned.push(k);
  gapsSpanned.sort((p, q) => (p === home ? -1 : q === home ? 1 : 0));
  for (const k of gapsSpanned) {
    if (gapsSpanned.length === 1 || Math.abs(dxa) < 1) {
      for (const c of CANDS) ts.push(c);
      break;
    }
    const gl = cols[k]!.cx + cols[k]!.half;
    const gr = cols[k + 1]!.cx - cols[k + 1]!.half;
    let t0 = (gl - a.x1) / dxa;
    let t1 = (gr - a.x1) / dxa;
    if (t0 > t1) [t0, t1] = [t1, t0];
    t0 = Math.max(0, t0);
    t1 = Math.min(1, t1);
    if (t1 <= t0) continue;
    for (const c of CANDS) ts.push(t0 + (t1 - t0) * c);
  }
  if (!ts.length) for (const c of CANDS) ts.push(c);
  return ts;
}

/** Where `a`'s label fits best: the first spot that touches nothing, else the least bad one and its score. */
function labelSpot(f: Frame, a: Arrow, blk: LabelBlock, ends: BoxSet, placedLabels: BoxSet, pendingLines: PendingLine[]): { chosen: { cx: number; cy: number; box: Box }; bestScore: number } {
  const { arrowIndex, obstacles, cols } = f;
  const { m, style } = f.plan;
  let chosen: { cx: number; cy: number; box: Box } | null = null;
  let bestScore = Infinity;
  const ts = alongArrow(f, a);
  // Crossing one other segment (simultaneous open/close): a label at the crossing could belong to either, so
  // prefer the middle of the longer free stretch between an end and the crossing.
  let crossings = 0;
  let tc = 0;
  arrowIndex.some(a.y1, a.y2, (o) => {
    if (o === a) return false;
    const u = crossParam(a, o);
    if (u !== null && u > 0.05 && u < 0.95) {
      crossings++;
      tc = u;
    }
    return false;
  });
  // Nearer its sender, on its own side of the crossing, so each label plainly belongs to one arrow (unless
  // the crossing is so near the sender that the far stretch is the only room).
  let partner: Arrow | null = null;
  if (crossings === 1) {
    const target = tc >= 0.3 ? tc / 2 : (1 + tc) / 2;
    ts.sort((p, q) => Math.abs(p - target) - Math.abs(q - target));
    arrowIndex.some(a.y1, a.y2, (o) => {
      const u = o === a ? null : crossParam(a, o);
      if (u !== null && u > 0.05 && u < 0.95) partner = o;
      return partner !== null;
    });
  }
  const rival = partner as Arrow | null;
  const xCross = a.x1 + (a.x2 - a.x1) * tc;
  // On the arrow (knocking the line out, as the seeds do) first; then just above or below it, which leaves
  // room between close parallel segments (bursts, a lost segment and its successor).
  const lineY = (x: number): number => {
    if (Math.abs(a.x2 - a.x1) < 1e-6) return a.y1;
    const u = Math.min(1, Math.max(0, (x - a.x1) / (a.x2 - a.x1)));
    return a.y1 + (a.y2 - a.y1) * u;
  };
  // Variant vi: (t, side) with side 0 = on the line, -1 above, 1 below; a lost segment's line is short, so
  // its label goes above or below (the line stays visible up to its cross).
  const nT = ts.length;
  const nV = a.seg.lost ? 2 * nT : 3 * nT;
  for (let vi = 0; vi < nV; vi++) {
    let t: number;
    let side: number;
    if (a.seg.lost) {
      t = ts[vi >> 1]!;
      side = vi & 1 ? 1 : -1;
    } else if (vi < nT) {
      t = ts[vi]!;
      side = 0;
    } else {
      t = ts[(vi - nT) >> 1]!;
      side = (vi - nT) & 1 ? 1 : -1;
    }
    const cx = a.x1 + (a.x2 - a.x1) * t;
    let cy = a.y1 + (a.y2 - a.y1) * t;
    if (side !== 0) {
      const ya = lineY(cx - blk.width / 2);
      const yb = lineY(cx + blk.width / 2);
      cy = side < 0 ? Math.min(ya, yb) - 3 - blk.height / 2 : Math.max(ya, yb) + 3 + blk.height / 2;
    }
    const box: Box = { x1: cx - blk.width / 2, y1: cy - blk.height / 2, x2: cx + blk.width / 2, y2: cy + blk.height / 2 };
    // Other arrows keep a clear margin, so a label is never nearer to a neighbour than to its own arrow.
    const wide: Box = { x1: box.x1 - 8, y1: box.y1 - 8, x2: box.x2 + 8, y2: box.y2 + 8 };
    let score = Math.min(0.9, vi * 0.005); // prefer the earlier (centred, home-gap) candidates
    score += 10 * obstacles.count(box, 2);
    if (score < bestScore) score += 10 * placedLabels.count(box, 6);
    if (score < bestScore) score += 10 * ends.count(box);
    if (score < bestScore)
      arrowIndex.some(wide.y1, wide.y2, (o) => {
        if (o !== a && segmentHitsBox(o.x1, o.y1, o.x2, o.y2, wide)) score += 10;
        return score >= bestScore;
      });
    for (const o of pendingLines) if (score < bestScore && segmentHitsBox(o.x1, o.y1, o.x2, o.y2, wide)) score += 10;
    // Beside the crossing a label is as near the other arrow as its own: which one is it? Such a spot
    // counts as a failure, so the layout is redone wider rather than left ambiguous.
    // A label must lie wholly on one side of the crossing, clear of it by a character.
    // And on the sender's side: past the crossing it would sit by the other arrow's start.
    if (rival && score < bestScore) {
      const straddles = box.x1 - m.fs < xCross && xCross < box.x2 + m.fs;
      const pastIt = a.x2 >= a.x1 ? box.x2 + m.fs > xCross : box.x1 - m.fs < xCross;
      const wrongSide = tc >= 0.3 ? pastIt : straddles;
      if (wrongSide) score += 10;
    }
    if (style === 'lifeline') for (const c of cols) if (box.x1 - 3 < c.cx && c.cx < box.x2 + 3) score += 10;
    if (score < bestScore) {
      bestScore = score;
      chosen = { cx, cy, box };
    }
    if (score < 1) break;
  }
  return { chosen: chosen!, bestScore };
}

// --- draw arrows (below labels), arrowheads, crosses
function drawArrows(f: Frame): void {
  const { items } = f;
  for (const a of f.arrows) {
    const dx = a.x2 - a.x1;
    const dy = a.y2 - a.y1;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    if (a.seg.lost) {
      items.push(mkLine(a.role, a.x1, a.y1, a.x2, a.y2, a.step));
      const s = 5;
      items.push(mkLine('loss-cross', a.x2 - s, a.y2 - s, a.x2 + s, a.y2 + s, a.step));
      items.push(mkLine('loss-cross', a.x2 - s, a.y2 + s, a.x2 + s, a.y2 - s, a.step));
      continue;
    }
    if (a.x1 === a.x2 && a.y1 === a.y2) continue;
    const head = 9;
    const hw = 3.6;
    const bx = a.x2 - ux * head;
    const by = a.y2 - uy * head;
    items.push(mkLine(a.role, a.x1, a.y1, bx + ux * 1, by + uy * 1, a.step, a.seg.retransmission ? [6, 3] : undefined));
    items.push({
      type: 'polygon',
      role: headRole(a.role),
      step: a.step,
      points: [
        [a.x2, a.y2],
        [bx - uy * hw, by + ux * hw],
        [bx + uy * hw, by - ux * hw],
      ],
    });
  }
}

/** Where along `a` (0…1) it crosses `b`, or null. */
function crossParam(a: Segment2, b: Segment2): number | null {
  const c = lineCrossing(a, b);
  return c && c.t >= 0 && c.t <= 1 && c.u >= 0 && c.u <= 1 ? c.t : null;
}

/**
 * Segments that cross exactly one other segment between the same two endpoints, decided from times alone
 * (before any geometry): opposite directions whose flights overlap, or one overtaking another. A sweep over
 * send times, so a long transfer costs about n × (segments in flight).
 */
function crossingOnce(segs: Segment[], pIndex: Map<string, number>): Set<number> {
  const live = segs.filter((s) => !s.lost && s.from !== s.to && pIndex.has(s.from) && pIndex.has(s.to));
  live.sort((a, b) => a.sentAt - b.sentAt);
  const count = new Map<number, number>();
  const bump = (i: number): void => void count.set(i, (count.get(i) ?? 0) + 1);
  for (let i = 0; i < live.length; i++) {
    const s = live[i]!;
    for (let j = i + 1; j < live.length && live[j]!.sentAt < s.arrivesAt - EPS; j++) {
      const o = live[j]!;
      const opposite = o.from === s.to && o.to === s.from;
      const same = o.from === s.from && o.to === s.to;
      if ((opposite && o.sentAt < s.arrivesAt - EPS && s.sentAt < o.arrivesAt - EPS) || (same && o.sentAt > s.sentAt + EPS && o.arrivesAt < s.arrivesAt - EPS)) {
        bump(s.index);
        bump(o.index);
      }
    }
  }
  const out = new Set<number>();
  for (const [i, c] of count) if (c === 1) out.add(i);
  return out;
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
