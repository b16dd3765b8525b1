/**
 * `crash A` is drawn as a bolt across A's lifeline (or state column) with the word "crash", in every timing style,
 * in SVG and in PDF: RFC 9293 Figure 9 (half-open connection discovery) as the example page draws it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '@wiregram/pdf';
import { renderSvg } from '@wiregram/svg';
import { elements, overlaps, parseSvg, textBoxes } from './support/svg.js';

const page = readFileSync(fileURLToPath(new URL('../examples/rfc9293-fig09-half-open-discovery.md', import.meta.url)), 'utf8');
const source = /```tcp-sequence\n([\s\S]*?)```/.exec(page)![1]!;
const points = (el: { getAttribute(n: string): string | null }) =>
  el
    .getAttribute('points')!
    .trim()
    .split(/\s+/)
    .map((p) => p.split(',').map(Number) as [number, number]);

describe('crash A: the mark', () => {
  for (const style of ['states', 'lifeline', 'flow'] as const) {
    it(`${style}: a bolt across A's lifeline before A's new SYN, the word beside it, nothing overlapping`, () => {
      const doc = parseSvg(renderSvg(source, { style }));
      const bolts = elements(doc, 'polyline').filter((p) => p.getAttribute('class') === 'wg-loss-cross');
      expect(bolts).toHaveLength(1);
      const pts = points(bolts[0]!);
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      // A is the first (leftmost) lifeline.
      const lifelines = elements(doc, 'line').filter((l) => l.getAttribute('class') === 'wg-lifeline' && l.getAttribute('x1') === l.getAttribute('x2'));
      const ax = Math.min(...lifelines.map((l) => Number(l.getAttribute('x1'))));
      const aLife = lifelines.find((l) => Number(l.getAttribute('x1')) === ax);
      const across = style === 'states' ? (Math.min(...xs) + Math.max(...xs)) / 2 : ax;
      expect(Math.min(...xs)).toBeLessThan(across);
      expect(Math.max(...xs)).toBeGreaterThan(across);
      if (aLife) expect(Math.min(...ys)).toBeGreaterThan(Number(aLife.getAttribute('y1')));
      // Before A's new SYN (the first arrow) leaves.
      const texts = textBoxes(doc);
      const syn = texts.find((t) => /SYN/.test(t.text))!;
      expect(Math.max(...ys)).toBeLessThan(syn.y2 + 1);
      const word = texts.filter((t) => t.text === 'crash');
      expect(word).toHaveLength(1);
      expect(Math.abs((word[0]!.y1 + word[0]!.y2) / 2 - (Math.min(...ys) + Math.max(...ys)) / 2)).toBeLessThan(20);
      expect(overlaps(texts)).toEqual([]);
      expect(doc.getElementsByTagName('desc')[0]!.textContent).toMatch(/TCP Peer A enters CLOSED \(crash: every connection lost\)/);
    });
  }

  it('PDF: the word is in the text layer and the page renders', () => {
    const dir = '/tmp/wg-crash-test';
    mkdirSync(dir, { recursive: true });
    for (const style of ['states', 'lifeline', 'flow'] as const) {
      const file = join(dir, `fig9-${style}.pdf`);
      writeFileSync(file, renderPdf(source, { style }));
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('crash');
      expect(text).toContain(style === 'flow' ? '[SYN] Seq=0' : 'seq=400');
      execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, join(dir, `fig9-${style}`)]);
      expect(readFileSync(join(dir, `fig9-${style}.png`)).length).toBeGreaterThan(2000);
    }
  });
});
