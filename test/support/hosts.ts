/**
 * Real host sites for the host tests (test/hosts/<host>.test.ts): each host is a folder `test/hosts/<host>/`
 * with its own package.json + package-lock.json (made with npm) and the site's sources. A test
 *
 *   const site = await prepareSite('docusaurus', ['@wiregram/docusaurus']);   // copy, npm ci, wiregram tarballs
 *   const build = await runBuild(site.dir, ['npx', 'docusaurus', 'build']);    // { code, log }
 *   const server = await serveStatic(join(site.dir, 'build'));               // http://127.0.0.1:<port>/
 *   await withBrowser(async (browser) => { const { page, errors } = await openPage(browser, server.url + 'x/'); … });
 *
 * The site is copied to `test-output/hosts/<host>/` (outside the workspace, so npm never sees pnpm's
 * node_modules); its npm install is kept between runs and redone only when the lockfile changes, and wiregram's
 * packed tarballs (`packedTarballs`) are installed again only when they were repacked. Each file of the site is
 * rewritten on every run, so a test may edit pages (a bad page, strict mode) without leaking into the next run.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser } from './chromium.js';
import { pageErrors } from './chromium.js';
import { npmInstall, packedTarballs, ROOT } from './tarballs.js';

export const HOSTS_DIR = join(ROOT, 'test', 'hosts');
export const HOSTS_OUT = join(ROOT, 'test-output', 'hosts');

/** `names` and every wiregram package they depend on: tarballs only resolve each other when installed together. */
export function withWiregramDeps(names: string[]): string[] {
  const manifests = new Map<string, string[]>();
  for (const entry of readdirSync(join(ROOT, 'packages'))) {
    const file = join(ROOT, 'packages', entry, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; dependencies?: Record<string, string> };
    manifests.set(pkg.name, Object.entries(pkg.dependencies ?? {}).filter(([, v]) => v.startsWith('workspace:')).map(([k]) => k));
  }
  const out = new Set<string>();
  const add = (name: string) => {
    if (out.has(name)) return;
    out.add(name);
    for (const d of manifests.get(name) ?? []) add(d);
  };
  for (const n of names) add(n);
  return [...out];
}

const hash = (text: string | Buffer) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export interface Site {
  host: string;
  /** The copied site, with node_modules. */
  dir: string;
  /** Seconds spent in `npm ci` and in installing the tarballs this run (0 when reused). */
  installSeconds: number;
}

/**
 * Copy `test/hosts/<host>/` to `test-output/hosts/<host>/` (node_modules kept), `npm ci` when the lockfile
 * changed, and install the packed tarballs of `packages` (with their wiregram dependencies) when they changed.
 */
export function prepareSite(host: string, packages: string[]): Site {
  const from = join(HOSTS_DIR, host);
  const dir = join(HOSTS_OUT, host);
  mkdirSync(dir, { recursive: true });
  // Everything but the install is replaced: stale pages or build output must not survive a run.
  for (const name of readdirSync(dir)) if (name !== 'node_modules' && name !== '.wiregram-stamp.json') rmSync(join(dir, name), { recursive: true, force: true });
  for (const name of readdirSync(from)) {
    if (name === 'node_modules') continue;
    cpSync(join(from, name), join(dir, name), { recursive: true });
  }
  // Build caches (rspack/webpack, Vite, Astro) would replay an earlier run's Markdown output and its log.
  for (const cache of ['.cache', '.vite', '.astro']) rmSync(join(dir, 'node_modules', cache), { recursive: true, force: true });
  const stampFile = join(dir, '.wiregram-stamp.json');
  const stamp = existsSync(stampFile) ? (JSON.parse(readFileSync(stampFile, 'utf8')) as { lock?: string; tarballs?: string }) : {};
  const lock = hash(readFileSync(join(dir, 'package-lock.json')));
  const started = Date.now();
  if (stamp.lock !== lock) {
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    stamp.tarballs = undefined;
  }
  const tgz = packedTarballs();
  const specs = withWiregramDeps(packages).map((name) => {
    const file = tgz[name];
    if (!file) throw new Error(`no packed tarball for ${name}`);
    return file;
  });
  const tarballs = hash(specs.map((f) => `${f}:${statSync(f).size}:${statSync(f).mtimeMs}`).join('\n'));
  if (stamp.lock !== lock || stamp.tarballs !== tarballs || !existsSync(join(dir, 'node_modules'))) {
    // npm ci first (the host's versions as the lockfile pins them), then wiregram as a user gets it from npm.
    npmInstall(dir, specs);
    writeFileSync(stampFile, JSON.stringify({ lock, tarballs }));
  }
  return { host, dir, installSeconds: (Date.now() - started) / 1000 };
}

export interface BuildResult {
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  log: string;
  seconds: number;
}

/** Run a build command in `dir` and capture its whole log; never throws on a failing build (tests look at it). */
export function runBuild(dir: string, command: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 8 * 60_000): Promise<BuildResult> {
  const started = Date.now();
  return new Promise((resolveBuild) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: dir,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', npm_config_update_notifier: 'false', ASTRO_TELEMETRY_DISABLED: '1', DOCUSAURUS_NO_UPDATE_NOTIFIER: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => {
      log += `\n[killed after ${timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveBuild({ code, log, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
};

/**
 * Serve `root` on 127.0.0.1 (a free port) as static hosts do: `/a/` → `a/index.html`, `/a` → `a.html` or
 * `a/index.html`. Only files under `root` are served.
 */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const base = resolve(root);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const candidates = path.endsWith('/') ? [path + 'index.html'] : [path, path + '.html', path + '/index.html'];
    for (const c of candidates) {
      const file = normalize(join(base, c));
      if (file !== base && !file.startsWith(base + sep)) break;
      if (existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(readFileSync(file));
        return;
      }
    }
    // Browsers ask for /favicon.ico on their own; a site without one is not what these tests are about.
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(() => ok())) };
}

/**
 * Open `url` in a new page, collecting console errors/warnings, page errors and failed requests from the start;
 * requests to anything but 127.0.0.1 are aborted (and so reported).
 */
export async function openPage(browser: BrowserContext, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  await page.emulateMedia({ colorScheme });
  const errors = pageErrors(page);
  // Loopback only: a host that reaches for a CDN or web fonts gets the request aborted, and the test sees it
  // (as a failed request) instead of the machine talking to the network.
  await page.route(
    (u) => !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(u.hostname) && u.protocol !== 'data:',
    (route) => route.abort(),
  );
  // A first visit: a theme stored by an earlier page of the same browser (a toggle test) must not carry over.
  await page.addInitScript(() => {
    try {
      localStorage.clear();
    } catch {
      /* storage unavailable: nothing stored either */
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate(() => document.fonts.ready);
  // Hydration errors are reported after the first render; give the framework a moment to finish.
  await page.waitForTimeout(500);
  return { page, errors };
}

export interface DiagramOnPage {
  id: string;
  width: number;
  height: number;
  texts: string[];
  /** The computed fill of the diagram's background rectangle (follows the theme). */
  background: string;
  /** Computed font size of the first label, in px (UnoCSS/Tailwind must not have changed it). */
  labelFontSize: number;
}

/**
 * The page stylesheet on a page: `sheets` (every `style.wiregram-styles`: one per document, or one in the head),
 * `inHead` (those in `<head>`), `ownStyles` (diagrams carrying their own `<style>`: none in a host page).
 */
export interface PageStyles {
  sheets: number;
  inHead: number;
  ownStyles: number;
}

/** Every wiregram diagram on the page with what a reader sees, and every id on the page (to check uniqueness). */
export async function diagramsOn(page: Page): Promise<{ diagrams: DiagramOnPage[]; ids: string[]; errorBoxes: string[]; restyled: number; styles: PageStyles }> {
  return page.evaluate(() => {
    const diagrams = Array.from(document.querySelectorAll('svg.wg-diagram')).map((svg) => {
      const box = svg.getBoundingClientRect();
      const bg = svg.querySelector('.wg-background');
      const label = svg.querySelector('text');
      return {
        id: svg.id,
        width: box.width,
        height: box.height,
        texts: Array.from(svg.querySelectorAll('text')).map((t) => t.textContent ?? ''),
        background: bg ? getComputedStyle(bg).fill : '',
        labelFontSize: label ? parseFloat(getComputedStyle(label).fontSize) : 0,
      };
    });
    const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
    const errorBoxes = Array.from(document.querySelectorAll('.wiregram-error')).map((e) => (e as HTMLElement).innerText);
    // What a highlighter (Shiki, Expressive Code, Prism) would have taken over or added: none may be inside.
    const restyled = document.querySelectorAll('.wiregram-error pre, .wiregram-error code, .wiregram-error button, .wiregram-error .expressive-code').length;
    const styles = {
      sheets: document.querySelectorAll('style.wiregram-styles').length,
      inHead: document.head.querySelectorAll('style.wiregram-styles').length,
      ownStyles: document.querySelectorAll('svg.wg-diagram style:not(.wiregram-styles)').length,
    };
    return { diagrams, ids, errorBoxes, restyled, styles };
  });
}

/** `file:line` of the first line of `text` that contains `needle` (1-based), for log assertions. */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

/** Ids that occur more than once. */
export function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

/** Relative luminance (0 dark … 1 light) of a computed `rgb(…)` colour. */
export function luminance(rgb: string): number {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(rgb);
  if (!m) return Number.NaN;
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** Screenshot the whole page to test-output/hosts/<name>.png (viewed by a person; not compared). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = join(HOSTS_OUT, `${name}.png`);
  mkdirSync(HOSTS_OUT, { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Lines of a build log that wiregram printed (`wiregram: file:line:col: …`), without terminal colours. */
export function wiregramLines(log: string): string[] {
  // eslint-disable-next-line no-control-regex
  return log.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((l) => l.includes('wiregram: '));
}

/**
 * The checks every host's bad page shares: the build log names the broken block and the fence typo at their
 * lines in `file` (path as the log shows it, relative to the site), each once.
 */
export function expectBadPageLogged(log: string, site: string, file: string): void {
  const text = readFileSync(join(site, file), 'utf8');
  const lines = wiregramLines(log);
  expect(lines, log.slice(-3000)).toContain(`wiregram: ${file}:${lineOf(text, 'client => server')}:1: unknown statement "client" [unknown-statement]`);
  expect(lines.some((l) => l.startsWith(`wiregram: ${file}:${lineOf(text, 'stlye=flow')}:1: warning: unknown option \`stlye\``))).toBe(true);
  // Hosts compile a page more than once (server and client, content layer and page): each problem is said once.
  expect(lines.filter((l) => l.includes('[unknown-statement]'))).toHaveLength(1);
}

/**
 * The bad page in light and dark: one good diagram drawn, one error box that names line and column, shows no
 * path, holds nothing a highlighter took over, and no console error. Screenshots `<name>-bad-<scheme>.png`.
 * `dark` turns the host's own dark mode on (its toggle) when the media query alone does not.
 */
export async function expectBadPage(browser: BrowserContext, url: string, name: string, dark?: (page: Page) => Promise<void>): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    const { page, errors } = await openPage(browser, url, scheme);
    if (scheme === 'dark' && dark) await dark(page);
    const { diagrams, errorBoxes, restyled } = await diagramsOn(page);
    expect(diagrams).toHaveLength(1);
    // The page really is in the scheme asked for (the good diagram on the bad page follows it).
    expect(luminance(diagrams[0]!.background) > 0.5, `${scheme}: ${diagrams[0]!.background}`).toBe(scheme === 'light');
    expect(errorBoxes).toHaveLength(1);
    expect(errorBoxes[0]).toMatch(/could not be drawn \(line \d+, column 1\)/);
    expect(errorBoxes[0]).toContain('unknown statement "client"');
    expect(errorBoxes[0]).not.toMatch(/bad\.md|\/tmp\/|test-output|\/work\//);
    expect(restyled).toBe(0);
    // The box's text is the page's own colour: readable on the host's background in both schemes.
    const contrast = await page.evaluate(() => {
      const box = document.querySelector('.wiregram-error') as HTMLElement;
      let bgEl: HTMLElement | null = box;
      let bg = 'rgba(0, 0, 0, 0)';
      while (bgEl && /rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
        bgEl = bgEl.parentElement;
        bg = bgEl ? getComputedStyle(bgEl).backgroundColor : 'rgb(255, 255, 255)';
      }
      return { color: getComputedStyle(box).color, background: bg };
    });
    expect(Math.abs(luminance(contrast.color) - luminance(contrast.background)), JSON.stringify(contrast)).toBeGreaterThan(0.4);
    await screenshot(page, `${name}-bad-${scheme}`);
    expect(errors).toEqual([]);
    await page.close();
  }
}

/**
 * A strict build (`WIREGRAM_STRICT=1`, clean caches) fails and lists the bad page's problems. `drop`: pages of
 * the site removed first, so the second build of the site takes less time (the bad page is what it is about).
 */
export async function expectStrictFailure(site: string, command: string[], file: string, drop: string[] = []): Promise<BuildResult> {
  for (const page of drop) rmSync(join(site, page), { force: true });
  for (const cache of ['.cache', '.vite', '.astro']) rmSync(join(site, 'node_modules', cache), { recursive: true, force: true });
  const strict = await runBuild(site, command, { WIREGRAM_STRICT: '1' });
  expect(strict.code).not.toBe(0);
  expect(strict.log).toMatch(/wiregram strict mode: 2 problems/);
  expect(strict.log).toContain(`${file}:`);
  expect(strict.log).toMatch(/:\d+:1: unknown statement "client" \[unknown-statement\]/);
  return strict;
}

export interface HostContext {
  site: Site;
  build: BuildResult;
  /** The built site, served on 127.0.0.1 (ends with `/`). */
  url: string;
  browser: BrowserContext;
}

/**
 * A host test's set-up, registered as the suite's beforeAll/afterAll: prepare the site, build it (not strict,
 * whatever the environment says), serve `out` and launch Chromium. Prints the install and build times.
 */
export function useHostSite(host: string, packages: string[], build: string[], out: string): HostContext {
  const ctx = {} as HostContext;
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  beforeAll(async () => {
    ctx.site = prepareSite(host, packages);
    ctx.build = await runBuild(ctx.site.dir, build, { WIREGRAM_STRICT: '' });
    console.log(`${host}: install ${ctx.site.installSeconds.toFixed(0)} s, build ${ctx.build.seconds.toFixed(0)} s`);
    server = await serveStatic(join(ctx.site.dir, out));
    ctx.url = server.url;
    browser = await launchBrowser();
    ctx.browser = browser.browser;
  }, 15 * 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return ctx;
}
