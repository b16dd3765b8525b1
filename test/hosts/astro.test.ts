/**
 * Astro 5 with @astrojs/mdx and @wiregram/astro installed from packed tarballs: `.md` pages (front matter
 * stripped by Astro before remark sees the text) and `.mdx` with a component and `<details>`. The built site is
 * served on 127.0.0.1 and opened in Chromium: diagrams, unique ids, no console error, dark mode by
 * `prefers-color-scheme` (plain Astro has no toggle), the error box, the log's `file:line:col`, strict mode.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagramsOn, duplicates, expectBadPage, expectBadPageLogged, expectStrictFailure, luminance, openPage, screenshot, useHostSite } from '../support/hosts.js';

describe('Astro 5 + MDX', { timeout: 15 * 60_000 }, () => {
  const h = useHostSite('astro', ['@wiregram/astro'], ['npx', 'astro', 'build'], 'dist');

  it('builds, and the log names the broken block and the fence typo by their real file:line:col', () => {
    expect(h.build.code, h.build.log.slice(-3000)).toBe(0);
    expectBadPageLogged(h.build.log, h.site.dir, 'src/pages/bad.md');
  });

  it('draws the .md page: every diagram, unique ids, light and dark by the reader\'s colour scheme', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await openPage(h.browser, h.url, scheme);
      const { diagrams, ids, styles } = await diagramsOn(page);
      expect(diagrams).toHaveLength(3);
      expect(styles).toEqual({ sheets: 1, inHead: 0, ownStyles: 0 });
      expect(duplicates(ids)).toEqual([]);
      expect(diagrams[0]!.texts).toEqual(expect.arrayContaining(['TCP 三次握手', 'SYN, seq=x']));
      for (const d of diagrams) {
        expect(d.width).toBeGreaterThan(100);
        expect(d.labelFontSize).toBeLessThanOrEqual(16);
        if (scheme === 'light') expect(luminance(d.background)).toBeGreaterThan(0.8);
        else expect(luminance(d.background)).toBeLessThan(0.1);
      }
      // Shiki still highlights ordinary code.
      expect(await page.locator('pre.astro-code').count()).toBe(1);
      await screenshot(page, `astro-good-${scheme}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('draws diagrams in .mdx, inside a component and <details>', async () => {
    const { page, errors } = await openPage(h.browser, h.url + 'mdx/');
    await page.locator('details summary').click();
    const { diagrams, ids } = await diagramsOn(page);
    expect(diagrams).toHaveLength(2);
    expect(duplicates(ids)).toEqual([]);
    expect(await page.locator('section.card svg.wg-diagram').count()).toBe(1);
    expect(diagrams.every((d) => d.width > 100)).toBe(true);
    await screenshot(page, 'astro-mdx-light');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the broken block as a readable error box, the rest of the page drawn', async () => {
    await expectBadPage(h.browser, h.url + 'bad/', 'astro');
  });

  it('fails the build in strict mode (WIREGRAM_STRICT=1), listing the problems', async () => {
    await expectStrictFailure(h.site.dir, ['npx', 'astro', 'build', '--outDir', 'dist-strict'], 'src/pages/bad.md', ['src/pages/index.md', 'src/pages/mdx.mdx']);
  });
});
