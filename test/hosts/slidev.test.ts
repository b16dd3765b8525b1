/**
 * Slidev 52 from npm (test/hosts/slidev/package-lock.json) with @wiregram/slidev from packed tarballs, as the
 * addon of docs/recipes/slidev.md (`addons: ['@wiregram/slidev']` in the headmatter). The deck builds (the fence
 * never reaches Shiki), every diagram shows on its slide with labels at their size (UnoCSS attributify must not
 * turn them into 3.5rem), dark mode follows Slidev's own toggle (the `d` key), the broken slide shows the error
 * box, and the log names `slides.md:line:col` in the deck file (per-slide lines mapped back). Strict mode draws
 * every slide, then fails the build once listing every problem of every slide.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { diagramsOn, duplicates, luminance, openPage, runBuild, screenshot, lineOf, useHostSite, wiregramLines } from '../support/hosts.js';
import { expectProblemsLogged, resizedLabels, siteText, withPages } from './mdit.js';
import { waitForSegments } from '../support/steps.js';

const SLIDEV = ['node', 'node_modules/@slidev/cli/bin/slidev.mjs', 'build', 'slides.md', '--out', 'dist'];

const host = useHostSite('slidev', ['@wiregram/slidev'], SLIDEV, 'dist');

/** Open slide `n` (hash router) and wait until its content is on screen. */
async function slide(page: Page, n: number): Promise<void> {
  await page.goto(`${host.url}#/${n}`);
  await page.waitForSelector(`.slidev-page-${n}`, { state: 'visible' });
  await page.waitForTimeout(400);
}

/** The diagrams of the slide on screen (Slidev keeps neighbouring slides in the DOM, hidden). */
async function visibleDiagrams(page: Page) {
  return (await diagramsOn(page)).diagrams.filter((d) => d.width > 0);
}

describe('Slidev 52 + @wiregram/slidev (addon)', () => {
  it('builds (no ShikiError), and the log names each broken slide at its line in slides.md', () => {
    expect(host.build.code, host.build.log).toBe(0);
    expect(host.build.log).not.toMatch(/ShikiError/);
    expectProblemsLogged(host.build.log, siteText(host, 'slides.md'), 'slides.md');
    expect(wiregramLines(host.build.log)).toHaveLength(2);
  });

  it('slides: diagrams shown at their size, ids unique, braces kept, other code still highlighted', async () => {
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url);
      const seen: string[] = [];
      for (const [n, count] of [[1, 1], [2, 2], [3, 1]] as const) {
        await slide(page, n);
        const diagrams = await visibleDiagrams(page);
        expect(diagrams.map((d) => d.id)).toHaveLength(count);
        // 56 px was the UnoCSS attributify bug (`font-size="14"` read as `font-size-14` = 3.5rem).
        expect(await resizedLabels(page)).toEqual([]);
        for (const d of diagrams) expect([d.id, d.height > 50, d.labelFontSize >= 8 && d.labelFontSize <= 16]).toEqual([d.id, true, true]);
        seen.push(...diagrams.flatMap((d) => d.texts));
        await screenshot(page, `slidev-slide${n}-light`);
      }
      expect(seen).toContain('SYN, ACK, seq=y, ack=x+1');
      expect(seen).toContain('{{ $slidev.nav.currentPage }} stays text');
      expect(await page.locator('pre.shiki').count()).toBeGreaterThan(0);
      const { ids, styles } = await diagramsOn(page);
      expect(duplicates(ids)).toEqual([]);
      // The stylesheet rides in a slide's first diagram; no diagram carries its own.
      expect(styles.ownStyles).toBe(0);
      expect(styles.sheets).toBeGreaterThanOrEqual(1);
      expect(errors).toEqual([]);
    });
  }, 180_000);

  it("dark mode follows Slidev's toggle (the `d` shortcut), not the OS", async () => {
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url, 'light');
      await slide(page, 1);
      expect(luminance((await visibleDiagrams(page))[0]!.background)).toBeGreaterThan(0.8);
      await page.keyboard.press('d');
      await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
      expect(luminance((await visibleDiagrams(page))[0]!.background)).toBeLessThan(0.1);
      await screenshot(page, 'slidev-slide1-dark');
      await slide(page, 2);
      await screenshot(page, 'slidev-slide2-dark');
      // And back (Slidev stores the choice): light again.
      await page.keyboard.press('d');
      await page.waitForFunction(() => !document.documentElement.classList.contains('dark'));
      expect(luminance((await visibleDiagrams(page))[0]!.background)).toBeGreaterThan(0.8);
      expect(errors).toEqual([]);
    });
  }, 180_000);

  it('the broken slide shows the error box with the deck line; the typo slide still draws', async () => {
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url);
      const deck = siteText(host, 'slides.md');
      await slide(page, 4);
      const { errorBoxes, restyled } = await diagramsOn(page);
      expect(restyled).toBe(0);
      const shown = await page.locator('.wiregram-error').filter({ visible: true }).allInnerTexts();
      expect(shown).toHaveLength(1);
      expect(shown[0]).toContain(`line ${lineOf(deck, 'PSH, ACK len=100')}, column 1`);
      expect(shown[0]).not.toMatch(/slides\.md|\//);
      // The code frame keeps its lines through Vue's whitespace condensing.
      expect(shown[0]!.replace(/\u00a0/g, ' ')).toMatch(new RegExp(`> ${lineOf(deck, 'PSH, ACK len=100')} \\| client -> server: PSH, ACK len=100`));
      expect(errorBoxes.length).toBeGreaterThanOrEqual(1);
      await screenshot(page, 'slidev-slide4-error');
      // Dark (Slidev's own toggle): the box follows, its text readable on the slide.
      await page.keyboard.press('d');
      await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
      const colours = await page.locator('.wiregram-error').filter({ visible: true }).evaluate((el) => {
        let bg = 'rgba(0, 0, 0, 0)';
        for (let e: Element | null = el.parentElement; e && /rgba\(0, 0, 0, 0\)|transparent/.test(bg); e = e.parentElement) bg = getComputedStyle(e).backgroundColor;
        return { text: getComputedStyle(el).color, background: bg };
      });
      expect(luminance(colours.background), JSON.stringify(colours)).toBeLessThan(0.2);
      expect(luminance(colours.text) - luminance(colours.background), JSON.stringify(colours)).toBeGreaterThan(0.4);
      await screenshot(page, 'slidev-slide4-error-dark');
      await page.keyboard.press('d');
      await page.waitForFunction(() => !document.documentElement.classList.contains('dark'));
      await slide(page, 5);
      expect(await visibleDiagrams(page)).toHaveLength(1);
      expect(errors).toEqual([]);
    });
  }, 180_000);

  it('a `steps` block: one click (→) per segment, its label and states with it, in deck --steps order; light and dark', async () => {
    const labels = ['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1'];
    const onSlide = '.slidev-page-6';
    await withPages(host, async (browser) => {
      for (const scheme of ['light', 'dark'] as const) {
        const { page, errors } = await openPage(browser, host.url);
        await slide(page, 6);
        if (scheme === 'dark') {
          await page.keyboard.press('d');
          await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
        }
        expect(await waitForSegments(page, onSlide, [0])).toEqual({ segments: [0], labels: [[]] });
        for (let k = 1; k <= labels.length; k++) {
          await page.keyboard.press('ArrowRight');
          expect(await waitForSegments(page, onSlide, [k])).toEqual({ segments: [k], labels: [labels.slice(0, k)] });
          // Clicks, not slides: still on slide 6.
          expect(page.url()).toMatch(/#\/6(\?clicks=\d+)?$/);
          if (k === 1) await screenshot(page, `slidev-steps-1-${scheme}`);
        }
        await screenshot(page, `slidev-steps-3-${scheme}`);
        const bg = (await visibleDiagrams(page))[0]!.background;
        expect(scheme === 'dark' ? luminance(bg) < 0.1 : luminance(bg) > 0.8).toBe(true);
        // ← takes the last segment back.
        await page.keyboard.press('ArrowLeft');
        expect((await waitForSegments(page, onSlide, [2])).segments).toEqual([2]);
        if (scheme === 'dark') await page.keyboard.press('d');
        expect(errors).toEqual([]);
        await page.close();
      }
    });
  }, 180_000);

  it('WIREGRAM_STRICT=1 fails the build once, at its end, listing every problem of every slide', async () => {
    // One more broken slide (a header error), so three problems on three slides.
    const deck = siteText(host, 'slides.md') + '\n---\n\n# A bad header\n\n```packet-header\ntcp\nbogus-field: 3\n```\n';
    writeFileSync(join(host.site.dir, 'slides.md'), deck);
    const strict = await runBuild(host.site.dir, SLIDEV, { WIREGRAM_STRICT: '1' });
    expect(strict.code).not.toBe(0);
    const failures = strict.log.match(/wiregram strict mode: \d+ problems? in [^\n]*/g) ?? [];
    expect(failures, strict.log.slice(-4000)).toEqual(['wiregram strict mode: 3 problems in slides.md (set by the `strict` option or WIREGRAM_STRICT=1)']);
    const listed = strict.log.slice(strict.log.indexOf(failures[0]!)).split('\n').slice(1).filter((l) => /^\s+slides\.md:\d+:\d+: /.test(l)).map((l) => l.trim());
    expect(listed).toHaveLength(3);
    expect(listed[0]).toMatch(new RegExp(`^slides\\.md:${lineOf(deck, 'PSH, ACK len=100')}:1: client cannot send data .*\\[no-connection\\]$`));
    expect(listed[1]).toMatch(new RegExp(`^slides\\.md:${lineOf(deck, 'stlye=flow')}:1: warning: .*stlye.*\\[unknown-meta-option\\]$`));
    expect(listed[2]).toMatch(new RegExp(`^slides\\.md:${lineOf(deck, 'bogus-field: 3')}:\\d+: .*\\[[a-z-]+\\]$`));
  }, 600_000);
});
