/**
 * A wiregram SVG's labels as paths, drawn from the built-in font's own outlines (outline.ts), so resvg needs no
 * font at all: no font database per picture, no subset of the 8 MB CJK font in a fresh process. Each glyph sits
 * at the advance the layout measured with (the font's hmtx, unshaped — as the layout and the PDF backend place
 * them), so labels sit where the layout put them.
 *
 * Faces: a face whose texts are all below U+2E80 is read from @wiregram/pdf's Latin cut of the built-in font
 * (120 KB, the same outlines and advances there: packages/pdf/scripts/latin-fonts.sh); one with CJK from the full
 * font. Either file is read once per process; each glyph's outline is decoded once.
 *
 * Only the `<text>` shape wiregram's SVG renderer writes is converted (x, y, a style with font-size, bold,
 * text-anchor, an optional rotate and `<title>` tooltip); `textsToPaths` says whether any text is left for the
 * caller to draw some other way.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FONT } from '@wiregram/layout';
import { openFont, type OutlineFont } from './outline.js';

const require = createRequire(import.meta.url);

/** The first code point the Latin cut leaves out (as in @wiregram/pdf's fonts.ts). */
const LATIN_END = 0x2e80;
type Weight = 'normal' | 'bold';
const opened = new Map<string, OutlineFont>();

const files = new Map<string, string>();

function fontFile(weight: Weight, latin: boolean): string {
  const key = weight + latin;
  let file = files.get(key);
  if (!file) files.set(key, (file = resolveFontFile(weight, latin)));
  return file;
}

function resolveFontFile(weight: Weight, latin: boolean): string {
  // Spelled out: the dependency stays visible to tools (and to the package checks).
  if (latin) return weight === 'bold' ? require.resolve('@wiregram/pdf/fonts/WiregramLatinCut-Bold.otf') : require.resolve('@wiregram/pdf/fonts/WiregramLatinCut-Regular.otf');
  // The package exports only its JS entry; the fonts sit next to its dist/ folder.
  return join(dirname(dirname(require.resolve('@embedpdf/fonts-sc'))), 'fonts', FONT.files[weight]);
}

const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;
/** Open file descriptors, closed when a call is done (pages and decoded glyphs stay). */
const descriptors = new Map<string, number>();

/**
 * A font file read a page (16 KB) at a time, as its glyphs are looked up: reading all of the 8 MB CJK font cost a
 * fresh process more than the picture (a label's glyphs, cmap entries and subroutines are a few dozen pages).
 */
function pagedFile(file: string): (at: number) => number {
  const pages = new Map<number, Uint8Array>();
  // The last page used: most reads are next to the one before.
  let lastN = -1;
  let last: Uint8Array = new Uint8Array(0);
  return (at) => {
    const n = at >>> PAGE_BITS;
    if (n !== lastN) {
      let page = pages.get(n);
      if (!page) {
        let fd = descriptors.get(file);
        if (fd === undefined) descriptors.set(file, (fd = openSync(file, 'r')));
        const buf = new Uint8Array(PAGE);
        const got = readSync(fd, buf, 0, PAGE, n * PAGE);
        pages.set(n, (page = got === PAGE ? buf : buf.subarray(0, got)));
      }
      lastN = n;
      last = page;
    }
    return last[at & (PAGE - 1)] ?? 0;
  };
}

function font(weight: Weight, latin: boolean): OutlineFont {
  const file = fontFile(weight, latin);
  let f = opened.get(file);
  if (!f) opened.set(file, (f = openFont(pagedFile(file))));
  return f;
}

const TEXT = /<text ([^>]*)>([^<]*(?:<title>[^<]*<\/title>[^<]*)?)<\/text>/g;
const ATTR = /([a-z-]+)="([^"]*)"/g;
const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      // Any SVG may come here (svgToPng): a reference past Unicode is drawn as U+FFFD, as XML readers show it.
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
    }
    return ENTITY[e] ?? m;
  });
}

const num = (n: number) => String(Math.round(n * 1000) / 1000);

interface Label {
  attrs: Map<string, string>;
  text: string;
  size: number;
  weight: Weight;
  anchor: string;
}

function parse(attrText: string, body: string): Label | null {
  const attrs = new Map<string, string>();
  for (const m of attrText.matchAll(ATTR)) attrs.set(m[1]!, m[2]!);
  for (const k of attrs.keys()) if (!['class', 'x', 'y', 'style', 'transform'].includes(k)) return null;
  const style = attrs.get('style') ?? '';
  const size = /(?:^|;)font-size:([0-9.]+)px/.exec(style);
  if (!size || !attrs.has('x') || !attrs.has('y')) return null;
  const transform = attrs.get('transform');
  if (transform !== undefined && !/^rotate\([-0-9. ]+\)$/.test(transform)) return null;
  const anchor = /(?:^|;)text-anchor:(start|middle|end)/.exec(style)?.[1] ?? 'start';
  return { attrs, text: unescape(body.replace(/<title>[^<]*<\/title>/, '')), size: Number(size[1]), weight: /(?:^|;)font-weight:bold/.test(style) ? 'bold' : 'normal', anchor };
}

/**
 * The SVG with every `<text>` of wiregram's shape replaced by a `<path>` of its glyphs (same class, style and
 * rotation, so the fill is the theme's), and whether any `<text>` is left.
 */
export function textsToPaths(svg: string): { svg: string; textLeft: boolean } {
  const labels: Array<{ at: number; length: number; label: Label }> = [];
  const latin: Record<Weight, boolean> = { normal: true, bold: true };
  for (const m of svg.matchAll(TEXT)) {
    const label = parse(m[1]!, m[2]!);
    if (!label) continue;
    labels.push({ at: m.index!, length: m[0].length, label });
    if (latin[label.weight]) for (const ch of label.text) if (ch.codePointAt(0)! >= LATIN_END) latin[label.weight] = false;
  }
  let out = '';
  let from = 0;
  try {
    for (const { at, length, label } of labels) {
      out += svg.slice(from, at) + pathOf(label, font(label.weight, latin[label.weight]));
      from = at + length;
    }
  } finally {
    for (const fd of descriptors.values()) closeSync(fd);
    descriptors.clear();
  }
  out += svg.slice(from);
  return { svg: out, textLeft: out.includes('<text') };
}

function pathOf(label: Label, f: OutlineFont): string {
  const gids: number[] = [];
  let width = 0;
  for (const ch of label.text) {
    const gid = f.glyphId(ch.codePointAt(0)!);
    gids.push(gid);
    width += f.advance(gid);
  }
  const k = label.size / f.unitsPerEm;
  const x = Number(label.attrs.get('x'));
  const y = Number(label.attrs.get('y'));
  const x0 = label.anchor === 'middle' ? x - (width * k) / 2 : label.anchor === 'end' ? x - width * k : x;
  // Each glyph's outline is in font units with y up, its first point absolute (moved by the pen) and the rest relative.
  let d = '';
  let pen = 0;
  for (const gid of gids) {
    const o = f.outline(gid);
    if (o) d += 'M' + String(Math.round((o.x + pen) * 100) / 100) + ' ' + String(o.y) + o.rest;
    pen += f.advance(gid);
  }
  const rotate = label.attrs.get('transform');
  let attrs = '';
  for (const name of ['class', 'style']) {
    const value = label.attrs.get(name);
    if (value !== undefined) attrs += ` ${name}="${value}"`;
  }
  const transform = `${rotate ? rotate + ' ' : ''}translate(${num(x0)} ${num(y)}) scale(${num(k)} ${num(-k)})`;
  return d ? `<path${attrs} transform="${transform}" d="${d}"/>` : '';
}
