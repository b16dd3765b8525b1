/**
 * run()'s lazy drawing in real Chromium (src/lazy.ts): on a long page the figures near the viewport are drawn
 * before run() returns and the others when scrolled near, printed, or asked for with drawPending(); a waiting
 * figure already has its final size and accessible name (nothing on the page moves when the drawing arrives),
 * and what is drawn late is the same markup an eager run() draws.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForFile, pageErrors, serveDirectory } from '../../../test/support/chromium.js';
import { shapePage } from '../../../test/support/static-sites.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const site = mkdtempSync(join(tmpdir(), 'wg-lazy-'));
copyFileSync(join(DIST, 'wiregram.min.js'), join(site, 'wiregram.min.js'));
const browser = browserForFile(() => rmSync(site, { recursive: true, force: true }));

/** 40 different diagrams: handshakes, transfers and headers, so the figures have different heights. */
const BLOCKS = Array.from({ length: 40 }, (_, i) =>
  i % 3 === 2
    ? { language: 'packet-header', source: i % 2 ? 'tcp' : 'udp' }
    : { language: 'tcp-sequence', source: `participant c${i}\nparticipant s${i}\nisn c${i}=${i} s${i}=${i * 5}\nc${i} -> s${i}: SYN\ns${i} -> c${i}: SYN, ACK\nc${i} -> s${i}: ACK${i % 3 ? `\nc${i} -> s${i}: PSH, ACK len=${10 + i}\ns${i} -> c${i}: ACK` : ''}` },
);

type Shot = { waiting: number; rendered: number; drawn: boolean[]; heights: number[]; titles: string[]; scroll: number };

async function open(options: string, name: string, width = 1000, style = ''): Promise<{ page: Page; errors: string[] }> {
  writeFileSync(join(site, name), shapePage('markdown-it', BLOCKS, `<script type="module">import * as w from '/wiregram.min.js'; window.w = w; window.result = w.run(${options}); window.done = true;</script>`).replace('</head>', `${style}</head>`));
  const page = await browser().newPage();
  await page.setViewportSize({ width, height: 700 });
  const errors = pageErrors(page);
  const origin = await serveDirectory(page, site);
  await page.goto(`${origin}/${name}`);
  await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 20_000 });
  return { page, errors };
}

/** Which figures hold their drawing, their heights, their accessible names, the page's height. */
const look = (page: Page): Promise<Shot> =>
  page.evaluate(() => {
    const figs = Array.from(document.querySelectorAll('figure.wiregram > svg'));
    const r = (window as unknown as { result: { waiting: number; rendered: number } }).result;
    return {
      waiting: r.waiting,
      rendered: r.rendered,
      drawn: figs.map((svg) => svg.querySelector(':scope > :not(title, desc)') !== null),
      heights: figs.map((svg) => Math.round(svg.getBoundingClientRect().height * 10) / 10),
      titles: figs.map((svg) => document.getElementById(svg.getAttribute('aria-labelledby') ?? '')?.textContent ?? ''),
      scroll: document.documentElement.scrollHeight,
    };
  });

describe('lazy run()', () => {
  // 320 px: a phone, where the diagrams are scaled down to the column's width.
  it.each([1000, 320])('draws what is near the viewport at once, the rest when scrolled to, each at its final size from the start (%i px wide)', async (width) => {
    const { page, errors } = await open('', `lazy-${width}.html`, width);
    const before = await look(page);
    expect(before.rendered).toBe(40);
    expect(await page.evaluate(() => window.innerWidth)).toBe(width);
    // At 320 px the diagrams are scaled down to the column (narrower than their viewBox).
    if (width === 320) expect(Math.max(...(await page.evaluate(() => Array.from(document.querySelectorAll('figure.wiregram > svg')).map((s) => s.getBoundingClientRect().width / Number(s.getAttribute('width'))))))).toBeLessThan(1);
    // The first figures (the viewport and one more viewport below) are drawn, the far ones wait.
    expect(before.drawn.slice(0, 2)).toEqual([true, true]);
    expect(before.drawn.slice(-5)).toEqual([false, false, false, false, false]);
    expect(before.waiting).toBe(before.drawn.filter((d) => !d).length);
    expect(before.waiting).toBeGreaterThan(25);
    // Judged from where the figures are (not where their shorter code blocks were): drawn are exactly the figures
    // within half a viewport height of the visible area — no more (drawing the reader cannot see yet), no fewer.
    const near = await page.evaluate(() => Array.from(document.querySelectorAll('figure.wiregram')).map((f) => {
      const r = f.getBoundingClientRect();
      return r.bottom >= -0.5 * innerHeight && r.top <= 1.5 * innerHeight;
    }));
    expect(before.drawn).toEqual(near);
    // A waiting figure already has its accessible name.
    expect(before.titles.every((t) => t.length > 0)).toBe(true);
    // Scrolled to the end: the last figures are drawn (IntersectionObserver), and nothing moved meanwhile.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('figure.wiregram > svg')).pop()!.querySelector(':scope > :not(title, desc)') !== null, undefined, { timeout: 10_000 });
    const after = await look(page);
    expect(after.drawn.slice(-3)).toEqual([true, true, true]);
    // Figures in the middle, never near the viewport, still wait.
    expect(after.drawn.some((d) => !d)).toBe(true);
    expect(after.heights).toEqual(before.heights);
    expect(after.scroll).toBe(before.scroll);
    expect(errors).toEqual([]);
    await page.close();
  });

  // The sizes reserved for the figures eager run() leaves to the browser are the measured ones: nothing moves as
  // they are scrolled to, on a phone too (diagrams scaled to the column).
  it.each([1000, 320])('run({ lazy: false }): figures away from the viewport keep their exact size until shown (%i px wide)', async (width) => {
    const { page, errors } = await open('{ lazy: false }', `eager-${width}.html`, width);
    const places = () => page.evaluate(() => ({
      scroll: document.documentElement.scrollHeight,
      tops: Array.from(document.querySelectorAll('figure.wiregram')).map((f) => Math.round((f.getBoundingClientRect().top + scrollY) * 10) / 10),
      skipped: Array.from(document.querySelectorAll('figure.wiregram')).filter((f) => (f as HTMLElement).style.contentVisibility === 'auto').length,
    }));
    const first = await places();
    expect(first.skipped).toBeGreaterThan(25);
    // Every figure shown once, top to bottom; then the page is measured again.
    await page.evaluate(async () => {
      for (const f of Array.from(document.querySelectorAll('figure.wiregram'))) {
        f.scrollIntoView();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }
      window.scrollTo(0, 0);
    });
    expect(await places()).toEqual(first);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('run({ lazy: false }) under a transform (a scaled slide) leaves every figure to be laid out as usual', async () => {
    const { page, errors } = await open('{ lazy: false }', 'eager-scaled.html', 1000, '<style>body { transform: scale(0.5); transform-origin: 0 0; }</style>');
    const styled = await page.evaluate(() => Array.from(document.querySelectorAll('figure.wiregram')).map((f) => (f as HTMLElement).style.contentVisibility));
    expect(styled).toHaveLength(40);
    expect(styled.every((v) => v === '')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws every waiting figure before printing, and on drawPending(); late figures are the same markup as eager ones', async () => {
    const lazy = await open('', 'print.html');
    const before = await look(lazy.page);
    expect(before.waiting).toBeGreaterThan(0);
    // Printing (here to PDF) fires beforeprint: every diagram is on paper.
    await lazy.page.pdf({ path: join(site, 'print.pdf') });
    const printed = await look(lazy.page);
    expect(printed.drawn.every(Boolean)).toBe(true);
    expect(printed.heights).toEqual(before.heights);
    const lazyMarkup = await lazy.page.evaluate(() => Array.from(document.querySelectorAll('figure.wiregram')).map((f) => f.outerHTML));
    // Each drawn figure is render()'s SVG for its block (same options and ids), node for node.
    const same = await lazy.page.evaluate((blocks) => {
      const { w } = window as unknown as { w: { render: (s: string, o: object) => { svg: string } } };
      return Array.from(document.querySelectorAll('figure.wiregram > svg')).map((svg, i) => {
        const b = blocks[i]!;
        const made = new DOMParser().parseFromString(w.render(b.source, { language: b.language, styles: 'page', idPrefix: svg.id }).svg, 'image/svg+xml').documentElement;
        // Parsed markup keeps `xmlns` as an attribute; in a built element it is the namespace only.
        made.removeAttribute('xmlns');
        const mine = svg.cloneNode(true) as Element;
        mine.setAttribute('class', mine.getAttribute('class')!.replace(/ wgs-\w+$/, ''));
        return made.isEqualNode(mine);
      });
    }, BLOCKS);
    expect(same).toEqual(BLOCKS.map(() => true));

    const eager = await open('{ lazy: false }', 'eager.html');
    const e = await look(eager.page);
    expect(e.waiting).toBe(0);
    expect(e.drawn.every(Boolean)).toBe(true);
    expect(e.heights).toEqual(before.heights);
    // Eager figures away from the viewport leave their style and layout to the browser (content-visibility) —
    // the only difference: the figure's style; the drawing is the same markup.
    const eagerMarkup = await eager.page.evaluate(() =>
      Array.from(document.querySelectorAll('figure.wiregram')).map((f) => {
        const copy = f.cloneNode(true) as HTMLElement;
        copy.style.removeProperty('content-visibility');
        copy.style.removeProperty('contain-intrinsic-size');
        return copy.outerHTML;
      }),
    );
    expect(lazyMarkup).toEqual(eagerMarkup);
    const skipped = await eager.page.evaluate(() => Array.from(document.querySelectorAll('figure.wiregram')).map((f) => (f as HTMLElement).style.contentVisibility === 'auto'));
    expect(skipped.slice(0, 2)).toEqual([false, false]);
    expect(skipped.slice(-5)).toEqual([true, true, true, true, true]);

    const asked = await open('', 'pending.html');
    expect((await look(asked.page)).waiting).toBeGreaterThan(0);
    await asked.page.evaluate("import('/wiregram.min.js').then((m) => m.drawPending())");
    expect((await look(asked.page)).drawn.every(Boolean)).toBe(true);
    for (const p of [lazy, eager, asked]) {
      expect(p.errors).toEqual([]);
      await p.page.close();
    }
  });
});
