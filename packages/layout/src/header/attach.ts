/**
 * `header` statements inside `tcp-sequence`: each draws the TCP header of one segment, with the values that
 * segment carries, under the timing diagram. The header grid is sized to the diagram's width (down to 12 px
 * per bit) and appears, in step decks, together with its segment.
 */
import { headerFromSegment, type Timeline } from '@wiregram/core';
import type { Scene, SceneItem } from '../scene.js';
import { layoutHeader } from './index.js';

const GAP = 8;

function translate(item: SceneItem, dx: number, dy: number, step: number): SceneItem {
  switch (item.type) {
    case 'rect':
    case 'text':
      return { ...item, x: item.x + dx, y: item.y + dy, step };
    case 'line':
      return { ...item, x1: item.x1 + dx, y1: item.y1 + dy, x2: item.x2 + dx, y2: item.y2 + dy, step };
    case 'polygon':
    case 'polyline':
      return { ...item, points: item.points.map(([x, y]) => [x + dx, y + dy] as [number, number]), step };
  }
}

/** The timing scene with one header grid per `timeline.headers` request stacked below it. Pure. */
export function attachSegmentHeaders(scene: Scene, timeline: Timeline): Scene {
  const requests = timeline.headers ?? [];
  if (requests.length === 0) return scene;
  let width = scene.width;
  let y = scene.height;
  const added: SceneItem[] = [];
  const words: string[] = [];
  for (const req of requests) {
    const seg = timeline.segments[req.segment];
    const model = headerFromSegment(req.segment, timeline);
    const from = timeline.participants.find((p) => p.id === seg?.from)?.label ?? seg?.from ?? '?';
    const to = timeline.participants.find((p) => p.id === seg?.to)?.label ?? seg?.to ?? '?';
    model.title = `${req.segment + 1}. ${from} → ${to}: ${seg?.label ?? ''}`.trim();
    // 32 bits across the diagram's width (inside the header's 12 px margins), never narrower than 12 px a bit.
    const bitWidth = Math.max(12, Math.min(20, Math.floor(((scene.width - 24) / model.rowBits) * 4) / 4));
    const h = layoutHeader(model, { bitWidth });
    const dx = Math.max(0, (scene.width - h.width) / 2);
    const step = seg ? req.segment + 1 : 0;
    for (const item of h.items) {
      if (item.role === 'background' && item.type === 'rect' && item.x === 0 && item.y === 0) continue;
      added.push(translate(item, dx, y - GAP, step));
    }
    width = Math.max(width, h.width);
    y += h.height - GAP;
    words.push(`Header of segment ${req.segment + 1}: ${h.description}`);
  }
  const height = Math.ceil(y);
  // Stretch the page background (a full-size background rect at the origin) over the added headers.
  const items = scene.items.map((it) =>
    it.role === 'background' && it.type === 'rect' && it.x === 0 && it.y === 0 && it.width === scene.width && it.height === scene.height
      ? { ...it, width, height }
      : it,
  );
  return {
    ...scene,
    width,
    height,
    items: [...items, ...added],
    description: [scene.description, ...words].filter(Boolean).join(' '),
  };
}
