/**
 * The page stylesheet in the browser: every diagram run() or <wire-gram> draws is rendered with
 * `styles: 'page'` (no `<style>` of its own), and the one sheet for its dark-mode settings goes into the
 * document's `<head>` — or the shadow root the diagram sits in — once. A page of a hundred diagrams then
 * carries one stylesheet instead of a hundred, and the browser's style work stays flat.
 *
 * Each setting's sheet is scoped to a class (`wgs-<hash of the setting>`) that its diagrams carry: a page may
 * draw with two settings (a <wire-gram> drawn with the defaults before run({ darkSelector }) redraws it), and an
 * unscoped media-query sheet would turn the other diagrams dark too.
 */
import { PAGE_STYLE_CLASS, pageStylesheet, shortHash, type PageStyleOptions } from '@wiregram/svg';

const sheets = new Map<string, { css: string; scope: string }>();
const placed = new WeakMap<Node, Set<string>>();

/** The CSS and scope class for these options (validated once per distinct dark-mode setting). */
function sheetFor(options: PageStyleOptions): { css: string; scope: string } {
  const key = `${options.darkClass ?? ''}\u0000${options.darkSelector ?? ''}`;
  let sheet = sheets.get(key);
  if (!sheet) {
    const scope = 'wgs-' + shortHash(key);
    sheet = { css: pageStylesheet({ darkClass: options.darkClass, darkSelector: options.darkSelector, scope }), scope };
    sheets.set(key, sheet);
  }
  return sheet;
}

/**
 * Put the page stylesheet for `options` where a diagram placed at `at` is styled from, unless it is there
 * already; returns the class the diagram's `<svg>` must carry.
 */
export function ensurePageStyles(doc: Document, at: Node, options: PageStyleOptions): string {
  const { css, scope } = sheetFor(options);
  const root = at.getRootNode();
  const target: Document | ShadowRoot = root instanceof ShadowRoot ? root : doc;
  let known = placed.get(target);
  if (!known) placed.set(target, (known = new Set()));
  if (known.has(scope)) return scope;
  known.add(scope);
  // Another copy of this script may have put it there already.
  for (const el of Array.from(target.querySelectorAll(`style.${PAGE_STYLE_CLASS}`))) if (el.textContent === css) return scope;
  const style = doc.createElement('style');
  style.className = PAGE_STYLE_CLASS;
  style.textContent = css;
  (target instanceof ShadowRoot ? target : (doc.head ?? doc.documentElement)).appendChild(style);
  return scope;
}
