/**
 * reveal.js 6 from npm (test/hosts/reveal/package-lock.json) with @wiregram/browser from packed tarballs, set up
 * as docs/recipes/reveal.md says: reveal's Markdown plugin, then `RevealWiregram`. Every diagram shows on its
 * slide, nothing is logged on the console, and a `steps` block is revealed one segment (with its label and the
 * states it changes) per → key press, in the order of `wiregram deck --steps`; light and dark themes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/chromium.js';
import { ROOT } from '../support/tarballs.js';
import { diagramsOn, duplicates, luminance, openPage, prepareSite, screenshot, serveStatic } from '../support/hosts.js';
import { shownSteps, waitForSegments } from '../support/steps.js';

let url = '';
let siteDir = '';
let browser: BrowserContext;
let close: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const site = prepareSite('reveal', ['@wiregram/browser']);
  console.log(`reveal: install ${site.installSeconds.toFixed(0)} s`);
  const server = await serveStatic(site.dir);
  const launched = await launchBrowser();
  url = server.url;
  siteDir = site.dir;
  browser = launched.browser;
  close = [launched.close, server.close];
}, 10 * 60_000);
afterAll(async () => {
  for (const c of close) await c();
});

const PRESENT = '.reveal .slides section.present';

async function indices(page: Page): Promise<{ h: number; f?: number }> {
  return page.evaluate(() => (window as unknown as { Reveal: { getIndices(): { h: number; f?: number } } }).Reveal.getIndices());
}

/** Press → and wait until the slide shows `segments` (per diagram). */
async function press(page: Page, segments: number[]) {
  await page.keyboard.press('ArrowRight');
  return waitForSegments(page, PRESENT, segments);
}

const HANDSHAKE = ['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1'];
const CLOSE = [...HANDSHAKE, 'FIN, seq=u', 'ACK, seq=v, ack=u+1', 'FIN, ACK, seq=w, ack=u+1', 'ACK, seq=u+1, ack=w+1'];

describe('reveal.js 6 + RevealWiregram (@wiregram/browser)', () => {
  it('is the deck of docs/recipes/reveal.md (its index.html and deck.md blocks are the files tested here)', () => {
    const recipe = readFileSync(join(ROOT, 'docs', 'recipes', 'reveal.md'), 'utf8');
    const blocks = Object.fromEntries([...recipe.matchAll(/^(`{3,})\w+ file=(\S+)\n([\s\S]*?)^\1$/gm)].map((m) => [m[2]!, m[3]!]));
    expect(Object.keys(blocks).sort()).toEqual(['deck.md', 'index.html']);
    for (const [name, text] of Object.entries(blocks)) expect(text, name).toBe(readFileSync(join(ROOT, 'test', 'hosts', 'reveal', name), 'utf8'));
  });

  it('draws every block of the deck; → reveals one segment per key press, in deck --steps order', async () => {
    const { page, errors } = await openPage(browser, url);
    await page.waitForFunction(() => document.querySelectorAll('svg.wg-diagram').length === 5);
    const { diagrams, ids, errorBoxes } = await diagramsOn(page);
    expect(errorBoxes).toEqual([]);
    expect(duplicates(ids)).toEqual([]);
    expect(diagrams.flatMap((d) => d.texts)).toEqual(expect.arrayContaining([...HANDSHAKE, ...CLOSE, 'Source Port', 'RST, ACK, seq=0, ack=1']));

    // Slide 1, the handshake: the participants and their first states, then one segment per press.
    expect(await indices(page)).toMatchObject({ h: 0 });
    const start = await waitForSegments(page, PRESENT, [0]);
    expect(start).toEqual({ segments: [0], labels: [[]] });
    const present = await page.locator(`${PRESENT} svg.wg-diagram`).boundingBox();
    expect(present && present.width > 200 && present.height > 150).toBe(true);
    await screenshot(page, 'reveal-steps-0-light');
    for (let k = 1; k <= HANDSHAKE.length; k++) {
      const now = await press(page, [k]);
      expect(now).toEqual({ segments: [k], labels: [HANDSHAKE.slice(0, k)] });
      // Still the same slide: the steps are fragments on it.
      expect(await indices(page)).toMatchObject({ h: 0, f: k - 1 });
      if (k === 1) await screenshot(page, 'reveal-steps-1-light');
    }
    await screenshot(page, 'reveal-steps-3-light');

    // Slide 2, a header (no steps): drawn at once, the next press goes on to slide 3.
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => (window as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal.getIndices().h === 1);
    expect((await page.locator(`${PRESENT} svg.wg-diagram text`).allTextContents())).toContain('Source Port');
    await screenshot(page, 'reveal-header-light');

    // Slide 3, open and close (renamed sequence points), seven steps.
    await page.keyboard.press('ArrowRight');
    expect(await waitForSegments(page, PRESENT, [0])).toEqual({ segments: [0], labels: [[]] });
    expect(await indices(page)).toMatchObject({ h: 2 });
    for (let k = 1; k <= CLOSE.length; k++) expect(await press(page, [k])).toEqual({ segments: [k], labels: [CLOSE.slice(0, k)] });

    // Slide 4, written in HTML with data-steps.
    await page.keyboard.press('ArrowRight');
    expect(await waitForSegments(page, PRESENT, [0])).toMatchObject({ segments: [0] });
    expect(await press(page, [1])).toEqual({ segments: [1], labels: [['SYN, seq=0']] });
    expect(await press(page, [2])).toEqual({ segments: [2], labels: [['SYN, seq=0', 'RST, ACK, seq=0, ack=1']] });

    // Back: ← hides the last step again.
    await page.keyboard.press('ArrowLeft');
    expect((await waitForSegments(page, PRESENT, [1])).segments).toEqual([1]);

    // Slide 5, <wire-gram steps>: drawn with the deck's theme, one fragment.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await waitForSegments(page, PRESENT, [0])).toMatchObject({ segments: [0] });
    expect(await indices(page)).toMatchObject({ h: 4 });
    expect(await press(page, [1])).toEqual({ segments: [1], labels: [['SYN, seq=0']] });
    expect(await page.locator(`${PRESENT} svg.wg-diagram`).getAttribute('class')).toMatch(/\bwg-light\b/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('a <wire-gram steps> that draws only after the plugin ran (DOMContentLoaded held back) is fragments too', async () => {
    // The bundle's <wire-gram>, defined while the page is parsed, draws at DOMContentLoaded; a slow script after
    // Reveal.initialize holds that back until reveal's Markdown plugin has fetched deck.md and RevealWiregram has
    // run — the order a busy machine can give the deck of index.html (its step was then shown at once, no fragment).
    const page0 = readFileSync(join(ROOT, 'test', 'hosts', 'reveal', 'index.html'), 'utf8');
    const script = `  <script>Reveal.on('ready', () => { window.readyWhileLoading = document.readyState === 'loading'; });</script>\n  <script src="slow.js"></script>\n</body>`;
    writeFileSync(join(siteDir, 'late.html'), page0.replace('</body>', script));
    const slow = (u: URL) => u.pathname.endsWith('/slow.js');
    await browser.route(slow, async (route) => {
      await new Promise((r) => setTimeout(r, 2000));
      await route.fulfill({ contentType: 'text/javascript', body: '' });
    });
    try {
      const { page, errors } = await openPage(browser, url + 'late.html#/4');
      await page.waitForFunction(() => document.querySelectorAll('svg.wg-diagram').length === 5);
      expect(await page.evaluate(() => (window as unknown as { readyWhileLoading?: boolean }).readyWhileLoading)).toBe(true);
      expect(await indices(page)).toMatchObject({ h: 4 });
      expect(await waitForSegments(page, PRESENT, [0])).toEqual({ segments: [0], labels: [[]] });
      expect(await press(page, [1])).toEqual({ segments: [1], labels: [['SYN, seq=0']] });
      expect(await indices(page)).toMatchObject({ h: 4, f: 0 });
      // Redrawn on its slide (refresh(), as after an attribute change): still a fragment, still revealed.
      await page.evaluate(() => (document.querySelector('wire-gram') as HTMLElement & { refresh(): void }).refresh());
      expect(await shownSteps(page, PRESENT)).toEqual({ segments: [1], labels: [['SYN, seq=0']] });
      expect(await page.locator(`${PRESENT} g.wg-step.fragment`).count()).toBeGreaterThan(0);
      expect(await indices(page)).toMatchObject({ h: 4, f: 0 });
      await page.keyboard.press('ArrowLeft');
      expect(await waitForSegments(page, PRESENT, [0])).toEqual({ segments: [0], labels: [[]] });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await browser.unroute(slow);
    }
  }, 120_000);

  it('as ES modules (what a bundler resolves): reveal.mjs, its Markdown plugin and wiregram.min.js', async () => {
    const { page, errors } = await openPage(browser, url + 'esm.html');
    await page.waitForFunction(() => document.querySelectorAll('svg.wg-diagram').length === 5);
    expect(await waitForSegments(page, PRESENT, [0])).toEqual({ segments: [0], labels: [[]] });
    expect(await press(page, [1])).toEqual({ segments: [1], labels: [HANDSHAKE.slice(0, 1)] });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('dark: the black theme with the dark palette, steps still fragments', async () => {
    const { page, errors } = await openPage(browser, url + '?dark', 'dark');
    await page.waitForFunction(() => document.querySelectorAll('svg.wg-diagram').length === 5);
    const { diagrams } = await diagramsOn(page);
    for (const d of diagrams) expect(luminance(d.background)).toBeLessThan(0.1);
    expect(await waitForSegments(page, PRESENT, [0])).toMatchObject({ segments: [0] });
    await press(page, [1]);
    await screenshot(page, 'reveal-steps-1-dark');
    await press(page, [2]);
    expect(await press(page, [3])).toEqual({ segments: [3], labels: [HANDSHAKE] });
    await screenshot(page, 'reveal-steps-3-dark');
    // The label text is light on the dark slide.
    const fill = await page.locator(`${PRESENT} text.wg-label`).first().evaluate((t) => getComputedStyle(t).fill);
    expect(luminance(fill)).toBeGreaterThan(0.5);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
