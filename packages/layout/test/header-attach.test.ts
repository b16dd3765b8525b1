import { describe, expect, it } from 'vitest';
import { itemBox, layoutSource, textBox, type Box, type SceneText } from '@wiregram/layout';
import { compileSequence } from '@wiregram/core';
import { attachSegmentHeaders, layoutTimeline } from '@wiregram/layout';

const SRC = `participant client
participant server
isn client=1000 server=5000
client -> server: SYN
header
server -> client: SYN, ACK
client -> server: ACK
header 2
`;
const overlap = (a: Box, b: Box) => Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5;

describe('header statements inside tcp-sequence', () => {
  const plain = layoutSource(SRC.replace(/^header.*\n/gm, ''));
  const s = layoutSource(SRC);
  const texts = s.items.filter((i): i is SceneText => i.type === 'text');

  it('draws each requested segment header, with its values, below the diagram', () => {
    expect(s.height).toBeGreaterThan(plain.height + 100);
    const titles = texts.filter((t) => t.role === 'title').map((t) => t.text);
    expect(titles).toEqual(expect.arrayContaining([expect.stringMatching(/^1\. client → server: SYN/), expect.stringMatching(/^2\. server → client: SYN, ACK/)]));
    const values = texts.filter((t) => t.role === 'field-value').map((t) => t.text);
    expect(values).toEqual(expect.arrayContaining(['1000', '5000', '1001']));
    const fieldsTop = Math.min(...s.items.filter((i) => i.role === 'field-box').map((i) => itemBox(i).y1));
    expect(fieldsTop).toBeGreaterThanOrEqual(plain.height - 8);
  });

  it('shows each header with its segment in step decks, keeps texts apart and inside', () => {
    const first = s.items.filter((i) => i.role === 'field-box').map((i) => i.step);
    expect(new Set(first)).toEqual(new Set([1, 2]));
    for (const t of texts) {
      const b = textBox(t);
      expect(b.x1 >= -0.5 && b.y1 >= -0.5 && b.x2 <= s.width + 0.5 && b.y2 <= s.height + 0.5, t.text).toBe(true);
    }
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) expect(overlap(textBox(texts[i]!), textBox(texts[j]!)), `${texts[i]!.text} × ${texts[j]!.text}`).toBe(false);
    const bg = s.items.find((i) => i.role === 'background' && i.type === 'rect' && i.x === 0 && i.y === 0)!;
    expect(itemBox(bg)).toEqual({ x1: 0, y1: 0, x2: s.width, y2: s.height });
    expect(s.description).toContain('Header of segment 2');
  });

  it('leaves a diagram without header statements untouched', () => {
    const tl = compileSequence(SRC.replace(/^header.*\n/gm, ''));
    const scene = layoutTimeline(tl);
    expect(attachSegmentHeaders(scene, tl)).toBe(scene);
  });
});
