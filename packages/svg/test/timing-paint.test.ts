/**
 * Arrowheads take their segment's colour in the SVG (class + stylesheet rule) and in the PDF paint table: an
 * orange retransmission with a black head reads as two different things.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { themes } from '@wiregram/layout';
import { renderSvg } from '@wiregram/svg';
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
