/**
 * Steps on HTML slides: the `steps` fence flag, and the SVG's step groups. The step of every item is layout's
 * (the number `wiregram deck --steps` pages by), so the SVG at step k shows exactly what page k+1 of the PDF
 * deck shows — checked against the PDF's own text (pdftotext). The Markdown plugins carry the flag through.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { parseFenceMeta, WiregramError } from '@wiregram/core';
import { layoutSource } from '@wiregram/layout';
import { renderSvg } from '@wiregram/svg';
import { renderPdf } from '@wiregram/pdf';
import markdownItWiregram from 'markdown-it-wiregram';
import remarkWiregram from 'remark-wiregram';
import { stepsAsClicks } from '@wiregram/slidev';
import { elements, exampleBlocks, parseSvg } from './support/svg.js';
import type { Element } from '@xmldom/xmldom';

const tmp = mkdtempSync(join(tmpdir(), 'wiregram-steps-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The step an SVG element is shown at: its step group's number, 0 outside one. */
function stepOfNode(el: Element): number {
  for (let e: Element | null = el.parentNode as Element | null; e && e.nodeName !== 'svg'; e = e.parentNode as Element | null) {
    if (e.nodeName === 'g' && e.getAttribute('data-wg-step')) return Number(e.getAttribute('data-wg-step'));
  }
  return 0;
}

/** The drawn elements of a wiregram SVG in drawing order (step groups looked through). */
function drawn(svg: string): Element[] {
  const root = parseSvg(svg).documentElement!;
  const out: Element[] = [];
  const walk = (el: Element) => {
    for (const c of Array.from(el.childNodes)) {
      if (c.nodeType !== 1) continue;
      const e = c as Element;
      if (e.nodeName === 'g') walk(e);
      else if (!['title', 'desc', 'style'].includes(e.nodeName)) out.push(e);
    }
  };
  walk(root as unknown as Element);
  return out;
}

const pdfText = (pdf: Uint8Array, page: number): string => {
  const file = join(tmp, 'deck.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
};

const timing = exampleBlocks().filter((b) => b.language === 'tcp-sequence' && !/capture /.test(b.source));

describe('the steps fence flag', () => {
  it('bare `steps` (alone among the bare words) or steps=true/false; inside a caption it stays a word', () => {
    expect(parseFenceMeta('steps')).toMatchObject({ caption: null, options: { steps: true }, problems: [] });
    expect(parseFenceMeta('title="Handshake" steps style=lifeline')).toMatchObject({ caption: 'Handshake', options: { steps: true, style: 'lifeline' } });
    expect(parseFenceMeta('steps=false')).toMatchObject({ options: { steps: false } });
    expect(parseFenceMeta('Handshake in three steps')).toMatchObject({ caption: 'Handshake in three steps', options: {} });
    const bad = parseFenceMeta('steps=yes');
    expect(bad.options).toEqual({});
    expect(bad.problems).toEqual([expect.objectContaining({ code: 'invalid-meta-value', key: 'steps', value: 'yes', expected: expect.stringContaining('true, false') })]);
    expect(parseFenceMeta('stpes=true').problems[0]?.hint).toBe('did you mean steps=?');
  });

  it('an svg option that is not a boolean is a typed error', () => {
    expect(() => renderSvg('participant a\nparticipant b\na -> b: SYN', { steps: 'yes' as unknown as boolean })).toThrow(WiregramError);
  });
});

describe('SVG step groups', () => {
  it('every drawn item sits in the group of its layout step, in the layout order; steps off changes nothing', () => {
    expect(timing.length).toBeGreaterThan(10);
    for (const block of timing) {
      const scene = layoutSource(block.source);
      const svg = renderSvg(block.source, { steps: true });
      const nodes = drawn(svg);
      expect(nodes.map((n) => n.getAttribute('class')), block.name).toEqual(scene.items.map((i) => 'wg-' + i.role));
      const want = scene.items.map((i) => (Number.isFinite(i.step) && i.step > 0 ? Math.floor(i.step) : 0));
      expect(nodes.map(stepOfNode), block.name).toEqual(want);
      const last = Math.max(0, ...want);
      expect(parseSvg(svg).documentElement!.getAttribute('data-wg-steps'), block.name).toBe(last > 0 ? String(last) : '');
      // Each segment line is its own step: one more per step (the order the deck pages by).
      const segments = nodes.filter((n) => /^wg-segment/.test(n.getAttribute('class') ?? '')).map(stepOfNode);
      expect(segments.every((s) => s > 0), block.name).toBe(true);
      // Without steps: no group, no step attribute — the SVG a page without slides gets.
      const plain = renderSvg(block.source);
      expect(plain).not.toMatch(/wg-step|data-wg-step/);
      expect(drawn(plain).map((n) => n.getAttribute('class'))).toEqual(nodes.map((n) => n.getAttribute('class')));
    }
  });

  it('a header has no steps: no group, no data-wg-steps', () => {
    const svg = renderSvg('tcp', { language: 'packet-header', steps: true });
    expect(svg).not.toMatch(/wg-step/);
  });

  it('the SVG at step k shows the labels page k+1 of the PDF step deck shows (pdftotext)', () => {
    const picked = ['three-way-handshake-1', 'lost-last-ack-1', 'four-way-wavehand-1'].map((n) => timing.find((b) => b.name === n)!);
    for (const block of picked) {
      expect(block).toBeDefined();
      const svg = renderSvg(block.source, { steps: true });
      const labels = drawn(svg).filter((n) => n.getAttribute('class') === 'wg-label').map((n) => ({ text: n.textContent ?? '', step: stepOfNode(n) }));
      const texts = drawn(svg).filter((n) => n.nodeName === 'text').map((n) => n.textContent ?? '');
      // A label another text contains cannot be told apart in the page's text: left out. A label drawn twice
      // (a retransmission) is on the page from its first step on.
      const first = new Map<string, number>();
      for (const l of labels) first.set(l.text, Math.min(first.get(l.text) ?? Infinity, l.step));
      const distinct = [...first].map(([text, step]) => ({ text, step })).filter((l) => !texts.some((t) => t !== l.text && t.includes(l.text)));
      expect(distinct.length, block.name).toBeGreaterThanOrEqual(3);
      const last = Number(parseSvg(svg).documentElement!.getAttribute('data-wg-steps'));
      const pdf = renderPdf(block.source, { steps: true });
      for (let k = 0; k <= last; k++) {
        const page = pdfText(pdf, k + 1).replace(/\s+/g, ' ');
        for (const l of distinct) expect([block.name, k, l.text, page.includes(l.text)]).toEqual([block.name, k, l.text, l.step <= k]);
      }
    }
  });
});

describe('the Markdown plugins carry the flag', () => {
  const md = '```tcp-sequence steps\nparticipant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\n```\n\n```tcp-sequence Two steps\nparticipant a\nparticipant b\na -> b: SYN\n```\n';

  it('markdown-it-wiregram', () => {
    const html = new MarkdownIt().use(markdownItWiregram).render(md);
    expect(html.match(/data-wg-steps="2"/g)).toHaveLength(1);
    expect(html.match(/<g class="wg-step" data-wg-step="\d"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('<figcaption>Two steps</figcaption>');
    // Site-wide option: every timing diagram.
    expect(new MarkdownIt().use(markdownItWiregram, { steps: true }).render(md).match(/data-wg-steps=/g)).toHaveLength(2);
  });

  it('remark-wiregram', () => {
    const html = String(unified().use(remarkParse).use(remarkWiregram).use(remarkRehype).use(rehypeStringify).processSync(md));
    expect(html.match(/data-wg-steps="2"/g)).toHaveLength(1);
    expect(html.match(/<g class="wg-step" data-wg-step="1"/g)?.length).toBeGreaterThanOrEqual(1);
  });

  it('@wiregram/slidev turns each step group into a v-click at its step', () => {
    const html = new MarkdownIt().use(markdownItWiregram, { vue: true }).render(md);
    const clicks = stepsAsClicks(html);
    expect([...clicks.matchAll(/data-wg-step="(\d+)"[^>]*v-click="(\d+)"/g)].every((m) => m[1] === m[2])).toBe(true);
    expect(clicks.match(/v-click=/g)?.length).toBe(html.match(/data-wg-step=/g)?.length);
    // Author text that looks like a step group stays text.
    const sneaky = new MarkdownIt().use(markdownItWiregram).render('```tcp-sequence steps\nparticipant a\nparticipant b\na -> b: SYN\nnote over a: <g class="wg-step" data-wg-step="1">\n```\n');
    expect(stepsAsClicks(sneaky).match(/v-click=/g)?.length).toBe(sneaky.match(/<g class="wg-step"/g)?.length);
  });
});
