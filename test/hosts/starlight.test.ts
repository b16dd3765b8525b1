/**
 * Starlight 0.37 (Astro 5) with @wiregram/astro installed from packed tarballs: docs in a content collection
 * (front matter stripped before remark sees the text), Starlight's <Tabs>, Expressive Code for ordinary code.
 * The built site is served on 127.0.0.1 and opened in Chromium: diagrams, unique ids, no console error, dark
 * mode following Starlight's own theme select, the error box untouched by Expressive Code, the log's
 * `file:line:col`, strict mode.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diagramsOn, duplicates, expectBadPage, expectBadPageLogged, expectStrictFailure, luminance, openPage, screenshot, useHostSite } from '../support/hosts.js';

/** Starlight's theme picker: a <select> inside <starlight-theme-select> (dark, light, auto). */
async function pickTheme(page: Page, theme: 'dark' | 'light'): Promise<void> {
  await page.locator('starlight-theme-select select').first().selectOption(theme);
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

describe('Starlight 0.37 (Astro 5)', { timeout: 15 * 60_000 }, () => {
  const h = useHostSite('starlight', ['@wiregram/astro'], ['npx', 'astro', 'build'], 'dist');

  it('builds, and the log names the broken block and the fence typo by their real file:line:col', () => {
    expect(h.build.code, h.build.log.slice(-3000)).toBe(0);
    expectBadPageLogged(h.build.log, h.site.dir, 'src/content/docs/guides/bad.md');
  });

  it('draws every diagram, in tabs too, with unique ids and no console error', async () => {
    const { page, errors } = await openPage(h.browser, h.url + 'guides/good/');
    const { diagrams, ids, styles } = await diagramsOn(page);
    expect(diagrams).toHaveLength(4);
    expect(styles).toEqual({ sheets: 1, inHead: 0, ownStyles: 0 });
    expect(duplicates(ids)).toEqual([]);
    expect(diagrams[0]!.texts).toEqual(expect.arrayContaining(['TCP 三次握手', 'SYN, seq=x']));
    const visible = diagrams.filter((d) => d.width > 0);
    for (const d of visible) expect(d.labelFontSize).toBeLessThanOrEqual(16);
    await page.getByRole('tab', { name: 'TCP header' }).click();
    expect((await diagramsOn(page)).diagrams.filter((d) => d.width > 0).length).toBe(visible.length);
    expect(await page.locator('[role="tabpanel"]:not([hidden]) svg.wg-diagram').count()).toBe(1);
    // Expressive Code still takes ordinary code blocks, and only those.
    expect(await page.locator('.expressive-code').count()).toBe(1);
    expect(await page.locator('.expressive-code svg.wg-diagram, figure.wiregram .expressive-code').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows Starlight\'s theme select into dark mode and back, whatever the system says', async () => {
    const { page, errors } = await openPage(h.browser, h.url + 'guides/good/', 'light');
    const bg = async () => (await diagramsOn(page)).diagrams[0]!.background;
    await pickTheme(page, 'light');
    expect(luminance(await bg())).toBeGreaterThan(0.8);
    await screenshot(page, 'starlight-good-light');
    await pickTheme(page, 'dark');
    expect(luminance(await bg())).toBeLessThan(0.1);
    await screenshot(page, 'starlight-good-dark');
    await pickTheme(page, 'light');
    expect(luminance(await bg())).toBeGreaterThan(0.8);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the broken block as a readable error box, untouched by Expressive Code', async () => {
    await expectBadPage(h.browser, h.url + 'guides/bad/', 'starlight', (page) => pickTheme(page, 'dark'));
  });

  it('fails the build in strict mode (WIREGRAM_STRICT=1), listing the problems', async () => {
    await expectStrictFailure(h.site.dir, ['npx', 'astro', 'build', '--outDir', 'dist-strict'], 'src/content/docs/guides/bad.md', ['src/content/docs/guides/good.mdx']);
  });
});
