/**
 * fonts/NotoSansHans-Latin-*.otf (scripts/latin-fonts.sh) stand in for the full built-in font whenever a face's
 * text is below U+2E80: they must map exactly the same code points there, with the same advance widths and
 * outlines, and the same names and vertical metrics — so a Latin PDF looks and measures as before.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { scenesToPdf } from '../src/index.js';
import { builtinFontPath, builtinFontsFor } from '../src/fonts.js';
import { handshakeScene } from './fixtures/scenes.js';
import { pdfFile, pdfFonts, pdfText, squash } from './helpers.js';

const require = createRequire(import.meta.url);
const LATIN_END = 0x2e80;

type Font = fontkit.Font & { hasGlyphForCodePoint(cp: number): boolean; glyphForCodePoint(cp: number): fontkit.Glyph };
const open = (path: string) => fontkit.create(readFileSync(path)) as unknown as Font;

describe.each([
  ['normal', 'Regular'],
  ['bold', 'Bold'],
] as const)('the Latin cut of Noto Sans Hans %s', (weight, name) => {
  it('maps every code point below U+2E80 that the full font maps, with the same advance and outline', () => {
    const full = open(builtinFontPath(weight));
    const latin = open(require.resolve(`@wiregram/pdf/fonts/NotoSansHans-Latin-${name}.otf`));
    expect(latin.postscriptName).toBe(full.postscriptName);
    expect(latin.familyName).toBe(full.familyName);
    for (const key of ['unitsPerEm', 'ascent', 'descent', 'capHeight', 'xHeight', 'italicAngle'] as const) expect(latin[key]).toBe(full[key]);
    expect(latin.bbox).toEqual(full.bbox);
    let mapped = 0;
    for (let cp = 0x20; cp < LATIN_END; cp++) {
      const has = full.hasGlyphForCodePoint(cp);
      expect(latin.hasGlyphForCodePoint(cp), `U+${cp.toString(16)}`).toBe(has);
      if (!has) continue;
      mapped++;
      const a = full.glyphForCodePoint(cp);
      const b = latin.glyphForCodePoint(cp);
      expect(b.advanceWidth, `advance of U+${cp.toString(16)}`).toBe(a.advanceWidth);
      expect(b.path.toSVG(), `outline of U+${cp.toString(16)}`).toBe(a.path.toSVG());
    }
    // Latin, Latin-1, Greek, Cyrillic, punctuation, arrows, maths, box drawing, symbols.
    expect(mapped).toBeGreaterThan(900);
    // Nothing from U+2E80 on: CJK text must go to the full font.
    expect(latin.hasGlyphForCodePoint(0x4e00)).toBe(false);
  });
});

describe('choosing the face', () => {
  it('takes the Latin cut for a face whose text is all below U+2E80, the full font for a face with CJK', () => {
    const latinOnly = builtinFontsFor([{ text: 'SYN, seq=x → ≤ é', fontWeight: 'normal' }, { text: 'client', fontWeight: 'bold' }]);
    expect([latinOnly.regularPath, latinOnly.boldPath].map((p) => p!.replace(/.*\//, ''))).toEqual(['NotoSansHans-Latin-Regular.otf', 'NotoSansHans-Latin-Bold.otf']);
    const mixed = builtinFontsFor([{ text: 'SYN', fontWeight: 'normal' }, { text: '客户端', fontWeight: 'bold' }]);
    expect([mixed.regularPath, mixed.boldPath].map((p) => p!.replace(/.*\//, ''))).toEqual(['NotoSansHans-Latin-Regular.otf', 'NotoSansHans-Bold.otf']);
  });

  it('a PDF of Latin text embeds the font under its own name and keeps its text', () => {
    const scene = handshakeScene();
    const latin = { ...scene, items: scene.items.map((i) => (i.type === 'text' ? { ...i, text: i.text.replace(/[^\u0000-\u2e7f]+/g, 'X') } : i)) };
    const path = pdfFile(scenesToPdf([latin]));
    const names = pdfFonts(path).split('\n').slice(2).filter(Boolean).map((l) => l.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
    expect(names.sort()).toEqual(['NotoSansHans-Bold', 'NotoSansHans-Regular']);
    expect(squash(pdfText(path))).toContain('SYN');
  });
});
