/**
 * Role → paint, from the layout package's shared table (`themes`, `rolePaint`), so PDF and SVG use the same
 * colours and stroke widths.
 */
import { AUTHOR_TINT, authorPaint, rolePaint, themes } from '@wiregram/layout';
import type { Palette, SceneItem, ThemeName } from '@wiregram/layout';

export interface Paint {
  fill: string | null;
  stroke: string | null;
  /** Stroke width in Scene px. */
  strokeWidth: number;
}

export function themePalette(theme: ThemeName | Palette | undefined): Palette {
  if (theme && typeof theme === 'object') return theme;
  return themes[theme === 'dark' ? 'dark' : 'light'];
}

/** `a` mixed with `b`: `share` of a (what CSS `color-mix(in srgb, a share, b)` gives). Hex only; else `a`. */
function mix(a: string, share: number, b: string): string {
  const ca = parseColor(a);
  const cb = parseColor(b);
  if (!ca || !cb || typeof ca === 'string' || typeof cb === 'string') return a;
  const hex = ca.rgb.map((v, i) => Math.round(v * share + cb.rgb[i]! * (1 - share)).toString(16).padStart(2, '0'));
  return '#' + hex.join('');
}

/** Paint for one item: the shared role mapping, then the author's explicit colour where layout says it goes. */
export function paintFor(item: SceneItem, palette: Palette): Paint {
  const paint: Paint = { ...rolePaint(item.role, palette) };
  const author = authorPaint(item);
  if (author) {
    const { color: c, target } = author;
    if (target === 'tint') paint.fill = mix(c, AUTHOR_TINT, palette.background);
    else if (target === 'fill') paint.fill = c;
    else paint.stroke = c;
  }
  return paint;
}

export interface Rgba {
  rgb: [number, number, number];
  alpha: number;
}

/** CSS colour → RGB 0–255 + alpha. Named colours are left to pdfkit (it knows the CSS names). */
export function parseColor(color: string): Rgba | string | null {
  const c = color.trim().toLowerCase();
  if (c === 'none' || c === 'transparent') return null;
  let m = /^#([0-9a-f]{3,4})$/.exec(c);
  if (m) {
    const h = m[1]!;
    const v = [...h].map((d) => parseInt(d + d, 16));
    return { rgb: [v[0]!, v[1]!, v[2]!], alpha: v.length === 4 ? v[3]! / 255 : 1 };
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(c);
  if (m) {
    const n = parseInt(m[1]!, 16);
    return { rgb: [n >> 16, (n >> 8) & 0xff, n & 0xff], alpha: m[2] ? parseInt(m[2], 16) / 255 : 1 };
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(c);
  if (m) {
    const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: Math.max(0, Math.min(1, a)) };
  }
  return /^[a-z]+$/.test(c) ? c : null;
}
