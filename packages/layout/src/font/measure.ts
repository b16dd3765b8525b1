/**
 * Text measurement with the default font's real advance widths (generated from Noto Sans Hans; see
 * scripts/gen-metrics.mjs). No font file is parsed at runtime: the tables are decoded once, lazily, from a few KB.
 */
import {
  ASCENT,
  CAP_HEIGHT,
  DESCENT,
  FAMILY_NAME,
  FILES,
  POSTSCRIPT_NAMES,
  UNITS_PER_EM,
  WIDTHS_BOLD,
  WIDTHS_NORMAL,
} from './metrics.generated.js';

export type FontWeight = 'normal' | 'bold';

/**
 * The default font. `family` is the CSS stack for SVG: the same outlines under the names they are installed as
 * (the OTF's own name, Google Fonts' and the Debian/Ubuntu `fonts-noto-cjk` names), then sans-serif.
 * `files` are the OTF names in `@embedpdf/fonts-sc/fonts/` for the PDF backend to embed.
 */
export const FONT = {
  family: `'Noto Sans Hans', 'Noto Sans S Chinese', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif`,
  name: FAMILY_NAME,
  postscriptNames: POSTSCRIPT_NAMES,
  files: FILES,
  package: '@embedpdf/fonts-sc',
  unitsPerEm: UNITS_PER_EM,
  /** Ascent/descent as a fraction of the font size (descent positive). */
  ascent: ASCENT / UNITS_PER_EM,
  descent: DESCENT / UNITS_PER_EM,
  capHeight: CAP_HEIGHT / UNITS_PER_EM,
} as const;

interface Table {
  /** ASCII fast path, advance in font units (index = code point - 32). */
  ascii: Float64Array;
  starts: Int32Array;
  widths: Int32Array;
}

const tables: Partial<Record<FontWeight, Table>> = {};

function decode(encoded: string): Table {
  const parts = encoded.split(',');
  const n = parts.length / 2;
  const starts = new Int32Array(n);
  const widths = new Int32Array(n);
  let cp = 0;
  for (let i = 0; i < n; i++) {
    cp += parseInt(parts[2 * i]!, 36);
    starts[i] = cp;
    const w = parts[2 * i + 1]!;
    widths[i] = w === '' ? -1 : parseInt(w, 36);
  }
  const t: Table = { ascii: new Float64Array(95), starts, widths };
  for (let c = 32; c < 127; c++) t.ascii[c - 32] = lookup(t, c);
  return t;
}

function lookup(t: Table, cp: number): number {
  const { starts, widths } = t;
  let lo = 0;
  let hi = starts.length - 1;
  if (cp < starts[0]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= cp) lo = mid;
    else hi = mid - 1;
  }
  return widths[lo]!;
}

function table(weight: FontWeight): Table {
  return (tables[weight] ??= decode(weight === 'bold' ? WIDTHS_BOLD : WIDTHS_NORMAL));
}

/** Width in font units for a code point the tables do not cover: what a browser's fallback font roughly gives. */
function fallback(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0; // controls
  if ((cp >= 0x300 && cp < 0x370) || (cp >= 0xfe00 && cp < 0xfe10) || cp === 0x200d) return 0; // combining, VS, ZWJ
  // East Asian wide: CJK extensions, emoji and pictographs, hangul jamo.
  if (
    (cp >= 0x1100 && cp < 0x1200) ||
    (cp >= 0x2e80 && cp < 0xa4d0) ||
    (cp >= 0xac00 && cp < 0xd7b0) ||
    (cp >= 0xf900 && cp < 0xfb00) ||
    (cp >= 0xfe30 && cp < 0xfe70) ||
    (cp >= 0xff00 && cp < 0xff61) ||
    (cp >= 0xffe0 && cp < 0xffe7) ||
    cp >= 0x1f000
  )
    return UNITS_PER_EM;
  // Anything else (other scripts): a typical Latin advance, slightly generous so boxes do not clip.
  return 0.6 * UNITS_PER_EM;
}

/** Advance width of `text` in px at `fontSize` px, as the default font sets it (no kerning: a safe upper bound). */
export function measureText(text: string, fontSize: number, weight: FontWeight = 'normal'): number {
  const t = table(weight);
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 32 && cp < 127) {
      units += t.ascii[cp - 32]!;
      continue;
    }
    if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo < 0xe000) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    const w = lookup(t, cp);
    units += w < 0 ? fallback(cp) : w;
  }
  return (units * fontSize) / UNITS_PER_EM;
}

/** Ascent and descent (positive) in px at `fontSize`. */
export function fontExtents(fontSize: number): { ascent: number; descent: number } {
  return { ascent: (ASCENT * fontSize) / UNITS_PER_EM, descent: (DESCENT * fontSize) / UNITS_PER_EM };
}
