/**
 * The body is written straight from the Scene in three forms — the text (`partsToXml`), the element description
 * (`partsToTree`) and a host's own tree (`partsToTreeWith`, remark's hast) — from one decision per item
 * (`itemAttrs`). They must agree exactly, on every kind of item the Scene has and on author text.
 */
import type { Scene, SceneItem } from '@wiregram/layout';
import { describe, expect, it } from 'vitest';
import { describeParts, num, partsToTree, partsToTreeWith, partsToXml } from '../src/describe.js';
import { NODES } from './nodes-builder.js';
import { render, renderedTreeWith, svgLengthOf } from '../src/render.js';
import { serialize } from '../src/xml.js';

const items: SceneItem[] = [
  { type: 'rect', role: 'background', step: 0, x: 0, y: 0, width: 300, height: 200, rx: 0 },
  { type: 'rect', role: 'note-box', step: 1, x: 10.123, y: -0.004, width: -5, height: 20.5, rx: 2, dash: [4, 3], color: '#ff0000' },
  { type: 'line', role: 'segment', step: 1, x1: 1.005, y1: 2.675, x2: -3.333, y2: 4, dash: [6, 4.5] },
  { type: 'polygon', role: 'arrowhead', step: 2, points: [[1, 2], [3.14159, -2.5], [0.001, 1e-9]], color: 'teal' },
  { type: 'polyline', role: 'timer', step: 2, points: [[0, 0], [5, 5]], dash: [4, 3] },
  { type: 'text', role: 'label', step: 2, x: 50.5, y: 60, text: 'a < b & "c" \u0001 \ud800', fontSize: 12, anchor: 'middle', fontWeight: 'bold', width: 40, ascent: 10, descent: 3, title: 'full <label> & more' },
  { type: 'text', role: 'state', step: 0, x: 5, y: 6, text: '', fontSize: 11.5, anchor: 'start', fontWeight: 'normal', width: 0, ascent: 10, descent: 3 },
  { type: 'text', role: 'field', step: 3, x: 5, y: 6, text: '', fontSize: 11, anchor: 'end', fontWeight: 'normal', width: 0, ascent: 10, descent: 3, title: 'x' },
  { type: 'text', role: 'ruler-label', step: 3, x: 7, y: 8, text: 'SYN', fontSize: 10, anchor: 'middle', fontWeight: 'normal', width: 20, ascent: 8, descent: 2, rotate: -90 },
  { type: 'rect', role: 'label-mark' as SceneItem['role'], step: 0, x: 1, y: 1, width: 1, height: 1, rx: 0, color: 'not a colour' },
] as SceneItem[];
const scene: Scene = { width: 300.4, height: 199.996, title: 'A <title> & "q"', description: '', fontFamily: "'Noto Sans', sans-serif", items, steps: 3 };

describe('the three writers of a diagram', () => {
  for (const options of [{}, { steps: true }, { styles: 'resolved' as const, theme: 'dark' as const, steps: true }, { styles: 'page' as const, idPrefix: 'p-' }]) {
    it(`agree byte for byte (${JSON.stringify(options)})`, () => {
      const parts = describeParts(scene, options);
      const text = partsToXml(parts);
      expect(serialize(partsToTree(parts))).toBe(text);
      expect(serialize(partsToTreeWith(parts, NODES))).toBe(text);
      // The length a tree host's page budget counts while making the tree (one pass): the text's, exactly.
      const size = { bytes: 0 };
      partsToTreeWith(parts, NODES, size);
      expect(size.bytes).toBe(text.length);
      expect(text).toContain('<title>full &lt;label&gt; &amp; more</title>');
      expect(text).not.toContain('<b>');
    });
  }

  it('gives render() results the same text, tree, host tree and length, whichever is asked for first', () => {
    const source = 'participant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK';
    for (const options of [{}, { steps: true }, { style: 'lifeline' as const, styles: 'page' as const }]) {
      const a = render(source, options);
      const b = render(source, options);
      const c = render(source, options);
      const length = svgLengthOf(a); // counted from the layout: neither the text nor a tree made yet
      expect(serialize(renderedTreeWith(b, NODES)!)).toBe(a.svg);
      expect(serialize(c.tree)).toBe(a.svg);
      expect(svgLengthOf(c)).toBe(a.svg.length);
      expect(length).toBe(a.svg.length);
    }
    expect(renderedTreeWith({ svg: '<svg/>' }, NODES)).toBeNull();
  });

  it('writes numbers as String(Math.round(n * 100) / 100) does', () => {
    const reference = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100 || 0));
    const values = [0.005, -0.005, 0.0049, -0.0051, 0.125, 1.005, 2.675, -1.005, 1e-7, 99.999, -99.995, 1e13 + 0.5, -1e13 - 0.25, 1e15 + 0.5, 123456789.129];
    for (let k = -30000; k <= 30000; k += 7) values.push(k / 1000, k / 100 + 0.004, k / 300);
    const wrong = values.filter((v) => num(v) !== reference(v)).map((v) => `${v}: ${num(v)} ≠ ${reference(v)}`);
    expect(wrong).toEqual([]);
    expect(values.length).toBeGreaterThan(25000);
  });
});
