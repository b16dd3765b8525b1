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
  return pageSheet(options.darkClass || null, darkSelectors);
}

/**
 * The page stylesheet as an element the Markdown plugins put into the first diagram's figure of a document:
 * an SVG `<style>` (a `<style>` is valid markup inside SVG anywhere in a body, unlike an HTML one) in a hidden,
 * empty `<svg>` that takes no room and is skipped by screen readers.
 */
export function pageStyleTree(options: PageStyleOptions = {}): SvgNode {
  return {
    name: 'svg',
    attrs: [['class', PAGE_STYLE_CLASS], ['aria-hidden', 'true'], ['style', 'display:none']],
    children: [{ name: 'style', attrs: [], children: pageStylesheet(options) }],
  };
}
