import { layoutSource } from '@wiregram/layout';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../src/index.js';
import { pdfFile, pdfInfo, pdfText } from './helpers.js';
import { thrown } from '../../../test/support/errors.js';

const HANDSHAKE = 'client -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';
const bulk = (n: number) => HANDSHAKE + 'client -> server: PSH, ACK len=100\n'.repeat(n);
// Whole lines: a label may be a substring of another ("ACK, seq=1, ack=1" in "PSH, ACK, seq=1, ack=1, len=100").
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

describe('fit: a tall timing diagram is split across pages no viewer refuses', () => {
  const source = bulk(5000);

  it.each(['states', 'flow'] as const)('5,000 segments (%s): several pages ≤ 14,400 pt, every label exactly once', (style) => {
    const scene = layoutSource(source, { style });
    const bytes = renderPdf(source, { style, title: 'Bulk transfer' });
    const path = pdfFile(bytes, `bulk-${style}`);
    const info = pdfInfo(path);
    // At natural size (0.75 pt/px) the diagram alone is far past the limit.
    expect(scene.height * 0.75).toBeGreaterThan(14400 * 5);
    expect(info.pages).toBeGreaterThanOrEqual(Math.ceil((scene.height * 0.75) / 14400));
    expect(info.pages).toBeLessThan(Math.ceil((scene.height * 0.75) / 14400) * 2);
    for (const [w, h] of info.sizes) {
      expect(h).toBeLessThanOrEqual(14400);
      expect(w).toBeLessThanOrEqual(14400);
      // Natural size kept: every page as wide as the unsplit diagram (no shrinking via /UserUnit).
      expect(w).toBeCloseTo(info.sizes[0]![0], 1);
    }
    const counts = new Map<string, number>();
    for (const l of lines(pdfText(path))) counts.set(l, (counts.get(l) ?? 0) + 1);
    const labels = scene.items.filter((i) => i.type === 'text' && i.role === 'label').map((i) => (i as { text: string }).text);
    expect(labels.length).toBe(5003);
    // Each label is unique here (seq numbers grow), so "exactly once" is a count of 1 per label.
    const missing = labels.filter((l) => counts.get(l) !== 1);
    expect(missing).toEqual([]);
    expect(counts.get('Bulk transfer')).toBe(1);
    // The participant header is repeated on every page.
    for (let p = 1; p <= info.pages; p++) {
      const page = pdfText(path, p);
      expect(page).toContain('client');
      expect(page).toContain('server');
    }
  });

  it('pages end at row boundaries: no label is split between two pages', () => {
    const path = pdfFile(renderPdf(bulk(3000), { style: 'flow' }), 'rows');
    const info = pdfInfo(path);
    expect(info.pages).toBeGreaterThan(1);
    for (let p = 1; p <= info.pages; p++) {
      // Every label line on a page is complete (a split label would lose its Len= tail or its head).
      for (const line of pdfText(path, p).split('\n').filter((l) => l.includes('Seq='))) {
        expect(line).toMatch(/^(?:54321 → 80|80 → 54321) \[[A-Z, ]+\] Seq=\d+ .*Len=\d+$/);
      }
    }
  });

  it('a diagram under the limit stays one page, and the split output is byte-identical across runs', () => {
    expect(pdfInfo(pdfFile(renderPdf(bulk(50)))).pages).toBe(1);
    const a = renderPdf(bulk(1500), { style: 'lifeline' });
    const b = renderPdf(bulk(1500), { style: 'lifeline' });
    expect(pdfInfo(pdfFile(a)).pages).toBeGreaterThan(1);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('renderPdf validates layout options too', () => {
  it('style, labelStyle and theme name the option and suggest', () => {
    expect(thrown(() => renderPdf(HANDSHAKE, { style: 'zigzag' as never })).reason).toContain('option style:');
    expect(thrown(() => renderPdf(HANDSHAKE, { labelStyle: 'textbok' as never })).hint).toBe("did you mean labelStyle: 'textbook'?");
    expect(thrown(() => renderPdf(HANDSHAKE, { theme: 'drak' as never })).hint).toBe("did you mean theme: 'dark'?");
  });
});
