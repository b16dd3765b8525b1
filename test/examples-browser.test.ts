/**
 * The built examples and docs in real Chromium: `pnpm demo` and the docs build run first (on the built
 * packages, as a user runs them), then every page is opened from disk. Checks what a reader sees: no console
 * errors or CSP violations, every diagram drawn with its arrowheads painted, unique ids across the page, the
 * dark theme both from `prefers-color-scheme` and from the toggle. Screenshots go to /tmp/wg-integrations/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { Marp } from '@marp-team/marp-core';
import marpEngine from '../examples/marp/engine.mjs';
import { launchBrowser, pageErrors } from './support/chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const shots = '/tmp/wg-integrations';
let browser: BrowserContext;
let close: () => Promise<void>;
const builds: Record<string, { status: number; output: string }> = {};

function run(script: string) {
  try {
    const output = execFileSync(process.execPath, [script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, output };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { status: err.status ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

beforeAll(async () => {
  builds.demo = run('scripts/demo.mjs');
  builds.docs = run('scripts/build-docs.mjs');
  mkdirSync(shots, { recursive: true });
  ({ browser, close } = await launchBrowser());
}, 180_000);
afterAll(async () => close?.());

async function open(path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = pageErrors(page);
  await page.emulateMedia({ colorScheme });
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return { page, errors };
}

/** What the page shows, measured in the browser. */
function inspect(page: Page) {
  return page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
    const figures = Array.from(document.querySelectorAll('figure.wiregram')).map((f) => {
      const svg = f.querySelector(':scope > svg');
      const heads = svg ? Array.from(svg.querySelectorAll('.wg-arrowhead')) : [];
      const label = svg?.querySelector('.wg-label, .wg-field, text');
      const box = svg?.getBoundingClientRect();
      return {
        error: f.classList.contains('wiregram-error'),
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        arrowheads: heads.length,
        paintedHeads: heads.filter((h) => {
          const s = getComputedStyle(h);
          const b = (h as SVGGraphicsElement).getBBox();
          return s.fill !== 'none' && s.fill !== 'rgba(0, 0, 0, 0)' && b.width > 0 && b.height > 0;
        }).length,
        labelFill: label ? getComputedStyle(label).fill : null,
      };
    });
    return { ids, figures, dark: document.documentElement.classList.contains('dark'), bg: getComputedStyle(document.body).backgroundColor };
  });
}

describe('pnpm demo → examples/out', () => {
  it('builds every example without broken diagrams and says what it wrote', () => {
    expect(builds.demo!.output).toContain('wrote ');
    expect(builds.demo!.output).toMatch(/0 broken/);
    expect(builds.demo!.status).toBe(0);
    const pages = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.md'));
    for (const p of pages) expect(existsSync(join(root, 'examples/out', p.replace(/\.md$/, '.html')))).toBe(true);
    expect(existsSync(join(root, 'examples/out/index.html'))).toBe(true);
  });

  it('opens every page without console errors; many diagrams on a page keep their arrowheads and unique ids', async () => {
    const pages = readdirSync(join(root, 'examples/out')).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const name of pages) {
      const { page, errors } = await open(join(root, 'examples/out', name));
      const seen = await inspect(page);
      expect(errors, name).toEqual([]);
      expect(new Set(seen.ids).size, `${name}: duplicate ids`).toBe(seen.ids.length);
      for (const f of seen.figures) {
        expect(f.error, name).toBe(false);
        expect(f.width, name).toBeGreaterThan(100);
        expect(f.paintedHeads, name).toBe(f.arrowheads);
      }
      await page.close();
    }
    const { page } = await open(join(root, 'examples/out/lecture-deck.html'));
    const deck = await inspect(page);
    expect(deck.figures.length).toBeGreaterThanOrEqual(5);
    expect(deck.figures.filter((f) => f.arrowheads > 0).length).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(shots, 'lecture-deck-light.png'), fullPage: true });
    await page.close();
    // One page after another (about thirty, the RFC 9293 figures included): more than vitest's default 30 s on a
    // busy machine.
  }, 180_000);

  it('switches to dark with prefers-color-scheme and with the toggle', async () => {
    const path = join(root, 'examples/out/blog-post.html');
    const light = await open(path, 'light');
    const l = await inspect(light.page);
    await light.page.screenshot({ path: join(shots, 'blog-post-light.png'), fullPage: true });
    const dark = await open(path, 'dark');
    const d = await inspect(dark.page);
    await dark.page.screenshot({ path: join(shots, 'blog-post-dark.png'), fullPage: true });
    expect(l.dark).toBe(false);
    expect(d.dark).toBe(true);
    expect(d.bg).not.toBe(l.bg);
    expect(d.figures[0]!.labelFill).not.toBe(l.figures[0]!.labelFill);

    // The toggle overrides the system setting, and the diagrams follow the class.
    await light.page.click('#theme-toggle');
    const toggled = await inspect(light.page);
    expect(toggled.dark).toBe(true);
    expect(toggled.figures[0]!.labelFill).toBe(d.figures[0]!.labelFill);
    await light.page.screenshot({ path: join(shots, 'blog-post-toggled.png'), fullPage: true });
    await light.page.click('#theme-toggle');
    expect((await inspect(light.page)).figures[0]!.labelFill).toBe(l.figures[0]!.labelFill);
    expect([...light.errors, ...dark.errors]).toEqual([]);
    await light.page.close();
    await dark.page.close();
  });
});

describe('a Marp deck (examples/marp/engine.mjs) in the browser', () => {
  it('shows every diagram inside the slides, painted, with unique ids', async () => {
    const marp = marpEngine({ marp: new Marp() });
    const { html, css } = marp.render(readFileSync(join(root, 'examples/lecture-deck.md'), 'utf8'));
    const file = join(mkdtempSync(join(tmpdir(), 'wg-marp-')), 'deck.html');
    writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>${html}</body></html>`);
    const { page, errors } = await open(file);
    const seen = await inspect(page);
    expect(errors).toEqual([]);
    expect(seen.figures.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen.ids).size).toBe(seen.ids.length);
    for (const f of seen.figures) {
      expect(f.error).toBe(false);
      expect(f.width).toBeGreaterThan(100);
      expect(f.paintedHeads).toBe(f.arrowheads);
    }
    await page.screenshot({ path: join(shots, 'marp-deck.png'), fullPage: true });
    await page.close();
  });
});

describe('docs → docs/out', () => {
  it('builds the docs with live diagrams, and every page opens cleanly', async () => {
    expect(builds.docs!.output).toMatch(/live diagrams, 0 broken/);
    expect(builds.docs!.status).toBe(0);
    const pages: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        // The playground needs http (a module worker); packages/playground's tests serve and drive it.
        if (e.isDirectory()) {
          if (e.name !== 'playground') walk(join(dir, e.name));
        }
        else if (e.name.endsWith('.html')) pages.push(join(dir, e.name));
      }
    };
    walk(join(root, 'docs/out'));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    let diagrams = 0;
    for (const path of pages) {
      const { page, errors } = await open(path);
      const seen = await inspect(page);
      expect(errors, path).toEqual([]);
      expect(new Set(seen.ids).size, path).toBe(seen.ids.length);
      for (const f of seen.figures) expect(f.paintedHeads, path).toBe(f.arrowheads);
      // Every diagram links to the playground with its own text.
      const links = await page.$$eval('p.wg-open a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(links.length, path).toBe(seen.figures.length);
      for (const href of links) expect(existsSync(join(dirname(path), href.split('#')[0]!)), href).toBe(true);
      diagrams += seen.figures.length;
      if (path.endsWith('getting-started.html')) await page.screenshot({ path: join(shots, 'docs-getting-started.png'), fullPage: true });
      await page.close();
    }
    expect(diagrams).toBeGreaterThanOrEqual(5);
    // Page after page in one browser: past vitest's default 30 s on a busy machine.
  }, 120_000);
});
