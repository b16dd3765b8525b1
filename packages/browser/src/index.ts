/**
 * @wiregram/browser — wiregram for any HTML page: the diagrams of a Hugo, Jekyll, Hexo or MkDocs site (or a
 * hand-written page) drawn in the reader's browser by one script, the way static blogs use Mermaid.
 *
 *   render(source, options?)   text → { svg, title, width, height, warnings, tree }, synchronously
 *   run(options?)              every tcp-sequence / packet-header block on the page → its diagram
 *   defineElement()            the <wire-gram> element (the bundles define it when loaded)
 *   drawPending()              draw every figure a lazy run() left for when it is scrolled near
 *
 * Nothing here throws at the page: a block that cannot be drawn becomes an error box in its place, and run()
 * reports it in its result. Everything is synchronous; no network, no `node:` module.
 */
import { DIAGRAM_LANGUAGES, toWiregramError, type DiagramLanguage, type Diagnostic, type WiregramError } from '@wiregram/core';
import { checkDarkSelector, render as renderSvg, type SvgNode, type SvgOptions } from '@wiregram/svg';
import { renderInto, type RunOptions } from './draw.js';
import { defineElement, refreshElements } from './element.js';
import { findBlocks } from './find.js';
import { canDefer, drawAll, drawWhenNear } from './lazy.js';

export { findBlocks, blockText, blockSelector, type FoundBlock } from './find.js';
export { defineElement } from './element.js';
export { drawPending } from './lazy.js';
export { steps, type StepControl, type StepOptions } from './steps.js';
export { drawDeck, RevealWiregram, type RevealLike, type RevealPlugin, type RevealWiregramOptions } from './reveal.js';
export type { PageOptions, RunOptions } from './draw.js';
/** The CSS of the page stylesheet, for diagrams you render yourself with `styles: 'page'`. */
export { pageStylesheet } from '@wiregram/svg';

/** Options of `render`: everything `@wiregram/svg`'s render takes (language, style, labelStyle, theme, …). */
export type BrowserRenderOptions = SvgOptions;

export interface RenderedDiagram {
  svg: string;
  /** The accessible name (`<title>`). */
  title: string;
  width: number;
  height: number;
  warnings: Diagnostic[];
  /** The same SVG as an element description (`SvgNode`), for building elements without parsing markup. */
  tree: SvgNode;
}

/** Text → SVG, synchronously. Bad input throws a `WiregramError` (line, column, hint) — `run()` never throws. */
export function render(source: string, options: BrowserRenderOptions = {}): RenderedDiagram {
  const { svg, title, width, height, warnings, tree } = renderSvg(source, { language: 'tcp-sequence', ...options });
  return { svg, title, width, height, warnings, tree };
}

export interface RunResult {
  rendered: number;
  /** Of those, how many wait to be drawn until scrolled near (lazy run, see `RunOptions.lazy`). */
  waiting: number;
  failed: number;
  /** Each block found, in document order, with what replaced it and the error when it could not be drawn. */
  blocks: Array<{ language: DiagramLanguage; element: Element; error: WiregramError | null }>;
}

function checkRunOptions(options: RunOptions): void {
  if (options.darkSelector !== undefined) checkDarkSelector(options.darkSelector);
}

/**
 * Draw every `tcp-sequence` and `packet-header` block under `options.root` (default: the document) in place.
 * While the document is still loading, waits for `DOMContentLoaded` first (the result then counts nothing).
 * Never throws for a block: failures become error boxes and are listed in the result. A bad option (a
 * `darkSelector` that could break out of the stylesheet) is reported once on the console and nothing is drawn.
 */
export function run(options: RunOptions = {}): RunResult {
  const result: RunResult = { rendered: 0, waiting: 0, failed: 0, blocks: [] };
  const doc = typeof document === 'undefined' ? null : document;
  if (!doc) return result;
  if (!options.root && doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', () => run(options), { once: true });
    return result;
  }
  try {
    checkRunOptions(options);
  } catch (e) {
    console.error(`wiregram: ${toWiregramError(e).message}`);
    return result;
  }
  const { root = doc, languages = DIAGRAM_LANGUAGES, lazy = true, ...rest } = options;
  // <wire-gram> elements take the page-wide options (dark-mode selector, …) too, and are redrawn when they change.
  if (defineElement(rest)) refreshElements(root);
  // Figures are placed empty and drawn after one batched read of where they are: lazily (the far ones when
  // scrolled near), or all at once with the far ones' style and layout left to the browser (drawAll).
  const defer = canDefer(doc);
  const waiting: Array<{ element: HTMLElement; fill: () => void }> = [];
  for (const block of findBlocks(root, languages)) {
    const { element, error, fill } = renderInto(doc, block.element, block.source, block.language, rest, defer);
    block.element.replaceWith(element);
    if (fill) waiting.push({ element, fill });
    result.blocks.push({ language: block.language, element, error });
    if (error) result.failed++;
    else result.rendered++;
  }
  if (lazy) result.waiting = drawWhenNear(doc, waiting);
  else drawAll(doc, waiting);
  return result;
}
