/**
 * Docusaurus 3, as create-docusaurus 3.10 generates the classic template (future v4, @docusaurus/faster with its
 * SWC HTML minifier), with @wiregram/docusaurus installed from packed tarballs and one line in the config.
 * The built site is served on 127.0.0.1 and opened in Chromium: diagrams in docs (tabs, details), blog and
 * pages; unique ids; no console error, React hydration included; dark mode following the navbar toggle; the
 * broken page's error box; the build log's `file:line:col` — on a second, warm-cache build too; strict mode
 * failing the build (cold and warm).
 */
import { join } from 'node:path';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramsOn, duplicates, expectBadPage, expectBadPageLogged, expectStrictFailure, lineOf, luminance, openPage, runBuild, screenshot, serveStatic, useHostSite, wiregramLines } from '../support/hosts.js';


describe('Docusaurus 3 (classic template)', { timeout: 15 * 60_000 }, () => {
  const h = useHostSite('docusaurus', ['@wiregram/docusaurus'], ['npx', 'docusaurus', 'build'], 'build');

  it('builds, and the log names the broken block and the fence typo by their real file:line:col', () => {
    expect(h.build.code, h.build.log.slice(-3000)).toBe(0);
    expectBadPageLogged(h.build.log, h.site.dir, 'docs/bad.md');
  });

  it('a second build with a warm cache says the problems again (the cache skipped the page), and strict fails it', async () => {
    // src/pages/broken.md: the bundler's persistent cache keeps pages (docs are compiled again on every build).
    const broken = 'src/pages/broken.md';
    const said = `wiregram: ${broken}:${lineOf(readFileSync(join(h.site.dir, broken), 'utf8'), 'client -> server: FIN')}:1: client cannot send FIN in CLOSED`;
    expect(wiregramLines(h.build.log).filter((l) => l.startsWith(said))).toHaveLength(1);
    // The page's record (kept by @wiregram/docusaurus beside the bundler's cache) is rewritten only when the
    // page is compiled: an unchanged time proves the warm build never ran the page through remark.
    const records = join(h.site.dir, 'node_modules', '.cache', 'wiregram');
    const record = readdirSync(records)
      .map((name) => join(records, name))
      .find((file) => (JSON.parse(readFileSync(file, 'utf8')) as { path: string }).path.endsWith(broken))!;
    const written = statSync(record).mtimeMs;
    const warm = await runBuild(h.site.dir, ['npx', 'docusaurus', 'build', '--out-dir', 'build-warm'], { WIREGRAM_STRICT: '' });
    expect(warm.code, warm.log.slice(-3000)).toBe(0);
    expect(statSync(record).mtimeMs).toBe(written);
    expect(wiregramLines(warm.log).filter((l) => l.startsWith(said))).toHaveLength(1);
    expectBadPageLogged(warm.log, h.site.dir, 'docs/bad.md');
    // Strict, warm, with the cached page the only one with a problem (the bad doc set aside): the build fails.
    const bad = join(h.site.dir, 'docs', 'bad.md');
    const badText = readFileSync(bad, 'utf8');
    rmSync(bad);
    try {
      const strict = await runBuild(h.site.dir, ['npx', 'docusaurus', 'build', '--out-dir', 'build-warm-strict'], { WIREGRAM_STRICT: '1' });
      expect(strict.code).not.toBe(0);
      expect(statSync(record).mtimeMs).toBe(written);
      expect(strict.log).toContain('wiregram strict mode: 1 problem in src/pages/broken.md');
      expect(strict.log).toMatch(/src\/pages\/broken\.md:\d+:1: client cannot send FIN in CLOSED .*\[fin-from-closed\]/);
      // The author's problem, not a stack trace into wiregram.
      expect(strict.log).not.toMatch(/at .*diagnostics\.js/);
    } finally {
      writeFileSync(bad, badText);
    }
  });

  it('shows every diagram, in tabs and details too, with unique ids and no console error (hydration included)', async () => {
    const { page, errors } = await openPage(h.browser, h.url + 'docs/good');
    const { diagrams, ids, styles } = await diagramsOn(page);
    // Five in the MDX page: two in tabs (one hidden until its tab is chosen), one in <details>.
    expect(diagrams).toHaveLength(5);
    // One page stylesheet, in the head (outside React's root); no diagram carries a <style>.
    expect(styles).toEqual({ sheets: 1, inHead: 1, ownStyles: 0 });
    expect(await page.locator('#__docusaurus style').count()).toBe(0);
    expect(duplicates(ids)).toEqual([]);
    const visible = diagrams.filter((d) => d.width > 0);
    expect(visible.length).toBeGreaterThanOrEqual(3);
    expect(diagrams[0]!.texts).toEqual(expect.arrayContaining(['TCP 三次握手', 'SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1']));
    // The label size is the diagram's own (no utility CSS or host style changed it).
    for (const d of visible) expect(d.labelFontSize).toBeLessThanOrEqual(16);
    await page.getByRole('tab', { name: 'TCP header' }).click();
    await page.locator('details summary').click();
    const after = await diagramsOn(page);
    expect(after.diagrams.filter((d) => d.width > 0).length).toBeGreaterThan(visible.length);
    expect(after.diagrams.find((d) => d.texts.includes('Source Port') || d.texts.some((t) => /Source port/i.test(t)))).toBeDefined();
    await screenshot(page, 'docusaurus-good-light');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows the navbar toggle into dark mode and back', async () => {
    const { page, errors } = await openPage(h.browser, h.url + 'docs/good');
    const bg = async () => (await diagramsOn(page)).diagrams[0]!.background;
    expect(luminance(await bg())).toBeGreaterThan(0.8);
    const toggle = page.locator('button[title*="mode" i], button[aria-label*="mode" i]').first();
    for (let i = 0; i < 3 && (await page.locator('html').getAttribute('data-theme')) !== 'dark'; i++) await toggle.click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(luminance(await bg())).toBeLessThan(0.1);
    await screenshot(page, 'docusaurus-good-dark');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the broken block as a readable error box (no path, no highlighter), the rest of the page drawn', async () => {
    await expectBadPage(h.browser, h.url + 'docs/bad', 'docusaurus');
  });

  it('draws diagrams in the blog and in Markdown pages', async () => {
    for (const path of ['blog/handshake', '']) {
      const { page, errors } = await openPage(h.browser, h.url + path);
      expect((await diagramsOn(page)).diagrams.length, path).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('the server HTML carries the stylesheet once, in <head>, and no <style> inside the hydrated root', () => {
    const html = readFileSync(join(h.site.dir, 'build', 'docs', 'good', 'index.html'), 'utf8');
    const head = html.slice(0, html.indexOf('</head>'));
    expect(html.match(/class="?wiregram-styles"?/g)).toHaveLength(1);
    expect(head).toMatch(/<style class="?wiregram-styles"?>[^<]*\.wg-diagram/);
    // The minifier drops attribute quotes where it can (`id=__docusaurus`).
    const root = html.slice(html.search(/id="?__docusaurus"?>/));
    expect(root.length).toBeLessThan(html.length);
    expect(root).toMatch(/<svg[^>]*class="?wg-diagram/);
    expect(root).not.toMatch(/<style/);
  });

  it('control: diagrams with their own <style> (styles: inline) in the React tree fail hydration once minified (React #418)', async () => {
    // The failure the head stylesheet prevents: Docusaurus's SWC minifier rewrites the style text (#ffffff → #fff).
    const config = join(h.site.dir, 'docusaurus.config.js');
    const original = readFileSync(config, 'utf8');
    writeFileSync(config, original.replace('export default withWiregram(config);', "export default withWiregram(config, {styles: 'inline'});"));
    rmSync(join(h.site.dir, 'node_modules', '.cache'), { recursive: true, force: true });
    try {
      const plain = await runBuild(h.site.dir, ['npx', 'docusaurus', 'build', '--out-dir', 'build-control']);
      expect(plain.code).toBe(0);
      const control = await serveStatic(join(h.site.dir, 'build-control'));
      try {
        const { page, errors } = await openPage(h.browser, control.url + 'docs/good');
        expect(errors.join('\n')).toMatch(/React error #418/);
        await page.close();
      } finally {
        await control.close();
      }
    } finally {
      writeFileSync(config, original);
    }
  });

  it('fails the build in strict mode (WIREGRAM_STRICT=1), listing the problems', async () => {
    await expectStrictFailure(h.site.dir, ['npx', 'docusaurus', 'build', '--out-dir', 'build-strict'], 'docs/bad.md', ['docs/good.mdx', 'src/pages/broken.md']);
  });
});
