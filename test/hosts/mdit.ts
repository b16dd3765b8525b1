/** Small helpers shared by the markdown-it host tests (VitePress, Eleventy, Marp, Slidev). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
import { lineOf, runBuild, wiregramLines, type HostContext } from '../support/hosts.js';

/** The text of a file of the host's copied site. */
export function siteText(host: HostContext, path: string): string {
  return readFileSync(join(host.site.dir, path), 'utf8');
}

/** Run `fn` with the suite's browser (`useHostSite`), closing the pages it opened. */
export async function withPages(host: HostContext, fn: (browser: BrowserContext) => Promise<void>): Promise<void> {
  try {
    await fn(host.browser);
  } finally {
    for (const page of host.browser.pages()) await page.close().catch(() => undefined);
  }
}

/**
 * Console lines the host's own page template logs whatever the content (Marp CLI's bespoke template uses a
 * deprecated Apple meta tag); everything else — wiregram's or the host's reaction to it — stays.
 */
const HOST_NOISE = [/<meta name="apple-mobile-web-app-capable" content="yes"> is deprecated/];

export function withoutHostNoise(errors: string[]): string[] {
  return errors.filter((e) => !HOST_NOISE.some((re) => re.test(e)));
}

/**
 * Labels whose computed font size is not the one the diagram declares (`style="font-size:14px"`): a host's CSS
 * changed it — Slidev's UnoCSS attributify once turned `font-size="14"` into 3.5rem. Visible diagrams only.
 */
export async function resizedLabels(page: import('playwright-core').Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('svg.wg-diagram'))
      .filter((svg) => svg.getBoundingClientRect().width > 0)
      .flatMap((svg) =>
        Array.from(svg.querySelectorAll('text'))
          .filter((t) => getComputedStyle(t).fontSize !== (t.style.fontSize || t.getAttribute('font-size') + 'px'))
          .map((t) => `${svg.id} "${t.textContent}": ${getComputedStyle(t).fontSize} for ${t.style.fontSize || t.getAttribute('font-size')}`),
      ),
  );
}

/**
 * The bad pages of the markdown-it hosts hold a protocol error (`client -> server: PSH, ACK len=100` before any
 * handshake) and a fence typo (`stlye=flow`): the build log names each once, at its line in the file whose text
 * is `text`; `file` is the path as the log shows it (Marp CLI cannot name it: pass '').
 */
export function expectProblemsLogged(log: string, text: string, file: string): void {
  const lines = wiregramLines(log);
  const at = (needle: string) => `${file}:${lineOf(text, needle)}:`;
  expect(lines.filter((l) => l.includes(`${at('PSH, ACK len=100')}1: `) && l.includes('[no-connection]')), log.slice(-3000)).toHaveLength(1);
  expect(lines.filter((l) => l.includes(at('stlye=flow')) && l.includes('stlye')), log.slice(-3000)).toHaveLength(1);
}

/** `WIREGRAM_STRICT=1` makes the build fail, listing both problems of the bad page. */
export async function expectStrictFails(dir: string, command: string[]): Promise<void> {
  const strict = await runBuild(dir, command, { WIREGRAM_STRICT: '1' });
  expect(strict.code).not.toBe(0);
  expect(strict.log).toContain('wiregram strict mode: 2 problems');
  expect(strict.log).toMatch(/\[no-connection\]/);
  expect(strict.log).toMatch(/stlye/);
}
