/**
 * fonts/WiregramLatinCut-*.otf (scripts/latin-fonts.sh) stand in for the full built-in font whenever a face's
 * text is below U+2E80: they must map exactly the same code points there, with the same advance widths and
 * outlines and the same vertical metrics; they carry a name of their own, and the loaded font gets the original's
 * back — so a Latin PDF is the PDF the full font gives, byte for byte.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { scenesToPdf } from '../src/index.js';
import { builtinFontPath, builtinFonts, builtinFontsFor } from '../src/fonts.js';
import { handshakeScene } from './fixtures/scenes.js';
import { pdfFile, pdfFonts, pdfText, squash } from './helpers.js';

const require = createRequire(import.meta.url);

/** The embedded CFF font programs of a PDF (streams of subtype CIDFontType0C), as hex, in file order. */
function fontPrograms(pdf: Uint8Array): string[] {
  const text = Buffer.from(pdf).toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/<<([^>]*\/Subtype \/CIDFontType0C[^>]*)>>\s*stream\r?\n/g)) {
    const length = Number(/\/Length (\d+)/.exec(m[1]!)?.[1]);
    const start = m.index! + m[0].length;
    out.push(Buffer.from(pdf.subarray(start, start + length)).toString('hex'));
  }
  return out;
}
const LATIN_END = 0x2e80;

/** The part of a fontkit font this test reads (fontkit is loaded untyped, as the package itself loads it). */
interface Font {
  postscriptName: string;
  familyName: string;
  fullName: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  xHeight: number;
  italicAngle: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): { advanceWidth: number; path: { toSVG(): string } };
}
const fontkit = require('fontkit') as { create(bytes: Uint8Array): Font };
const open = (path: string): Font => fontkit.create(readFileSync(path));

describe.each([
  ['normal', 'Regular'],
  ['bold', 'Bold'],
] as const)('the Latin cut of Noto Sans Hans %s', (weight, name) => {
  it('maps every code point below U+2E80 that the full font maps, with the same advance and outline', () => {
    const full = open(builtinFontPath(weight));
    const latin = open(require.resolve(`@wiregram/pdf/fonts/WiregramLatinCut-${name}.otf`));
    // The file is named apart from the original (whose name its licence reserves) …
    expect(latin.postscriptName).toBe(`WiregramLatinCut-${name}`);
    expect(`${latin.familyName} ${latin.fullName}`).not.toMatch(/Noto/);
    // … and loaded as the built-in face, it is named as the original again, for what a PDF embeds.
    const loaded = builtinFonts({ regular: true, bold: true });
    const face = weight === 'bold' ? loaded.bold! : loaded.regular;
    expect(face.postscriptName).toBe(full.postscriptName);
    expect(face.familyName).toBe(full.familyName);
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
    expect([latinOnly.regularPath, latinOnly.boldPath].map((p) => p!.replace(/.*\//, ''))).toEqual(['WiregramLatinCut-Regular.otf', 'WiregramLatinCut-Bold.otf']);
    const mixed = builtinFontsFor([{ text: 'SYN', fontWeight: 'normal' }, { text: '客户端', fontWeight: 'bold' }]);
    expect([mixed.regularPath, mixed.boldPath].map((p) => p!.replace(/.*\//, ''))).toEqual(['WiregramLatinCut-Regular.otf', 'NotoSansHans-Bold.otf']);
  });

  it('a PDF of Latin text embeds the same font programs, under the same names, as the full font gives', () => {
    const scene = handshakeScene();
    const latin = { ...scene, items: scene.items.map((i) => (i.type === 'text' ? { ...i, text: i.text.replace(/[^\u0000-\u2e7f]+/g, 'X') } : i)) };
    const bytes = scenesToPdf([latin]);
    // The full font files passed as a user font: the embedded font programs (FontFile3) are the same bytes.
    const full = scenesToPdf([latin], { font: { regular: builtinFontPath('normal'), bold: builtinFontPath('bold') } });
    const programs = fontPrograms(bytes);
    expect(programs.length).toBe(2);
    expect(programs).toEqual(fontPrograms(full));
    const path = pdfFile(bytes);
    const names = pdfFonts(path).split('\n').slice(2).filter(Boolean).map((l) => l.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
    expect(names.sort()).toEqual(['NotoSansHans-Bold', 'NotoSansHans-Regular']);
    expect(squash(pdfText(path))).toContain('SYN');
  });
});
