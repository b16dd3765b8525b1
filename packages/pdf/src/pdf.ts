/**
 * Scene → PDF with pdfkit: vector pages, the font embedded as a subset, byte-identical output for the same
 * input. Scene units are CSS px; the page is in pt, so every page maps the Scene through one transform
 * (0.75 pt per px at natural size, scaled to fit the page).
 */
import { createHash } from 'node:crypto';
import type PDFDocumentClass from 'pdfkit';
import { loadPdfkit } from './deps.js';
import { BudgetError, suggest, WiregramError, withWiregramErrors } from '@wiregram/core';
import { anchorShift, itemBox, type Palette, type Scene, type SceneItem, type SceneText, type ThemeName } from '@wiregram/layout';
import { checkGlyphs, measureWith, resolveFonts, type FontOption, type FontSet, type FontkitFont } from './fonts.js';
import { paintFor, parseColor, themePalette, type Paint } from './paint.js';
import { boundsOf, CUT_PAD, headerOf, inHeader, PAGE_LIMIT, planBands, type Band, type Bounds } from './split.js';

export type PageSize = 'fit' | 'a4' | 'letter' | '16:9' | '4:3';
export const PAGE_SIZES: readonly PageSize[] = ['fit', 'a4', 'letter', '16:9', '4:3'];

export interface PdfOptions {
  /** `fit` (default): the page is the diagram plus the margin. Paper and slide sizes scale the diagram to fit. */
  pageSize?: PageSize;
  /** Paper only (slides are landscape): `auto` (default) picks the orientation in which the diagram is larger. */
  orientation?: 'auto' | 'portrait' | 'landscape';
  /** Margin in pt. Default 18 for `fit`, 36 otherwise. */
  margin?: number;
  /** A title printed above the diagram: a string, or `true` for the Scene's title. Default none. */
  title?: string | boolean;
  /**
   * Largest magnification of the diagram over its natural size (1 px = 0.75 pt). Default 1 on paper, 2 on
   * slides. With `fit` it is the zoom: the page grows with the diagram.
   */
  maxScale?: number;
  /** `light` (default, for print), `dark`, or a full palette. */
  theme?: ThemeName | Palette;
  /** A TTF/OTF/WOFF font by path (or a regular/bold pair). Default: the built-in Noto Sans Hans (Latin + CJK). */
  font?: FontOption;
  /**
   * Step-by-step deck: one page per step of each Scene. Page 0 shows the participants and their initial
   * states, page k adds segment k and what it causes, so a diagram with n segments gives n + 1 pages.
   */
  steps?: boolean;
  /**
   * Most pages the PDF may have (split pages and steps included). Default 10,000: a step deck of a
   * 5,000-segment transfer has 5,001. Past it, a `WiregramError` (code `over-budget`) names this option.
   */
  maxPages?: number;
  /** Document metadata. The dates default to a fixed instant so the bytes do not change between runs. */
  info?: { title?: string; author?: string; subject?: string; keywords?: string; creationDate?: Date };
}

/** 2000-01-01T00:00:00Z: any fixed instant works; a constant keeps the output byte-identical. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));
export const DEFAULT_MAX_PAGES = 10_000;
/**
 * Tallest step page (pt) in a `fit` step deck: a long transfer shows the band around the current step rather
 * than the whole diagram on each of its thousands of pages (which made such a deck quadratic in size).
 */
const STEP_PAGE_LIMIT = 1440;
const PX_TO_PT = 0.75;

const NAMED_SIZES: Record<Exclude<PageSize, 'fit'>, [number, number]> = {
  a4: [595.28, 841.89],
  letter: [612, 792],
  '16:9': [960, 540],
  '4:3': [960, 720],
};

function optionError(reason: string, hint: string, expected: string): WiregramError {
  return new WiregramError({ code: 'pdf-option', reason, hint, expected });
}

/** Where a Scene lands on a page. */
export interface PageGeometry {
  width: number;
  height: number;
  /** pt per Scene px. */
  scale: number;
  originX: number;
  originY: number;
  title: string | null;
  titleSize: number;
  titleBaseline: number;
  /** Scene px cut from the top: the diagram's own title band when a page title replaces it. */
  cropTop: number;
  /** Fixed page size only: the diagram is too tall at MIN_TEXT_PT and is split across pages (splitPages). */
  split?: boolean;
}

/**
 * When the page prints a title, the diagram's own title (role `title`) is not drawn; the band it occupied is
 * cut off too, so the diagram is not pushed down by an empty strip.
 */
function titleBandOf(scene: Scene): number {
  let bottom = 0;
  let top = Number.POSITIVE_INFINITY;
  for (const item of scene.items) {
    if (item.type !== 'text') continue;
    if (item.role === 'title') bottom = Math.max(bottom, item.y + item.descent);
  }
  if (bottom === 0) return 0;
  for (const item of scene.items) {
    if (item.role === 'title' || item.role === 'background') continue;
    top = Math.min(top, itemBox(item).y1);
  }
  // Keep a little air above the first item; never cut into it.
  return top > bottom ? Math.max(0, Math.min(top - 8, bottom)) : 0;
}

function checkOptions(options: PdfOptions): void {
  if (options.pageSize !== undefined && !PAGE_SIZES.includes(options.pageSize)) {
    const near = typeof options.pageSize === 'string' ? suggest(options.pageSize, PAGE_SIZES) : null;
    throw optionError(`option pageSize: unknown page size "${String(options.pageSize)}"`, near ? `did you mean pageSize: '${near}'?` : 'use one of fit, a4, letter, 16:9, 4:3', PAGE_SIZES.join(', '));
  }
  if (options.orientation !== undefined && !['auto', 'portrait', 'landscape'].includes(options.orientation)) {
    throw optionError(`unknown orientation "${String(options.orientation)}"`, 'use auto, portrait or landscape', 'auto, portrait, landscape');
  }
  if (options.margin !== undefined && !(Number.isFinite(options.margin) && options.margin >= 0 && options.margin < 400)) {
    throw optionError(`margin ${String(options.margin)} is not a usable size in pt`, 'give a number of points, e.g. 36 (half an inch)', 'a number from 0 to 400');
  }
  if (options.maxPages !== undefined && !(Number.isInteger(options.maxPages) && options.maxPages > 0)) {
    throw optionError(`maxPages ${String(options.maxPages)} must be a whole number greater than 0`, `e.g. maxPages: ${DEFAULT_MAX_PAGES * 2} (default ${DEFAULT_MAX_PAGES})`, 'a whole number greater than 0');
  }
  if (options.maxScale !== undefined && !(Number.isFinite(options.maxScale) && options.maxScale > 0)) {
    throw optionError(`maxScale ${String(options.maxScale)} must be a positive number`, 'e.g. 1 for natural size, 2 to allow doubling', 'a positive number');
  }
  const date = options.info?.creationDate;
  if (date !== undefined && !(date instanceof Date && Number.isFinite(date.getTime()))) {
    throw optionError('info.creationDate is not a valid Date', 'pass a Date, or leave it out for the fixed default', 'a valid Date');
  }
  if (options.theme !== undefined && typeof options.theme !== 'object' && options.theme !== 'light' && options.theme !== 'dark') {
    const near = typeof options.theme === 'string' ? suggest(options.theme, ['light', 'dark']) : null;
    throw optionError(`option theme: unknown theme "${String(options.theme)}"`, near ? `did you mean theme: '${near}'?` : 'use light (default, for print) or dark', 'light or dark');
  }
}

function sceneTitle(scene: Scene, option: PdfOptions['title']): string | null {
  if (option === true) return scene.title || null;
  if (typeof option === 'string' && option.trim() !== '') return option;
  return null;
}

function pageGeometry(scene: Scene, options: PdfOptions, fonts: FontSet): PageGeometry {
  const size = options.pageSize ?? 'fit';
  const slide = size === '16:9' || size === '4:3';
  const margin = options.margin ?? (size === 'fit' ? 18 : 36);
  const title = sceneTitle(scene, options.title);
  const titleSize = slide ? 24 : 14;
  const titleBand = title ? titleSize * 1.8 : 0;
  const cropTop = title ? titleBandOf(scene) : 0;
  const w = Math.max(scene.width, 1);
  const h = Math.max(scene.height - cropTop, 1);
  const maxScale = (options.maxScale ?? (slide ? 2 : 1)) * PX_TO_PT;
  // The title's face is read only when there is a title: the bold face is otherwise never loaded.
  const titleFont = title ? (fonts.bold ?? fonts.regular) : null;
  const ascent = titleFont ? (titleFont.ascent / titleFont.unitsPerEm) * titleSize : 0;

  if (size === 'fit') {
    // No page to fit into: maxScale is the zoom (1 = natural size).
    const scale = maxScale;
    const titleWidth = titleFont ? measureWith(titleFont, title!, titleSize) : 0;
    const width = Math.max(w * scale, titleWidth) + 2 * margin;
    const height = h * scale + titleBand + 2 * margin;
    return {
      width: round(width), height: round(height), scale,
      originX: (width - w * scale) / 2, originY: margin + titleBand,
      title, titleSize, titleBaseline: margin + ascent, cropTop,
    };
  }

  const [a, b] = NAMED_SIZES[size];
  const fitScale = (pw: number, ph: number): number =>
    Math.min(maxScale, (pw - 2 * margin) / w, (ph - 2 * margin - titleBand) / h);
  let portrait = !slide;
  if (options.orientation === 'portrait') portrait = true;
  else if (options.orientation === 'landscape') portrait = false;
  else if (!slide) {
    const sp = fitScale(Math.min(a, b), Math.max(a, b));
    const sl = fitScale(Math.max(a, b), Math.min(a, b));
    // The orientation that shows the diagram larger; when both show it at full size, the one of its shape.
    portrait = Math.abs(sp - sl) < 1e-9 ? h >= w : sp > sl;
  }
  const width = portrait ? Math.min(a, b) : Math.max(a, b);
  const height = portrait ? Math.max(a, b) : Math.min(a, b);
  let scale = fitScale(width, height);
  if (!(scale > 0)) {
    throw optionError(`margin ${margin} pt leaves no room for the diagram on a ${size} page`, 'use a smaller margin', 'a margin smaller than half the page');
  }
  const areaH = height - 2 * margin - titleBand;
  // Print layout: never shrink text below MIN_TEXT_PT to fit the height; such a diagram is split across
  // pages at the readable scale instead (splitPages). Width cannot be split, so it still bounds the scale.
  // Step decks keep one page per step: each shows the band with that step's segment (splitPages), so a page
  // draws a page's worth of the diagram, not all of it shrunk — and a deck stays linear in the segments.
  const readable = MIN_TEXT_PT / smallestText(scene);
  const split = scale < readable - 1e-9;
  if (split) scale = Math.min(maxScale, (width - 2 * margin) / w, readable);
  return {
    width, height, scale,
    originX: (width - w * scale) / 2,
    originY: margin + titleBand + (split ? 0 : (areaH - h * scale) / 2),
    title, titleSize, titleBaseline: margin + ascent, cropTop, split,
  };
}

/**
 * Smallest text size (pt) on a fixed-size page before a tall diagram is split rather than shrunk further:
 * 6.5 pt is about the smallest print that stays comfortably readable on paper and a projected slide.
 */
export const MIN_TEXT_PT = 6.5;

/** The Scene's smallest font size in px (its labels and marks), or 12 when it has no text. */
function smallestText(scene: Scene): number {
  let min = Number.POSITIVE_INFINITY;
  for (const item of scene.items) if (item.type === 'text' && item.text !== '' && item.fontSize > 0) min = Math.min(min, item.fontSize);
  return Number.isFinite(min) ? min : 12;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

type Doc = PDFKit.PDFDocument;

// Opacity is an ExtGState in PDF: only write one when a colour is translucent, or to undo the last one.
const lastAlpha = { fill: new WeakMap<Doc, number>(), stroke: new WeakMap<Doc, number>() };

function setPaint(doc: Doc, color: string, which: 'fill' | 'stroke'): void {
  const c = parseColor(color);
  if (c === null) return;
  const apply = (color: PDFKit.Mixins.ColorValue, opacity?: number) => (which === 'fill' ? doc.fillColor(color, opacity) : doc.strokeColor(color, opacity));
  if (typeof c === 'string') {
    apply(c);
    return;
  }
  const alpha = lastAlpha[which];
  if (c.alpha < 1 || (alpha.get(doc) ?? 1) < 1) {
    apply(c.rgb, c.alpha);
    alpha.set(doc, c.alpha);
  } else apply(c.rgb);
}

const setFill = (doc: Doc, color: string): void => setPaint(doc, color, 'fill');
const setStroke = (doc: Doc, color: string): void => setPaint(doc, color, 'stroke');

function visible(color: string | null): color is string {
  return color !== null && parseColor(color) !== null;
}

/** Fill and/or stroke the current path as the paint says. */
function paintPath(doc: Doc, paint: Paint, dash: number[] | undefined): void {
  const fill = visible(paint.fill);
  const stroke = visible(paint.stroke) && paint.strokeWidth > 0;
  if (fill) setFill(doc, paint.fill!);
  if (stroke) {
    setStroke(doc, paint.stroke!);
    doc.lineWidth(paint.strokeWidth);
    const d = dash?.filter((x) => Number.isFinite(x) && x > 0);
    // pdfkit accepts an array at runtime; its typings only know the (length, { space }) form.
    if (d && d.length > 0) doc.dash((d.length % 2 === 1 ? d.concat(d) : d) as unknown as number, {});
  }
  if (fill && stroke) doc.fillAndStroke();
  else if (fill) doc.fill();
  else if (stroke) doc.stroke();
  else doc.closePath(); // nothing to paint; end the path so it does not leak into the next one
  if (stroke && dash && dash.length > 0) doc.undash();
}

interface DrawContext {
  doc: Doc;
  palette: Palette;
  fonts: FontSet;
  /** Current line cap/join, so the operators are written only when they change. */
  caps?: 'round' | 'butt';
}

function setCaps(ctx: DrawContext, caps: 'round' | 'butt'): void {
  if ((ctx.caps ?? 'butt') === caps) return;
  ctx.caps = caps;
  if (caps === 'round') ctx.doc.lineCap('round').lineJoin('round');
  else ctx.doc.lineCap('butt').lineJoin('miter');
}

function faceFor(fonts: FontSet, weight: SceneText['fontWeight']): { name: string; faux: boolean } {
  if (weight === 'bold') return fonts.bold ? { name: 'wg-bold', faux: false } : { name: 'wg-regular', faux: true };
  return { name: 'wg-regular', faux: false };
}

function drawText(ctx: DrawContext, item: SceneText, paint: Paint): void {
  const { doc, fonts } = ctx;
  if (!visible(paint.fill) || item.text === '') return;
  const face = faceFor(fonts, item.fontWeight);
  doc.font(face.name).fontSize(item.fontSize);
  // The built-in font is the one the layout measured with: use its width so anchoring matches the SVG exactly.
  // A user font has its own advances; anchor with those so middle/end text stays centred/aligned.
  const width = fonts.builtin && Number.isFinite(item.width)
    ? item.width
    : measureWith(item.fontWeight === 'bold' && fonts.bold ? fonts.bold : fonts.regular, item.text, item.fontSize);
  const dx = anchorShift(item.anchor, width);
  setFill(doc, paint.fill!);
  const rotated = item.rotate !== 0 && Number.isFinite(item.rotate);
  if (rotated) {
    doc.save();
    doc.rotate(item.rotate, { origin: [item.x, item.y] });
  }
  const textOptions: PDFKit.Mixins.TextOptions = { lineBreak: false, baseline: 'alphabetic' };
  if (face.faux) {
    // No bold face given: fill + a hairline outline in the same colour thickens the strokes.
    setStroke(doc, paint.fill!);
    doc.lineWidth(item.fontSize * 0.04);
    textOptions.fill = true;
    textOptions.stroke = true;
  }
  doc.text(item.text, item.x - dx, item.y, textOptions);
  if (rotated) doc.restore();
}

function drawItem(ctx: DrawContext, item: SceneItem): void {
  const { doc } = ctx;
  const paint = paintFor(item, ctx.palette);
  switch (item.type) {
    case 'rect':
      if (item.width <= 0 || item.height <= 0) return;
      setCaps(ctx, 'butt');
      if (item.rx > 0) doc.roundedRect(item.x, item.y, item.width, item.height, Math.min(item.rx, item.width / 2, item.height / 2));
      else doc.rect(item.x, item.y, item.width, item.height);
      paintPath(doc, paint, item.dash);
      return;
    case 'line':
      // Round caps and joins on open paths, as the SVG stylesheet sets them.
      setCaps(ctx, 'round');
      doc.moveTo(item.x1, item.y1).lineTo(item.x2, item.y2);
      paintPath(doc, { ...paint, fill: null }, item.dash);
      return;
    case 'polygon': {
      if (item.points.length < 2) return;
      setCaps(ctx, 'butt');
      // Point by point: a spread of a long point list would overflow the call stack.
      doc.moveTo(item.points[0]![0], item.points[0]![1]);
      for (let k = 1; k < item.points.length; k++) doc.lineTo(item.points[k]![0], item.points[k]![1]);
      doc.closePath();
      paintPath(doc, paint, undefined);
      return;
    }
    case 'polyline': {
      const [first, ...rest] = item.points;
      if (!first || rest.length === 0) return;
      setCaps(ctx, 'round');
      doc.moveTo(first[0], first[1]);
      for (const [x, y] of rest) doc.lineTo(x, y);
      paintPath(doc, { ...paint, fill: null }, item.dash);
      return;
    }
    case 'text':
      drawText(ctx, item, paint);
      return;
  }
}

/** One page: a Scene, showing only the items whose `step` is at most `step` (Infinity: all). */
export interface PageSpec {
  scene: Scene;
  step: number;
}

function drawPage(doc: Doc, spec: PageSpec, geometry: PageGeometry, palette: Palette, fonts: FontSet, band?: BandDraw): void {
  doc.addPage({ size: [geometry.width, geometry.height], margin: 0 });
  const bg = parseColor(palette.background);
  if (bg !== null && !(typeof bg === 'object' && bg.rgb.every((v) => v === 255))) {
    doc.rect(0, 0, geometry.width, geometry.height);
    setFill(doc, palette.background);
    doc.fill();
  }
  if (geometry.title) {
    const tw = measureWith(fonts.bold ?? fonts.regular, geometry.title, geometry.titleSize);
    drawText(
      { doc, palette, fonts },
      {
        type: 'text', role: 'title', step: 0, text: geometry.title, x: geometry.width / 2,
        y: geometry.titleBaseline, fontSize: geometry.titleSize, fontWeight: 'bold', anchor: 'middle', rotate: 0,
        width: tw, ascent: 0, descent: 0,
      },
      { fill: palette.foreground, stroke: null, strokeWidth: 0 },
    );
  }
  const ctx: DrawContext = { doc, palette, fonts };
  const scene = spec.scene;
  if (band?.band.header) {
    // Continuation page: the participant row again, above the band.
    const h = band.band.header;
    doc.save();
    doc.transform(geometry.scale, 0, 0, geometry.scale, geometry.originX, band.headerY - h.top * geometry.scale);
    doc.rect(0, h.top, scene.width, h.bottom - h.top).clip();
    for (const i of band.plan.headerItems) {
      const item = scene.items[i]!;
      if ((item.step ?? 0) <= spec.step) drawItem(ctx, item);
    }
    doc.restore();
  }
  doc.save();
  doc.transform(geometry.scale, 0, 0, geometry.scale, geometry.originX, geometry.originY - geometry.cropTop * geometry.scale);
  if (band) {
    // Lines and arrowheads reach CUT_PAD past a cut (on both pages); text belongs to exactly one page.
    const { top, bottom } = band.band;
    const clipTop = band.first ? top : top - CUT_PAD;
    doc.rect(0, clipTop, scene.width, bottom + CUT_PAD - clipTop).clip();
    const last = bottom >= scene.height;
    // Only the items that reach into this band (indexed once per Scene): a page costs its own content.
    for (const i of band.plan.bandItems[band.index]!) {
      const item = scene.items[i]!;
      if (geometry.title && item.role === 'title') continue;
      if ((item.step ?? 0) > spec.step) continue;
      const b = band.plan.bounds[i]!;
      if (item.type === 'text') {
        const mid = (b.top + b.bottom) / 2;
        if ((band.first || mid >= top) && (last || mid < bottom)) drawItem(ctx, item);
      } else if (b.bottom >= clipTop && b.top <= bottom + CUT_PAD) drawItem(ctx, item);
    }
    doc.restore();
    return;
  }
  if (geometry.cropTop > 0) {
    // Full-size background rects would reach into the page title's band: clip to the diagram's area.
    doc.rect(0, geometry.cropTop, scene.width, scene.height - geometry.cropTop).clip();
  }
  for (const item of scene.items) {
    // A page title replaces the diagram's own title rather than repeating it.
    if (geometry.title && item.role === 'title') continue;
    if ((item.step ?? 0) <= spec.step) drawItem(ctx, item);
  }
  doc.restore();
}

/** One band of a split page (see split.ts) and where it lands. */
interface BandDraw {
  band: Band;
  index: number;
  first: boolean;
  /** Page y (pt) of the repeated header's top. */
  headerY: number;
  plan: SplitPlan;
}

/** How one Scene is split, computed once per Scene however many pages (steps) draw it. */
interface SplitPlan {
  bands: Band[];
  /** `boundsOf` of every scene item. */
  bounds: Bounds[];
  /** Per band, the indices of the items that reach into it (in drawing order). */
  bandItems: number[][];
  /** Indices of the items a continuation page repeats as its header. */
  headerItems: number[];
  /** Per step, the band that shows it: the one holding the lowest end of that step's segments and marks. */
  stepBand: number[];
}

function planSplit(scene: Scene, bands: Band[]): SplitPlan {
  const bounds = scene.items.map(boundsOf);
  const bandItems: number[][] = bands.map(() => []);
  const headerItems: number[] = [];
  const stepLow = new Map<number, number>();
  const segmentLow = new Map<number, number>();
  // Band tops are increasing: a binary search finds each item's first band, and it walks on while it overlaps.
  const firstBand = (y: number): number => {
    let lo = 0;
    let hi = bands.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bands[mid]!.top <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  scene.items.forEach((item, i) => {
    if (inHeader(item, scene)) headerItems.push(i);
    const b = bounds[i]!;
    if (item.type === 'text') {
      // A text belongs to the band holding its middle (drawPage decides; the neighbours are listed too).
      const mid = (b.top + b.bottom) / 2;
      const k = firstBand(mid);
      bandItems[k]!.push(i);
      if (k > 0) bandItems[k - 1]!.push(i);
      if (k + 1 < bands.length) bandItems[k + 1]!.push(i);
    } else {
      // From the band before (an item ending exactly at a cut is drawn on both sides): drawPage filters exactly.
      for (let k = Math.max(0, firstBand(b.top - CUT_PAD) - 1); k < bands.length && bands[k]!.top - CUT_PAD <= b.bottom; k++) bandItems[k]!.push(i);
    }
    // Where a step happens: the end of its segment's arrow; a step without one (a timer), its small marks. A
    // state's name is no guide: it sits in the middle of a column that may run to the end of the diagram.
    const step = item.step ?? 0;
    if (step > 0 && Number.isFinite(step)) {
      if (item.type === 'line' && item.role.startsWith('segment')) segmentLow.set(step, Math.max(segmentLow.get(step) ?? -Infinity, b.bottom));
      else if (item.type !== 'text' && b.bottom - b.top < 40) stepLow.set(step, Math.max(stepLow.get(step) ?? -Infinity, b.bottom));
    }
  });
  for (const [step, y] of segmentLow) stepLow.set(step, y);
  for (const list of bandItems) list.sort((a, b) => a - b);
  let last = 0;
  for (const s of stepLow.keys()) last = Math.max(last, s);
  const stepBand: number[] = [0];
  for (let s = 1; s <= last; s++) {
    const y = stepLow.get(s);
    // A step that draws nothing of its own stays on the previous step's band.
    stepBand.push(y === undefined ? stepBand[s - 1]! : firstBand(Math.max(bands[0]!.top, y - CUT_PAD - 1)));
  }
  return { bands, bounds, bandItems, headerItems, stepBand };
}

/**
 * A `fit` page taller than PAGE_LIMIT, or a fixed-size page whose diagram would be shrunk below MIN_TEXT_PT,
 * becomes several pages (split.ts); any other page is returned as is. Each band gets its own geometry, at the
 * same scale: the page title only on the first, the participant header on the others.
 */
function splitPages(scene: Scene, step: number, geometry: PageGeometry, options: PdfOptions, cache: Map<Scene, SplitPlan>): Array<{ geometry: PageGeometry; draw?: BandDraw }> {
  const fit = (options.pageSize ?? 'fit') === 'fit';
  // A step page of a `fit` deck is at most a screen or two tall: it follows the newest segment (see BandDraw).
  const limit = options.steps === true ? STEP_PAGE_LIMIT : PAGE_LIMIT;
  if (fit ? geometry.height <= limit : !geometry.split) return [{ geometry }];
  const margin = options.margin ?? (fit ? 18 : 36);
  const titleBand = geometry.title ? geometry.titleSize * 1.8 : 0;
  const scale = geometry.scale;
  let plan = cache.get(scene);
  if (!plan) {
    const room = fit ? (limit - 2 * margin - 1) / scale - CUT_PAD : (geometry.height - 2 * margin) / scale - CUT_PAD;
    let header = headerOf(scene, geometry.cropTop);
    // A header that would take most of a page is not worth repeating.
    if (header && header.bottom - header.top > room / 3) header = null;
    const first = room - titleBand / scale;
    const rest = room - (header ? header.bottom - header.top : 0);
    plan = planSplit(scene, planBands(scene, geometry.cropTop, first, rest, header));
    cache.set(scene, plan);
  }
  const { bands } = plan;
  const stepped = options.steps === true && Number.isFinite(step);
  // A step page shows one band: the one with this step's segment (earlier rows scroll off, as on a slide).
  const shown = stepped ? [plan.stepBand[Math.min(step, plan.stepBand.length - 1)] ?? 0] : bands.map((_, k) => k);
  return shown.map((k) => {
    const band = bands[k]!;
    const headerH = band.header ? band.header.bottom - band.header.top : 0;
    const tb = k === 0 ? titleBand : 0;
    const height = fit ? round((band.bottom - band.top + headerH) * scale + tb + 2 * margin) : geometry.height;
    return {
      geometry: {
        ...geometry,
        height,
        title: k === 0 ? geometry.title : null,
        originY: margin + tb + headerH * scale,
        cropTop: band.top,
      },
      draw: { band, index: k, first: k === 0, headerY: margin, plan: plan! },
    };
  });
}

function tooManyPages(maxPages: number, steps: boolean): WiregramError {
  return new BudgetError({
    reason: `the PDF would have more than ${maxPages.toLocaleString('en-US')} pages (maxPages)`,
    expected: `at most ${maxPages.toLocaleString('en-US')} pages`,
    option: 'maxPages',
    limit: maxPages,
    advice: `${steps ? 'a step deck has one page per segment: draw fewer segments, or leave out steps; ' : ''}split the deck`,
  });
}

function checkScene(scene: unknown, index: number): asserts scene is Scene {
  const s = scene as Partial<Scene> | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.items) || !(Number.isFinite(s.width) && Number.isFinite(s.height))) {
    throw new WiregramError({
      code: 'pdf-scene',
      reason: `scene ${index + 1} is not a wiregram Scene`,
      expected: 'an object with width, height and items (from layoutSource / layoutTimeline / layoutHeader)',
      hint: 'pass the result of a @wiregram/layout function, or use renderPdf(source) for text',
    });
  }
}

/** The pages a list of Scenes turns into: one per Scene, or one per step in steps mode. */
export function pagesFor(scenes: readonly Scene[], steps: boolean): PageSpec[] {
  const pages: PageSpec[] = [];
  for (const scene of scenes) {
    // The last page must show everything, even an item whose step is past `scene.steps`.
    let last = Number.isFinite(scene.steps) ? scene.steps : 0;
    for (const item of scene.items) if (Number.isFinite(item.step) && item.step > last) last = item.step;
    if (steps && scene.steps > 0) {
      for (let k = 0; k <= last; k++) pages.push({ scene, step: k });
    } else {
      pages.push({ scene, step: Number.POSITIVE_INFINITY });
    }
  }
  return pages;
}

/**
 * pdfkit writes every chunk synchronously through Readable#push(), the first ones from its constructor.
 * Collecting them in an overridden push (instead of listening for 'data', which a Readable may deliver on a
 * later tick) keeps the API synchronous. The sink is set just before construction; nothing here is async.
 */
let sink: { chunks: Uint8Array[]; ended: boolean } | null = null;

/**
 * pdfkit (and what it loads: fontkit, its crypto and image code) is required on the first document, not when
 * this module is imported: a program that imports the package but draws no PDF — the CLI rendering SVG from
 * a bundle that holds this code — never pays for it.
 */
let collecting: ReturnType<typeof defineCollectingDocument> | null = null;
function collectingDocument(): ReturnType<typeof defineCollectingDocument> {
  collecting ??= defineCollectingDocument(loadPdfkit());
  return collecting;
}

function defineCollectingDocument(PDFDocument: typeof PDFDocumentClass) {
  return class CollectingDocument extends PDFDocument {
    // Undefined while pdfkit's constructor runs (fields initialise after super()); then it pins this document's sink.
    private readonly collected: typeof sink | undefined = sink;
    override push(chunk: unknown): boolean {
      const target = this.collected ?? sink;
      if (!target) return false;
      if (chunk === null) target.ended = true;
      else target.chunks.push(chunk as Uint8Array);
      return true;
    }

    /**
     * The trailer /ID: pdfkit derives it from the info dictionary (the same for every document with the same
     * title). Hashing everything written before the trailer gives an ID that is stable for the same input and
     * differs for different content.
     */
    _finalize(): void {
      const hash = createHash('sha256');
      for (const chunk of this.collected?.chunks ?? []) hash.update(chunk);
      (this as unknown as { _id: Uint8Array })._id = new Uint8Array(hash.digest().subarray(0, 16));
      (PDFDocument.prototype as unknown as { _finalize(this: PDFKit.PDFDocument): void })._finalize.call(this);
    }
  };
}

interface PdfkitEmbeddedFont {
  id: string;
  name?: string;
  subset?: { glyphs?: number[] };
  embed(): void;
}

/**
 * Subset tags (the `ABCDEF+` before a subset font's name): pdfkit derives them from the font's resource id,
 * so every wiregram PDF would call different subsets by the same name, and tools that merge PDFs could mix
 * them up. Here the tag is a hash of the font and the glyphs in the subset: the same for the same subset,
 * different otherwise. pdfkit builds the tag from `id` characters 1–6 (+17 → 'A'…'Z'); `id` is set to such
 * characters only while the font object is written (pages already refer to it by its real id).
 */
function tagSubsets(doc: Doc): void {
  const fonts = new Set(Object.values((doc as unknown as { _fontFamilies: Record<string, PdfkitEmbeddedFont> })._fontFamilies));
  for (const font of fonts) {
    if (typeof font.embed !== 'function' || !font.subset) continue;
    const embed = font.embed.bind(font);
    font.embed = () => {
      const digest = createHash('sha256')
        .update(`${font.name ?? ''}\n${(font.subset?.glyphs ?? []).join(',')}`)
        .digest();
      const id = font.id;
      font.id = 'F' + [...digest.subarray(0, 6)].map((b) => String.fromCharCode(48 + (b % 26))).join('');
      try {
        embed();
      } finally {
        font.id = id;
      }
    };
  }
}

/** Draw Scenes as a PDF: one page per Scene (or per step with `steps`). Synchronous; throws WiregramError only. */
export function scenesToPdf(scenes: readonly Scene[], options: PdfOptions = {}): Uint8Array {
  // Anything else is our bug or a broken Scene; callers can still rely on one error type.
  return withWiregramErrors(() => writePdf(scenes, options ?? {}), {
    code: 'pdf-failed',
    reason: 'could not write the PDF',
    hint: 'check the Scene passed in; if it came from @wiregram/layout, please report this as a bug',
  });
}

function writePdf(scenes: readonly Scene[], options: PdfOptions): Uint8Array {
  if (!Array.isArray(scenes) || scenes.length === 0) {
    throw new WiregramError({
      code: 'pdf-empty',
      reason: 'no diagrams to draw',
      expected: 'at least one Scene',
      hint: 'pass an array with one Scene per page',
    });
  }
  scenes.forEach(checkScene);
  checkOptions(options);
  const palette = themePalette(options.theme);

  const texts: Array<{ text: string; fontWeight: 'normal' | 'bold' }> = [];
  for (const scene of scenes) {
    for (const item of scene.items) if (item.type === 'text') texts.push(item);
    const title = sceneTitle(scene, options.title);
    if (title) texts.push({ text: title, fontWeight: 'bold' });
  }
  // Latin-only text is drawn from the built-in font's Latin cut: the CJK font is not parsed at all.
  const fonts = resolveFonts(options.font, texts);
  checkGlyphs(fonts, texts);
  const usesBold = texts.some((t) => t.fontWeight === 'bold');

  const pages = pagesFor(scenes, options.steps === true);
  // Refused before a byte is written; pages split further are counted as they are drawn.
  if (pages.length > (options.maxPages ?? DEFAULT_MAX_PAGES)) throw tooManyPages(options.maxPages ?? DEFAULT_MAX_PAGES, options.steps === true);
  const info = options.info ?? {};
  const first = scenes[0]!;
  const written = { chunks: [] as Uint8Array[], ended: false };
  sink = written;
  let doc: InstanceType<ReturnType<typeof defineCollectingDocument>>;
  try {
    doc = new (collectingDocument())({
    autoFirstPage: false,
    // No default font: pdfkit would otherwise embed Helvetica's metrics object nobody uses.
    font: null as unknown as string,
    compress: true,
    displayTitle: true,
    info: {
      Title: info.title ?? (scenes.length === 1 ? first.title : first.title || 'wiregram diagrams'),
      ...(info.author ? { Author: info.author } : {}),
      // The Scene's description (the segments and states in words) is the accessible summary of a single diagram.
      ...(info.subject ? { Subject: info.subject } : scenes.length === 1 && first.description ? { Subject: first.description } : {}),
      ...(info.keywords ? { Keywords: info.keywords } : {}),
      Creator: 'wiregram',
      Producer: 'wiregram (PDFKit)',
      CreationDate: info.creationDate ?? FIXED_DATE,
      ModDate: info.creationDate ?? FIXED_DATE,
    },
    });
  } finally {
    sink = null;
  }

  doc.registerFont('wg-regular', fonts.regular as unknown as string);
  if (usesBold && fonts.bold) doc.registerFont('wg-bold', fonts.bold as unknown as string);

  // Decks get a bookmark per diagram (its title), so a viewer's sidebar is a table of contents.
  const bookmarks = scenes.length > 1;
  let previous: Scene | null = null;
  const plans = new Map<Scene, SplitPlan>();
  // A Scene's page geometry does not depend on the step: computed once, not once per step page.
  const geometries = new Map<Scene, PageGeometry>();
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let pageCount = 0;
  let diagram = 0;
  for (const page of pages) {
    let whole = geometries.get(page.scene);
    if (!whole) geometries.set(page.scene, (whole = pageGeometry(page.scene, options, fonts)));
    const parts = splitPages(page.scene, page.step, whole, options, plans);
    pageCount += parts.length;
    if (pageCount > maxPages) throw tooManyPages(maxPages, options.steps === true);
    for (const part of parts) drawPage(doc, page, part.geometry, palette, fonts, part.draw);
    if (page.scene !== previous) diagram++;
    if (bookmarks && page.scene !== previous) doc.outline.addItem(page.scene.title || `Diagram ${diagram}`);
    previous = page.scene;
  }
  tagSubsets(doc);
  doc.end();
  if (!written.ended) {
    throw new WiregramError({ code: 'pdf-incomplete', reason: 'the PDF writer did not finish synchronously', hint: 'this is a bug in wiregram; please report it' });
  }
  let length = 0;
  for (const c of written.chunks) length += c.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of written.chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
