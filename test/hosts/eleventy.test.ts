/**
 * Eleventy 3 from npm (test/hosts/eleventy/package-lock.json) with @wiregram/eleventy from packed tarballs: the
 * plugin of docs/recipes/eleventy.md. Liquid runs over the Markdown first, yet `{{ x }}` and `{% raw %}` in
 * diagram labels survive (fences in list items and blockquotes included, Nunjucks pages too); dark mode follows the reader's colour scheme; the bad page shows the error box and
 * the log names `src/bad.md:line:col` as the file has it (front matter included); WIREGRAM_STRICT=1 fails.
 */
import { describe, expect, it } from 'vitest';
import { diagramsOn, duplicates, luminance, openPage, screenshot, lineOf, useHostSite, wiregramLines } from '../support/hosts.js';
import { expectProblemsLogged, expectStrictFails, siteText, withPages } from './mdit.js';

const ELEVENTY = ['node', 'node_modules/@11ty/eleventy/cmd.cjs', '--quiet'];

const host = useHostSite('eleventy', ['@wiregram/eleventy'], ELEVENTY, '_site');

describe('Eleventy 3 + @wiregram/eleventy', () => {
  it('builds, and the log names each problem of src/bad.md at its line in the file', () => {
    expect(host.build.code, host.build.log).toBe(0);
    expectProblemsLogged(host.build.log, siteText(host, 'src/bad.md'), 'src/bad.md');
    expect(wiregramLines(host.build.log)).toHaveLength(2);
  });

  it('good page: diagrams shown, ids unique, template code in labels kept, Liquid still works around them', async () => {
    await withPages(host, async (browser) => {
      for (const scheme of ['light', 'dark'] as const) {
        const { page, errors } = await openPage(browser, host.url, scheme);
        const { diagrams, ids, errorBoxes, styles } = await diagramsOn(page);
        expect(errors).toEqual([]);
        expect(errorBoxes).toEqual([]);
        expect(diagrams).toHaveLength(6);
        expect(styles).toEqual({ sheets: 1, inHead: 0, ownStyles: 0 });
        for (const d of diagrams) expect([d.id, d.width > 200, d.labelFontSize >= 10 && d.labelFontSize <= 16]).toEqual([d.id, true, true]);
        expect(duplicates(ids)).toEqual([]);
        const texts = diagrams.flatMap((d) => d.texts);
        expect(texts).toContain('SYN, ACK, seq=y, ack=x+1');
        expect(texts).toContain('{{ x }} and {% raw %} stay text');
        // Fences inside a list item and a blockquote (a tilde fence) are kept from Liquid too.
        expect(texts).toContain('{{ x }} in a list, {% if %} too');
        expect(texts).toContain('{{ x }} in a quote, {% endraw %}');
        expect(await page.locator('li figure.wiregram').count()).toBe(1);
        expect(await page.locator('blockquote figure.wiregram').count()).toBe(1);
        // The payload "{{ x }}" is 7 bytes: Liquid did not replace it before wiregram counted it.
        expect(texts.some((t) => t.includes('len=7'))).toBe(true);
        expect(await page.locator('p', { hasText: 'written by Liquid' }).count()).toBe(1);
        // Dark mode: the reader's colour scheme (Eleventy has no toggle of its own).
        const lum = luminance(diagrams[0]!.background);
        expect(scheme === 'dark' ? lum < 0.1 : lum > 0.8).toBe(true);
        await screenshot(page, `eleventy-good-${scheme}`);
        await page.close();
      }
    });
  }, 180_000);

  it('a Nunjucks page: fences in a nested list item and a nested quote are kept from Nunjucks', async () => {
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url + 'nunjucks/');
      const { diagrams, errorBoxes } = await diagramsOn(page);
      expect(errors).toEqual([]);
      expect(errorBoxes).toEqual([]);
      expect(await page.locator('p', { hasText: 'written by Nunjucks' }).count()).toBe(1);
      expect(diagrams).toHaveLength(2);
      // The note wraps over lines; joined, it is what the author wrote.
      expect(diagrams[0]!.texts.join(' ')).toMatch(/\{# not a comment\s+#\}"?\s+\{\{ who \| upper \}\}\s+\{%- endif %\}/);
      expect(diagrams[1]!.texts).toContain('Destination Port');
      expect(await page.locator('li li figure.wiregram').count()).toBe(1);
      expect(await page.locator('blockquote blockquote figure.wiregram').count()).toBe(1);
      await screenshot(page, 'eleventy-nunjucks-light');
    });
  }, 180_000);

  it('bad page: the error box, with the file lines and no path', async () => {
    await withPages(host, async (browser) => {
      for (const scheme of ['light', 'dark'] as const) {
        const { page, errors } = await openPage(browser, host.url + 'bad/', scheme);
        const { diagrams, errorBoxes, restyled } = await diagramsOn(page);
        expect(restyled).toBe(0);
        expect(errors).toEqual([]);
        expect(errorBoxes).toHaveLength(1);
        const bad = siteText(host, 'src/bad.md');
        expect(errorBoxes[0]).toContain(`line ${lineOf(bad, 'PSH, ACK len=100')}, column 1`);
        expect(errorBoxes[0]).not.toMatch(/bad\.md|\//);
        expect(diagrams).toHaveLength(1);
        await screenshot(page, `eleventy-bad-${scheme}`);
        await page.close();
      }
    });
  }, 180_000);

  it('WIREGRAM_STRICT=1 fails the build, listing both problems', async () => {
    await expectStrictFails(host.site.dir, ELEVENTY);
  }, 120_000);
});
