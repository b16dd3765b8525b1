/** The `flow` style: Wireshark's Flow Graph (time column, one row per segment, `Seq=… Ack=… Len=…` labels). */
import type { Segment, Timeline } from '@wiregram/core';
import { formatLabel, wiresharkPrefixes } from '@wiregram/core';
import { measureText } from '../font/measure.js';
import type { Scene, SceneItem } from '../scene.js';
import { baselineFor, crashMark, DESC, EPS, headRole, markTexts, mkLine, mkRect, mkText, segmentRole, stepAt, type Metrics } from './common.js';
import { finish } from './finish.js';
import type { TimingLayoutOptions } from './options.js';

/** Wireshark flow-graph label: `54321 → 80 [SYN] Seq=0 Win=65535 Len=0`, relative numbers. */
function wiresharkLabel(seg: Segment, timeline: Timeline): string {
  return formatLabel(seg, timeline, 'wireshark');
}

/** Marks not already spelled out by the label's Wireshark prefixes (`[TCP Retransmission]`, `[TCP Dup ACK]` …). */
function flowMarks(seg: Segment, label: string): string {
  const shown = new Set<string>(label.startsWith('[') ? wiresharkPrefixes(seg).map((p) => p.kind) : []);
  const kept: Segment = { ...seg, retransmission: seg.retransmission && !shown.has('retransmission'), marks: (seg.marks ?? []).filter((mk) => !shown.has(mk.kind)) };
  return markTexts(kept);
}

export function layoutFlow(timeline: Timeline, m: Metrics, options: TimingLayoutOptions): Scene {
  // As Wireshark's Flow Graph: a time column on the left, one vertical line per host under its address, the
  // packet's Info on its arrow, and a comment column on the right (here: what wiregram marked — lost, an
  // override — that the Info text does not already say).
  const items: SceneItem[] = [];
  const parts = timeline.participants;
  const segs = [...timeline.segments].sort((a, b) => a.sentAt - b.sentAt || a.index - b.index);
  const labels = new Map<number, string>();
  const comments = new Map<number, string>();
  for (const s of segs) {
    const label = wiresharkLabel(s, timeline);
    labels.set(s.index, label);
    const mk = flowMarks(s, label);
    if (mk) comments.set(s.index, mk);
  }
  const timeText = (s: Segment): string => (s.time !== null && s.time !== undefined ? s.time.toFixed(6) : String(s.index + 1));
  const timeHead = segs.some((s) => s.time !== null && s.time !== undefined) ? 'Time' : 'No.';
  let timeW = measureText(timeHead, m.fs, 'bold');
  for (const s of segs) timeW = Math.max(timeW, measureText(timeText(s), m.fs));
  let maxLabel = 0;
  for (const l of labels.values()) maxLabel = Math.max(maxLabel, measureText(l, m.fs));
  const gap = Math.max(m.fs * 14, maxLabel + 3 * m.fs);
  const headerH = m.nameFs * 2.6;
  const rowH = m.lineH * 2 + 6;
  // Heading boxes: the name, and the address under it unless the name already is the address.
  const heads = parts.map((p) => {
    const addr = p.address ? `${p.address}${p.port !== null && p.port !== undefined ? ':' + p.port : ''}` : null;
    const sub = addr && addr !== p.label ? addr : null;
    const w = Math.max(measureText(p.label, m.nameFs, 'bold'), sub ? measureText(sub, m.markFs) : 0) + 2 * m.fs;
    return { p, sub, w };
  });
  // The time column (and its header) ends a character before the first heading box: never under it.
  const timeRight = m.fs + timeW;
  const cx = new Map<string, number>();
  let x = timeRight + m.fs * 2;
  heads.forEach((h, i) => {
    x = i === 0 ? Math.max(x + m.fs * 2, x + h.w / 2) : x + Math.max(gap, (heads[i - 1]!.w + h.w) / 2 + m.fs);
    cx.set(h.p.id, x);
  });
  const first = cx.get(parts[0]?.id ?? '') ?? timeRight;
  const last = cx.get(parts[parts.length - 1]?.id ?? '') ?? timeRight;
  const commentX = last + Math.max((heads[heads.length - 1]?.w ?? 0) / 2, m.fs * 2) + m.fs;

  // Rows: segments, with notes and dividers interleaved by time.
  type Row =
    | { kind: 'seg'; seg: Segment }
    | { kind: 'divider'; text: string; at: number }
    | { kind: 'note'; text: string; at: number; ps: string[] }
    | { kind: 'crash'; at: number; participant: string };
  const rows: Row[] = segs.map((seg) => ({ kind: 'seg', seg }) as Row);
  const extra: Row[] = [
    ...timeline.dividers.map((d) => ({ kind: 'divider', text: d.text, at: d.at }) as Row),
    ...timeline.notes.map((n) => ({ kind: 'note', text: n.text, at: n.at, ps: n.participants }) as Row),
    ...(timeline.crashes ?? []).map((c) => ({ kind: 'crash', at: c.at, participant: c.participant }) as Row),
  ];
  for (const r of extra) {
    const at = (r as { at: number }).at;
    let pos = rows.findIndex((x) => x.kind === 'seg' && x.seg.sentAt >= at - EPS);
    if (pos < 0) pos = rows.length;
    rows.splice(pos, 0, r);
  }

  let y = headerH + m.lineH * 0.5;
  const rowYs: number[] = [];
  for (const r of rows) {
    rowYs.push(y);
    y += r.kind === 'seg' ? rowH : r.kind === 'note' ? m.lineH * r.text.split('\n').length + 16 : r.kind === 'crash' ? m.lineH + 16 : m.lineH + 12;
  }
  const bottom = y + m.lineH * 0.5;

  const headY = baselineFor(headerH / 2, m.fs);
  items.push(mkText('time', m.fs, headY, timeHead, m.fs, 0, 'start', 'bold'));
  if (comments.size) items.push(mkText('time', commentX, headY, 'Comment', m.fs, 0, 'start', 'bold'));
  for (const { p, sub, w } of heads) {
    const hx = cx.get(p.id)!;
    items.push(mkRect('participant-box', hx - w / 2, 0, w, headerH, 0, 3));
    if (sub) {
      items.push(mkText('participant', hx, baselineFor(headerH * 0.36, m.nameFs), p.label, m.nameFs, 0, 'middle', 'bold'));
      items.push(mkText('time', hx, baselineFor(headerH * 0.74, m.markFs), sub, m.markFs, 0));
    } else items.push(mkText('participant', hx, baselineFor(headerH / 2, m.nameFs), p.label, m.nameFs, 0, 'middle', 'bold'));
    items.push(mkLine('lifeline', hx, headerH, hx, bottom, 0));
  }
  // Rules under the column headers, as a table would have.
  items.push(mkLine('divider', m.fs * 0.5, headerH, timeRight + m.fs * 0.5, headerH, 0));
  if (comments.size) {
    let cw = measureText('Comment', m.fs, 'bold');
    for (const c of comments.values()) cw = Math.max(cw, measureText(c, m.markFs));
    items.push(mkLine('divider', commentX - m.fs * 0.5, headerH, commentX + cw + m.fs * 0.5, headerH, 0));
  }

  rows.forEach((r, i) => {
    const ry = rowYs[i]!;
    if (r.kind === 'divider') {
      const step = stepAt(timeline, r.at);
      const ym = ry + (m.lineH + 12) / 2;
      const t = mkText('divider-label', (first + last) / 2, baselineFor(ym, m.fs), r.text, m.fs, step, 'middle', 'bold');
      items.push(mkLine('divider', m.fs * 0.5, ym, last + m.fs * 2, ym, step, [6, 4]));
      items.push(mkRect('background', t.x - t.width / 2 - m.padX, ym - m.lineH / 2, t.width + 2 * m.padX, m.lineH, step));
      items.push(t);
      return;
    }
    if (r.kind === 'crash') {
      const hx = cx.get(r.participant);
      if (hx === undefined) return;
      // A crash row carries no arrow: the word fits right of the lifeline.
      for (const it of crashMark(hx, ry + (m.lineH + 16) / 2, 12, stepAt(timeline, r.at), m, 'right').items) items.push(it);
      return;
    }
    if (r.kind === 'note') {
      const step = stepAt(timeline, r.at);
      const lines = r.text.split('\n');
      const xs = r.ps.map((id) => cx.get(id)).filter((v): v is number => v !== undefined);
      const mid = xs.length ? (xs.reduce((a, x) => Math.min(a, x), Infinity) + xs.reduce((a, x) => Math.max(a, x), -Infinity)) / 2 : (first + last) / 2;
      const w = lines.reduce((a, l) => Math.max(a, measureText(l, m.fs)), 0) + 2 * m.padX + 8;
      const h = m.lineH * lines.length + 8;
      items.push(mkRect('note-box', mid - w / 2, ry + 4, w, h, step, 2));
      lines.forEach((l, k) => items.push(mkText('note', mid, baselineFor(ry + 8 + m.lineH * (k + 0.5), m.fs), l, m.fs, step)));
      return;
    }
    const seg = r.seg;
    const step = seg.index + 1;
    const ay = ry + m.lineH * 1.45;
    items.push(mkText('time', m.fs, baselineFor(ay, m.fs), timeText(seg), m.fs, step, 'start'));
    const xa = cx.get(seg.from);
    const xb = cx.get(seg.to);
    if (xa === undefined || xb === undefined) return;
    const dir = xb >= xa ? 1 : -1;
    const role = segmentRole(seg);
    const label = labels.get(seg.index)!;
    // Lost: the line stops at 72 %; its label is centred over that visible part, not over the missing rest.
    const xe = seg.lost ? xa + (xb - xa) * 0.72 : xb;
    const lw = measureText(label, m.fs);
    // Wider than the visible part: start it above the sender and let it run on towards the receiver.
    const lx = Math.abs(xe - xa) >= lw ? (xa + xe) / 2 : xa + (dir * lw) / 2;
    items.push(mkText('label', seg.lost ? lx : (xa + xb) / 2, ay - 7 - m.fs * DESC, label, m.fs, step));
    const mk = comments.get(seg.index);
    if (mk) items.push(mkText('label-mark', commentX, baselineFor(ay, m.markFs), mk, m.markFs, step, 'start'));
    if (seg.lost) {
      items.push(mkLine(role, xa, ay, xe, ay, step));
      items.push(mkLine('loss-cross', xe - 5, ay - 5, xe + 5, ay + 5, step));
      items.push(mkLine('loss-cross', xe - 5, ay + 5, xe + 5, ay - 5, step));
    } else {
      const line = mkLine(role, xa, ay, xb - dir * 8, ay, step);
      if (seg.retransmission) line.dash = [6, 3];
      items.push(line);
      items.push({
        type: 'polygon',
        role: headRole(role),
        step,
        points: [
          [xb, ay],
          [xb - dir * 9, ay - 3.6],
          [xb - dir * 9, ay + 3.6],
        ],
      });
    }
  });
  return finish(timeline, items, m, options, timeline.segments.length);
}
