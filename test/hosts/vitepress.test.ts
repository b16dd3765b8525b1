/**
 * VitePress 1.6 from npm (test/hosts/vitepress/package-lock.json) with @wiregram/vitepress from packed tarballs:
 * the one-line config of docs/recipes/vitepress.md builds a site whose good page (diagrams in text, in a custom
 * container, in a code group) shows every diagram, follows VitePress's own appearance switch, and whose bad page
 * shows the error box while the build log names `bad.md:line:col` as the file has it (front matter included).
 * WIREGRAM_STRICT=1 fails the build.
 */
import { describe, expect, it } from 'vitest';
import { diagramsOn, duplicates, luminance, openPage, screenshot, lineOf, useHostSite, wiregramLines } from '../support/hosts.js';
import { expectProblemsLogged, expectStrictFails, siteText, withPages } from './mdit.js';

const VITEPRESS = ['node', 'node_modules/vitepress/bin/vitepress.js', 'build', 'site'];

const host = useHostSite('vitepress', ['@wiregram/vitepress'], VITEPRESS, 'site/.vitepress/dist');

describe('VitePress 1.6 + @wiregram/vitepress', () => {
  it('builds, and the log names each problem of bad.md at its line in the file, once', () => {
    expect(host.build.code, host.build.log).toBe(0);
    // Local search renders every page a second time: still said once.
    expectProblemsLogged(host.build.log, siteText(host, 'site/bad.md'), 'site/bad.md');
    // The good page reports nothing (its `{{ }}` labels and code-group titles are not problems).
    expect(wiregramLines(host.build.log).filter((l) => l.includes('index.md'))).toEqual([]);
  });

  it('good page: every diagram shown, ids unique, no console error, labels at their size, braces kept', async () => {
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url);
      const { diagrams, ids, errorBoxes, styles } = await diagramsOn(page);
      expect(errors).toEqual([]);
      expect(errorBoxes).toEqual([]);
      // One page stylesheet (in the first diagram); no diagram carries its own.
      expect(styles).toEqual({ sheets: 1, inHead: 0, ownStyles: 0 });
      // Two in text, one in the tip, two in the code group (the second tab hidden until chosen).
      expect(diagrams).toHaveLength(5);
      expect(diagrams.filter((d) => d.width > 200 && d.height > 50)).toHaveLength(4);
      expect(duplicates(ids)).toEqual([]);
      const texts = diagrams.flatMap((d) => d.texts);
      expect(texts).toContain('SYN, ACK, seq=y, ack=x+1');
      expect(texts.some((t) => t.includes('{{ payload }} arrives'))).toBe(true);
      for (const d of diagrams.filter((d) => d.width > 0)) expect(d.labelFontSize, d.id).toBeLessThanOrEqual(16);
      expect(Math.min(...diagrams.filter((d) => d.width > 0).map((d) => d.labelFontSize))).toBeGreaterThanOrEqual(10);
      // The tip container holds the TCP header; the code group's second tab shows the UDP header when chosen.
      expect(await page.locator('.custom-block.tip svg.wg-diagram').count()).toBe(1);
      await page.locator('.vp-code-group .tabs label', { hasText: 'UDP header' }).click();
      const udp = page.locator('.vp-code-group .blocks > .active svg.wg-diagram');
      expect(await udp.count()).toBe(1);
      expect((await udp.boundingBox())!.height).toBeGreaterThan(50);
      expect(await page.locator('.vp-code-group .tabs label').allTextContents()).toEqual(['Close', 'UDP header']);
      // Other code still goes to Shiki.
      expect(await page.locator('div.language-js pre.shiki').count()).toBe(1);
      await screenshot(page, 'vitepress-good-light');
    });
  }, 180_000);

  it("dark mode follows VitePress's appearance switch, not the OS", async () => {
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url, 'light');
      await page.setViewportSize({ width: 1440, height: 900 });
      const before = (await diagramsOn(page)).diagrams[0]!.background;
      expect(luminance(before)).toBeGreaterThan(0.8);
      await page.locator('.VPNavBarAppearance button.VPSwitchAppearance').click();
      await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
      const after = (await diagramsOn(page)).diagrams[0]!.background;
      expect(luminance(after)).toBeLessThan(0.1);
      await screenshot(page, 'vitepress-good-dark');
      // And back: the switch (stored by VitePress for the next visit) turns the diagrams light again.
      await page.locator('.VPNavBarAppearance button.VPSwitchAppearance').click();
      await page.waitForFunction(() => !document.documentElement.classList.contains('dark'));
      expect(luminance((await diagramsOn(page)).diagrams[0]!.background)).toBeGreaterThan(0.8);
      expect(errors).toEqual([]);
    });
  }, 180_000);

  it('bad page: the error box is shown, the page still renders the rest', async () => {
    await withPages(host, async (browser) => {
      for (const scheme of ['light', 'dark'] as const) {
        // The OS stays light: VitePress follows it until its switch is used, and the switch is what turns it dark here.
        const { page, errors } = await openPage(browser, host.url + 'bad.html', 'light');
        if (scheme === 'dark') {
          await page.setViewportSize({ width: 1440, height: 900 });
          await page.locator('.VPNavBarAppearance button.VPSwitchAppearance').click();
          await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
        }
        const { diagrams, errorBoxes, restyled } = await diagramsOn(page);
        expect(restyled).toBe(0);
        expect(errors).toEqual([]);
        expect(errorBoxes).toHaveLength(1);
        // The code frame's spaces are no-break spaces in Vue hosts (Vue condenses ordinary ones).
        const box = errorBoxes[0]!.replace(/\u00a0/g, ' ');
        const bad = siteText(host, 'site/bad.md');
        const line = lineOf(bad, 'PSH, ACK len=100');
        expect(box).toContain(`(line ${line}, column 1)`);
        expect(box).toMatch(new RegExp(`\\n> ${line} \\| client -> server: PSH, ACK len=100\\n`));
        expect(box).not.toMatch(/\/|bad\.md/);
        expect(await page.locator('.wiregram-error').isVisible()).toBe(true);
        expect(diagrams).toHaveLength(1);
        await screenshot(page, `vitepress-bad-${scheme}`);
        await page.close();
      }
    });
  }, 180_000);

  it('WIREGRAM_STRICT=1 fails the build and lists both problems', async () => {
    await expectStrictFails(host.site.dir, VITEPRESS);
  }, 300_000);
});
