/** The common end of every timing layout: title, bounds, background, rounding, and the description in words. */
import { narrateStates, type Timeline } from '@wiregram/core';
import { FONT } from '../font/measure.js';
import { itemBox } from '../geometry.js';
import type { Scene, SceneItem } from '../scene.js';
import { ASC, DESC, markTexts, mkRect, mkText, stateName, type Metrics } from './common.js';
import type { TimingLayoutOptions } from './options.js';


export function finish(timeline: Timeline, content: SceneItem[], m: Metrics, options: TimingLayoutOptions, steps: number): Scene {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const it of content) {
    const b = itemBox(it);
    if (b.x1 < x1) x1 = b.x1;
    if (b.y1 < y1) y1 = b.y1;
    if (b.x2 > x2) x2 = b.x2;
    if (b.y2 > y2) y2 = b.y2;
  }
  if (!Number.isFinite(x1)) {
    x1 = y1 = 0;
    x2 = y2 = 0;
  }
  const showTitle = (options.title ?? true) && !!timeline.title;
  const titleItem = showTitle ? mkText('title', 0, 0, timeline.title!, m.titleFs, 0, 'middle', 'bold') : null;
  const titleH = titleItem ? m.titleFs * (ASC + DESC) + m.fs : 0;
  const contentW = x2 - x1;
  const width = Math.ceil(Math.max(contentW, titleItem ? titleItem.width : 0) + 2 * m.margin);
  const dx = (width - contentW) / 2 - x1;
  const dy = m.margin + titleH - y1;
  const height = Math.ceil(y2 - y1 + titleH + 2 * m.margin);
  const items: SceneItem[] = [mkRect('background', 0, 0, width, height, 0)];
  if (titleItem) {
    titleItem.x = width / 2;
    titleItem.y = m.margin + m.titleFs * ASC;
    items.push(titleItem);
  }
  for (const it of content) items.push(translate(it, dx, dy));
  return {
    width,
    height,
    title: timeline.title ?? defaultTitle(timeline),
    description: describe(timeline),
    fontFamily: FONT.family,
    items,
    steps,
  };
}

export const r2 = (v: number): number => Math.round(v * 100) / 100;

/** Moves an item (in place: every item is freshly made by this layout) and rounds it to 0.01 px. */
export function translate(it: SceneItem, dx: number, dy: number): SceneItem {
  switch (it.type) {
    case 'rect':
      it.x = r2(it.x + dx);
      it.y = r2(it.y + dy);
      it.width = r2(it.width);
      it.height = r2(it.height);
      break;
    case 'line':
      it.x1 = r2(it.x1 + dx);
      it.y1 = r2(it.y1 + dy);
      it.x2 = r2(it.x2 + dx);
      it.y2 = r2(it.y2 + dy);
      break;
    case 'polygon':
    case 'polyline':
      for (const p of it.points) {
        p[0] = r2(p[0] + dx);
        p[1] = r2(p[1] + dy);
      }
      break;
    case 'text':
      it.x = r2(it.x + dx);
      it.y = r2(it.y + dy);
      it.width = r2(it.width);
      it.ascent = r2(it.ascent);
      it.descent = r2(it.descent);
      break;
  }
  return it;
}

export function defaultTitle(timeline: Timeline): string {
  const names = timeline.participants.map((p) => p.label).join(', ');
  return `TCP timing diagram: ${names}`;
}

/** The segments and states in words, for `<desc>` and screen readers, in time order. */
export function describe(timeline: Timeline): string {
  const name = new Map(timeline.participants.map((p) => [p.id, p.label]));
  const nm = (id: string): string => name.get(id) ?? id;
  const out: string[] = [];
  // Which state changes are told with their segment and which on their own is the core's decision (narrateStates).
  const { withSegment, alone } = narrateStates(timeline);
  for (const s of timeline.states) if (s.from === null) out.push(`${nm(s.participant)} starts in ${stateName(s.to, timeline)}`);
  // [time, order within an instant, text]
  const events: Array<[number, number, number, string]> = [];
  let seq = 0;
  const push = (t: number, rank: number, text: string): void => void events.push([t, rank, seq++, text]);
  for (const d of timeline.dividers) push(d.at, 0, `— ${d.text} —`);
  for (const n of timeline.notes) push(n.at, 1, `note${n.participants.length ? ` (${n.participants.map(nm).join(', ')})` : ''}: ${n.text}`);
  for (const st of alone) push(st.at, 2, `${nm(st.participant)} enters ${stateName(st.to, timeline)}${st.reason ? ` (${st.reason})` : ''}`);
  for (const seg of timeline.segments) {
    const mk = markTexts(seg);
    let text = `${nm(seg.from)} sends ${seg.label} to ${nm(seg.to)}${mk ? ` (${mk})` : ''}`;
    for (const c of withSegment.get(seg.index) ?? []) text += `; ${nm(c.participant)} enters ${stateName(c.to, timeline)}`;
    push(seg.sentAt, 3, text);
  }
  for (const tm of timeline.timers) {
    const what = `${nm(tm.participant)} ${tm.restarted ? 'restarts' : 'starts'} the ${tm.label} timer`;
    push(tm.start, 4, what + (tm.expired ? `, which expires` : `, stopped before it expires`));
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  for (const e of events) out.push(e[3]);
  return out.join('; ') + (out.length ? '.' : '');
}
