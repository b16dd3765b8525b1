/**
 * `darkSelector` in real Chromium: the selector the renderer writes is one the browser accepts, the dark palette
 * follows the ancestor and ignores `prefers-color-scheme`, both for the SVG inlined as is (markdown-it) and for
 * the HTML that remark + rehype-stringify serialise from hast. Screenshots go to test-output/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { themes } from '@wiregram/layout';
import { render } from '@wiregram/svg';
import remarkWiregram from 'remark-wiregram';
import { htmlPage, launchBrowser, pageErrors } from '../../../test/support/chromium.js';

const OUT = join(process.cwd(), 'test-output', 'svg-dark-selector');
const SOURCE = 'title Dark selector\nparticipant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';
// An attribute selector with quotes, a child combinator and a list: the characters a stylesheet must carry.
const SELECTOR = `[data-theme="dark"] > body, html.night`;

let browser: BrowserContext;
let close: () => Promise<void>;
beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  ({ browser, close } = await launchBrowser());
});
afterAll(async () => {
  await close?.();
});

const fillOf = (page: Page, selector: string) => page.evaluate((s) => getComputedStyle(document.querySelector(s)!).fill, selector);
const rgb = (hex: string) => `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;

describe('darkSelector in Chromium', () => {
  const pages: Array<[string, () => string]> = [
    ['inline SVG string', () => render(SOURCE, { darkSelector: SELECTOR, idPrefix: 'wg-1-' }).svg],
    ['remark → hast → HTML', () => String(unified().use(remarkParse).use(remarkWiregram, { darkSelector: SELECTOR }).use(remarkRehype).use(rehypeStringify).processSync('```tcp-sequence\n' + SOURCE + '```\n'))],
  ];
  for (const [name, body] of pages) {
    it(`${name}: light until an ancestor matches, whatever the media query says`, async () => {
      const page = await browser.newPage();
      const errors = pageErrors(page);
      try {
        await page.emulateMedia({ colorScheme: 'dark' });
        await page.setContent(htmlPage(body()));
        expect(await fillOf(page, '.wg-background')).toBe(rgb(themes.light.background));
        expect(await fillOf(page, '.wg-label')).toBe(rgb(themes.light.foreground));
        await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
        expect(await fillOf(page, '.wg-background')).toBe(rgb(themes.dark.background));
        expect(await fillOf(page, '.wg-label')).toBe(rgb(themes.dark.foreground));
        await (await page.$('svg'))!.screenshot({ path: join(OUT, `${name.replace(/\W+/g, '-')}-dark.png`) });
        // The second part of the list works on its own.
        await page.evaluate(() => {
          document.documentElement.removeAttribute('data-theme');
          document.documentElement.classList.add('night');
        });
        expect(await fillOf(page, '.wg-background')).toBe(rgb(themes.dark.background));
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
