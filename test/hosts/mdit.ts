/** Small helpers shared by the markdown-it host tests (VitePress, Eleventy, Marp, Slidev). */

/** 1-based line of the first line of `text` containing `needle` (0 when none: a test then fails visibly). */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
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

/** Let the browser reach 127.0.0.1 only (a host page may ask for web fonts or a CDN icon). */
export async function loopbackOnly(browser: import('playwright-core').BrowserContext): Promise<void> {
  await browser.route(/^(?!https?:\/\/127\.0\.0\.1[:/]|data:|blob:)/, (route) => route.abort());
}
