/**
 * Timeline → Scene for the TCP stream graphs (issue 17): `stevens`, `tcptrace`, `throughput`, `rtt`, `window`.
 * One more layout over the same Timeline: the numbers come from core's `streamGraph`, this scales them onto a plot
 * with real axes, a legend and a title, and draws at most what the page can show (decimate.ts), so a stream of any
 * length gives a figure of bounded size. Every decision is here; the SVG and PDF backends draw the Scene 1:1.
 */
import {
  STREAM_GRAPH_TITLES,
  StreamGraphError,
  streamGraph,
  WiregramError,
  type GraphSeries,
  type GraphSeriesKey,
  type StreamGraph,
  type StreamGraphKind,
  type Timeline,
} from '@wiregram/core';
import type { Role, Scene, SceneItem, ScenePolyline } from '../scene.js';
import { FONT } from '../font/measure.js';
import { itemBox } from '../geometry.js';
import { ASC, DESC, metrics, mkLine, mkRect, mkText, type Metrics } from '../timing/common.js';
import { r2, translate } from '../timing/finish.js';
import type { TimingLayoutOptions } from '../timing/options.js';
import { makeAxis, groupDigits, type Axis } from './axis.js';
import { decimateBars, decimateLine, decimatePoints, decimateStep, dedupeMarks } from './decimate.js';

/** Plot area in px at the default font size (it scales with the font). */
const PLOT_W = 720;
const PLOT_H = 400;

const ROLE: Record<GraphSeriesKey, Role> = {
  data: 'graph-data',
  retransmission: 'graph-retransmission',
  'syn-fin': 'graph-syn-fin',
  ack: 'graph-ack',
  window: 'graph-window',
  sack: 'graph-sack',
  'zero-window': 'graph-zero-window',
  lost: 'graph-lost',
  'acked-unseen': 'graph-acked-unseen',
  throughput: 'graph-throughput',
  goodput: 'graph-goodput',
  rtt: 'graph-rtt',
  rwnd: 'graph-rwnd',
  'in-flight': 'graph-in-flight',
};

/** Legend wording per series (as Wireshark and tcptrace name them). */
const LEGEND: Record<GraphSeriesKey, string> = {
  data: 'data segment',
  retransmission: 'retransmission',
  'syn-fin': 'SYN / FIN',
  ack: 'ACK',
  window: 'receive window (ACK + window)',
  sack: 'SACK block',
  'zero-window': 'zero window',
  lost: 'lost / not captured',
  'acked-unseen': 'ACKed unseen segment',
  throughput: 'throughput',
  goodput: 'goodput (ACKed bytes)',
  rtt: 'round-trip time',
  rwnd: 'advertised window',
  'in-flight': 'bytes in flight',
};

/** Drawing order: lines under bars under marks. */
const ORDER: GraphSeriesKey[] = ['window', 'rwnd', 'ack', 'sack', 'goodput', 'throughput', 'in-flight', 'syn-fin', 'data', 'rtt', 'retransmission', 'lost', 'acked-unseen', 'zero-window'];

export interface GraphLayoutOptions extends TimingLayoutOptions {
  /** The graph to draw. */
  style: StreamGraphKind;
}

export function layoutStreamGraph(timeline: Timeline, options: GraphLayoutOptions): Scene {
  const m = metrics(options.fontSize ?? 12);
  const extra = timeline.options?.extra ?? {};
  const direction = options.direction ?? extra['direction'];
  const axisOpt = extra['rtt-axis'];
  if (axisOpt !== undefined && axisOpt !== 'seq' && axisOpt !== 'time') {
    throw new WiregramError({ code: 'invalid-option', reason: `option rtt-axis=${axisOpt}: unknown value`, expected: 'rtt-axis=seq | time', hint: 'RTT against the sequence number (seq, as Wireshark) or against time' });
  }
  let graph: StreamGraph;
  try {
    graph = streamGraph(timeline, options.style, { ...(direction !== undefined ? { direction } : {}), ...(axisOpt ? { rttAxis: axisOpt } : {}) });
  } catch (e) {
    if (e instanceof StreamGraphError) throw new WiregramError({ code: 'invalid-option', reason: e.message, expected: e.expected, hint: e.hint });
    throw e;
  }
  return drawGraph(timeline, graph, m, options);
}

function yTitle(g: StreamGraph, axis: Axis): string {
  const rel = g.numbering === 'absolute' ? 'absolute' : 'relative';
  switch (g.kind) {
    case 'stevens':
    case 'tcptrace':
      return `Sequence number (bytes, ${rel})`;
    case 'throughput':
      return g.yUnit === 'bytes/s' ? 'Throughput (bytes/s)' : 'Throughput (bytes per one-way trip)';
    case 'rtt':
      return `Round-trip time (${axis.unit})`;
    case 'window':
      return 'Bytes';
  }
}

function xTitle(g: StreamGraph, axis: Axis): string {
  if (g.xAxis === 'seq') return `Sequence number (bytes, ${g.numbering === 'absolute' ? 'absolute' : 'relative'})`;
  return `Time (${axis.unit})`;
}

function drawGraph(timeline: Timeline, g: StreamGraph, m: Metrics, options: GraphLayoutOptions): Scene {
  const k = m.fs / 12;
  const plotW = PLOT_W * k;
  const plotH = PLOT_H * k;
  const tickFs = m.markFs;

  // Ranges over every series (bars: both ends).
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  // The receive window's edge can be far above the data (a 64 KiB window over a 5 kB transfer): it then rides the
  // plot's top edge instead of squashing the data to a sliver; the data, ACKs and SACKs set the scale.
  let windowTop = -Infinity;
  for (const s of g.series) {
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      const a = s.y[i]!;
      const b = s.y2 ? s.y2[i]! : a;
      if (s.key === 'window') {
        windowTop = Math.max(windowTop, a);
        continue;
      }
      if (Math.min(a, b) < y0) y0 = Math.min(a, b);
      if (Math.max(a, b) > y1) y1 = Math.max(a, b);
    }
  }
  const clampWindow = Number.isFinite(y1) && windowTop > y1 + (y1 - Math.min(y0, 0)) * 0.5;
  if (!clampWindow && windowTop > y1) y1 = windowTop;
  const empty = !Number.isFinite(x0);
  if (g.xAxis === 'time') {
    x0 = 0;
    x1 = Math.max(empty ? 0 : x1, g.counts.duration);
  }
  const seqY = g.kind === 'stevens' || g.kind === 'tcptrace';
  // Sequence axes start where the data does (absolute numbers are in the billions); rates, times and sizes at 0.
  const xa = makeAxis(empty ? 0 : x0, empty ? 1 : x1, g.xUnit, 8, g.xAxis === 'time' || g.numbering !== 'absolute');
  const ya = makeAxis(empty ? 0 : y0, empty ? 1 : y1, g.yUnit, 6, !(seqY && g.numbering === 'absolute'));
  const px = (x: number) => ((x - xa.min) / (xa.max - xa.min)) * plotW;
  const py = (y: number) => plotH - ((y - ya.min) / (ya.max - ya.min)) * plotH;
  const clampTop = (y: number) => Math.max(0, py(y));

  const items: SceneItem[] = [];
  // Grid and axes.
  for (const t of xa.ticks) items.push(mkLine('graph-grid', px(t), 0, px(t), plotH, 0));
  for (const t of ya.ticks) items.push(mkLine('graph-grid', 0, py(t), plotW, py(t), 0));
  items.push(mkLine('graph-axis', 0, plotH, plotW, plotH, 0));
  items.push(mkLine('graph-axis', 0, 0, 0, plotH, 0));
  const tickLen = 4 * k;
  xa.ticks.forEach((t, i) => {
    items.push(mkLine('graph-axis', px(t), plotH, px(t), plotH + tickLen, 0));
    items.push(mkText('graph-tick', px(t), plotH + tickLen + 2 + tickFs * ASC, xa.labels[i]!, tickFs, 0, 'middle'));
  });
  let yLabelW = 0;
  ya.ticks.forEach((t, i) => {
    items.push(mkLine('graph-axis', -tickLen, py(t), 0, py(t), 0));
    const lab = mkText('graph-tick', -tickLen - 3, py(t) + (tickFs * FONT.capHeight) / 2, ya.labels[i]!, tickFs, 0, 'end');
    yLabelW = Math.max(yLabelW, lab.width);
    items.push(lab);
  });
  const xt = mkText('graph-axis-title', plotW / 2, plotH + tickLen + 2 + tickFs * (ASC + DESC) + m.fs * 0.6 + m.fs * ASC, xTitle(g, xa), m.fs, 0, 'middle');
  items.push(xt);
  const yt = mkText('graph-axis-title', -tickLen - 3 - yLabelW - m.fs * 0.8 - m.fs * DESC, plotH / 2, yTitle(g, ya), m.fs, 0, 'middle');
  yt.rotate = -90;
  items.push(yt);

  // The data, decimated to the plot's pixels.
  const present = ORDER.filter((key) => g.series.some((s) => s.key === key));
  for (const key of present) for (const s of g.series) if (s.key === key) drawSeries(items, s, px, key === 'window' && clampWindow ? clampTop : py, plotW, k);
  if (empty) {
    items.push(mkText('graph-axis-title', plotW / 2, plotH / 2, `no ${g.kind === 'window' || g.kind === 'rtt' ? 'samples' : 'data'} from ${g.from.label} to ${g.to.label}`, m.fs, 0, 'middle'));
  }

  // Title lines and legend above the plot.
  const head: SceneItem[] = [];
  let y = 0;
  if ((options.title ?? true) && timeline.title) {
    y += m.titleFs * ASC;
    head.push(mkText('title', plotW / 2, y, timeline.title, m.titleFs, 0, 'middle', 'bold'));
    y += m.titleFs * DESC + m.fs * 0.4;
  }
  y += m.fs * ASC;
  head.push(mkText('graph-axis-title', plotW / 2, y, `${STREAM_GRAPH_TITLES[g.kind]}: ${g.from.label} → ${g.to.label}`, m.fs, 0, 'middle', 'bold'));
  y += m.fs * DESC + m.fs * 0.6;
  const legend = legendItems(present, m, plotW, y);
  for (const it of legend.items) head.push(it);
  y = legend.bottom + m.fs * 0.8;
  for (const it of items) translate(it, 0, y);

  const all = [...head, ...items];
  let bx1 = Infinity;
  let bx2 = -Infinity;
  let by2 = -Infinity;
  for (const it of all) {
    const b = itemBox(it);
    if (b.x1 < bx1) bx1 = b.x1;
    if (b.x2 > bx2) bx2 = b.x2;
    if (b.y2 > by2) by2 = b.y2;
  }
  const width = Math.ceil(bx2 - bx1 + 2 * m.margin);
  const height = Math.ceil(by2 + 2 * m.margin);
  const dx = m.margin - bx1;
  const out: SceneItem[] = [mkRect('background', 0, 0, width, height, 0)];
  for (const it of all) out.push(translate(it, dx, m.margin));
  return {
    width,
    height,
    title: timeline.title ? `${timeline.title} — ${STREAM_GRAPH_TITLES[g.kind]}` : `${STREAM_GRAPH_TITLES[g.kind]}: ${g.from.label} → ${g.to.label}`,
    description: describeGraph(g),
    fontFamily: FONT.family,
    items: out,
    steps: 0,
  };
}

const poly = (role: Role, points: Array<[number, number]>): ScenePolyline => ({ type: 'polyline', role, step: 0, points });

/** One series in its shape: bars (with end ticks while they are few), steps and lines, points, marks. */
function drawSeries(items: SceneItem[], s: GraphSeries, px: (x: number) => number, py: (y: number) => number, plotW: number, k: number): void {
  const role = ROLE[s.key];
  const X = s.x.map(px);
  const Y = s.y.map(py);
  switch (s.draw) {
    case 'bars': {
      const bars = decimateBars(X, Y, s.y2!.map(py));
      // Few enough to tell apart: tcptrace's arrows, a tick across each end.
      const ticks = bars.length <= plotW / 4;
      for (const [x, top, bottom] of bars) {
        items.push(mkLine(role, x, bottom, x, Math.min(top, bottom - 1), 0));
        if (ticks) {
          items.push(mkLine(role, x - 2 * k, top, x + 2 * k, top, 0));
          items.push(mkLine(role, x - 2 * k, bottom, x + 2 * k, bottom, 0));
        }
      }
      return;
    }
    case 'step':
    case 'line': {
      const pts = s.draw === 'step' ? decimateStep(X, Y, plotW) : decimateLine(X, Y);
      // A polyline of at most a few thousand points; split so no single item is unbounded in a renderer.
      for (let i = 0; i < pts.length; i += 2000) items.push(poly(role, pts.slice(Math.max(0, i - 1), i + 2000)));
      return;
    }
    case 'points': {
      // A point: a 3 px tick drawn as a short stroke (one primitive in both backends).
      for (const [x, y] of decimatePoints(X, Y)) items.push(mkLine(role, x, y - 1.5 * k, x, y + 1.5 * k, 0));
      return;
    }
    case 'marks': {
      for (const [x, y] of dedupeMarks(X, Y)) for (const it of marker(s.key, role, x, y, k)) items.push(it);
      return;
    }
  }
}

/** Event markers: a triangle under the ACK line for a zero window, a cross for a loss, a diamond for an unseen ACK. */
function marker(key: GraphSeriesKey, role: Role, x: number, y: number, k: number): SceneItem[] {
  const r = 4 * k;
  if (key === 'zero-window') return [poly(role, [[x, y], [x - r, y + 1.8 * r], [x + r, y + 1.8 * r], [x, y]])];
  if (key === 'lost') return [mkLine(role, x - r, y - r, x + r, y + r, 0), mkLine(role, x - r, y + r, x + r, y - r, 0)];
  return [poly(role, [[x, y - r], [x + r, y], [x, y + r], [x - r, y], [x, y - r]])];
}

/** The legend: a swatch and a name per series present, in rows no wider than the plot. */
function legendItems(keys: GraphSeriesKey[], m: Metrics, plotW: number, top: number): { items: SceneItem[]; bottom: number } {
  const fs = m.markFs;
  const k = m.fs / 12;
  const sw = 18 * k;
  const entries = keys.map((key) => ({ key, text: mkText('graph-legend', 0, 0, LEGEND[key], fs, 0, 'start') }));
  const rows: Array<typeof entries> = [[]];
  let w = 0;
  for (const e of entries) {
    const ew = sw + 5 * k + e.text.width + 16 * k;
    if (w + ew > plotW && rows[rows.length - 1]!.length) {
      rows.push([]);
      w = 0;
    }
    rows[rows.length - 1]!.push(e);
    w += ew;
  }
  const items: SceneItem[] = [];
  const rowH = fs * (ASC + DESC) + 6 * k;
  rows.forEach((row, ri) => {
    const rw = row.reduce((a, e) => a + sw + 5 * k + e.text.width + 16 * k, -16 * k);
    let x = (plotW - rw) / 2;
    const cy = top + ri * rowH + rowH / 2;
    for (const e of row) {
      const role = ROLE[e.key];
      if (e.key === 'zero-window' || e.key === 'lost' || e.key === 'acked-unseen') for (const it of marker(e.key, role, x + sw / 2, e.key === 'zero-window' ? cy - 3.5 * k : cy, k)) items.push(it);
      else if (e.key === 'data' || e.key === 'retransmission' || e.key === 'syn-fin' || e.key === 'sack' || e.key === 'rtt') {
        items.push(mkLine(role, x + sw / 2, cy - 6 * k, x + sw / 2, cy + 6 * k, 0));
        items.push(mkLine(role, x + sw / 2 - 2 * k, cy - 6 * k, x + sw / 2 + 2 * k, cy - 6 * k, 0));
        items.push(mkLine(role, x + sw / 2 - 2 * k, cy + 6 * k, x + sw / 2 + 2 * k, cy + 6 * k, 0));
      } else items.push(mkLine(role, x, cy, x + sw, cy, 0));
      e.text.x = x + sw + 5 * k;
      e.text.y = cy + (fs * FONT.capHeight) / 2;
      items.push(e.text);
      x += sw + 5 * k + e.text.width + 16 * k;
    }
  });
  return { items, bottom: top + rows.length * rowH };
}

/** The graph in words, for `<desc>`: what is drawn, not every point. */
export function describeGraph(g: StreamGraph): string {
  const c = g.counts;
  const unit = g.xUnit === 'trips' || (g.xAxis === 'seq' && g.yUnit === 'trips') ? 'one-way trips' : 's';
  const dur = unit === 's' ? `${r2(c.duration * 1000)} ms` : `${r2(c.duration)} one-way trips`;
  const parts = [
    `${STREAM_GRAPH_TITLES[g.kind]} of the data from ${g.from.label} to ${g.to.label}`,
    `${groupDigits(c.dataSegments, 0)} data segment${c.dataSegments === 1 ? '' : 's'}, ${groupDigits(c.bytes, 0)} bytes over ${dur}`,
  ];
  if (c.retransmissions) parts.push(`${c.retransmissions} retransmission${c.retransmissions === 1 ? '' : 's'}`);
  if (c.lost) parts.push(`${c.lost} lost or not captured`);
  if (c.zeroWindows) parts.push(`${c.zeroWindows} zero-window advertisement${c.zeroWindows === 1 ? '' : 's'}`);
  if (g.averageWindow !== undefined) parts.push(`moving average over ${g.xUnit === 'seconds' ? `${r2(g.averageWindow * 1000)} ms` : `${g.averageWindow} one-way trips`}`);
  return parts.join('; ') + '.';
}
