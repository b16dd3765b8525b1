import { layoutSource } from '@wiregram/layout';
import { describe, expect, it } from 'vitest';
import { MIN_TEXT_PT, renderDeck, renderPdf } from '../src/index.js';
import { pageTextSizes, pdfFile, pdfInfo, pdfText } from './helpers.js';
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
  }, 120_000); // 5,000 segments laid out, drawn and read back by pdftotext: slow on a loaded machine

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

describe('fixed page sizes: a tall diagram is split at a readable scale instead of shrunk', () => {
  const labelsOf = (source: string, style: 'states' | 'flow') =>
    layoutSource(source, { style }).items.filter((i) => i.type === 'text' && i.role === 'label').map((i) => (i as { text: string }).text);
  const cases = [
    { size: 'a4', source: bulk(297), style: 'states', page: [595.28, 841.89] },
    { size: '16:9', source: bulk(37), style: 'states', page: [960, 540] },
    { size: 'letter', source: bulk(120), style: 'flow', page: [612, 792] },
  ] as const;

  it('the minimum is a print size: 6–7 pt', () => {
    expect(MIN_TEXT_PT).toBeGreaterThanOrEqual(6);
    expect(MIN_TEXT_PT).toBeLessThanOrEqual(7);
  });

  it.each(cases)('$size, $style: several pages of the same size, every label once, no text under the minimum', ({ size, source, style, page }) => {
    const bytes = renderPdf(source, { pageSize: size, style, title: 'Bulk transfer' });
    const path = pdfFile(bytes, `fixed-${size.replace(':', 'x')}`);
    const info = pdfInfo(path);
    expect(info.pages).toBeGreaterThan(1);
    for (const [w, h] of info.sizes) {
      expect(w).toBeCloseTo(page[0], 1);
      expect(h).toBeCloseTo(page[1], 1);
    }
    const counts = new Map<string, number>();
    for (const l of lines(pdfText(path))) counts.set(l, (counts.get(l) ?? 0) + 1);
    const labels = labelsOf(source, style);
    expect(labels.length).toBe(source.trim().split('\n').length);
    expect(labels.filter((l) => counts.get(l) !== 1)).toEqual([]);
    // The page title on the first page only; the participant header on every page.
    expect(counts.get('Bulk transfer')).toBe(1);
    expect(pdfText(path, 1)).toContain('Bulk transfer');
    for (let p = 1; p <= info.pages; p++) {
      const text = pdfText(path, p);
      expect(text).toContain('client');
      expect(text).toContain('server');
    }
    const sizes = pageTextSizes(bytes);
    expect(sizes.length).toBe(info.pages);
    for (const s of sizes) {
      expect(s.length).toBeGreaterThan(0);
      expect(Math.min(...s)).toBeGreaterThanOrEqual(MIN_TEXT_PT - 1e-3);
    }
    // One scale for the whole diagram: the repeated header's names are the same size on every page.
    const body = sizes.map((s) => Math.min(...s));
    const largest = sizes.slice(1).map((s) => Math.max(...s));
    for (const b of body) expect(b).toBeCloseTo(body[0]!, 3);
    for (const l of largest) expect(l).toBeCloseTo(largest[0]!, 3);
  });

  it('the pages are few: each is filled, not one row per page', () => {
    const bytes = renderPdf(bulk(297), { pageSize: 'a4' });
    const scene = layoutSource(bulk(297));
    const sizes = pageTextSizes(bytes);
    const scale = MIN_TEXT_PT / Math.min(...scene.items.filter((i) => i.type === 'text').map((i) => (i as { fontSize: number }).fontSize));
    const pages = pdfInfo(pdfFile(bytes)).pages;
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThanOrEqual(Math.ceil((scene.height * scale) / (841.89 - 72 - 60)) + 1);
    expect(sizes.length).toBe(pages);
  });

  it('a short diagram stays one page at its old size; split output is byte-identical across runs', () => {
    for (const pageSize of ['a4', '16:9', 'letter', '4:3'] as const) {
      expect(pdfInfo(pdfFile(renderPdf(HANDSHAKE, { pageSize }))).pages).toBe(1);
      // 10 segments still fit a page with text at or above the minimum.
      const one = renderPdf(bulk(7), { pageSize });
      expect(pdfInfo(pdfFile(one)).pages).toBe(1);
    }
    const a = renderPdf(bulk(297), { pageSize: 'a4', title: true });
    const b = renderPdf(bulk(297), { pageSize: 'a4', title: true });
    expect(pdfInfo(pdfFile(a)).pages).toBeGreaterThan(1);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('step decks keep one page per step (scaled to fit), and decks split only the tall diagram', () => {
    const steps = renderPdf(bulk(37), { pageSize: '16:9', steps: true });
    expect(pdfInfo(pdfFile(steps)).pages).toBe(41);
    const deck = renderDeck([HANDSHAKE, bulk(297)], { pageSize: 'a4' });
    const alone = pdfInfo(pdfFile(renderPdf(bulk(297), { pageSize: 'a4' }))).pages;
    expect(alone).toBeGreaterThan(1);
    expect(pdfInfo(pdfFile(deck)).pages).toBe(1 + alone);
  });
});

describe('renderPdf validates layout options too', () => {
  it('style, labelStyle and theme name the option and suggest', () => {
    expect(thrown(() => renderPdf(HANDSHAKE, { style: 'zigzag' as never })).reason).toContain('option style:');
    expect(thrown(() => renderPdf(HANDSHAKE, { labelStyle: 'textbok' as never })).hint).toBe("did you mean labelStyle: 'textbook'?");
    expect(thrown(() => renderPdf(HANDSHAKE, { theme: 'drak' as never })).hint).toBe("did you mean theme: 'dark'?");
  });
});
