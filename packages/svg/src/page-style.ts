/**
 * The page stylesheet: one `<style>` for every diagram of a page rendered with `styles: 'page'`. A hundred
 * diagrams each carrying an id-scoped sheet cost a browser as much style work as drawing them, and a host's
 * HTML minifier rewrites inline `<style>` text (Docusaurus: React hydration then fails); one shared sheet,
 * emitted once per page — or put into the page's head by the host — avoids both.
 */
import { checkOptions } from './describe.js';
import { pageSheet } from './theme.js';
import type { SvgNode } from './xml.js';

/** The dark-mode switch of a page: the same options, with the same meaning, as a diagram's (`SceneSvgOptions`). */
export interface PageStyleOptions {
  /** A class on an ancestor (e.g. `dark` on `<html>`) that switches to the dark palette instead of the media query. */
  darkClass?: string;
  /** Any ancestor selector that does (`[data-theme='dark']`); validated as for a diagram. */
  darkSelector?: string;
  /**
   * A class name: the sheet then styles only diagrams that carry it too (`.wg-diagram.<scope>`), so a page whose
   * diagrams use different dark-mode switches can hold one sheet per switch (the browser runtime does).
   */
  scope?: string;
}

/** Class of the element that carries the page stylesheet (so a runtime or a test can find it). */
export const PAGE_STYLE_CLASS = 'wiregram-styles';

/**
 * The CSS every diagram rendered with `styles: 'page'` needs, once per page: palettes as custom properties on
 * `.wg-diagram`, dark under `prefers-color-scheme` or under `darkClass`/`darkSelector`, `.wg-light`/`.wg-dark`
 * for pinned diagrams, and one rule per Scene role. Throws `WiregramError` (`invalid-svg-option`) for a bad
 * class or selector. Contains no `<`, `&` or quote, so it may go into any `<style>` as is.
 */
export function pageStylesheet(options: PageStyleOptions = {}): string {
  const darkSelectors = checkOptions({ darkClass: options.darkClass, darkSelector: options.darkSelector });
  if (options.scope !== undefined) checkOptions({ darkClass: options.scope });
  return pageSheet(options.darkClass || null, darkSelectors, options.scope || null);
}

/**
 * The page stylesheet as the `<style>` element the Markdown plugins put into the first diagram of a document, as
 * the first child of its `<svg>`: a `<style>` inside SVG is valid anywhere in a page's body (an HTML `<style>`
 * there is not), the number of `<svg>` elements stays the number of diagrams, and that one diagram, copied out
 * of the page, is still self-contained.
 */
export function pageStyleTree(options: PageStyleOptions = {}): SvgNode {
  return { name: 'style', attrs: [['class', PAGE_STYLE_CLASS]], children: pageStylesheet(options) };
}

/**
 * `svg` (markup of one `<svg>` element, attributes double-quoted as every serializer here writes them) with
 * `child` (markup) inserted as its first child. Quote-aware: a `>` inside an attribute value does not end the
 * tag. Returns `svg` unchanged when it is not an `<svg>` element.
 */
export function insertFirstChild(svg: string, child: string): string {
  const start = svg.search(/<svg[\s>]/i);
  if (start < 0) return svg;
  let quote = '';
  for (let i = start + 4; i < svg.length; i++) {
    const c = svg[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return svg[i - 1] === '/' ? svg.slice(0, i - 1) + '>' + child + '</svg>' + svg.slice(i + 1) : svg.slice(0, i + 1) + child + svg.slice(i + 1);
  }
  return svg;
}
