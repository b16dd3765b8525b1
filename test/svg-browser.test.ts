/**
 * Real Chromium: every example block and every seed figure's equivalent, rendered to SVG, shown inline, and
 * checked where a reader sees it — the browser's own text boxes, console errors, dark mode, many diagrams on
 * one page. PNGs go to test-output/svg-browser/ (gitignored) for a human look.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { layoutHeader, themes } from '@wiregram/layout';
import { describeScene, renderSvg, sceneToSvg } from '@wiregram/svg';
import { build } from 'vite';
import { htmlPage, launchBrowser, pageErrors, screenshotSvg } from './support/chromium.js';
import { SEED_HANDSHAKE, SEED_WAVEHAND } from './support/seeds.js';
import { exampleBlocks } from './support/svg.js';
import { seedTcpModel, tcpSynModel, ipv6Model, tcpModel } from '../packages/layout/test/fixtures/header-models.js';

const OUT = join(process.cwd(), 'test-output', 'svg-browser');
const ROOT = process.cwd();

interface Diagram {
  name: string;
  svg: () => string;
}

const diagrams: Diagram[] = [
  { name: 'seed-three-way-handshake', svg: () => renderSvg(SEED_HANDSHAKE, { language: 'tcp-sequence' }) },
  { name: 'seed-four-way-wavehand', svg: () => renderSvg(SEED_WAVEHAND, { language: 'tcp-sequence' }) },
  { name: 'handshake-with-headers', svg: () => renderSvg(SEED_HANDSHAKE.replace('isn client=x server=y', 'isn client=1000 server=5000') + 'header 1\nheader 2\n') },
  { name: 'seed-tcp-header', svg: () => sceneToSvg(layoutHeader(seedTcpModel())) },
  { name: 'seed-tcp-header-source', svg: () => renderSvg('tcp-rfc793\n', { language: 'packet-header' }) },
  { name: 'header-tcp-ruler-offsets', svg: () => sceneToSvg(layoutHeader(tcpModel({ ruler: true, offsets: true, title: 'TCP header' }))) },
  { name: 'header-tcp-syn-values', svg: () => sceneToSvg(layoutHeader(tcpSynModel())) },
  { name: 'header-ipv6', svg: () => sceneToSvg(layoutHeader(ipv6Model({ offsets: true, ruler: true }))) },
  ...exampleBlocks().map((b) => ({ name: `example-${b.name}`, svg: () => renderSvg(b.source, { language: b.language }) })),
];

let browser: BrowserContext;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ browser, close } = await launchBrowser());
});
afterAll(async () => {
  await close?.();
});

interface Measured {
  width: number;
  height: number;
  texts: Array<{ text: string; x1: number; y1: number; x2: number; y2: number }>;
}

/** Text boxes in the svg's user space, from the browser's layout (getBBox mapped through each text's transform). */
async function measure(page: Page, index = 0): Promise<Measured> {
  return page.evaluate((i) => {
    const svg = document.querySelectorAll('svg')[i] as SVGSVGElement;
    const vb = svg.viewBox.baseVal;
    const texts = Array.from(svg.querySelectorAll('text')).map((t) => {
      const b = t.getBBox();
      const m = t.transform.baseVal.consolidate()?.matrix;
      const pts = [
        [b.x, b.y],
        [b.x + b.width, b.y],
        [b.x, b.y + b.height],
        [b.x + b.width, b.y + b.height],
      ].map(([x, y]) => (m ? [m.a * x! + m.c * y! + m.e, m.b * x! + m.d * y! + m.f] : [x!, y!]));
      const xs = pts.map((p) => p[0]!);
      const ys = pts.map((p) => p[1]!);
      let own = '';
      for (const n of Array.from(t.childNodes)) if (n.nodeType === 3) own += n.nodeValue;
      return { text: own, x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
    });
    return { width: vb.width, height: vb.height, texts };
  }, index);
}

/**
 * The browser's text box is the font's full line box (ascent+descent of the installed Noto Sans CJK, larger
 * than the glyphs); stacked flag letters legitimately touch at that size. Shrink vertically by 15% of the
 * height on each side before comparing, which still catches any two labels drawn over each other.
 */
function overlapping(texts: Measured['texts']): string[] {
  const out: string[] = [];
  const inset = texts.map((t) => {
    const d = (t.y2 - t.y1) * 0.15;
    const dx = t.x2 - t.x1 > t.y2 - t.y1 ? 0 : (t.x2 - t.x1) * 0.15;
    return { ...t, x1: t.x1 + dx, x2: t.x2 - dx, y1: t.y1 + d, y2: t.y2 - d };
  });
  for (let i = 0; i < inset.length; i++)
    for (let j = i + 1; j < inset.length; j++) {
      const a = inset[i]!;
      const b = inset[j]!;
      if (Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5) out.push(`"${a.text}" × "${b.text}"`);
    }
  return out;
}

describe('SVG in real Chromium', () => {
  for (const d of diagrams) {
    it(`${d.name}: renders without errors, texts inside the svg and apart`, async () => {
      const svg = d.svg();
      const page = await browser.newPage();
      const errors = pageErrors(page);
      try {
        await page.setContent(htmlPage(svg));
        await page.evaluate(() => document.fonts.ready);
        await (await page.$('svg'))!.screenshot({ path: join(OUT, `${d.name}.png`) });
        const m = await measure(page);
        expect(m.texts.length).toBeGreaterThan(2);
        for (const t of m.texts) {
          expect(t.x1, `${t.text} left`).toBeGreaterThanOrEqual(-0.5);
          expect(t.y1, `${t.text} top`).toBeGreaterThanOrEqual(-0.5);
          expect(t.x2, `${t.text} right`).toBeLessThanOrEqual(m.width + 0.5);
          expect(t.y2, `${t.text} bottom`).toBeLessThanOrEqual(m.height + 0.5);
        }
        expect(overlapping(m.texts)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});

describe('dark mode in Chromium', () => {
  const fillOf = (page: Page, selector: string) => page.evaluate((s) => getComputedStyle(document.querySelector(s)!).fill, selector);
  const rgb = (hex: string) => `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;

  it('follows prefers-color-scheme by default', async () => {
    const svg = sceneToSvg(layoutHeader(tcpSynModel()));
    const page = await browser.newPage();
    try {
      await page.setContent(htmlPage(svg));
      await page.emulateMedia({ colorScheme: 'light' });
      expect(await fillOf(page, '.wg-background')).toBe(rgb(themes.light.background));
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await fillOf(page, '.wg-background')).toBe(rgb(themes.dark.background));
      expect(await fillOf(page, '.wg-field')).toBe(rgb(themes.dark.foreground));
      await (await page.$('svg'))!.screenshot({ path: join(OUT, 'dark-prefers-color-scheme.png') });
    } finally {
      await page.close();
    }
  });

  it('switches with a class on an ancestor when darkClass is set, ignoring the media query', async () => {
    const svg = sceneToSvg(layoutHeader(tcpSynModel()), { darkClass: 'dark' });
    const page = await browser.newPage();
    try {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.setContent(htmlPage(svg));
      expect(await fillOf(page, '.wg-background')).toBe(rgb(themes.light.background));
      await page.evaluate(() => document.documentElement.classList.add('dark'));
      expect(await fillOf(page, '.wg-background')).toBe(rgb(themes.dark.background));
      expect(await fillOf(page, '.wg-field-value')).toBe(rgb(themes.dark.accent));
      await (await page.$('svg'))!.screenshot({ path: join(OUT, 'dark-class.png') });
    } finally {
      await page.close();
    }
  });
});

describe('screenshotSvg helper', () => {
  it('writes a PNG of one diagram, in the dark scheme, without page errors', async () => {
    const errors: string[] = [];
    const png = join(OUT, 'helper-dark.png');
    await screenshotSvg(renderSvg(SEED_HANDSHAKE), png, { colorScheme: 'dark', browser, errors });
    expect(statSync(png).size).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  });
});

describe('fifty diagrams on one page', () => {
  it('keeps every id unique and every accessible name inside its own diagram', async () => {
    const svgs: string[] = [];
    for (let i = 0; i < 50; i++) {
      const m = i % 2 ? tcpSynModel({ title: `SYN #${i}` }) : tcpModel({ title: `Header #${i}`, ruler: i % 4 === 0 });
      svgs.push(sceneToSvg(layoutHeader(m)));
    }
    const page = await browser.newPage();
    const errors = pageErrors(page);
    try {
      await page.setContent(htmlPage(svgs.join('\n')));
      const r = await page.evaluate(() => {
        const all = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
        const svgs = Array.from(document.querySelectorAll('svg'));
        const labelled = svgs.every((s) => {
          const t = document.getElementById(s.getAttribute('aria-labelledby')!);
          return t !== null && s.contains(t) && t.tagName === 'title';
        });
        const styled = svgs.every((s) => getComputedStyle(s).getPropertyValue('--wg-fg').trim() !== '');
        return { ids: all, count: svgs.length, labelled, styled };
      });
      expect(r.count).toBe(50);
      expect(new Set(r.ids).size).toBe(r.ids.length);
      expect(r.ids.length).toBe(150);
      expect(r.labelled).toBe(true);
      expect(r.styled).toBe(true);
      expect(errors).toEqual([]);
      await page.screenshot({ path: join(OUT, 'fifty.png') });
    } finally {
      await page.close();
    }
  });
});

describe('DOM path in Chromium', () => {
  it('svg.js draws the same markup into the live DOM as the string path', async () => {
    // Bundle the DOM path (dom.ts + svg.js) for the page, as a site's bundler would.
    const out = await build({
      configFile: false,
      logLevel: 'silent',
      build: { write: false, minify: false, lib: { entry: join(ROOT, 'packages/svg/src/dom.ts'), formats: ['iife'], name: 'WiregramDom' } },
    });
    const result = (Array.isArray(out) ? out[0] : out) as unknown as { output: Array<{ type: string; code?: string }> };
    const chunk = result.output.find((o) => o.type === 'chunk')!;
    const scenes = [layoutHeader(tcpSynModel()), layoutHeader(seedTcpModel())];
    const page = await browser.newPage();
    const errors = pageErrors(page);
    try {
      await page.setContent(htmlPage('<div id="host"></div>'));
      await page.addScriptTag({ content: chunk.code! });
      for (const scene of scenes) {
        const tree = describeScene(scene, { idPrefix: 'live' });
        const html = await page.evaluate((t) => {
          const host = document.getElementById('host')!;
          host.innerHTML = '';
          (window as unknown as { WiregramDom: { drawInto: (p: Element, n: unknown) => SVGSVGElement } }).WiregramDom.drawInto(host, t);
          return new XMLSerializer().serializeToString(host.firstElementChild!);
        }, tree);
        // The browser's serializer writes the namespace itself; otherwise the markup must be identical.
        expect(html).toBe(sceneToSvg(scene, { idPrefix: 'live' }));
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
