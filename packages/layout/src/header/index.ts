/**
 * Header layout: HeaderModel → Scene. An RFC/Wireshark-style bit grid: rows of `rowBits`, fields as boxes,
 * 1-bit flags with stacked (or, when long, rotated) letters as in the seed figure, fields longer than a row
 * split into clean pieces (whole rows merged into one tall box), variable-length fields as rows with a torn
 * bottom edge, an optional bit ruler and byte offsets, and decoded values under the field names.
 *
 * Every text is measured with the default font and fitted into its cell: full name, then `short`, then a
 * smaller size, then elided with the full text kept as a tooltip (`title`). Nothing overflows its box.
 */
import { checkHeaderBudget, checkSceneBudget, type BudgetOptions } from '../budget.js';
import type { HeaderField, HeaderGroup, HeaderModel } from '@wiregram/core';
import { fontExtents, measureText, FONT } from '../font/measure.js';
import { textBox } from '../geometry.js';
import type { Role, Scene, SceneItem, ScenePolygon, SceneRect, SceneText } from '../scene.js';

export interface HeaderLayoutOptions extends BudgetOptions {
  /** Width of one bit column in px. Default: 640 px of grid for the row, between 12 and 40 px per bit. */
  bitWidth?: number;
  /** Font size of field names and values (px). Default 12. */
  fontSize?: number;
  /** Override the model's `ruler` / `offsets` switches. */
  ruler?: boolean;
  offsets?: boolean;
}

const MARGIN = 12;
const PAD_X = 3;
const PAD_Y = 4;
const MIN_SIZE = 8;
const RULER_SIZE = 10;
const OFFSET_SIZE = 10;
const TITLE_SIZE = 15;
/** Torn-edge amplitude of a variable-length row, and the gap left under it. */
const TEAR = 3;
const VAR_GAP = 2 * TEAR + 2;

const ELLIPSIS = '\u2026';
/** Flag-group caption, bracket labels, bracket column width. */
const CAPTION_SIZE = 10;
const BRACKET_SIZE = 10;
const BRACKET_COL = 18;

// Line metrics at 1 px, scaled: measured once (this runs for every text of every header).
const UNIT = fontExtents(1);
function ext(size: number): { ascent: number; descent: number; line: number } {
  const ascent = UNIT.ascent * size;
  const descent = UNIT.descent * size;
  return { ascent, descent, line: ascent + descent };
}

function textItem(
  role: Role,
  text: string,
  x: number,
  y: number,
  size: number,
  width: number,
  anchor: SceneText['anchor'] = 'middle',
  rotate = 0,
  title?: string,
): SceneText {
  const e = ext(size);
  const fontWeight = role === 'title' ? 'bold' : 'normal';
  // Each item shape from a literal, never a property added afterwards (see mkLine in timing/common.ts).
  return title === undefined
    ? { type: 'text', role, step: 0, x, y, text, fontSize: size, fontWeight, anchor, rotate, width, ascent: e.ascent, descent: e.descent }
    : { type: 'text', role, step: 0, x, y, text, fontSize: size, fontWeight, anchor, rotate, width, ascent: e.ascent, descent: e.descent, title };
}

/** Baseline that centres a line of `size` vertically on `cy`. */
function baseline(cy: number, size: number): number {
  const e = ext(size);
  return cy + (e.ascent - e.descent) / 2;
}

interface Fit {
  text: string;
  size: number;
  width: number;
  /** The full text, when `text` is an elision of it. */
  title?: string;
}

/**
 * Fit one line into `maxWidth`: the first candidate that fits at `size`, else the last (shortest) candidate
 * shrunk down to `minSize`, else null (the caller may elide).
 */
function fitLine(candidates: string[], maxWidth: number, size: number, minSize = MIN_SIZE, weight: 'normal' | 'bold' = 'normal'): Fit | null {
  if (maxWidth <= 0) return null;
  let shortest: string | null = null;
  let shortestW = Infinity;
  for (const c of candidates) {
    if (!c) continue;
    const w = measureText(c, size, weight);
    if (w <= maxWidth) return { text: c, size, width: w };
    if (w < shortestW) {
      shortest = c;
      shortestW = w;
    }
  }
  if (shortest === null) return null;
  const s = Math.floor(((size * maxWidth) / shortestW) * 4) / 4;
  if (s >= minSize) {
    const w = measureText(shortest, s, weight);
    if (w <= maxWidth) return { text: shortest, size: s, width: w };
  }
  return null;
}

/** The longest prefix of `text` plus an ellipsis that fits at `size`; null if not even one character does. */
function elide(text: string, maxWidth: number, size: number, weight: 'normal' | 'bold' = 'normal'): Fit | null {
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length - 1;
  let best: Fit | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = chars.slice(0, mid + 1).join('').trimEnd() + ELLIPSIS;
    const w = measureText(t, size, weight);
    if (w <= maxWidth) {
      best = { text: t, size, width: w, title: text };
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** fitLine, then elision at the minimum size. */
function fitOrElide(candidates: string[], maxWidth: number, size: number, weight: 'normal' | 'bold' = 'normal'): Fit | null {
  const f = fitLine(candidates, maxWidth, size, MIN_SIZE, weight);
  if (f) return f;
  const full = candidates.find((c) => c) ?? '';
  const shortest = candidates.filter((c) => c).sort((a, b) => measureText(a, MIN_SIZE) - measureText(b, MIN_SIZE))[0] ?? full;
  const e = elide(shortest, maxWidth, MIN_SIZE, weight);
  return e ? { text: e.text, size: e.size, width: e.width, title: full } : e;
}

/** A field's box, with the author's colour if it has one (each item shape from a literal: see mkLine). */
function fieldRect(role: Role, x: number, y: number, width: number, height: number, color: string | undefined): SceneRect {
  return color ? { type: 'rect', role, step: 0, x, y, width, height, rx: 0, color } : { type: 'rect', role, step: 0, x, y, width, height, rx: 0 };
}

function fieldPolygon(role: Role, points: Array<[number, number]>, color: string | undefined): ScenePolygon {
  return color ? { type: 'polygon', role, step: 0, points, color } : { type: 'polygon', role, step: 0, points };
}

/** A rectangle of the grid belonging to one field. */
interface Piece {
  field: HeaderField;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Bits covered (for choosing which piece carries the label). */
  area: number;
  open: boolean;
}

/** Flag letters never get smaller than this (a narrow grid widens the letters' share of the cell instead). */
const FLAG_MIN = 9;

/**
 * The value as the cell shows it under the name: Wireshark-style values repeat the option's name
 * (`MSS: 1460`, `Window scale: 7 (…)`, `SACK permitted`, `NOP`), which would print it twice. Strips a leading
 * name or short name (followed by `:`, `,` or `=`); null when the value is nothing but the name.
 */
function cellValue(f: HeaderField): string | null {
  const v = f.value?.trim() ?? '';
  if (v === '') return null;
  const lower = v.toLowerCase();
  const names = [f.name.trim(), (f.short ?? '').trim()].filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
  for (const n of names) {
    const ln = n.toLowerCase();
    if (lower === ln) return null;
    if (!lower.startsWith(ln)) continue;
    let i = n.length;
    while (v[i] === ' ') i++;
    if (v[i] !== ':' && v[i] !== ',' && v[i] !== '=') continue;
    const rest = v.slice(i + 1).trim();
    if (rest) return rest;
  }
  return f.value;
}

function isVerticalLetters(label: string): boolean {
  return Array.from(label).length <= 4;
}

function flagLabel(f: HeaderField): string {
  return (f.short ?? f.name).trim();
}

/**
 * Texts for one cell, appended to `out`. Whatever had to be shortened keeps the full name as a tooltip.
 * `continued`: a later piece of a field split across rows; `withValue`: the piece that shows the value.
 */
function cellTexts(p: Piece, fontSize: number, out: SceneItem[], continued = false, withValue = true): void {
  const f = p.field;
  const isFlag = f.kind === 'flag';
  const nameRole: Role = isFlag ? 'flag' : 'field';
  const aw = p.w - 2 * PAD_X;
  const ah = p.h - 2 * PAD_Y - (p.open ? TEAR : 0);
  const cx = p.x + p.w / 2;
  const top = p.y + PAD_Y;
  // A continuation piece (a field that began in an earlier row) names the field again, marked; the value
  // goes into the largest piece only.
  const value = withValue ? cellValue(f) : null;
  const names = continued
    ? [`${f.name} (cont.)`, f.short ? `${f.short} (cont.)` : '', f.name, f.short ?? '']
    : [f.name, f.short ?? ''];
  const valueCands = value === null ? [] : [value, f.raw !== null && String(f.raw) !== value && f.kind !== 'options' ? String(f.raw) : ''];
  const e = ext(fontSize);
  const gap = Math.max(1, fontSize * 0.15);

  // Narrow cells (1-bit flags and anything too thin for a horizontal word): vertical label, value at the bottom.
  const horizontal = fitLine(names, aw, fontSize, 9);
  if (f.bits === 1 || (!horizontal && aw < 2.2 * fontSize)) {
    let bottom = top + ah;
    if (value !== null) {
      const v = fitOrElide(valueCands, aw, fontSize);
      if (v) {
        const ve = ext(v.size);
        out.push(textItem('field-value', v.text, cx, bottom - ve.descent, v.size, v.width, 'middle', 0, v.title));
        bottom -= ve.line + gap;
      }
    }
    const label = flagLabel(f);
    const avail = bottom - top;
    const letters = Array.from(label);
    if (isVerticalLetters(label)) {
      // Upright letters, one under another (the seed's URG/ACK/PSH): size limited by height and width.
      const lw = p.w - 3;
      let size = Math.min(fontSize - 1, avail / (letters.length * ext(1).line));
      const widest = letters.reduce((w, l) => Math.max(w, measureText(l, 1)), 0);
      size = Math.min(size, lw / widest);
      size = Math.floor(size * 4) / 4;
      if (size < FLAG_MIN && FLAG_MIN * widest <= lw && letters.length * ext(FLAG_MIN).line <= avail + 0.01) size = FLAG_MIN;
      if (size >= FLAG_MIN) {
        const le = ext(size);
        const block = letters.length * le.line;
        let y = top + (avail - block) / 2 + le.ascent;
        for (const l of letters) {
          out.push(textItem(nameRole, l, cx, y, size, measureText(l, size), 'middle', 0, letters.length > 1 ? f.name : undefined));
          y += le.line;
        }
        return;
      }
    }
    // Rotated (-90°, read bottom-up) when the label is long: fit its length into the cell height.
    const cands = [f.name, f.short ?? ''];
    let size = Math.min(fontSize, (p.w - 2) / ext(1).line);
    let r = size >= MIN_SIZE ? fitOrElide(cands, avail, Math.floor(size * 4) / 4) : null;
    if (r) {
      const re = ext(r.size);
      const x = cx + (re.ascent - re.descent) / 2;
      out.push(textItem(nameRole, r.text, x, top + avail / 2, r.size, r.width, 'middle', -90, r.title));
    }
    return;
  }

  const cy = top + ah / 2;
  if (value === null) {
    const n = horizontal ?? fitOrElide(names, aw, fontSize);
    if (n) out.push(textItem(nameRole, n.text, cx, baseline(cy, n.size), n.size, n.width, 'middle', 0, n.title ?? (n.text !== f.name ? f.name : undefined)));
    return;
  }
  const v = fitOrElide(valueCands, aw, fontSize);
  const n = fitLine(names, aw, fontSize);
  const twoLines = 2 * e.line + gap <= ah;
  if (n && v && twoLines) {
    // Name above, value below, the pair centred.
    const ne = ext(n.size);
    const ve = ext(v.size);
    const block = ne.line + gap + ve.line;
    const y0 = cy - block / 2;
    out.push(textItem(nameRole, n.text, cx, y0 + ne.ascent, n.size, n.width, 'middle', 0, n.text !== f.name ? f.name : undefined));
    out.push(textItem('field-value', v.text, cx, y0 + ne.line + gap + ve.ascent, v.size, v.width, 'middle', 0, v.title));
    return;
  }
  // Too narrow or too low for both: name and value on one line (`MSS: 1460`) if that fits, else the value
  // alone with the name in its tooltip.
  const one = fitLine([`${f.name}: ${value}`, f.short ? `${f.short}: ${value}` : ''], aw, fontSize, 9);
  if (one) {
    out.push(textItem('field-value', one.text, cx, baseline(cy, one.size), one.size, one.width, 'middle', 0, one.text.startsWith(f.name) ? undefined : `${f.name}: ${value}`));
    return;
  }
  if (v) {
    out.push(textItem('field-value', v.text, cx, baseline(cy, v.size), v.size, v.width, 'middle', 0, `${f.name}: ${value}`));
  }
}

function describe(model: HeaderModel, name: string): string {
  const parts = model.fields.map((f) => {
    const bits = f.bits === null ? 'variable length' : f.bits === 1 ? `bit ${f.offset}` : `bits ${f.offset}–${f.offset + f.bits - 1}`;
    return `${f.name} (${bits})${f.value !== null ? ` = ${f.value}` : ''}`;
  });
  return `${name}, ${model.rowBits} bits per row: ${parts.join('; ')}.`;
}

/** Lay out a header as a bit grid. Pure and deterministic. */
export function layoutHeader(model: HeaderModel, options: HeaderLayoutOptions = {}): Scene {
  const rowBits = Math.max(1, Math.floor(model.rowBits || 32));
  const fontSize = options.fontSize ?? 12;
  const bw = options.bitWidth ?? Math.max(12, Math.min(40, 640 / rowBits));
  const showRuler = options.ruler ?? model.ruler;
  const showOffsets = (options.offsets ?? model.offsets) && rowBits % 8 === 0;
  const hasValues = model.fields.some((f) => f.value !== null);
  const e = ext(fontSize);
  const items: SceneItem[] = [];

  // Row height: two lines when values are shown; tall enough for stacked flag letters.
  let flagLetters = 0;
  for (const f of model.fields) if (f.bits === 1 && isVerticalLetters(flagLabel(f))) flagLetters = Math.max(flagLetters, Array.from(flagLabel(f)).length);
  const flagStack = flagLetters * ext(fontSize - 1).line + (hasValues ? e.line + 2 : 0);
  const rowH = Math.ceil(Math.max(hasValues ? 2 * e.line + 2 * PAD_Y + 6 : e.line + 2 * PAD_Y + 20, flagStack + 2 * PAD_Y));

  // Horizontal structure: offsets column, grid.
  const gridW = rowBits * bw;
  let offsetColW = 0;
  const visualRows: Array<{ byteOffset: number | null }> = [];

  const { placed, openRows, nextFree } = placeFields(model, rowBits);
  const rowCount = Math.max(1, Math.ceil(nextFree / rowBits));
  // Refuse a grid past the output budget before drawing it (a 17-byte block can ask for 65,536 rows).
  checkHeaderBudget(model, (i) => placed[i]!.row, rowBits, options);
  // Byte offsets are known only before the first variable-length row.
  let firstOpen = Infinity;
  for (const r of openRows) firstOpen = Math.min(firstOpen, r);
  for (let r = 0; r < rowCount; r++) {
    visualRows.push({ byteOffset: r <= firstOpen ? (model.byteOffset ?? 0) + (r * rowBits) / 8 : null });
  }
  if (showOffsets) {
    const widest = visualRows.reduce((w, r) => Math.max(w, r.byteOffset === null ? 0 : measureText(String(r.byteOffset), OFFSET_SIZE)), -Infinity);
    offsetColW = Math.ceil(widest) + 8;
  }

  // Groups. A flag group gets a caption band inside its row, over its 1-bit flags (the row grows by the band,
  // so nothing reaches into the ruler or the row above); option groups and protocol layers get a bracket in the
  // right margin.
  const groups = model.groups ?? [];
  const captions = flagCaptions(model, placed, groups);
  const capH = Math.ceil(ext(CAPTION_SIZE).line + 5);
  const captionRow = new Set(captions.map((c) => c.row));

  const brackets = groupBrackets(model, placed, groups, rowBits);
  const bracketCols = brackets.length ? brackets.reduce((a, b) => Math.max(a, b.column), -Infinity) + 1 : 0;

  // Vertical structure: title, ruler, rows.
  let y = MARGIN;
  const x0 = MARGIN + offsetColW;
  const titleText = model.title;
  if (titleText) {
    const f = fitOrElide([titleText], gridW, TITLE_SIZE, 'bold');
    if (f) {
      const te = ext(f.size);
      items.push(textItem('title', f.text, x0 + gridW / 2, y + te.ascent, f.size, f.width, 'middle', 0, f.title));
      y += te.line + 8;
    }
  }
  if (showRuler) {
    const re = ext(RULER_SIZE);
    let step = 1;
    const widest = measureText(String(rowBits - 1), RULER_SIZE);
    while (step < rowBits && widest > step * bw - 2) step *= 2;
    for (let b = 0; b < rowBits; b += step) {
      const t = String(b);
      items.push(textItem('ruler-label', t, x0 + (b + 0.5) * bw, y + re.ascent, RULER_SIZE, measureText(t, RULER_SIZE)));
    }
    y += re.line + 2;
    for (let b = 0; b <= rowBits; b++) {
      const major = b % 8 === 0;
      items.push({ type: 'line', role: 'ruler', step: 0, x1: x0 + b * bw, y1: y + (major ? 0 : 3), x2: x0 + b * bw, y2: y + 6 });
    }
    y += 6;
  }
  const rowTop: number[] = [];
  const rowBottom: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    rowTop.push(y);
    y += rowH + (captionRow.has(r) ? capH : 0);
    rowBottom.push(y);
    y += openRows.has(r) ? VAR_GAP : 0;
  }
  const height = Math.ceil(y + MARGIN);
  const bracketW = bracketCols ? 6 + bracketCols * BRACKET_COL : 0;
  const width = Math.ceil(x0 + gridW + bracketW + MARGIN);

  items.unshift({ type: 'rect', role: 'background', step: 0, x: 0, y: 0, width, height, rx: 0 });

  if (showOffsets) {
    for (let r = 0; r < rowCount; r++) {
      const off = visualRows[r]!.byteOffset;
      if (off === null) continue;
      const t = String(off);
      items.push(textItem('offset-label', t, x0 - 5, baseline((rowTop[r]! + rowBottom[r]!) / 2, OFFSET_SIZE), OFFSET_SIZE, measureText(t, OFFSET_SIZE), 'end'));
    }
  }

  const texts: SceneItem[] = [];
  const X = (col: number) => x0 + col * bw;
  for (const c of captions) {
    // The group's name and, when it fits, its value (`Flags: 0x012 (SYN, ACK)`) over its flags.
    const x = X(c.col);
    const w = c.bits * bw;
    items.push({ type: 'rect', role: 'flag-box', step: 0, x, y: rowTop[c.row]!, width: w, height: capH, rx: 0 });
    const g = c.group;
    const cands = [g.value ? `${g.name}: ${g.value}` : '', g.value ? `${g.name} ${g.value.replace(/\s*\(.*$/, '')}` : '', g.name, g.short ?? ''];
    const f = fitLine(cands, w - 2 * PAD_X, CAPTION_SIZE, MIN_SIZE);
    if (f) {
      const title = f.text !== cands[0] && cands[0] ? cands[0] : undefined;
      texts.push(textItem('field', f.text, x + w / 2, baseline(rowTop[c.row]! + capH / 2, f.size), f.size, f.width, 'middle', 0, title));
    }
  }
  const captionOf = new Map<HeaderField, number>();
  for (const c of captions) for (const m of c.members) captionOf.set(m, capH);

  // Fields: one box (or outline) each, with their texts.
  const separators: Array<{ y: number; x1: number; x2: number; field: HeaderField }> = [];
  const grid: Grid = { rowBits, bw, x0, rowTop, rowBottom, fontSize, items, texts, captionOf, separators };
  for (const p of placed) drawField(grid, p);

  drawBrackets(grid, brackets, gridW);
  for (const t of texts) items.push(t);

  // Mermaid's `bitOrder: descending`: every row mirrored, its highest bit on the left.
  const out = model.bitOrder === 'descending' ? items.map((it) => mirrorItem(it, x0, x0 + gridW)) : items;

  const name = model.title ?? (model.protocol ? `${model.protocol.toUpperCase()} header` : 'Packet header');
  return checkSceneBudget({
    width,
    height,
    title: name,
    // An author's accessible description (Mermaid `accDescr`) wins over the generated one.
    description: model.description || describe(model, name),
    fontFamily: FONT.family,
    items: out,
    steps: 0,
  }, options);
}


/** A field placed on the grid: its visual row and column, its width in bits, and whether its length is open. */
interface PlacedField {
  field: HeaderField;
  row: number;
  col: number;
  bits: number;
  open: boolean;
}

/**
 * Place fields on visual rows. Fixed fields sit at their bit offset; a variable-length field takes the rest
 * of its row (or a whole row) with an open bottom edge, and pushes everything after it one row down.
 */
function placeFields(model: HeaderModel, rowBits: number): { placed: PlacedField[]; openRows: Set<number>; nextFree: number } {
  const placed: PlacedField[] = [];
  let extraRows = 0;
  let varBase: { offset: number; bit: number } | null = null;
  let nextFree = 0;
  const openRows = new Set<number>();
  for (const f of model.fields) {
    let start: number;
    if (varBase === null) start = f.offset;
    else start = varBase.bit + Math.max(0, f.offset - varBase.offset);
    start = Math.max(start, f.bits === null ? nextFree : 0);
    if (f.bits === null) {
      const row = Math.floor(start / rowBits);
      const col = start % rowBits;
      placed.push({ field: f, row, col, bits: rowBits - col, open: true });
      openRows.add(row);
      nextFree = (row + 1) * rowBits;
      varBase = { offset: f.offset, bit: nextFree };
      extraRows++;
      continue;
    }
    const bits = Math.max(1, Math.floor(f.bits));
    placed.push({ field: f, row: Math.floor(start / rowBits), col: start % rowBits, bits, open: false });
    nextFree = Math.max(nextFree, start + bits);
  }
  return { placed, openRows, nextFree };
}

interface Caption {
  group: HeaderGroup;
  row: number;
  col: number;
  bits: number;
  members: Set<HeaderField>;
}

function inGroup(f: HeaderField, g: HeaderGroup, end: number): boolean {
  return f.offset >= g.offset && f.offset < end;
}

/**
 * A flag group gets a caption band inside its row, over its 1-bit flags (the row grows by the band, so nothing
 * reaches into the ruler or the row above).
 */
function flagCaptions(model: HeaderModel, placed: PlacedField[], groups: HeaderGroup[]): Caption[] {
  const placedOf = new Map<HeaderField, PlacedField>();
  for (const p of placed) placedOf.set(p.field, p);
  const captions: Caption[] = [];
  for (const g of groups) {
    if (g.kind !== 'flags' || g.bits === null) continue;
    const gEnd = g.offset + g.bits;
    const members = model.fields.filter((f) => f.bits === 1 && inGroup(f, g, gEnd)).map((f) => placedOf.get(f)!).filter(Boolean);
    if (members.length < 2) continue;
    const row = members[0]!.row;
    if (members.some((m) => m.row !== row || m.open)) continue;
    const col = members.reduce((a, m) => Math.min(a, m.col), Infinity);
    const end = members.reduce((a, m) => Math.max(a, m.col + m.bits), -Infinity);
    if (end - col !== members.length || captions.some((c) => c.row === row)) continue;
    captions.push({ group: g, row, col, bits: end - col, members: new Set(members.map((m) => m.field)) });
  }
  return captions;
}

interface Bracket {
  group: HeaderGroup;
  first: number;
  last: number;
  column: number;
}

/** Option groups and protocol layers get a bracket in the right margin. */
function groupBrackets(model: HeaderModel, placed: PlacedField[], groups: HeaderGroup[], rowBits: number): Bracket[] {
  const brackets: Bracket[] = [];
  const layers = groups.filter((g) => g.kind === 'layer');
  const spanRows = (g: HeaderGroup, end: number): [number, number] | null => {
    const rows = placed.filter((p) => inGroup(p.field, g, end)).map((p) => [p.row, p.row + Math.ceil((p.col + p.bits) / rowBits) - 1]);
    if (rows.length === 0) return null;
    return [rows.reduce((a, r) => Math.min(a, r[0]!), Infinity), rows.reduce((a, r) => Math.max(a, r[1]!), -Infinity)];
  };
  for (const g of groups) {
    if (g.kind !== 'options' || g.bits === null) continue;
    const gEnd = g.offset + g.bits;
    const members = model.fields.filter((f) => f.bits !== null && inGroup(f, g, gEnd));
    if (members.length < 2) continue;
    const span = spanRows(g, gEnd);
    if (span) brackets.push({ group: g, first: span[0], last: span[1], column: 0 });
  }
  if (layers.length >= 2) {
    const column = brackets.length ? 1 : 0;
    layers.forEach((g, k) => {
      const next = layers[k + 1];
      const end = g.bits !== null ? g.offset + g.bits : next ? next.offset : Infinity;
      const span = spanRows(g, end);
      if (span) brackets.push({ group: g, first: span[0], last: span[1], column });
    });
  }
  return brackets;
}

/** What drawing a field or a bracket needs of the grid: its geometry and the lists it adds to. */
interface Grid {
  rowBits: number;
  bw: number;
  x0: number;
  rowTop: number[];
  rowBottom: number[];
  fontSize: number;
  items: SceneItem[];
  texts: SceneItem[];
  captionOf: Map<HeaderField, number>;
  separators: Array<{ y: number; x1: number; x2: number; field: HeaderField }>;
}

/**
 * One box per field. A field that crosses rows is split into pieces for its texts — head (partial first row),
 * body (whole rows, merged), tail (partial last row) — but drawn as one outline, with faint dashed lines where
 * rows meet inside it (as RFC 8200 draws its addresses), broken around the texts.
 */
function drawField(grid: Grid, p: PlacedField): void {
  const { rowBits, bw, x0, rowTop, rowBottom, fontSize, items, texts, captionOf, separators } = grid;
  const X = (col: number) => x0 + col * bw;
  const pieces: Piece[] = [];
  let bit = p.row * rowBits + p.col;
  const end = bit + p.bits;
  const spans: Array<{ row: number; a: number; b: number }> = [];
  const down = captionOf.get(p.field) ?? 0;
  while (bit < end) {
    const row = Math.floor(bit / rowBits);
    const col = bit % rowBits;
    let n = Math.min(rowBits - col, end - bit);
    let rows = 1;
    if (col === 0 && n === rowBits) {
      rows = Math.floor((end - bit) / rowBits);
      n = rowBits;
    }
    for (let k = 0; k < rows; k++) spans.push({ row: row + k, a: col, b: col + n });
    const top = rowTop[row]! + down;
    const bottom = rowBottom[row + rows - 1]!;
    pieces.push({ field: p.field, x: X(col), y: top, w: n * bw, h: bottom - top, area: n * rows, open: p.open });
    bit += n * rows;
  }
  const boxRole: Role = p.field.kind === 'flag' ? 'flag-box' : 'field-box';
  const color = p.field.color ?? undefined;
  let best = pieces[0]!;
  for (const piece of pieces) if (piece.area > best.area) best = piece;
  const joined = spans.every((s, k) => k === 0 || (s.a < spans[k - 1]!.b && spans[k - 1]!.a < s.b));
  if (p.open) {
    for (const piece of pieces) {
      // Torn bottom edge: the length is not fixed.
      const pts: Array<[number, number]> = [
        [piece.x, piece.y + piece.h],
        [piece.x, piece.y],
        [piece.x + piece.w, piece.y],
        [piece.x + piece.w, piece.y + piece.h],
      ];
      const teeth = Math.max(2, Math.round(piece.w / 16));
      for (let i = 1; i < teeth * 2; i++) {
        pts.push([piece.x + piece.w - (i * piece.w) / (teeth * 2), piece.y + piece.h + (i % 2 ? TEAR : -TEAR)]);
      }
      items.push(fieldPolygon(boxRole, pts, color));
    }
  } else if (pieces.length === 1 || joined) {
    if (pieces.length === 1) {
      const q = pieces[0]!;
      items.push(fieldRect(boxRole, q.x, q.y, q.w, q.h, color));
    } else {
      // The outline of the union of the row spans: down the right side, back up the left.
      const pts: Array<[number, number]> = [];
      for (const s of spans) pts.push([X(s.b), rowTop[s.row]!], [X(s.b), rowBottom[s.row]!]);
      for (let k = spans.length - 1; k >= 0; k--) pts.push([X(spans[k]!.a), rowBottom[spans[k]!.row]!], [X(spans[k]!.a), rowTop[spans[k]!.row]!]);
      items.push(fieldPolygon(boxRole, dedupe(pts), color));
    }
    for (let k = 1; k < spans.length; k++) {
      const s = spans[k]!;
      const prev = spans[k - 1]!;
      separators.push({ y: rowBottom[prev.row]!, x1: X(Math.max(s.a, prev.a)), x2: X(Math.min(s.b, prev.b)), field: p.field });
    }
  } else {
    for (const piece of pieces) {
      items.push(fieldRect(boxRole, piece.x, piece.y, piece.w, piece.h, color));
    }
  }
  const before = texts.length;
  // One outline carries one label; separate pieces each name the field. In an outline that starts mid-row,
  // the name goes where the field starts (reading order) and the value into the largest piece.
  const one = !p.open && joined;
  const head = pieces[0]!;
  const f = p.field;
  const headName = one && pieces.length > 1 && best !== head ? fitLine([f.name, f.short ?? ''], head.w - 2 * PAD_X, fontSize, 9) : null;
  if (headName) {
    texts.push(textItem('field', headName.text, head.x + head.w / 2, baseline(head.y + head.h / 2, headName.size), headName.size, headName.width, 'middle', 0, headName.text !== f.name ? f.name : undefined));
    const value = cellValue(f);
    const v = value === null ? null : fitOrElide([value, f.raw !== null && f.kind !== 'options' ? String(f.raw) : ''], best.w - 2 * PAD_X, fontSize);
    if (v) texts.push(textItem('field-value', v.text, best.x + best.w / 2, baseline(best.y + best.h / 2, v.size), v.size, v.width, 'middle', 0, `${f.name}: ${value}`));
  } else {
    for (const piece of pieces) if (!one || piece === best) cellTexts(piece, fontSize, texts, !one && piece !== pieces[0], piece === best);
  }
  const own = texts.slice(before).filter((t): t is SceneText => t.type === 'text');
  for (const sep of separators) if (sep.field === p.field) for (const d of dashedAround(sep, own)) items.push(d);
}

/** Brackets in the right margin: options nearest the grid, protocol layers outside them. */
function drawBrackets(grid: Grid, brackets: Bracket[], gridW: number): void {
  const { x0, rowTop, rowBottom, items, texts } = grid;
  const bx0 = x0 + gridW + 6;
  for (const b of brackets) {
    const y1 = rowTop[b.first]! + 2;
    const y2 = rowBottom[b.last]! - 2;
    const x = bx0 + b.column * BRACKET_COL + 3;
    items.push({ type: 'polyline', role: 'divider', step: 0, points: [[x - 3, y1], [x, y1], [x, y2], [x - 3, y2]] });
    const g = b.group;
    const short = g.short ? (SHORT_LAYER[g.short] ?? g.short.toUpperCase()) : '';
    const cands = g.kind === 'layer' ? [g.name, short] : [g.value && g.raw !== null ? `${g.name} (${g.raw} bytes)` : '', g.name, g.short ?? ''];
    const f = fitOrElide(cands, y2 - y1 - 4, BRACKET_SIZE);
    if (f) {
      const be = ext(f.size);
      const tx = x + 4 + be.ascent;
      const title = g.value ? `${g.name}: ${g.value}` : f.title;
      texts.push(textItem('divider-label', f.text, tx - (be.ascent - be.descent) / 2 + (be.ascent - be.descent) / 2, (y1 + y2) / 2, f.size, f.width, 'middle', -90, title));
    }
  }
}

const SHORT_LAYER: Record<string, string> = { ipv4: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', icmpv6: 'ICMPv6', ethernet: 'Ethernet', vlan: 'VLAN', 'ipv6-ext': 'IPv6 ext' };

function dedupe(pts: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const p of pts) {
    const last = out[out.length - 1];
    if (last && Math.abs(last[0] - p[0]) < 1e-9 && Math.abs(last[1] - p[1]) < 1e-9) continue;
    out.push(p);
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop();
  return out;
}

/** A faint dashed line across a field, left out where one of the field's own texts sits on it. */
function dashedAround(sep: { y: number; x1: number; x2: number }, texts: SceneText[]): SceneItem[] {
  const cuts: Array<[number, number]> = [];
  for (const t of texts) {
    const b = textBox(t);
    if (sep.y >= b.y1 - 2 && sep.y <= b.y2 + 2) cuts.push([b.x1 - 6, b.x2 + 6]);
  }
  cuts.sort((a, b) => a[0] - b[0]);
  const out: SceneItem[] = [];
  let x = sep.x1 + 1;
  const end = sep.x2 - 1;
  for (const [a, b] of cuts) {
    if (a > x) out.push({ type: 'line', role: 'ruler', step: 0, x1: x, y1: sep.y, x2: Math.min(a, end), y2: sep.y, dash: [3, 3] });
    x = Math.max(x, b);
  }
  if (x < end) out.push({ type: 'line', role: 'ruler', step: 0, x1: x, y1: sep.y, x2: end, y2: sep.y, dash: [3, 3] });
  return out.filter((l) => l.type === 'line' && l.x2 - l.x1 >= 2);
}

/** Mirror an item of the grid (between gl and gr) left to right; the margins (offsets, brackets, title) stay. */
function mirrorItem(it: SceneItem, gl: number, gr: number): SceneItem {
  const m = (x: number) => gl + gr - x;
  switch (it.type) {
    case 'rect':
      if (it.role === 'background' || it.x < gl - 0.5 || it.x + it.width > gr + 0.5) return it;
      return { ...it, x: m(it.x + it.width) };
    case 'line':
      if (it.role === 'divider' || Math.min(it.x1, it.x2) < gl - 0.5 || Math.max(it.x1, it.x2) > gr + 0.5) return it;
      return { ...it, x1: m(it.x1), x2: m(it.x2) };
    case 'polygon':
    case 'polyline':
      if (it.role === 'divider') return it;
      return { ...it, points: it.points.map(([x, y]) => [m(x), y] as [number, number]) };
    case 'text': {
      if (it.role === 'title' || it.role === 'offset-label' || it.role === 'divider-label') return it;
      if (it.rotate === 0) return { ...it, x: m(it.x) };
      // A rotated label is centred on x − (ascent − descent)/2: mirror that centre.
      const shift = (it.ascent - it.descent) / 2;
      return { ...it, x: m(it.x - shift) + shift };
    }
  }
}
