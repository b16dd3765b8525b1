/**
 * Tall diagrams in `fit` mode: most viewers (Acrobat, pdf.js, macOS Preview) refuse or misdraw pages longer
 * than 14,400 units (200 in), and a 5,000-segment transfer is about 218,000 pt tall. Such a Scene is cut into
 * bands at natural size — a lecturer printing it wants readable labels, not a 1:15 shrink via /UserUnit —
 * at y positions where no text and no arrowhead lies, and each continuation page repeats the participant
 * header so a reader still knows which lifeline is which.
 */
import { itemBox, type Scene, type SceneItem } from '@wiregram/layout';

/** The largest page side (pt) we write: the limit of Acrobat and most viewers (PDF 1.7, Annex C). */
export const PAGE_LIMIT = 14400;
/**
 * Scene px drawn past each cut, on both pages: an arrow that ends at a cut keeps its arrowhead, a line that
 * starts there keeps its start. Text never lies within this distance of a cut (see `blockers`).
 */
export const CUT_PAD = 4;

export interface Band {
  /** Scene px, top inclusive, bottom exclusive (for deciding which page a text belongs to). */
  top: number;
  bottom: number;
  /** The participant header repeated above this band (continuation pages), in Scene px; null on the first. */
  header: { top: number; bottom: number } | null;
}

export interface Bounds {
  top: number;
  bottom: number;
}

/** Vertical extent of an item in Scene px (rotated text: the rotated box), from layout's own item box. */
export function boundsOf(item: SceneItem): Bounds {
  // A negative height draws nothing below y; a shape without points, nothing at all.
  if (item.type === 'rect') return { top: item.y, bottom: item.y + Math.max(0, item.height) };
  if ((item.type === 'polygon' || item.type === 'polyline') && item.points.length === 0) return { top: 0, bottom: 0 };
  const b = itemBox(item);
  return { top: b.y1, bottom: b.y2 };
}

const HEADER_ROLES = new Set(['participant', 'participant-box']);

/** The participant row at the top of a timing diagram, or null (header layouts, or none drawn). */
export function headerOf(scene: Scene, from: number): Bounds | null {
  let top = Number.POSITIVE_INFINITY;
  for (const item of scene.items) if (HEADER_ROLES.has(item.role)) top = Math.min(top, boundsOf(item).top);
  if (!Number.isFinite(top) || top < from) return null;
  let bottom = top;
  // Only the top row: some styles may draw the participants again at the bottom.
  for (const item of scene.items) {
    if (!HEADER_ROLES.has(item.role)) continue;
    const b = boundsOf(item);
    if (b.top < top + 40) bottom = Math.max(bottom, b.bottom);
  }
  return { top: Math.max(from, top - CUT_PAD), bottom: bottom + CUT_PAD };
}

/** What is drawn in a repeated header: the participants, their boxes, and the lifelines/background behind them. */
export function inHeader(item: SceneItem, scene: Scene): boolean {
  if (HEADER_ROLES.has(item.role) || item.role === 'lifeline') return true;
  return item.role === 'background' && item.type === 'rect' && item.height >= scene.height / 2;
}

/**
 * Intervals a cut may not fall into: text and small shapes (arrowheads, loss crosses, small boxes), widened
 * by the pad. Long shapes (lifelines, state columns, segment lines) may be cut: they continue on the next page.
 */
function blockers(scene: Scene, avail: number): Array<Bounds & { row: boolean }> {
  const out: Bounds[] = [];
  // Row boundaries: where a segment's arrow ends. A cut just below one keeps every arrow whole on its page.
  const ends: number[] = [];
  for (const item of scene.items) {
    const b = boundsOf(item);
    const h = b.bottom - b.top;
    if (item.type === 'line' && item.role.startsWith('segment')) ends.push(b.bottom);
    const small = item.type === 'text' || ((item.type === 'polygon' || item.type === 'rect' || item.type === 'polyline') && h < avail / 4);
    if (!small) continue;
    out.push({ top: b.top - CUT_PAD - 1, bottom: b.bottom + CUT_PAD + 1 });
  }
  out.sort((a, b) => a.top - b.top);
  const merged: Array<Bounds & { row: boolean }> = [];
  for (const b of out) {
    const last = merged[merged.length - 1];
    if (last && b.top <= last.bottom) last.bottom = Math.max(last.bottom, b.bottom);
    else merged.push({ ...b, row: false });
  }
  ends.sort((a, b) => a - b);
  let k = 0;
  for (const m of merged) {
    while (k < ends.length && ends[k]! < m.top) k++;
    if (k < ends.length && ends[k]! <= m.bottom) m.row = true;
  }
  return merged;
}

/**
 * Cut [from, scene.height] into bands of at most `first` px (the first page) and `rest` px (continuation pages,
 * which also carry the header), balanced so the pages come out about equally tall, each cut in a gap between
 * rows. Returns one band when everything fits.
 */
export function planBands(scene: Scene, from: number, first: number, rest: number, header: Bounds | null): Band[] {
  const end = scene.height;
  if (end - from <= first) return [{ top: from, bottom: end, header: null }];
  const blocked = blockers(scene, Math.min(first, rest));
  const bands: Band[] = [];
  let top = from;
  let i = 0; // first blocker that may still matter
  while (end - top > (bands.length === 0 ? first : rest)) {
    const avail = bands.length === 0 ? first : rest;
    const left = Math.ceil((end - top - avail) / rest) + 1; // pages still needed, this one included
    const goal = Math.min(top + avail, top + (end - top) / left);
    const limit = top + avail;
    while (i < blocked.length && blocked[i]!.bottom <= top) i++;
    // The safe y nearest the goal, at most `limit` and past a quarter page (or the limit itself if a single
    // blocker is taller than a page: a giant note is cut rather than the page overflowing).
    let cut = limit;
    let best = Number.POSITIVE_INFINITY;
    let rowCut = limit;
    let rowBest = Number.POSITIVE_INFINITY;
    const consider = (y: number, row = false) => {
      if (y > limit || y <= top + avail / 4) return;
      if (row && Math.abs(y - goal) < rowBest) {
        rowBest = Math.abs(y - goal);
        rowCut = y;
      }
      const d = Math.abs(y - goal);
      if (d < best) {
        best = d;
        cut = y;
      }
    };
    let inside = false;
    for (let j = i; j < blocked.length && blocked[j]!.top <= limit; j++) {
      const b = blocked[j]!;
      if (b.top <= goal && goal <= b.bottom) inside = true;
      consider(b.top);
      consider(b.bottom, b.row);
    }
    if (!inside) consider(goal);
    // Prefer a row boundary (just below an arrowhead); any gap between texts otherwise.
    if (rowBest < Number.POSITIVE_INFINITY) cut = rowCut;
    bands.push({ top, bottom: cut, header: bands.length === 0 ? null : header });
    top = cut;
  }
  bands.push({ top, bottom: end, header: bands.length === 0 ? null : header });
  return bands;
}
