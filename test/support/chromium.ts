/**
 * Real-browser checks: Debian's chromium driven by playwright-core (no browser download). Every launch gets a
 * fresh profile directory, removed afterwards, and no network-facing background services.
 *
 *   await withBrowser(async (browser) => {
 *     const page = await browser.newPage();
 *     const errors = pageErrors(page);
 *     await page.setContent(html);
 *     …
 *   });
 *   await screenshotSvg(svg, 'test-output/x.png');
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch chromium with a fresh user-data-dir; the caller must `close()` (or use `withBrowser`). */
export async function launchBrowser(): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'wg-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1000, height: 800 },
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Run `fn` with a browser that is closed (and its profile removed) afterwards, even when `fn` throws. */
export async function withBrowser<T>(fn: (browser: BrowserContext) => Promise<T>): Promise<T> {
  const { browser, close } = await launchBrowser();
  try {
    return await fn(browser);
  } finally {
    await close();
  }
}

/**
 * Collects console errors/warnings, uncaught page errors and failed requests of `page` from now on; read the
 * returned array after the page has done its work (it is filled in place).
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
  return errors;
}

/** An HTML page that shows `body` (inline SVG, figures, …) on a plain background. */
export function htmlPage(body: string, options: { dark?: boolean; htmlClass?: string } = {}): string {
  const bg = options.dark ? '#0d1117' : '#ffffff';
  return `<!doctype html><html${options.htmlClass ? ` class="${options.htmlClass}"` : ''}><head><meta charset="utf-8"><style>body{margin:8px;background:${bg}}svg{display:block;margin-bottom:8px}</style></head><body>${body}</body></html>`;
}

export interface ScreenshotOptions {
  /** Emulated `prefers-color-scheme`. */
  colorScheme?: 'light' | 'dark';
  /** A class on `<html>` (for diagrams rendered with `darkClass`). */
  htmlClass?: string;
  /** Page errors are collected into this array when given. */
  errors?: string[];
  browser?: BrowserContext;
}

/** Render one SVG string inline in a page and save a PNG of it (directories are created). */
export async function screenshotSvg(svg: string, pngPath: string, options: ScreenshotOptions = {}): Promise<void> {
  const run = async (browser: BrowserContext) => {
    const page = await browser.newPage();
    try {
      const errors = pageErrors(page);
      await page.emulateMedia({ colorScheme: options.colorScheme ?? 'light' });
      await page.setContent(htmlPage(svg, { dark: options.colorScheme === 'dark', htmlClass: options.htmlClass }));
      await page.evaluate(() => document.fonts.ready);
      mkdirSync(dirname(pngPath), { recursive: true });
      const el = await page.$('svg');
      if (el) await el.screenshot({ path: pngPath });
      else await page.screenshot({ path: pngPath, fullPage: true });
      if (options.errors) options.errors.push(...errors);
    } finally {
      await page.close();
    }
  };
  if (options.browser) await run(options.browser);
  else await withBrowser(run);
}

/**
 * Serve the files of `dir` to `page` under `origin` (default `http://site.test`) through request interception:
 * nothing leaves the machine (other origins are refused), and module scripts work (Chromium refuses ES modules from file:// pages).
 * Unknown paths get a 404, which Chromium logs as a console error (so `pageErrors` sees it).
 */
export async function serveDirectory(page: Page, dir: string, origin = 'http://site.test'): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { extname, join: joinPath, normalize } = await import('node:path');
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.json': 'application/json', '.png': 'image/png' };
  // Anything else (a theme's CDN stylesheet, …) is refused here, so a test never reaches the network; the
  // refusal shows up as a failed request in \`pageErrors\`.
  await page.route((url) => !url.href.startsWith(origin + '/') && url.protocol !== 'data:', (route) => route.abort('blockedbyclient'));
  await page.route(`${origin}/**`, async (route) => {
    let path = decodeURIComponent(new URL(route.request().url()).pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = joinPath(dir, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    try {
      await route.fulfill({ status: 200, body: await readFile(file), contentType: types[extname(file)] ?? 'application/octet-stream' });
    } catch {
      await route.fulfill({ status: 404, body: 'not found' });
    }
  });
  return origin;
}

/**
 * One browser for a whole test file: launched in `beforeAll`, closed (profile removed) in `afterAll`, then
 * `cleanup` runs. Call at the top level of the file; the returned function gives the browser inside tests.
 */
export function browserForFile(cleanup?: () => void): () => BrowserContext {
  let launched: Awaited<ReturnType<typeof launchBrowser>> | null = null;
  beforeAll(async () => {
    launched = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await launched?.close();
    cleanup?.();
  });
  return () => {
    if (!launched) throw new Error('browserForFile: the browser is not launched yet (use it inside a test)');
    return launched.browser;
  };
}
