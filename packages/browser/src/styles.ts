/**
 * The page stylesheet in the browser: every diagram run() or <wire-gram> draws is rendered with
 * `styles: 'page'` (no `<style>` of its own) and the one sheet for its dark-mode settings goes into the
 * document's `<head>` — or the shadow root the diagram sits in — once. A page of a hundred diagrams then
 * carries one stylesheet instead of a hundred, and the browser's style work stays flat.
 */
import { PAGE_STYLE_CLASS, pageStylesheet, type PageStyleOptions } from '@wiregram/svg';

const sheets = new Map<string, string>();
const placed = new WeakMap<Node, Set<string>>();

/** The CSS for these options (validated once per distinct dark-mode setting). */
function sheetFor(options: PageStyleOptions): string {
  const key = `${options.darkClass ?? ''}\u0000${options.darkSelector ?? ''}`;
  let css = sheets.get(key);
  if (css === undefined) sheets.set(key, (css = pageStylesheet({ darkClass: options.darkClass, darkSelector: options.darkSelector })));
  return css;
}

/** Put the page stylesheet for `options` where a diagram placed at `at` is styled from, unless it is there. */
export function ensurePageStyles(doc: Document, at: Node, options: PageStyleOptions): void {
  const css = sheetFor(options);
  const root = at.getRootNode();
  const scope: Document | ShadowRoot = root instanceof ShadowRoot ? root : doc;
  let known = placed.get(scope);
  if (!known) placed.set(scope, (known = new Set()));
  if (known.has(css)) return;
  known.add(css);
  // Already on the page: written by a build-time plugin, or by another copy of this script.
  for (const el of Array.from(scope.querySelectorAll(`style.${PAGE_STYLE_CLASS}`))) if (el.textContent === css) return;
  const style = doc.createElement('style');
  style.className = PAGE_STYLE_CLASS;
  style.textContent = css;
  (scope instanceof ShadowRoot ? scope : (doc.head ?? doc.documentElement)).appendChild(style);
}
