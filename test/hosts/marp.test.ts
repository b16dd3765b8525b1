/**
 * Marp CLI 4 from npm (test/hosts/marp/package-lock.json) with @wiregram/marp from packed tarballs, through
 * the engine file of docs/recipes/marp.md: HTML (opened in Chromium) and PDF (Debian's chromium, as Marp CLI finds
 * it through CHROME_PATH; checked with pdftotext). Dark palette on `invert` slides, the error box on the bad deck,
 * `file:line:col` in the log (several files and `--input-dir`), WIREGRAM_STRICT=1 fails the conversion.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagramsOn, duplicates, lineOf, luminance, openPage, runBuild, screenshot, useHostSite, wiregramLines } from '../support/hosts.js';
import { expectProblemsLogged, expectStrictFails, siteText, withPages, withoutHostNoise } from './mdit.js';

const MARP = ['node', 'node_modules/@marp-team/marp-cli/marp-cli.js', '--engine', './engine.mjs'];
// Marp CLI's own switches for the browser it prints PDFs with (docs/recipes/marp.md).
const BROWSER = { CHROME_PATH: '/usr/bin/chromium', CHROME_NO_SANDBOX: '1', CHROME_DISABLE_GPU: '1' };

const host = useHostSite('marp', ['@wiregram/marp'], [...MARP, 'good.md', 'bad.md'], '.');

describe('Marp CLI 4 + @wiregram/marp engine', () => {
  it('converts both decks; the log names each problem of bad.md by file, line and column', () => {
    expect(host.build.code, host.build.log).toBe(0);
    // Marp CLI never tells the engine which file it renders; the engine finds it (the line counts front matter).
    expectProblemsLogged(host.build.log, siteText(host, 'bad.md'), 'bad.md');
    expect(wiregramLines(host.build.log)).toHaveLength(2);
  });

  it('--input-dir: each deck of the folder is named with its own path and line, the same mistake in two files', async () => {
    const run = await runBuild(host.site.dir, [...MARP, '--input-dir', 'decks', '-o', 'decks-out']);
    expect(run.code, run.log).toBe(0);
    const lines = wiregramLines(run.log);
    const at = (file: string) => `wiregram: ${file}:${lineOf(siteText(host, file), 'client -> server: FIN')}:1: `;
    expect(lineOf(siteText(host, 'decks/handshake.md'), 'FIN')).not.toBe(lineOf(siteText(host, 'decks/more/late.md'), 'FIN'));
    expect(lines.filter((l) => l.startsWith(at('decks/handshake.md')))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith(at('decks/more/late.md')))).toHaveLength(1);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('<markdown>');
    // Both decks were converted, each with its own error box.
    for (const out of ['decks-out/handshake.html', 'decks-out/more/late.html']) expect(siteText(host, out)).toContain('wiregram-error');
    // The error box on a dark (`invert`) slide: readable on it.
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url + 'decks-out/handshake.html#2');
      await page.waitForTimeout(500);
      const box = page.locator('.wiregram-error').filter({ visible: true });
      expect(await box.count()).toBe(1);
      const colours = await box.evaluate((el) => {
        const slide = el.closest('section')!;
        return { text: getComputedStyle(el).color, slide: getComputedStyle(slide).backgroundColor, invert: slide.classList.contains('invert') };
      });
      expect(colours.invert).toBe(true);
      expect(luminance(colours.slide)).toBeLessThan(0.2);
      expect(luminance(colours.text) - luminance(colours.slide), JSON.stringify(colours)).toBeGreaterThan(0.4);
      await screenshot(page, 'marp-bad-dark');
      expect(withoutHostNoise(errors)).toEqual([]);
    });
  }, 120_000);

  it('HTML: diagrams on their slides, ids unique, no console error, dark on the invert slide', async () => {
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url + 'good.html');
      const { diagrams, ids, errorBoxes, styles } = await diagramsOn(page);
      expect(withoutHostNoise(errors)).toEqual([]);
      expect(errorBoxes).toEqual([]);
      expect(diagrams).toHaveLength(4);
      // One page stylesheet for the deck (every slide is in the one HTML page).
      expect(styles).toEqual({ sheets: 1, inHead: 0, ownStyles: 0 });
      expect(duplicates(ids)).toEqual([]);
      expect(diagrams.flatMap((d) => d.texts)).toContain('SYN, ACK, seq=y, ack=x+1');
      for (const d of diagrams) expect([d.id, d.labelFontSize >= 10 && d.labelFontSize <= 16]).toEqual([d.id, true]);
      // Bespoke shows one slide at a time: the first diagram is on screen and light, the invert slide's dark.
      expect(diagrams[0]!.width).toBeGreaterThan(200);
      expect(luminance(diagrams[0]!.background)).toBeGreaterThan(0.8);
      expect(luminance(diagrams[3]!.background)).toBeLessThan(0.1);
      await screenshot(page, 'marp-slide1-light');
      await page.goto(host.url + 'good.html#4');
      await page.waitForTimeout(500);
      const dark = (await diagramsOn(page)).diagrams[3]!;
      expect(dark.width).toBeGreaterThan(200);
      await screenshot(page, 'marp-slide4-invert');
      expect(withoutHostNoise(errors)).toEqual([]);
    });
  }, 180_000);

  it('HTML: the bad deck shows the error box and still draws the other slide', async () => {
    await withPages(host, async (browser) => {
      const { page, errors } = await openPage(browser, host.url + 'bad.html');
      const { diagrams, errorBoxes, restyled } = await diagramsOn(page);
      expect(restyled).toBe(0);
      expect(withoutHostNoise(errors)).toEqual([]);
      expect(errorBoxes).toHaveLength(1);
      expect(errorBoxes[0]).toMatch(/cannot send data/);
      expect(errorBoxes[0]).not.toMatch(/bad\.md|\//);
      expect(await page.locator('.wiregram-error').isVisible()).toBe(true);
      expect(diagrams).toHaveLength(1);
      await screenshot(page, 'marp-bad');
    });
  }, 180_000);

  it('PDF through Debian chromium: the labels are text in the PDF', async () => {
    const pdf = await runBuild(host.site.dir, [...MARP, '--pdf', 'good.md', '-o', 'good.pdf'], BROWSER);
    expect(pdf.code, pdf.log).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', join(host.site.dir, 'good.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('SYN, ACK, seq=y, ack=x+1');
    expect(text).toContain('Destination Port');
    expect(text).toContain('RST, ACK');
    // Four slides, four pages.
    const info = execFileSync('pdfinfo', [join(host.site.dir, 'good.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+4\b/);
    execFileSync('pdftoppm', ['-png', '-r', '40', join(host.site.dir, 'good.pdf'), join(host.site.dir, '..', 'marp-pdf')]);
  }, 300_000);

  it('WIREGRAM_STRICT=1 fails the conversion, listing both problems', async () => {
    await expectStrictFails(host.site.dir, [...MARP, 'bad.md']);
  }, 120_000);
});
