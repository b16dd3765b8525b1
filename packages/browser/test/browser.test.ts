/**
 * @wiregram/browser in real Chromium, through the built bundles a page loads (dist/wiregram.min.js as a module,
 * dist/wiregram.iife.min.js as a classic script): blocks found and replaced, errors as boxes and never as
 * exceptions, unique ids across the page, dark mode from the media query and from a selector, <wire-gram>.
 * `pnpm test` builds the bundles first; the static-site shapes are in test/static-sites.test.ts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForFile, pageErrors, serveDirectory } from '../../../test/support/chromium.js';
import { HANDSHAKE } from '../../../test/support/markdown.js';
import { escapeHtml, shapePage } from '../../../test/support/static-sites.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SHOTS = join(process.cwd(), 'test-output', 'browser');
const site = mkdtempSync(join(tmpdir(), 'wg-browser-'));
copyFileSync(join(DIST, 'wiregram.min.js'), join(site, 'wiregram.min.js'));
copyFileSync(join(DIST, 'wiregram.iife.min.js'), join(site, 'wiregram.iife.min.js'));
copyFileSync(join(DIST, 'wiregram-capture.min.js'), join(site, 'wiregram-capture.min.js'));
copyFileSync(fileURLToPath(new URL('../../core/test/fixtures/capture/loopback.pcap', import.meta.url)), join(site, 'loopback.pcap'));

const MODULE = (options = '') => `<script type="module">import { run } from '/wiregram.min.js'; window.result = run(${options}); window.done = true;</script>`;
const BAD = 'participant client\nparticipant server\nclient -> server: SYN\nclient -> server: PSH, ACK len=100';

const browser = browserForFile(() => rmSync(site, { recursive: true, force: true }));

/** Open `html` as /index.html of the test site; resolves when the page's script set `window.done`. */
async function open(html: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  writeFileSync(join(site, 'index.html'), html);
  const page = await browser().newPage();
  const errors = pageErrors(page);
  await page.emulateMedia({ colorScheme });
  const origin = await serveDirectory(page, site);
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 10_000 });
  return { page, errors };
}

const texts = (page: Page, index = 0) => page.evaluate((i) => Array.from(document.querySelectorAll('svg')[i]!.querySelectorAll('text')).map((t) => t.textContent), index);

describe('run() on a page', () => {
  it('replaces each block with its diagram, leaves other code alone, shows errors in place, and never throws', async () => {
    const html = shapePage('markdown-it', [
      { language: 'tcp-sequence', source: HANDSHAKE },
      { language: 'packet-header', source: 'tcp' },
      { language: 'tcp-sequence', source: BAD },
    ], MODULE());
    const { page, errors } = await open(html);
    const result = await page.evaluate(() => (window as unknown as { result: { rendered: number; failed: number } }).result);
    expect(result).toMatchObject({ rendered: 2, failed: 1 });
    expect(await page.locator('figure.wiregram > svg').count()).toBe(2);
    expect(await page.locator('pre > code.language-tcp-sequence, pre > code.language-packet-header').count()).toBe(0);
    expect(await texts(page, 0)).toEqual(expect.arrayContaining(['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1']));
    expect((await texts(page, 1)).join(' ')).toMatch(/Source Port.*Destination Port/);
    const box = page.locator('.wiregram.wiregram-error[role=alert]');
    expect(await box.count()).toBe(1);
    const boxText = await box.innerText();
    expect(boxText).toMatch(/tcp-sequence block could not be drawn \(line 4, column \d+\)/);
    expect(boxText).toMatch(/> 4 \| client -> server: PSH, ACK len=100/);
    expect(boxText).toMatch(/hint: /);
    expect(await page.locator('code.language-js').innerText()).toContain('an ordinary code block');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('gives every id on the page a unique value, even for the same diagram twice and repeated run() calls', async () => {
    const blocks = [HANDSHAKE, HANDSHAKE, 'tcp', 'tcp'].map((source, i) => ({ language: i < 2 ? 'tcp-sequence' : 'packet-header', source }));
    const html = shapePage('markdown-it', blocks, MODULE()) + '<wire-gram>\nclient -> server: SYN\n</wire-gram>';
    const { page, errors } = await open(html);
    // A second run finds nothing new: drawn diagrams are not blocks any more.
    // (A string, so vitest does not rewrite the page's import().)
    expect(await page.evaluate("import('/wiregram.min.js').then((m) => m.run().rendered)")).toBe(0);
    const ids = await page.evaluate(() => Array.from(document.querySelectorAll('[id]')).map((e) => e.id));
    expect(await page.locator('svg').count()).toBe(5);
    expect(ids.length).toBeGreaterThan(5);
    expect(new Set(ids).size).toBe(ids.length);
    // Every url(#…) reference (markers, clip paths) points to an element of its own diagram.
    const dangling = await page.evaluate(() => Array.from(document.querySelectorAll('svg')).flatMap((svg) => {
      const refs = [...svg.outerHTML.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]!);
      return refs.filter((id) => !svg.querySelector(`[id="${id}"]`));
    }));
    expect(dangling).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says in the error box that a capture block cannot read files in a page', async () => {
    const source = 'participant client\nparticipant server\ncapture ./trace.pcap stream 0';
    const { page, errors } = await open(shapePage('markdown-it', [{ language: 'tcp-sequence', source }], MODULE()));
    const text = await page.locator('.wiregram-error').innerText();
    expect(text).toMatch(/a web page cannot read files/);
    expect(text).toMatch(/render this block at build time/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws capture blocks from bytes the page fetched once wiregram-capture.min.js is loaded, and names that file when it is not', async () => {
    // The page fetches the capture, then hands run() a reader of those bytes (the README's recipe).
    const script = (addon: string) => `${addon}<script type="module">
      import { run, drawPending } from '/wiregram.min.js';
      const bytes = new Uint8Array(await (await fetch('/loopback.pcap')).arrayBuffer());
      window.result = run({ readFile: (path) => { if (path !== './loopback.pcap') throw new Error('no such file'); return bytes; } });
      // The tall figures put the last ones out of reach of a lazy run(): drawn here to look inside them.
      drawPending();
      window.done = true;
    </script>`;
    const blocks = [
      { language: 'tcp-sequence', source: 'capture ./loopback.pcap stream 0' },
      { language: 'packet-header', source: 'capture ./loopback.pcap frame 1' },
      { language: 'packet-header', source: 'capture ./loopback.pcap frame 99' },
      // A stream graph (layout's graph/ comes with the add-on too), of the capture.
      { language: 'tcp-sequence', source: 'option layout=tcptrace\ncapture ./loopback.pcap stream 0' },
    ];
    const withAddon = await open(shapePage('markdown-it', blocks, script('<script src="/wiregram-capture.min.js"></script>')));
    expect(await withAddon.page.evaluate(() => (window as unknown as { result: { rendered: number; failed: number } }).result)).toMatchObject({ rendered: 3, failed: 1 });
    expect((await texts(withAddon.page, 0)).join(' ')).toMatch(/SYN.*SYN, ACK/);
    expect(await withAddon.page.locator('figure.wiregram > svg').nth(2).locator('polyline, line').count()).toBeGreaterThan(3);
    expect((await texts(withAddon.page, 1)).join(' ')).toMatch(/Source Port/);
    // The add-on's own error (from its copy of the core) arrives with its code's words and the block's position.
    expect(await withAddon.page.locator('.wiregram-error').innerText()).toMatch(/line 1[\s\S]*has 20 frames, not 99/);
    expect(withAddon.errors).toEqual([]);
    await withAddon.page.close();
    const without = await open(shapePage('markdown-it', blocks.slice(0, 1), script('')));
    expect(await without.page.locator('.wiregram-error').innerText()).toMatch(/needs wiregram-capture\.min\.js/);
    expect(without.errors).toEqual([]);
    await without.page.close();
  });

  it('reports a bad darkSelector on the console instead of throwing, and draws nothing', async () => {
    const { page, errors } = await open(shapePage('markdown-it', [{ language: 'tcp-sequence', source: HANDSHAKE }], MODULE(`{ darkSelector: 'html.dark} body{display:none' }`)));
    expect(await page.evaluate(() => (window as unknown as { result: { rendered: number } }).result.rendered)).toBe(0);
    expect(errors.join('\n')).toMatch(/wiregram: .*darkSelector/);
    await page.close();
  });
});

describe('the page stylesheet', () => {
  const sheets = (page: Page) => page.evaluate(() => ({
    head: Array.from(document.head.querySelectorAll('style.wiregram-styles')).map((s) => s.textContent ?? ''),
    all: document.querySelectorAll('style').length,
    inSvg: document.querySelectorAll('svg style').length,
  }));

  it('is put into the head once for the whole page: no <style> per diagram, none added by later runs or elements', async () => {
    const blocks = [HANDSHAKE, 'tcp', HANDSHAKE, 'udp'].map((source, i) => ({ language: i % 2 ? 'packet-header' : 'tcp-sequence', source }));
    const html = shapePage('markdown-it', blocks, MODULE()) + '<wire-gram>client -> server: SYN</wire-gram><wire-gram theme="dark">client -> server: SYN</wire-gram>';
    const { page, errors } = await open(html);
    await page.waitForFunction(() => document.querySelectorAll('svg.wg-diagram').length === 6);
    await page.evaluate("import('/wiregram.min.js').then((m) => { m.run(); m.drawPending(); })");
    const s = await sheets(page);
    expect(s.head).toHaveLength(1);
    expect(s.head[0]).toMatch(/@media \(prefers-color-scheme:dark\)\{\.wg-diagram\.wgs-[0-9a-z]{7}:not\(\.wg-light\)/);
    expect(s.inSvg).toBe(0);
    // Every diagram is painted by it (background white, text dark), the pinned dark one dark.
    const bgs = await page.evaluate(() => Array.from(document.querySelectorAll('svg.wg-diagram')).map((svg) => getComputedStyle(svg.querySelector('.wg-background')!).fill));
    expect(bgs).toEqual(['rgb(255, 255, 255)', 'rgb(255, 255, 255)', 'rgb(255, 255, 255)', 'rgb(255, 255, 255)', 'rgb(255, 255, 255)', expect.not.stringMatching(/255, 255, 255/)]);
    // Screenshots for a person to look at (test-output/browser/, not compared), light and the OS turned dark.
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'run-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    const darkBgs = await page.evaluate(() => Array.from(document.querySelectorAll('svg.wg-diagram')).map((svg) => getComputedStyle(svg.querySelector('.wg-background')!).fill));
    expect(new Set(darkBgs)).toEqual(new Set([bgs[5]]));
    await page.screenshot({ path: join(SHOTS, 'run-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    // Another dark-mode switch is another sheet (one per setting), and a shadow root gets its own.
    await page.evaluate(`(async () => {
      const m = await import('/wiregram.min.js');
      const host = document.createElement('div');
      document.body.appendChild(host);
      const shadow = host.attachShadow({ mode: 'open' });
      shadow.innerHTML = '<pre><code class="language-packet-header">tcp</code></pre>';
      m.run({ root: shadow, darkSelector: 'html.dark', lazy: false });
      window.shadowSheets = shadow.querySelectorAll('style.wiregram-styles').length;
      window.shadowFill = getComputedStyle(shadow.querySelector('.wg-background')).fill;
    })()`);
    expect(await page.evaluate(() => (window as unknown as { shadowSheets: number }).shadowSheets)).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { shadowFill: string }).shadowFill)).toBe('rgb(255, 255, 255)');
    expect((await sheets(page)).head).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps two dark-mode settings on one page apart: each sheet styles only its own diagrams', async () => {
    const { page, errors } = await open(`<!doctype html><html><head><meta charset="utf-8"></head><body>
      <div id="a"><pre><code class="language-packet-header">tcp</code></pre></div>
      <div id="b"><pre><code class="language-packet-header">udp</code></pre></div>
      <script type="module">
      import { run } from '/wiregram.min.js';
      run({ root: document.getElementById('a') });
      run({ root: document.getElementById('b'), darkClass: 'dark' });
      window.done = true;
    </script></body></html>`, 'dark');
    expect((await sheets(page)).head).toHaveLength(2);
    const fills = () => page.evaluate(() => ['#a', '#b'].map((s) => getComputedStyle(document.querySelector(`${s} .wg-background`)!).fill));
    // The OS is dark: the media-query diagram is dark, the class-switched one light until <html class="dark">.
    const [a, b] = await fills();
    expect(a).not.toBe('rgb(255, 255, 255)');
    expect(b).toBe('rgb(255, 255, 255)');
    await page.evaluate(() => document.documentElement.classList.add('dark'));
    expect((await fills())[1]).toBe(a);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('dark mode follows the page', () => {
  const stroke = (page: Page) => page.evaluate(() => getComputedStyle(document.querySelector('svg text')!).fill);

  it('from prefers-color-scheme by default', async () => {
    const html = shapePage('markdown-it', [{ language: 'tcp-sequence', source: HANDSHAKE }], MODULE());
    const light = await open(html, 'light');
    const dark = await open(html, 'dark');
    const [l, d] = [await stroke(light.page), await stroke(dark.page)];
    expect(l).not.toBe(d);
    // Light text is dark on white, dark-mode text is light.
    const lum = (c: string) => c.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
    expect(lum(l)).toBeLessThan(300);
    expect(lum(d)).toBeGreaterThan(400);
    await light.page.close();
    await dark.page.close();
  });

  it('from a selector such as html.dark, whatever the media query says', async () => {
    const html = shapePage('markdown-it', [{ language: 'tcp-sequence', source: HANDSHAKE }], MODULE(`{ darkSelector: 'html.dark' }`)) + '<wire-gram>client -> server: SYN</wire-gram>';
    const { page, errors } = await open(html, 'dark');
    const before = await page.evaluate(() => Array.from(document.querySelectorAll('svg text')).map((t) => getComputedStyle(t).fill));
    await page.evaluate(() => document.documentElement.classList.add('dark'));
    const after = await page.evaluate(() => Array.from(document.querySelectorAll('svg text')).map((t) => getComputedStyle(t).fill));
    // Both the run() diagram and the <wire-gram> one switch (the element takes run()'s page-wide options).
    expect(before[0]).not.toBe(after[0]);
    expect(before.at(-1)).not.toBe(after.at(-1));
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('<wire-gram>', () => {
  it('draws tcp-sequence by default, packet-header on request, options from attributes, errors in place', async () => {
    const html = `<!doctype html><html><head><meta charset="utf-8"><script type="module">import '/wiregram.min.js'; window.done = true;</script></head><body>
      <wire-gram>
        participant client
        participant server
        isn client=x server=y
        client -> server: SYN
      </wire-gram>
      <wire-gram language="packet-header">udp</wire-gram>
      <wire-gram label-style="flags">${escapeHtml(HANDSHAKE)}</wire-gram>
      <wire-gram style="sideways">client -> server: SYN</wire-gram>
      <wire-gram language="mermaid">graph TD</wire-gram>
    </body></html>`;
    const { page, errors } = await open(html);
    await page.waitForFunction(() => document.querySelectorAll('wire-gram > *').length === 5);
    expect(await page.locator('wire-gram > figure > svg').count()).toBe(3);
    expect(await texts(page, 0)).toContain('SYN, seq=x');
    expect((await texts(page, 1)).join(' ')).toMatch(/Source Port.*Length.*Checksum/);
    expect((await texts(page, 2)).join(' ')).toMatch(/SYN=1, seq=x/);
    const boxes = await page.locator('wire-gram > .wiregram-error').allInnerTexts();
    expect(boxes[0]).toMatch(/style="sideways"/);
    expect(boxes[1]).toMatch(/language="mermaid"/);
    // Changing an attribute redraws from the original text.
    await page.evaluate(() => document.querySelector('wire-gram[label-style]')!.setAttribute('label-style', 'wireshark'));
    expect((await texts(page, 2)).join(' ')).toMatch(/\[SYN\] Seq=0/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the classic-script build', () => {
  it('defines window.wiregram with render and run', async () => {
    const html = shapePage('jekyll', [{ language: 'tcp-sequence', source: HANDSHAKE }], `<script src="/wiregram.iife.min.js"></script><script>window.result = wiregram.run(); window.svg = wiregram.render('tcp', { language: 'packet-header' }).svg; window.done = true;</script>`);
    const { page, errors } = await open(html);
    expect(await page.evaluate(() => Object.keys((window as unknown as { wiregram: object }).wiregram).filter((k) => ['render', 'run', 'defineElement'].includes(k)).sort())).toEqual(['defineElement', 'render', 'run']);
    expect(await page.evaluate(() => (window as unknown as { svg: string }).svg)).toMatch(/^<svg[^>]+role="img"/);
    expect(await page.locator('figure.wiregram svg').count()).toBe(1);
    expect(await page.locator('.highlighter-rouge').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('render() throws a WiregramError with a position for bad input (the one API that throws)', async () => {
    const { page } = await open(`<script src="/wiregram.iife.min.js"></script><script>try { wiregram.render('client -> server: HELLO') } catch (e) { window.err = { name: e.name, line: e.position && e.position.start.line, message: e.message } } window.done = true;</script>`);
    const err = await page.evaluate(() => (window as unknown as { err: { name: string; line: number; message: string } }).err);
    expect(err.name).toBe('WiregramError');
    expect(err.line).toBe(1);
    await page.close();
  });
});

describe('the bundles', () => {
  // Issue 12's budget for the one file a page loads (bench/browser.mjs reports the size beside Mermaid's).
  it('stay within 80 KB gzipped, and leave yaml and the capture decoder out (the seams of scripts/seams.mjs)', () => {
    for (const file of ['wiregram.min.js', 'wiregram.iife.min.js']) {
      const code = readFileSync(join(DIST, file));
      expect(gzipSync(code, { level: 9 }).length, file).toBeLessThanOrEqual(80 * 1024);
      // Markers of each: yaml's composer error text, the pcapng section header check.
      expect(code.toString()).not.toContain('Implicit keys need to be on a single line');
      expect(code.toString()).not.toContain('not a pcap or pcapng file');
    }
    expect(readFileSync(join(DIST, 'wiregram-capture.min.js'), 'utf8')).toContain('not a pcap or pcapng file');
  });

  it('hold no node: module and no require of one (the core, layout and svg stay browser-safe)', () => {
    for (const file of ['wiregram.min.js', 'wiregram.iife.min.js']) {
      const code = readFileSync(join(DIST, file), 'utf8');
      expect(code).not.toMatch(/\bfrom\s*["']node:|require\(["']node:|import\(["']node:/);
      expect(code).not.toMatch(/\bimport\s*["'][^"']+["']|\bfrom\s*["'][^./][^"']*["']/);
    }
  });

  it('import in Node without a DOM: run() does nothing, render() works', async () => {
    const mod = (await import(join(DIST, 'index.js'))) as typeof import('../src/index.js');
    expect(mod.run()).toEqual({ rendered: 0, waiting: 0, failed: 0, blocks: [] });
    expect(mod.render('tcp', { language: 'packet-header' }).svg).toMatch(/^<svg/);
    expect(mod.defineElement()).toBeNull();
  });
});
