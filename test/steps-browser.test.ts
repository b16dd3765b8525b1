/**
 * The steps hook outside slide frameworks, in Chromium: a hand-written page (the IIFE bundle's `run({ steps })`
 * and `steps()` with keys and clicks), the same SVG without any script (every step shown), and Marp — the CSS
 * hook alone (`--wg-shown` in a slide's scoped style), rendered by Marp Core with markdown-it-wiregram.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Marp } from '@marp-team/marp-core';
import markdownItWiregram from 'markdown-it-wiregram';
import { renderSvg } from '@wiregram/svg';
import { browserForFile, pageErrors, serveDirectory } from './support/chromium.js';
import { escapeHtml } from './support/static-sites.js';
import { HANDSHAKE } from './support/markdown.js';
import { shownSteps, waitForSegments } from './support/steps.js';

const DIST = fileURLToPath(new URL('../packages/browser/dist/', import.meta.url));
const SHOTS = join(process.cwd(), 'test-output', 'steps');
const site = mkdtempSync(join(tmpdir(), 'wg-steps-'));
copyFileSync(join(DIST, 'wiregram.iife.min.js'), join(site, 'wiregram.iife.min.js'));
const browser = browserForFile(() => rmSync(site, { recursive: true, force: true }));
const LABELS = ['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1'];

async function open(name: string, html: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  writeFileSync(join(site, name), html);
  const page = await browser().newPage();
  const errors = pageErrors(page);
  await page.emulateMedia({ colorScheme });
  const origin = await serveDirectory(page, site);
  await page.goto(`${origin}/${name}`);
  return { page, errors };
}

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.locator('svg.wg-diagram').first().screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('plain HTML: run({ steps: true }) and the steps() hook', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`keys and clicks reveal one segment at a time (${scheme})`, async () => {
      const html = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<pre><code class="language-tcp-sequence">${escapeHtml(HANDSHAKE)}</code></pre>
<script src="/wiregram.iife.min.js"></script>
<script>
  document.addEventListener('DOMContentLoaded', () => {
    wiregram.run({ steps: true });
    window.control = wiregram.steps(document.querySelector('figure.wiregram'), { keys: true });
  });
</script>
</body></html>`;
      const { page, errors } = await open(`hook-${scheme}.html`, html, scheme);
      await page.waitForFunction(() => 'control' in window);
      expect(await page.evaluate(() => (window as unknown as { control: { count: number; shown: number } }).control.count)).toBe(3);
      expect(await page.evaluate(() => (window as unknown as { wiregram: { steps(t: null): { count: number; next(): boolean } } }).wiregram.steps(null).next())).toBe(false);
      expect(await waitForSegments(page, 'body', [0])).toEqual({ segments: [0], labels: [[]] });
      for (let k = 1; k <= 3; k++) {
        await page.keyboard.press('ArrowRight');
        expect(await waitForSegments(page, 'body', [k])).toEqual({ segments: [k], labels: [LABELS.slice(0, k)] });
        if (k === 1) await shot(page, `hook-1-${scheme}`);
      }
      await shot(page, `hook-3-${scheme}`);
      // Past the last step nothing changes; ← goes back, a click on the diagram goes on.
      await page.keyboard.press('ArrowRight');
      expect((await shownSteps(page, 'body')).segments).toEqual([3]);
      await page.keyboard.press('ArrowLeft');
      expect((await waitForSegments(page, 'body', [2])).segments).toEqual([2]);
      await page.locator('svg.wg-diagram').click();
      expect((await waitForSegments(page, 'body', [3])).segments).toEqual([3]);
      // dispose(): every step shown again, the keys no longer bound.
      await page.evaluate(() => (window as unknown as { control: { show(k: number): void; dispose(): void } }).control.show(0));
      expect((await waitForSegments(page, 'body', [0])).segments).toEqual([0]);
      await page.evaluate(() => (window as unknown as { control: { dispose(): void } }).control.dispose());
      expect((await waitForSegments(page, 'body', [3])).segments).toEqual([3]);
      await page.keyboard.press('ArrowLeft');
      expect((await shownSteps(page, 'body')).segments).toEqual([3]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('a figure a lazy run() draws only when scrolled to: steps() called before, keys work once it is drawn', async () => {
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<div style="height: 5000px">spacer</div>
<pre><code class="language-tcp-sequence">${escapeHtml(HANDSHAKE)}</code></pre>
<script src="/wiregram.iife.min.js"></script>
<script>
  document.addEventListener('DOMContentLoaded', () => {
    window.result = wiregram.run({ steps: true });
    window.control = wiregram.steps(document.querySelector('figure.wiregram'), { keys: true });
  });
</script>
</body></html>`;
    const { page, errors } = await open('lazy.html', html);
    await page.waitForFunction(() => 'control' in window);
    // Not drawn yet: no steps known.
    const before = await page.evaluate(() => {
      const w = window as unknown as { result: { waiting: number }; control: { count: number } };
      return [w.result.waiting, w.control.count];
    });
    expect(before).toEqual([1, 0]);
    await page.locator('figure.wiregram').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('svg[data-wg-steps="3"]') !== null);
    expect(await waitForSegments(page, 'body', [0])).toEqual({ segments: [0], labels: [[]] });
    await page.keyboard.press('ArrowRight');
    expect(await waitForSegments(page, 'body', [1])).toEqual({ segments: [1], labels: [LABELS.slice(0, 1)] });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without any script every step is shown; --wg-shown on an ancestor shows steps 1…k', async () => {
    const svg = renderSvg(HANDSHAKE, { steps: true });
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="all">${svg}</div><div id="one" style="--wg-shown: 1">${svg.replace(/id="wg-/g, 'id="wg1-').replace(/#wg-/g, '#wg1-')}</div><div id="none" style="--wg-shown: 0">${svg.replace(/id="wg-/g, 'id="wg0-').replace(/#wg-/g, '#wg0-')}</div>
</body></html>`;
    const { page, errors } = await open('static.html', html);
    expect(await shownSteps(page, '#all')).toEqual({ segments: [3], labels: [LABELS] });
    expect(await shownSteps(page, '#one')).toEqual({ segments: [1], labels: [LABELS.slice(0, 1)] });
    expect(await shownSteps(page, '#none')).toEqual({ segments: [0], labels: [[]] });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('Marp: the CSS hook in a slide\'s scoped style', () => {
  it('the same diagram on three slides, --wg-shown 1, 2 and unset', async () => {
    const fence = '```tcp-sequence steps\n' + HANDSHAKE + '\n```\n';
    const deck = `---\nmarp: true\n---\n\n<style scoped>section { --wg-shown: 1; }</style>\n\n${fence}\n---\n\n<style scoped>section { --wg-shown: 2; }</style>\n\n${fence}\n---\n\n${fence}`;
    const { html, css } = new Marp().use(markdownItWiregram).render(deck);
    const page = `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>${html}</body></html>`;
    const opened = await open('marp.html', page);
    const per = [];
    for (let n = 0; n < 3; n++) per.push(await shownSteps(opened.page, 'section', n));
    expect(per.map((p) => p.segments)).toEqual([[1], [2], [3]]);
    expect(per[1]!.labels).toEqual([LABELS.slice(0, 2)]);
    mkdirSync(SHOTS, { recursive: true });
    await opened.page.locator('section').nth(1).screenshot({ path: join(SHOTS, 'marp-step-2.png') });
    expect(opened.errors).toEqual([]);
    await opened.page.close();
  });
});
