/**
 * Arrowheads take their segment's colour in the SVG (class + stylesheet rule) and in the PDF paint table: an
 * orange retransmission with a black head reads as two different things.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { themes, type Scene } from '@wiregram/layout';
import { renderSvg, sceneToSvg } from '@wiregram/svg';
import { describe, expect, it } from 'vitest';
import { paintFor } from '../../pdf/src/paint.js';
import { elements, parseSvg } from '../../../test/support/svg.js';

const md = readFileSync(fileURLToPath(new URL('../../../examples/lost-last-ack.md', import.meta.url)), 'utf8');
const SOURCE = /```tcp-sequence\n([\s\S]*?)```/.exec(md)![1]!;
// An ACK that acknowledges the wrong number, on purpose: accepted and marked as an override.
const OVERRIDE = 'participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK ack=y\n';

describe.each(['states', 'lifeline', 'flow'] as const)('%s', (style) => {
  it('retransmitted segments have retransmission-coloured heads, ordinary ones plain heads', () => {
    const svg = renderSvg(SOURCE, { style, theme: 'light' });
    const doc = parseSvg(svg);
    const heads = elements(doc, 'polygon').map((p) => p.getAttribute('class'));
    expect(heads.filter((c) => c === 'wg-arrowhead-retransmission')).toHaveLength(2);
    expect(heads.filter((c) => c === 'wg-arrowhead').length).toBeGreaterThanOrEqual(3);
    const css = elements(doc, 'style')[0]!.textContent ?? '';
    expect(css).toMatch(/\.wg-arrowhead-retransmission\{fill:var\(--wg-retransmission\)/);
    expect(css).toMatch(/\.wg-segment-retransmission\{fill:none;stroke:var\(--wg-retransmission\)/);
  });

  it('an overridden segment has an override-coloured head', () => {
    const svg = renderSvg(OVERRIDE, { style, theme: 'dark' });
    const heads = elements(parseSvg(svg), 'polygon').map((p) => p.getAttribute('class'));
    expect(heads).toContain('wg-arrowhead-override');
    expect(svg).toMatch(/\.wg-arrowhead-override\{fill:var\(--wg-override\)/);
  });
});

it('the PDF paints the heads with the same colours as their lines', () => {
  for (const theme of ['light', 'dark'] as const) {
    const p = themes[theme];
    const head = (role: 'arrowhead' | 'arrowhead-retransmission' | 'arrowhead-override') => paintFor({ type: 'polygon', role, step: 0, points: [] }, p).fill;
    expect(head('arrowhead-retransmission')).toBe(p.retransmission);
    expect(head('arrowhead-override')).toBe(p.override);
    expect(head('arrowhead')).toBe(p.line);
  }
});

it('author colours: the SVG and the PDF draw the same ones and drop the same ones', () => {
  const base = { type: 'rect', role: 'note-box', step: 0, x: 0, y: 0, width: 40, height: 20, rx: 0 } as const;
  const scene = (color: string): Scene => ({ width: 60, height: 40, title: 't', description: 'd', fontFamily: 'sans-serif', steps: 0, items: [{ ...base, color }] });
  const light = themes.light;
  for (const color of ['#ffcc00', '#f0c', 'teal']) {
    expect(sceneToSvg(scene(color), { theme: 'light' })).toContain(`fill:${color}`);
    expect(paintFor({ ...base, color }, light).fill).not.toBe(paintFor(base, light).fill);
  }
  // Not a colour the core accepts: neither backend draws it (the PDF could, the SVG would not — they must agree).
  for (const color of ['rgb(1,2,3)', '#ffcc0080', 'notacolour', 'red" onload="x']) {
    expect(sceneToSvg(scene(color), { theme: 'light' })).not.toContain(color);
    expect(paintFor({ ...base, color }, light)).toEqual(paintFor(base, light));
  }
});
