/** Small geometry helpers: bounding boxes of scene items and the intersection tests the label placer uses. */
import type { SceneItem, SceneText } from './scene.js';

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** How far left of its `x` a text `width` wide starts, for its anchor (SVG `text-anchor`); renderers that place text by its left edge (PDF) use this too. */
export function anchorShift(anchor: SceneText['anchor'], width: number): number {
  return anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0;
}

/** Axis-aligned box of a text item, rotation included (the rotated rectangle's bounding box). */
export function textBox(t: SceneText): Box {
  const x0 = -anchorShift(t.anchor, t.width);
  const corners: Array<[number, number]> = [
    [x0, -t.ascent],
    [x0 + t.width, -t.ascent],
    [x0, t.descent],
    [x0 + t.width, t.descent],
  ];
  if (!t.rotate) return { x1: t.x + x0, y1: t.y - t.ascent, x2: t.x + x0 + t.width, y2: t.y + t.descent };
  const a = (t.rotate * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const [px, py] of corners) {
    const rx = t.x + px * c - py * s;
    const ry = t.y + px * s + py * c;
    if (rx < x1) x1 = rx;
    if (rx > x2) x2 = rx;
    if (ry < y1) y1 = ry;
    if (ry > y2) y2 = ry;
  }
  return { x1, y1, x2, y2 };
}

/** Bounding box of any item (stroke width not included). */
export function itemBox(item: SceneItem): Box {
  switch (item.type) {
    case 'rect':
      return { x1: item.x, y1: item.y, x2: item.x + item.width, y2: item.y + item.height };
    case 'line':
      return {
        x1: Math.min(item.x1, item.x2),
        y1: Math.min(item.y1, item.y2),
        x2: Math.max(item.x1, item.x2),
        y2: Math.max(item.y1, item.y2),
      };
    case 'polygon':
    case 'polyline': {
      let x1 = Infinity;
      let y1 = Infinity;
      let x2 = -Infinity;
      let y2 = -Infinity;
      for (const [x, y] of item.points) {
        if (x < x1) x1 = x;
        if (x > x2) x2 = x;
        if (y < y1) y1 = y;
        if (y > y2) y2 = y;
      }
      return { x1, y1, x2, y2 };
    }
    case 'text':
      return textBox(item);
  }
}

export function boxesOverlap(a: Box, b: Box, pad = 0): boolean {
  return a.x1 < b.x2 + pad && b.x1 < a.x2 + pad && a.y1 < b.y2 + pad && b.y1 < a.y2 + pad;
}

export function inflate(b: Box, d: number): Box {
  return { x1: b.x1 - d, y1: b.y1 - d, x2: b.x2 + d, y2: b.y2 + d };
}

/** Does the segment (x1,y1)–(x2,y2) pass through the box? (Liang–Barsky clipping.) */
export function segmentHitsBox(x1: number, y1: number, x2: number, y2: number, b: Box): boolean {
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  const p = [-dx, dx, -dy, dy];
  const q = [x1 - b.x1, b.x2 - x1, y1 - b.y1, b.y2 - y1];
  for (let i = 0; i < 4; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === 0) {
      if (qi < 0) return false;
    } else {
      const r = qi / pi;
      if (pi < 0) {
        if (r > t1) return false;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return false;
        if (r < t1) t1 = r;
      }
    }
  }
  return t0 <= t1;
}

/**
 * Where the lines through `a` and `b` cross, as fractions along each (`t` along `a`, `u` along `b`; 0…1 is on
 * the segment), or null when they are parallel. Callers decide how near the ends a crossing still counts.
 */
export function lineCrossing(a: Segment2, b: Segment2): { t: number; u: number } | null {
  const rx = a.x2 - a.x1;
  const ry = a.y2 - a.y1;
  const sx = b.x2 - b.x1;
  const sy = b.y2 - b.y1;
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < 1e-9) return null;
  const qx = b.x1 - a.x1;
  const qy = b.y1 - a.y1;
  return { t: (qx * sy - qy * sx) / den, u: (qx * ry - qy * rx) / den };
}

/** A line segment from (x1,y1) to (x2,y2). */
export interface Segment2 {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * A bucket index over y (timing diagrams are tall and narrow): what might touch a box, without scanning every
 * item of a long capture. Entries are returned once per query.
 */
export class YIndex<T> {
  private readonly buckets = new Map<number, Array<{ y1: number; y2: number; v: T; stamp: number }>>();
  private stamp = 0;
  constructor(private readonly size = 96) {}

  add(y1: number, y2: number, v: T): void {
    const e = { y1: Math.min(y1, y2), y2: Math.max(y1, y2), v, stamp: 0 };
    for (let b = Math.floor(e.y1 / this.size); b <= Math.floor(e.y2 / this.size); b++) {
      let list = this.buckets.get(b);
      if (!list) this.buckets.set(b, (list = []));
      list.push(e);
    }
  }

  /** Calls `fn` for every entry whose y-range meets [y1, y2]; stops when `fn` returns true. */
  some(y1: number, y2: number, fn: (v: T) => boolean): boolean {
    const s = ++this.stamp;
    for (let b = Math.floor(y1 / this.size); b <= Math.floor(y2 / this.size); b++) {
      const list = this.buckets.get(b);
      if (!list) continue;
      for (const e of list) {
        if (e.stamp === s || e.y2 < y1 || e.y1 > y2) continue;
        e.stamp = s;
        if (fn(e.v)) return true;
      }
    }
    return false;
  }
}

/** A growing set of boxes with y-indexed overlap queries. */
export class BoxSet {
  readonly list: Box[] = [];
  private readonly index = new YIndex<Box>();

  push(...boxes: Box[]): void {
    this.pushAll(boxes);
  }

  /** `push` for a list of any length (a spread of a long list overflows the call stack). */
  pushAll(boxes: readonly Box[]): void {
    for (const b of boxes) {
      this.list.push(b);
      this.index.add(b.y1, b.y2, b);
    }
  }

  /** How many boxes overlap `b` (with `pad` px of clearance). */
  count(b: Box, pad = 0): number {
    let n = 0;
    this.index.some(b.y1 - pad, b.y2 + pad, (o) => {
      if (boxesOverlap(b, o, pad)) n++;
      return false;
    });
    return n;
  }

  find(b: Box, pad = 0): Box | undefined {
    let hit: Box | undefined;
    this.index.some(b.y1 - pad, b.y2 + pad, (o) => (boxesOverlap(b, o, pad) ? ((hit = o), true) : false));
    return hit;
  }

  clone(): BoxSet {
    const c = new BoxSet();
    c.pushAll(this.list);
    return c;
  }
}
