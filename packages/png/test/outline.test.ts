/**
 * The labels-as-paths path (src/outline.ts, src/text-paths.ts): the outline reader decodes a glyph the same from
 * the full CJK font (subroutinized CFF, CID-keyed) as from the Latin cut (desubroutinized), with the advances the
 * layout measures with; every label of a wiregram SVG becomes a path; an SVG with other text still gets its text.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FONT, measureText } from '@wiregram/layout';
import { svgToPng } from '@wiregram/png';
import { render } from '@wiregram/svg';
import { SEED_HANDSHAKE } from '../../../test/support/seeds.js';
import { openFont } from '../src/outline.js';
import { textsToPaths } from '../src/text-paths.js';

const require = createRequire(import.meta.url);
const FULL = join(dirname(dirname(require.resolve(FONT.package))), 'fonts');
const open = (file: string) => {
  const bytes = readFileSync(file);
  return openFont((at) => bytes[at] ?? 0);
};

describe('glyph outlines from the font file', () => {
  for (const weight of ['normal', 'bold'] as const) {
    it(`reads the same ${weight} outlines and advances from the full font and the Latin cut, as the layout measures`, () => {
      const full = open(join(FULL, FONT.files[weight]));
      const cut = open(require.resolve(`@wiregram/pdf/fonts/WiregramLatinCut-${weight === 'bold' ? 'Bold' : 'Regular'}.otf`));
      const chars = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), 'é', 'ß', 'Ω', 'Ж', '→', '≤', '—', '…'];
      let drawn = 0;
      for (const ch of chars) {
        const cp = ch.codePointAt(0)!;
        const a = full.glyphId(cp);
        const b = cut.glyphId(cp);
        expect(a, ch).toBeGreaterThan(0);
        expect(b, ch).toBeGreaterThan(0);
        expect(cut.outline(b), ch).toEqual(full.outline(a));
        expect(cut.advance(b), ch).toBe(full.advance(a));
        expect((full.advance(a) * 20) / full.unitsPerEm, ch).toBeCloseTo(measureText(ch, 20, weight), 6);
        if (full.outline(a)) drawn++;
      }
      expect(drawn).toBeGreaterThan(90);
      // CJK glyphs (the full font only): closed outlines of curves, inside the em box.
      for (const ch of '客户端服务三次握手') {
        const o = full.outline(full.glyphId(ch.codePointAt(0)!))!;
        expect(o.rest, ch).toMatch(/Z$/);
        expect(o.rest.match(/[lc]/g)!.length, ch).toBeGreaterThan(8);
        // The absolute points, from the first one and the relative steps: inside the em box (with margin).
        let [x, y] = [o.x, o.y];
        let [sx, sy] = [x, y];
        for (const m of o.rest.matchAll(/([mlcZ])([-0-9. ]*)/g)) {
          if (m[1] === 'Z') {
            // SVG: after Z the current point is the subpath's start.
            [x, y] = [sx, sy];
            continue;
          }
          const n = m[2]!.trim().split(' ').map(Number);
          for (let i = 0; i + 1 < n.length; i += 2) expect(Math.abs(x + n[i]!) <= full.unitsPerEm + 100 && Math.abs(y + n[i + 1]!) <= full.unitsPerEm + 100, `${ch} ${m[0]}`).toBe(true);
          [x, y] = m[1] === 'c' ? [x + n[4]!, y + n[5]!] : [x + n[0]!, y + n[1]!];
          if (m[1] === 'm') [sx, sy] = [x, y];
        }
        expect(cut.glyphId(ch.codePointAt(0)!)).toBe(0);
      }
    });
  }
});

describe('textsToPaths', () => {
  it('turns every label of a wiregram SVG into a path with its class, style and rotation', () => {
    for (const [source, language, style] of [
      [SEED_HANDSHAKE, 'tcp-sequence', 'states'],
      [SEED_HANDSHAKE, 'tcp-sequence', 'stevens'],
      ['tcp', 'packet-header', undefined],
    ] as const) {
      const { svg } = render(source, { language, theme: 'dark', styles: 'resolved', ...(style ? { style } : {}) });
      const texts = [...svg.matchAll(/<text ([^>]*)>/g)].map((m) => m[1]!);
      const out = textsToPaths(svg);
      expect(out.textLeft).toBe(false);
      expect(out.svg).not.toContain('<text');
      const paths = [...out.svg.matchAll(/<path ([^>]*)\/>/g)].map((m) => m[1]!);
      expect(paths).toHaveLength(texts.length);
      texts.forEach((attrs, i) => {
        expect(paths[i]).toContain(/class="[^"]*"/.exec(attrs)![0]);
        const rotate = /transform="(rotate\([^)]*\))"/.exec(attrs)?.[1];
        if (rotate) expect(paths[i]).toContain(`transform="${rotate} translate(`);
      });
      // A stream graph's y-axis title is rotated.
      if (style === 'stevens') expect(texts.some((t) => t.includes('rotate('))).toBe(true);
    }
  });

  it('reads any character reference in a label: one past Unicode is U+FFFD, never an exception', () => {
    const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="20" style="font-size:12px">${body}</text></svg>`;
    const out = textsToPaths(svg('a&#x110000;&#99999999999;b'));
    expect(out.textLeft).toBe(false);
    // Two replacement characters between a and b: the same path as the text written with them.
    expect(out.svg).toBe(textsToPaths(svg('a\uFFFD\uFFFDb')).svg);
    expect(svgToPng(svg('&#x110000;'), { scale: 1 }).width).toBeGreaterThan(0);
  });

  it('leaves other text to resvg and its font subsets: a foreign SVG still shows its words', () => {
    const bare = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" fill="#fff"/>';
    const withText = `${bare}<text x="10" y="28" font-size="20" fill="#000">Hi 你好</text></svg>`;
    expect(textsToPaths(withText).textLeft).toBe(true);
    const a = svgToPng(withText, { scale: 1 }).png;
    const b = svgToPng(`${bare}</svg>`, { scale: 1 }).png;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
