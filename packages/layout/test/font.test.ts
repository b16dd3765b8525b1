import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import { FONT, fontExtents, measureText, paintFor, rolePaint, ROLE_PAINT, themes } from '@wiregram/layout';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(join(root, 'packages/pdf/package.json'));
const fontDir = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');

// The real font, parsed once for the whole file (≈ 0.3 s): the generated tables must agree with it.
const regular = fontkit.openSync(join(fontDir, FONT.files.normal));
const bold = fontkit.openSync(join(fontDir, FONT.files.bold));

function reference(font: fontkit.Font, text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth;
  return (units * size) / font.unitsPerEm;
}

const SAMPLES = [
  'SYN, ACK, seq=y, ack=x+1',
  'FIN_WAIT_2',
  '54321 → 80 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0',
  '客户端 服务端 数据传输',
  'ÀÉÎõü ß — “quoted” …',
  'Wireshark ─┼─ ①②',
  'かなカナ 한국어',
  'αβγ ≤ ≥ ≠',
];

describe('measureText', () => {
  it.each(SAMPLES)('matches the font’s advance widths: %s', (text) => {
    expect(measureText(text, 12)).toBeCloseTo(reference(regular, text, 12), 6);
    expect(measureText(text, 15, 'bold')).toBeCloseTo(reference(bold, text, 15), 6);
  });

  it('bold is wider than regular for Latin; CJK is one em', () => {
    expect(measureText('ESTABLISHED', 13, 'bold')).toBeGreaterThan(measureText('ESTABLISHED', 13));
    expect(measureText('三次握手', 10)).toBe(40);
  });

  it('falls back sensibly for code points the tables do not cover', () => {
    expect(measureText('𠀀', 10)).toBe(10); // CJK extension B: full width
    expect(measureText('😀', 10)).toBe(10); // emoji: full width
    expect(measureText('e\u0301', 10)).toBeCloseTo(measureText('e', 10), 6); // combining mark adds nothing
    expect(measureText('\u0e01', 10)).toBeGreaterThan(3); // Thai: something, not 0
    expect(measureText('', 10)).toBe(0);
  });

  it('scales linearly with the size', () => {
    expect(measureText('ACK', 24)).toBeCloseTo(2 * measureText('ACK', 12), 9);
  });

  it('exposes the font for the renderers', () => {
    expect(FONT.family.startsWith("'Noto Sans Hans'")).toBe(true);
    expect(FONT.family.endsWith('sans-serif')).toBe(true);
    expect(existsSync(join(fontDir, FONT.files.normal))).toBe(true);
    expect(existsSync(join(fontDir, FONT.files.bold))).toBe(true);
    expect(FONT.postscriptNames.normal).toBe(regular.postscriptName);
    const e = fontExtents(10);
    expect(e.ascent).toBeCloseTo((regular.ascent * 10) / regular.unitsPerEm, 9);
    expect(e.descent).toBeCloseTo((-regular.descent * 10) / regular.unitsPerEm, 9);
  });

  it('the generated module is small and parses no font at runtime', () => {
    const src = readFileSync(join(root, 'packages/layout/src/font/metrics.generated.ts'), 'utf8');
    expect(src.length).toBeLessThan(12_000);
    const measure = readFileSync(join(root, 'packages/layout/src/font/measure.ts'), 'utf8');
    expect(measure).not.toMatch(/fontkit|readFile|\.otf['"]\)/);
  });
});

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

describe('themes', () => {
  it.each(['light', 'dark'] as const)('%s: every text role is readable on the background and on its box', (name) => {
    const p = themes[name];
    for (const [role, paint] of Object.entries(ROLE_PAINT)) {
      if (paint.fill === 'none' || paint.stroke !== 'none' || role === 'background') continue;
      const ink = p[paint.fill];
      expect(contrast(ink, p.background), `${name} ${role} on background`).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast(p.foreground, p.stateFill)).toBeGreaterThanOrEqual(7);
    expect(contrast(p.foreground, p.noteFill)).toBeGreaterThanOrEqual(7);
    expect(contrast(p.line, p.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.lost, p.background)).toBeGreaterThanOrEqual(3);
  });

  it('dark is designed, not an inversion of light', () => {
    const inv = (hex: string) => '#' + [1, 3, 5].map((i) => (255 - parseInt(hex.slice(i, i + 2), 16)).toString(16).padStart(2, '0')).join('');
    const same = (Object.keys(themes.light) as Array<keyof typeof themes.light>).filter((k) => inv(themes.light[k]) === themes.dark[k]);
    expect(same).toEqual([]);
  });

  it('paintFor and rolePaint agree', () => {
    expect(paintFor('segment')).toEqual({ fill: 'none', stroke: 'line', strokeWidth: 1.4 });
    expect(rolePaint('label', themes.dark)).toEqual({ fill: themes.dark.foreground, stroke: null, strokeWidth: 0 });
    expect(rolePaint('state-box', themes.light)).toEqual({ fill: themes.light.stateFill, stroke: themes.light.stateStroke, strokeWidth: 1 });
  });
});
